// Baseline-wander removal by two cascaded median filters (200 ms then 600 ms): the first removes
// QRS complexes, the second P and T waves, leaving the baseline, which is subtracted.
// Edges repeat the end samples (scipy.ndimage.median_filter mode='nearest').
import { sameType, type Signal } from './filtfilt.ts';

/** Odd window length closest to `seconds` at `fs`. */
function oddWindow(seconds: number, fs: number): number {
  const w = Math.round(seconds * fs);
  return w % 2 === 1 ? w : w + 1;
}

/** Running median of odd width `w` with nearest-sample edge extension; O(n w) via a sorted window. */
export function medianFilter(x: ArrayLike<number>, w: number): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  const half = (w - 1) >> 1;
  const at = (i: number): number => x[i < 0 ? 0 : i >= n ? n - 1 : i];
  const win: number[] = [];
  for (let i = -half; i <= half; i++) win.push(at(i));
  win.sort((p, q) => p - q);
  for (let i = 0; i < n; i++) {
    out[i] = win[half];
    if (i === n - 1) break;
    // Slide: drop x[i - half], insert x[i + half + 1], keeping the window sorted.
    removeSorted(win, at(i - half));
    insertSorted(win, at(i + half + 1));
  }
  return out;
}

function lowerBound(a: number[], v: number): number {
  let lo = 0,
    hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function removeSorted(a: number[], v: number): void {
  a.splice(lowerBound(a, v), 1);
}

function insertSorted(a: number[], v: number): void {
  a.splice(lowerBound(a, v), 0, v);
}

/** The estimated baseline (median 200 ms, then median 600 ms). */
export function estimateBaseline(x: Signal, fs: number): Float64Array {
  return medianFilter(medianFilter(x, oddWindow(0.2, fs)), oddWindow(0.6, fs));
}

/** `x` minus its two-stage median baseline. */
export function removeBaselineWander<T extends Signal>(x: T, fs: number): T {
  const base = estimateBaseline(x, fs);
  const out = sameType(x, x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] - base[i];
  return out;
}
