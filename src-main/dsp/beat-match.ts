// Beat-by-beat comparison of detected beats with reference annotations, after ANSI/AAMI EC57
// and WFDB bxb: a detection matches a reference beat within +-150 ms (one to one, nearest first),
// and only beats after the first 5 minutes are scored.

export interface BeatMatchOptions {
  /** Match window each side, ms (bxb default 150). */
  windowMs?: number;
  /** Beats before this time are not scored, s (bxb default 300). */
  startSeconds?: number;
}

export interface BeatMatch {
  tp: number;
  fn: number;
  fp: number;
  /** Sensitivity tp / (tp + fn), NaN when there are no reference beats. */
  se: number;
  /** Positive predictivity tp / (tp + fp). */
  ppv: number;
  /** detected - reference, in samples, for each scored match. */
  timingErrors: Int32Array;
}

/** Matches sorted beat sample indices `detected` against sorted `reference` (beat annotations only). */
export function matchBeats(reference: ArrayLike<number>, detected: ArrayLike<number>, fs: number, opts: BeatMatchOptions = {}): BeatMatch {
  const w = Math.round(((opts.windowMs ?? 150) / 1000) * fs);
  const start = Math.round((opts.startSeconds ?? 300) * fs);
  // Candidate pairs within the window, matched greedily from the closest.
  const pairs: [number, number, number][] = [];
  let j0 = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i];
    while (j0 < detected.length && detected[j0] < r - w) j0++;
    for (let j = j0; j < detected.length && detected[j] <= r + w; j++) pairs.push([Math.abs(detected[j] - r), i, j]);
  }
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const refMatch = new Int32Array(reference.length).fill(-1);
  const detUsed = new Uint8Array(detected.length);
  for (const [, i, j] of pairs) {
    if (refMatch[i] >= 0 || detUsed[j]) continue;
    refMatch[i] = j;
    detUsed[j] = 1;
  }
  let tp = 0,
    fn = 0,
    fp = 0;
  const errors: number[] = [];
  for (let i = 0; i < reference.length; i++) {
    if (reference[i] < start) continue;
    if (refMatch[i] >= 0) {
      tp++;
      errors.push(detected[refMatch[i]] - reference[i]);
    } else fn++;
  }
  for (let j = 0; j < detected.length; j++) if (detected[j] >= start && !detUsed[j]) fp++;
  return { tp, fn, fp, se: tp / (tp + fn), ppv: tp / (tp + fp), timingErrors: Int32Array.from(errors) };
}

/** Median of |x| (0 for an empty array). */
export function medianAbs(x: ArrayLike<number>): number {
  if (x.length === 0) return 0;
  const a = Float64Array.from(x, Math.abs).sort();
  const m = a.length >> 1;
  return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2;
}
