// ECG-aware localisation: the share of a lead x time attribution that falls inside QRS complexes,
// P waves, ST-T segments and around pacing spikes, next to the share of time those intervals cover
// (so an enrichment > 1 means the map concentrates on that wave).
import type { Delineation } from '../dsp/delineation.ts';
import type { LeadTimeAttribution } from './consistency.ts';

export type Interval = readonly [start: number, end: number];

export interface WaveIntervals {
  qrs: Interval[];
  p: Interval[];
  stT: Interval[];
  /** Pacing spike samples. */
  pacing: number[];
}

export interface WaveShare {
  /** Fraction of total attribution inside the intervals. */
  share: number;
  /** Fraction of the record's time the intervals cover. */
  coverage: number;
  /** share / coverage; NaN when the intervals are empty. */
  enrichment: number;
}

export type Localisation = Record<'qrs' | 'p' | 'stT' | 'pacing', WaveShare>;

/**
 * Per-beat intervals from R peaks and the median-beat delineation (offsets relative to R):
 * QRS = onset..offset, P = P onset..offset, ST-T = QRS offset..T offset. Missing boundaries give no interval.
 */
export function waveIntervals(rPeaks: ArrayLike<number>, d: Delineation, samples: number, pacing: number[] = []): WaveIntervals {
  const clip = (a: number, b: number): Interval[] => {
    const s = Math.max(0, Math.round(a));
    const e = Math.min(samples, Math.round(b));
    return e > s ? [[s, e]] : [];
  };
  const out: WaveIntervals = { qrs: [], p: [], stT: [], pacing };
  for (let i = 0; i < rPeaks.length; i++) {
    const r = rPeaks[i];
    out.qrs.push(...clip(r + d.qrsOnset, r + d.qrsOffset + 1));
    if (d.pOnset !== undefined && d.pOffset !== undefined) out.p.push(...clip(r + d.pOnset, r + d.pOffset + 1));
    if (d.tOffset !== undefined) out.stT.push(...clip(r + d.qrsOffset + 1, r + d.tOffset + 1));
  }
  return out;
}

function mask(intervals: readonly Interval[], samples: number): Uint8Array {
  const m = new Uint8Array(samples);
  for (const [s, e] of intervals) m.fill(1, Math.max(0, s), Math.min(samples, e));
  return m;
}

/** `pacingHalfWidth` samples either side of each spike count as the spike (default 5: 10 ms at 500 Hz). */
export function localiseAttribution(a: LeadTimeAttribution, w: WaveIntervals, pacingHalfWidth = 5): Localisation {
  const time = new Float64Array(a.samples);
  let total = 0;
  for (let l = 0; l < a.leads.length; l++) {
    for (let t = 0; t < a.samples; t++) {
      const v = Math.abs(a.map[l * a.samples + t]);
      time[t] += v;
      total += v;
    }
  }
  const share = (intervals: readonly Interval[]): WaveShare => {
    const m = mask(intervals, a.samples);
    let inside = 0;
    let covered = 0;
    for (let t = 0; t < a.samples; t++) {
      if (m[t]) {
        inside += time[t];
        covered++;
      }
    }
    const s = total > 0 ? inside / total : 0;
    const coverage = covered / a.samples;
    return { share: s, coverage, enrichment: coverage > 0 ? s / coverage : Number.NaN };
  };
  return {
    qrs: share(w.qrs),
    p: share(w.p),
    stT: share(w.stT),
    pacing: share(w.pacing.map((s) => [s - pacingHalfWidth, s + pacingHalfWidth + 1] as const)),
  };
}

/**
 * Intervals in another time base: sample s becomes round(s * scale - offset), clipped to [0, samples).
 * Maps wave boundaries found on the record to a model input that was resampled and cropped.
 */
export function rescaleIntervals(w: WaveIntervals, scale: number, offset: number, samples: number): WaveIntervals {
  const at = (s: number): number => Math.round(s * scale - offset);
  const clip = (list: readonly Interval[]): Interval[] =>
    list.map(([s, e]) => [Math.max(0, at(s)), Math.min(samples, at(e))] as const).filter(([s, e]) => e > s);
  return { qrs: clip(w.qrs), p: clip(w.p), stT: clip(w.stT), pacing: w.pacing.map(at).filter((s) => s >= 0 && s < samples) };
}
