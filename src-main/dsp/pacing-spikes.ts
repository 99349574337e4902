// Pacemaker spikes on raw (unfiltered) leads: a spike is a narrow, steep deflection that stands out from the
// samples `k` (about 4 ms) either side of it. At 500 Hz a spike is only one or two samples wide and often blunted
// by the recorder's filter, so height against the neighbours is what is tested, with the slew rate as a second
// criterion. Small bipolar spikes are found by their fixed lag before R instead. Found once per record, by the
// measurements (dsp/measurements.ts), which blank the spikes before filtering (a filtered spike smears 20-40 ms of
// slope into the PR segment), start a paced beat's QRS after its spike and carry the spikes to the pacing detector
// (rules/pacing.ts).
import type { PacingSpike } from '../../src-shared/rules.ts';
import { roundTo } from './wave-math.ts';

export const SPIKE_MV = 0.15;
export const SLEW_MV_PER_MS = 0.1;
export const LEAD_IN_MS = 400;
export const MIN_BEAT_FRACTION = 0.3;
/**
 * A pacemaker pulse reaches every lead at once; noise spikes are usually on one lead. Leads are counted by
 * independent view: the six limb leads are all combinations of two signals (and many carts compute III, aVR,
 * aVL, aVF from I and II), so a noise spike in II also appears in III and aVF; they count as one view together.
 */
export const MIN_VIEWS = 3;
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
    // And one next sample too: a pacemaker pulse is one or two samples wide, while the sharp R peak of a child's
    // narrow QRS (JS00294, 4 years) is above half height on both sides.
    if (Math.abs(x[i - 1] - level) > Math.abs(h) / 2 && Math.abs(x[i + 1] - level) > Math.abs(h) / 2) continue;
    let w = 1;
    while (i - w >= 0 && i + w < x.length && w <= k && Math.abs(x[i - w] - level) > Math.abs(h) / 2) w++;
    out.push({ sample: i, lead, slewMvPerMs: roundTo(slew, 3), widthMs: roundTo(w * msPerSample, 1), amplitudeMv: roundTo(h, 3) });
  }
  return out;
}

/** A bipolar pacemaker's spike can be this small (mV) and still count when it sits at a fixed lag before each QRS. */
export const SMALL_SPIKE_MV = 0.04;
/** ... and stands this many times above the lead's own sample-to-sample noise. */
const SMALL_SPIKE_NOISE_RATIO = 8;
/** Share of beats whose spike must sit at the same lag (within LAG_TOLERANCE_MS) before R. */
export const LOCKED_BEAT_FRACTION = 0.6;
const LAG_TOLERANCE_MS = 4;

/**
 * Height of a one-sample spike at i: its distance from the mean of its two neighbours, when those agree and the
 * signal is flat on each side (the tip of a sharp R wave also has matching neighbours, but they are on its slopes).
 */
function oneSampleSpike(x: Float32Array, i: number): number {
  if (i < 2 || i > x.length - 3) return 0;
  const d = x[i] - (x[i - 1] + x[i + 1]) / 2;
  const half = Math.abs(d) / 2;
  return Math.abs(x[i - 1] - x[i + 1]) <= half && Math.abs(x[i - 1] - x[i - 2]) <= half && Math.abs(x[i + 1] - x[i + 2]) <= half ? d : 0;
}

/**
 * Bipolar pacing leaves spikes too small for SPIKE_MV (0.03-0.1 mV in LUDB 90), but each is one sample wide, in
 * every lead at once, and at the same lag before every paced QRS, which neither noise nor a sharp wave is. Each
 * sample scores the sum over leads of its one-sample spike height against that lead's threshold (leads below it
 * add nothing); per beat the best-scoring sample in [R - LEAD_IN_MS, R - 20 ms] is taken, and the rhythm is
 * R-locked when at least LOCKED_BEAT_FRACTION of the beats have theirs at one lag, and at least MIN_BEAT_FRACTION
 * of the beats show it in `minViews` views (LUDB's unpaced records 39, 43, 79, 96 have R-locked one-sample steps
 * in the limb leads only). Returns those spikes, or none.
 */
export function rLockedSpikes(
  leads: [string, Float32Array][],
  fs: number,
  beats: number[],
  minViews = MIN_VIEWS,
  viewOf: (lead: string) => string = view,
): PacingSpike[] {
  if (beats.length < 3 || leads.length === 0) return [];
  const thresholds = leads.map(([, x]) => {
    const diffs: number[] = [];
    for (let i = 1; i < x.length - 1; i += 3) diffs.push(Math.abs(x[i] - (x[i - 1] + x[i + 1]) / 2));
    diffs.sort((p, q) => p - q);
    return Math.max(SMALL_SPIKE_MV, SMALL_SPIKE_NOISE_RATIO * (diffs[diffs.length >> 1] ?? 0));
  });
  const score = (i: number): number => {
    let s = 0;
    leads.forEach(([, x], l) => {
      const h = Math.abs(oneSampleSpike(x, i)) / thresholds[l];
      if (h >= 1) s += h;
    });
    return s;
  };
  const n = leads[0][1].length;
  const from = Math.round((LEAD_IN_MS / 1000) * fs);
  // Up to 20 ms before R: the R fiducial can lie up to ~20 ms past a sharp R peak, whose tip must stay out.
  const to = Math.round(0.02 * fs);
  const perBeat: { beat: number; sample: number }[] = [];
  for (const b of beats) {
    let best = 0;
    let at = -1;
    for (let i = Math.max(2, b - from); i <= Math.min(n - 3, b - to); i++) {
      const s = score(i);
      if (s > best) {
        best = s;
        at = i;
      }
    }
    if (at >= 0) perBeat.push({ beat: b, sample: at });
  }
  const tol = Math.max(1, Math.round((LAG_TOLERANCE_MS / 1000) * fs));
  let locked: typeof perBeat = [];
  for (const p of perBeat) {
    const same = perBeat.filter((q) => Math.abs(q.beat - q.sample - (p.beat - p.sample)) <= tol);
    if (same.length > locked.length) locked = same;
  }
  if (locked.length < LOCKED_BEAT_FRACTION * beats.length) return [];
  const msPerSample = 1000 / fs;
  const spikes = locked.map((p) =>
    leads.flatMap(([lead, x], l) => {
      const h = oneSampleSpike(x, p.sample);
      if (Math.abs(h) < thresholds[l]) return [];
      return [
        {
          sample: p.sample,
          lead,
          slewMvPerMs: roundTo(Math.abs(h) / msPerSample, 3),
          widthMs: roundTo(msPerSample, 1),
          amplitudeMv: roundTo(h, 3),
        },
      ];
    }),
  );
  const seenWidely = spikes.filter((s) => new Set(s.map((q) => viewOf(q.lead))).size >= minViews).length;
  return seenWidely >= MIN_BEAT_FRACTION * beats.length ? spikes.flat() : [];
}

/**
 * Every pacemaker spike of a record: large spikes seen at once in `minViews` independent views, then small ones
 * locked to R. `leads` are the recorded leads (a derived lead repeats the spikes of I and II); with fewer than
 * MIN_VIEWS views, distinct leads are counted instead.
 */
export function pacemakerSpikes(leads: [string, Float32Array][], fs: number, beats: number[]): PacingSpike[] {
  const byView = new Set(leads.map(([lead]) => view(lead))).size >= MIN_VIEWS;
  const minViews = Math.min(MIN_VIEWS, leads.length);
  const viewOf = byView ? view : (lead: string): string => lead;
  const spikes = simultaneousSpikes(
    leads.map(([lead, x]) => isolated(findSpikes(x, fs, lead), fs)),
    minViews,
    viewOf,
  );
  spikes.push(...rLockedSpikes(leads, fs, beats, minViews, viewOf).filter((s) => !spikes.some((q) => q.sample === s.sample)));
  return spikes;
}

/** Samples of the spikes in the window [R - LEAD_IN_MS, R + 10 ms] of each beat (empty where a beat has none). */
export function spikesByBeat(spikes: PacingSpike[], beats: number[], fs: number): PacingSpike[][] {
  const lead = Math.round((LEAD_IN_MS / 1000) * fs);
  const after = Math.round(0.01 * fs);
  return beats.map((b) => spikes.filter((s) => s.sample >= b - lead && s.sample <= b + after));
}

/** What the measurements and the pacing rule know of a record's pacemaker pulses (found once, by `pacedRhythm`). */
export interface PacedRhythm {
  /** Every spike found, one entry per lead it shows on. */
  spikes: PacingSpike[];
  /** Beats with a spike in their spikesByBeat window. */
  pacedBeats: number;
  /** pacedBeats over all beats: the rhythm is paced above MIN_BEAT_FRACTION. */
  pacedBeatFraction: number;
  /** Median offset (samples, negative = before R) of the last spike before R in the paced beats; null without any. */
  spikeFromR: number | null;
}

/**
 * The pacemaker spikes of a record and the share of beats they precede. `leads` are the recorded leads only (see
 * pacemakerSpikes); with fewer than 2 beats nothing is searched, as no rhythm can be called paced.
 */
export function pacedRhythm(leads: [string, Float32Array][], fs: number, beats: number[]): PacedRhythm {
  if (beats.length < 2) return { spikes: [], pacedBeats: 0, pacedBeatFraction: 0, spikeFromR: null };
  const spikes = pacemakerSpikes(leads, fs, beats);
  const perBeat = spikesByBeat(spikes, beats, fs);
  const lags = perBeat.flatMap((s, i) => (s.length ? [Math.max(...s.map((q) => q.sample)) - beats[i]] : []));
  lags.sort((a, b) => a - b);
  return {
    spikes,
    pacedBeats: lags.length,
    pacedBeatFraction: lags.length / beats.length,
    spikeFromR: lags.length ? lags[lags.length >> 1] : null,
  };
}

/** Whether a rhythm is paced: a spike before more than MIN_BEAT_FRACTION of the beats. */
export function isPaced(rhythm: PacedRhythm): boolean {
  return rhythm.pacedBeatFraction > MIN_BEAT_FRACTION;
}

/** The distinct samples of the spikes, in order (one pulse shows on several leads at the same sample). */
export function pulseSamples(spikes: PacingSpike[]): number[] {
  return [...new Set(spikes.map((s) => s.sample))].sort((a, b) => a - b);
}

/** A pacemaker pulse and its recharge tail: blanked from this long before to this long after its peak sample. */
export const SPIKE_BLANK_MS = { before: 2, after: 6 };

/**
 * A copy of `x` with each pulse replaced by the straight line between the samples either side: a band-pass filter
 * would smear the pulse's slope 20-40 ms around it, into the PR segment and the start of the paced QRS.
 */
export function blankSpikes(x: Float32Array, spikeSamples: number[], fs: number): Float32Array {
  const out = Float32Array.from(x);
  const before = Math.max(1, Math.round((SPIKE_BLANK_MS.before / 1000) * fs));
  const after = Math.max(2, Math.round((SPIKE_BLANK_MS.after / 1000) * fs));
  for (const s of spikeSamples) {
    const a = s - before - 1,
      b = s + after + 1;
    if (a < 0 || b >= x.length) continue;
    for (let k = a + 1; k < b; k++) out[k] = out[a] + ((out[b] - out[a]) * (k - a)) / (b - a);
  }
  return out;
}
