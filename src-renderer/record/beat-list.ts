// The stored beat annotations of a whole record, as the beat list and the overview strip use them.
import type { BeatAnnotation } from '../../src-shared/api.ts';

/** WFDB beat annotation codes (the others are rhythm, noise and comment marks, not beats). */
const BEAT_SYMBOLS = new Set(['N', 'L', 'R', 'B', 'A', 'a', 'J', 'S', 'V', 'r', 'F', 'e', 'j', 'n', 'E', '/', 'f', 'Q', '?']);
/** Beats of sinus or bundle-branch origin: everything else that is a beat counts as ectopic (or unclassified). */
const NORMAL_SYMBOLS = new Set(['N', 'L', 'R', 'B', 'e', 'j']);

export const isBeat = (a: BeatAnnotation): boolean => BEAT_SYMBOLS.has(a.symbol);
export const isEctopic = (a: BeatAnnotation): boolean => isBeat(a) && !NORMAL_SYMBOLS.has(a.symbol);

/** Beat counts per symbol, the most frequent first (ties by symbol). */
export function beatCounts(annotations: readonly BeatAnnotation[]): { symbol: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const a of annotations) if (isBeat(a)) counts.set(a.symbol, (counts.get(a.symbol) ?? 0) + 1);
  return [...counts].map(([symbol, count]) => ({ symbol, count })).sort((a, b) => b.count - a.count || a.symbol.localeCompare(b.symbol));
}

/** The next (direction 1) or previous (-1) ectopic beat strictly after/before `sample`; undefined when none. */
export function nextEctopic(annotations: readonly BeatAnnotation[], sample: number, direction: 1 | -1): BeatAnnotation | undefined {
  if (direction === 1) return annotations.find((a) => a.sample > sample && isEctopic(a));
  return annotations.findLast((a) => a.sample < sample && isEctopic(a));
}

/**
 * Heart rate (bpm) over `bins` equal stretches of a record: 60 / mean RR of the consecutive beat pairs whose second beat
 * falls in the bin; NaN for a bin without such a pair (a gap, or no annotations there).
 */
export function heartRateTrend(annotations: readonly BeatAnnotation[], length: number, fs: number, bins: number): Float64Array {
  const sum = new Float64Array(bins),
    n = new Float64Array(bins);
  let prev: number | undefined;
  for (const a of annotations) {
    if (!isBeat(a)) continue;
    if (prev !== undefined) {
      const rr = (a.sample - prev) / fs;
      // An RR over 3 s is a gap in the annotations (or asystole, which the list shows), not a rate to average.
      if (rr > 0 && rr <= 3) {
        const b = Math.min(bins - 1, Math.floor((a.sample / length) * bins));
        sum[b] += rr;
        n[b]++;
      }
    }
    prev = a.sample;
  }
  return sum.map((s, i) => (n[i] ? 60 / (s / n[i]) : NaN));
}
