// P wave of a median beat: the largest multi-lead deflection 30-300 ms before QRS onset, measured from the
// straight line between the level 110 ms before it and the level at QRS onset (so a sloping PR segment is not
// taken for a wave). Its bounds are where that deflection falls to P_FRACTION of its peak, widened by fixed
// margins fitted on LUDB (the cardiologists mark the first and last visible movement, below our threshold). A
// high fraction with wide margins beats a low fraction: the P wave's own flanks are steep at 30 % of its peak, while
// at 15 % the bound wandered with the PR-segment noise and a raised PR segment (LUDB 1-100: PR SD 12.3 -> 9.6 ms
// against the robust all-lead reference, odd and even records alike; prolonged PR on Chapman's 800: 23 -> 25 true
// and 43 -> 35 false positives).
// With an irregular ventricular rhythm a P wave must be clear to count: an averaged beat of atrial fibrillation
// shows no P wave, and a chance bump of fibrillatory waves must not become one.
import { argmax, msToSamples } from './wave-math.ts';

const P_FRACTION = 0.3;
const ONSET_MARGIN_MS = 14;
const OFFSET_MARGIN_MS = 20;
/** Deflection (mV, all leads combined) a P wave must reach above the PR-segment noise. */
const MIN_P_MV = 0.03;
/** An irregular rhythm's averaged P must reach this (mV) to count. */
const IRREGULAR_MIN_P_MV = 0.08;
/** RR irregularity (median |successive RR difference| / median RR) from which the rhythm counts as irregular. */
export const IRREGULAR_RR = 0.1;

export type PWave = { onset: number; offset: number; confidence: number } | { reason: string };

/** P wave bounds (template samples) before the QRS starting at `qrsOnset`; a reason when there is none. */
export function pWave(templates: Float32Array[], qrsOnset: number, fs: number, rrIrregularity?: number): PWave {
  const ms = (v: number): number => msToSamples(v, fs);
  const to = qrsOnset - ms(30);
  const from = Math.max(ms(110), qrsOnset - ms(300));
  if (to - from <= ms(40)) return { reason: 'no room before QRS onset for a P wave' };
  // Largest deviation from the PR-segment level.
  const energy = new Float64Array(to + 1);
  const level = templates.map((t) => t[Math.max(0, qrsOnset - ms(10))]);
  for (let k = from; k <= to; k++) {
    let s = 0;
    for (let l = 0; l < templates.length; l++) s += (templates[l][k] - level[l]) ** 2;
    energy[k] = Math.sqrt(s);
  }
  const pPeak = argmax(energy, from, to);
  const a = pPeak - ms(110),
    b = qrsOnset;
  const dev = new Float64Array(b - a + 1);
  for (let k = a; k <= b; k++) {
    const w = (k - a) / (b - a);
    let s = 0;
    for (const t of templates) s += (t[k] - (t[a] * (1 - w) + t[b] * w)) ** 2;
    dev[k - a] = Math.sqrt(s);
  }
  const peak = argmax(dev, pPeak - a - ms(30), Math.min(b - a, pPeak - a + ms(30)));
  const bounds = (fraction: number): { on?: number; off?: number } => {
    const thr = fraction * dev[peak];
    let on: number | undefined, off: number | undefined;
    for (let k = peak; k > 0; k--)
      if (dev[k] < thr) {
        on = k + a;
        break;
      }
    for (let k = peak; k < dev.length; k++)
      if (dev[k] < thr) {
        off = k + a;
        break;
      }
    return { on, off };
  };
  const { on, off } = bounds(P_FRACTION);
  // An irregular rhythm needs a clear P wave: the average of fibrillatory waves leaves only a small bump.
  const irregular = rrIrregularity !== undefined && rrIrregularity >= IRREGULAR_RR;
  if (irregular && dev[peak] <= IRREGULAR_MIN_P_MV) return { reason: 'irregular RR without a consistent P wave (atrial fibrillation?)' };
  if (dev[peak] <= MIN_P_MV) return { reason: 'no P wave above the noise before QRS' };
  if (on === undefined || off === undefined || off - on < ms(40) || off - on > ms(180))
    return { reason: 'no P-shaped wave (40-180 ms) before QRS' };
  // Confidence: the P deflection against the PR-segment noise (peak-to-noise, saturating at 0.1 mV).
  return {
    onset: Math.max(0, on - ms(ONSET_MARGIN_MS)),
    offset: Math.min(qrsOnset, off + ms(OFFSET_MARGIN_MS)),
    confidence: Math.min(1, dev[peak] / 0.1),
  };
}
