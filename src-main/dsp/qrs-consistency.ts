// A lead whose QRS does not repeat from beat to beat records noise, not the heart: an electrode off, a broken wire,
// muscle tremor. Summed into the spatial velocity it widens the global QRS (LUDB 1 with nine leads replaced by
// 0.2 mV noise: QRS 122 ms instead of 88), and a record of noise alone was measured as if it were an ECG (QRS
// 250-370 ms). Each lead's beats are compared with each other over the QRS. Of the 10,800 leads of LUDB 1-100 and
// Chapman's 800 dev records one scores under MIN_QRS_CONSISTENCY, a flat lead (Chapman JS00459 V6, 0.16); the 0.1st
// percentile is 0.66. Leads of white noise, EMG bursts or 50 Hz hum score 0.0-0.39, a random walk up to 0.47.
import { delineateMedianBeat, medianBeatOfLeads, type Delineation, type MedianBeat, type RhythmContext } from './delineation.ts';
import { pearson } from '../../src-shared/rank-stats.ts';
import { median, msToSamples, quantile, roundTo } from './wave-math.ts';

/** Below this median correlation a lead's QRS is not the same from beat to beat. */
export const MIN_QRS_CONSISTENCY = 0.5;
/** The QRS window is widened by this much on each side (ms): the flanks carry the shape too. */
const WINDOW_MARGIN_MS = 20;

/** Each beat is compared with this many beats after it (bounds the work on long spans). */
const PAIRS_PER_BEAT = 30;
/** Each beat's correlations are read at this quantile: a beat counts as repeated when a quarter of the others are like it. */
const LIKE_SHARE = 0.75;

/**
 * Per lead, over the QRS window [qrsOnset, qrsOffset] (R-relative samples, widened): each beat's correlation with the
 * next PAIRS_PER_BEAT beats and the previous ones, read at LIKE_SHARE (the correlation a quarter of them reach), and
 * the median of that over beats. Beats against beats, not against the median beat: a median of a few noise beats
 * still looks like each of them. A quarter, not all: ectopic beats (bigeminy: every other beat) have their own like.
 * 1 where fewer than 3 beats hold the whole window.
 */
export function leadQrsConsistency(
  leads: Float32Array[],
  beats: ArrayLike<number>,
  beat: MedianBeat,
  qrsOnset: number,
  qrsOffset: number,
  fs: number,
): number[] {
  const margin = msToSamples(WINDOW_MARGIN_MS, fs);
  const from = Math.max(qrsOnset - margin, -beat.pre);
  const to = Math.min(qrsOffset + margin, beat.length - 1 - beat.pre);
  const n = leads[0]?.length ?? 0;
  const inside = Array.from(beats).filter((b) => b + from >= 0 && b + to < n);
  if (inside.length < 3) return leads.map(() => 1);
  return leads.map((x) => {
    const windows = inside.map((b) => x.subarray(b + from, b + to + 1));
    const r = windows.map(() => [] as number[]);
    for (let i = 0; i < windows.length; i++)
      for (let j = i + 1; j <= Math.min(windows.length - 1, i + PAIRS_PER_BEAT); j++) {
        const c = pearson(windows[i], windows[j]) || 0;
        r[i].push(c);
        r[j].push(c);
      }
    return median(r.map((c) => quantile(c, LIKE_SHARE)));
  });
}

export interface RepeatingLeadsDelineation {
  /** Null when no lead's QRS repeats (`reason` says so). */
  delineation: Delineation | null;
  /** Per lead: whether its QRS repeats and it took part in the global boundaries. */
  repeats: boolean[];
  reason?: string;
}

/**
 * The median beat delineated on the leads whose QRS repeats from beat to beat. Every lead keeps its own boundaries
 * (with its consistency); the global ones come from the repeating leads only.
 */
export function delineateRepeatingLeads(
  beat: MedianBeat,
  leads: Float32Array[],
  beats: ArrayLike<number>,
  fs: number,
  rhythm: RhythmContext = {},
): RepeatingLeadsDelineation {
  const all = delineateMedianBeat(beat, fs, rhythm);
  const consistency = leadQrsConsistency(leads, beats, beat, all.qrsOnset, all.qrsOffset, fs);
  const repeats = consistency.map((c) => c >= MIN_QRS_CONSISTENCY);
  const perLead = all.leads?.map((b, l) => ({
    ...b,
    qrsConsistency: roundTo(consistency[l], 2),
    ...(repeats[l] ? {} : { qrsCounted: false, leftOut: true }),
  }));
  if (repeats.every(Boolean)) return { delineation: { ...all, leads: perLead }, repeats };
  if (!repeats.some(Boolean)) {
    const best = Math.max(...consistency);
    return {
      delineation: null,
      repeats,
      reason: `no lead's QRS repeats from beat to beat (best correlation ${best.toFixed(2)}): noise or artefact`,
    };
  }
  const kept = delineateMedianBeat(medianBeatOfLeads(beat, repeats), fs, rhythm);
  return { delineation: { ...kept, leads: perLead }, repeats };
}
