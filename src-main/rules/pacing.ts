// Pacing rhythm from pacemaker spikes: a spike is a narrow, steep deflection that stands out from
// the samples `k` (about 4 ms) either side of it. At 500 Hz a spike is only one or two samples wide
// and often blunted by the recorder's filter, so height against the neighbours is what is tested,
// with the slew rate as a second criterion. Paced rhythm = spikes in the 400 ms before the R peak of
// at least 30 % of beats (atrial spikes precede P, ventricular spikes the QRS).
import type { PacingSpike } from '../../src-shared/rules.ts';
import { baseEvidence, notApplicable, round, type RuleDetector } from './rule-detector.ts';

const SPIKE_MV = 0.15;
const SLEW_MV_PER_MS = 0.1;
const LEAD_IN_MS = 400;
const MIN_BEAT_FRACTION = 0.3;
/**
 * A pacemaker pulse reaches every lead at once; noise spikes are usually on one lead. Leads are counted by
 * independent view: the six limb leads are all combinations of two signals (and many carts compute III, aVR,
 * aVL, aVF from I and II), so a noise spike in II also appears in III and aVF; they count as one view together.
 */
const MIN_VIEWS = 3;
const LIMB_LEADS = new Set(['I', 'II', 'III', 'aVR', 'aVL', 'aVF']);
const view = (lead: string): string => (LIMB_LEADS.has(lead) ? 'limb' : lead);
/** Spikes closer than this on one lead are a burst of noise, not a pacemaker. */
const ISOLATION_MS = 20;

/** Drops spikes that have another spike on the same lead within ISOLATION_MS. */
function isolated(spikes: PacingSpike[], fs: number): PacingSpike[] {
  const gap = (ISOLATION_MS / 1000) * fs;
  return spikes.filter(
    (s, i) => !(i > 0 && s.sample - spikes[i - 1].sample < gap) && !(i + 1 < spikes.length && spikes[i + 1].sample - s.sample < gap),
  );
}

/** Spikes that occur within one sample of each other in at least `minViews` views (all of them kept as evidence). */
function simultaneousSpikes(perLead: PacingSpike[][], minViews: number, key: (lead: string) => string): PacingSpike[] {
  const all = perLead.flat().sort((a, b) => a.sample - b.sample);
  const out: PacingSpike[] = [];
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j + 1 < all.length && all[j + 1].sample - all[i].sample <= 1) j++;
    const group = all.slice(i, j + 1);
    if (new Set(group.map((s) => key(s.lead))).size >= minViews) out.push(...group);
    i = j + 1;
  }
  return out;
}

/** Candidate spikes on one lead: local extremes higher than SPIKE_MV above both neighbours k samples away. */
export function findSpikes(x: Float32Array, fs: number, lead: string): PacingSpike[] {
  const k = Math.max(1, Math.round(0.004 * fs));
  const out: PacingSpike[] = [];
  const msPerSample = 1000 / fs;
  for (let i = k; i < x.length - k; i++) {
    const level = (x[i - k] + x[i + k]) / 2;
    const h = x[i] - level;
    if (Math.abs(h) < SPIKE_MV) continue;
    // Must be the local extreme and steep on at least one side.
    if (h > 0 ? x[i] < x[i - 1] || x[i] < x[i + 1] : x[i] > x[i - 1] || x[i] > x[i + 1]) continue;
    const slew = Math.max(Math.abs(x[i] - x[i - 1]), Math.abs(x[i + 1] - x[i])) / msPerSample;
    if (slew < SLEW_MV_PER_MS) continue;
    // Both flanks k samples away must lie on the near side of half height: narrow, not a QRS slope.
    if (Math.abs(x[i - k] - level) > Math.abs(h) / 2 || Math.abs(x[i + k] - level) > Math.abs(h) / 2) continue;
    let w = 1;
    while (i - w >= 0 && i + w < x.length && w <= k && Math.abs(x[i - w] - level) > Math.abs(h) / 2) w++;
    out.push({ sample: i, lead, slewMvPerMs: round(slew) ?? 0, widthMs: round(w * msPerSample, 1) ?? 0, amplitudeMv: round(h) ?? 0 });
  }
  return out;
}

export const pacing: RuleDetector = {
  id: 'pacing',
  version: '1.1.0',
  title: 'Pacing rhythm (pacemaker spikes before QRS complexes)',
  codes: [{ code: '10370003', abbreviation: 'PR' }],
  requiredLeads: ['I'],
  run(input) {
    const m = input.measurements;
    const fs = input.samplingRate;
    const thresholds = {
      spikeMv: SPIKE_MV,
      slewMvPerMs: SLEW_MV_PER_MS,
      leadInMs: LEAD_IN_MS,
      minBeatFraction: MIN_BEAT_FRACTION,
      minViews: MIN_VIEWS,
    };
    if (m.beats.length < 2) return notApplicable(input, 'fewer than 2 QRS complexes detected', thresholds);
    // Recorded leads only: a derived lead repeats the spikes of I and II.
    const recorded = Object.entries(input.leadsMv).filter(([lead]) => !input.derivedLeads.includes(lead));
    // With too few views (limb leads only), distinct leads are counted as before.
    const byView = new Set(recorded.map(([lead]) => view(lead))).size >= MIN_VIEWS;
    const spikes = simultaneousSpikes(
      recorded.map(([lead, x]) => isolated(findSpikes(x, fs, lead), fs)),
      Math.min(MIN_VIEWS, recorded.length),
      byView ? view : (lead) => lead,
    );
    const lead = Math.round((LEAD_IN_MS / 1000) * fs);
    const after = Math.round(0.01 * fs);
    let paced = 0;
    const used: PacingSpike[] = [];
    for (const b of m.beats) {
      // Relative to R, not to the delineated onset: a ventricular spike's slope is itself taken as QRS onset.
      const inWin = spikes.filter((s) => s.sample >= b - lead && s.sample <= b + after);
      if (inWin.length) {
        paced++;
        used.push(...inWin);
      }
    }
    const fraction = paced / m.beats.length;
    const score = fraction - MIN_BEAT_FRACTION;
    const evidence = baseEvidence(
      input,
      `${paced} of ${m.beats.length} beats have a spike in the ${LEAD_IN_MS} ms before their R peak; ${spikes.length} spikes in all`,
      thresholds,
    );
    evidence.spikes = used.slice(0, 200);
    evidence.measurements = { pacedBeatFraction: round(fraction), spikeCount: spikes.length };
    return { decision: score > 0, score, evidence };
  },
};
