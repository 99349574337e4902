// Per-lead normalisation and fixed-length windows for model input.
import { sameType, type Signal } from './filtfilt.ts';

/** (x - mean) / std (population std); a flat signal gives zeros rather than NaN. */
export function zscore<T extends Signal>(x: T): T {
  const n = x.length;
  const out = sameType(x, n);
  if (n === 0) return out;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (x[i] - mean) ** 2;
  const sd = Math.sqrt(v / n);
  if (!(sd > 0)) return out;
  for (let i = 0; i < n; i++) out[i] = (x[i] - mean) / sd;
  return out;
}

/** Exactly `n` samples: crops (from the start or the centre) or pads with zeros at the end / both sides. */
export function cropOrPad<T extends Signal>(x: T, n: number, mode: 'start' | 'center' = 'start'): T {
  if (!Number.isInteger(n) || n < 0) throw new Error(`cropOrPad: length must be a non-negative integer, got ${n}`);
  const out = sameType(x, n);
  const len = x.length;
  if (len >= n) {
    const from = mode === 'center' ? Math.floor((len - n) / 2) : 0;
    out.set(x.subarray(from, from + n));
  } else {
    const at = mode === 'center' ? Math.floor((n - len) / 2) : 0;
    out.set(x, at);
  }
  return out;
}
