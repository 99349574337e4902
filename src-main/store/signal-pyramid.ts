// Min/max pyramid over a lead's digital samples, so any window at any zoom reads a few values per pixel.

/** Samples per bucket at pyramid level 1; each further level is PYRAMID_FACTOR times coarser. */
export const PYRAMID_BASE = 16;
export const PYRAMID_FACTOR = 8;
/** Levels are built while the previous one has more buckets than this. */
export const PYRAMID_MIN_BUCKETS = 4096;

export function bucketSize(level: number): number {
  return level === 0 ? 1 : PYRAMID_BASE * PYRAMID_FACTOR ** (level - 1);
}

/** Interleaved (min, max) per bucket of `size` samples (level 1 from raw samples). */
export function minMaxBuckets(samples: Int16Array | Int32Array, size: number): Int16Array | Int32Array {
  const n = Math.ceil(samples.length / size);
  const out = samples instanceof Int16Array ? new Int16Array(2 * n) : new Int32Array(2 * n);
  for (let b = 0; b < n; b++) {
    const start = b * size;
    const end = Math.min(samples.length, start + size);
    let lo = samples[start];
    let hi = lo;
    for (let i = start + 1; i < end; i++) {
      const v = samples[i];
      if (v < lo) lo = v;
      else if (v > hi) hi = v;
    }
    out[2 * b] = lo;
    out[2 * b + 1] = hi;
  }
  return out;
}

/** Next coarser level from interleaved (min, max) pairs, merging `factor` buckets at a time. */
export function coarsenMinMax(pairs: Int16Array | Int32Array, factor: number): Int16Array | Int32Array {
  const n = pairs.length / 2;
  const m = Math.ceil(n / factor);
  const out = pairs instanceof Int16Array ? new Int16Array(2 * m) : new Int32Array(2 * m);
  for (let b = 0; b < m; b++) {
    const start = b * factor;
    const end = Math.min(n, start + factor);
    let lo = pairs[2 * start];
    let hi = pairs[2 * start + 1];
    for (let i = start + 1; i < end; i++) {
      if (pairs[2 * i] < lo) lo = pairs[2 * i];
      if (pairs[2 * i + 1] > hi) hi = pairs[2 * i + 1];
    }
    out[2 * b] = lo;
    out[2 * b + 1] = hi;
  }
  return out;
}

/** Every pyramid level above raw (index 0 = level 1). Short leads get none: reading them whole is already cheap. */
export function buildPyramid(samples: Int16Array | Int32Array): (Int16Array | Int32Array)[] {
  const levels: (Int16Array | Int32Array)[] = [];
  if (samples.length <= PYRAMID_MIN_BUCKETS * PYRAMID_BASE) return levels;
  let current = minMaxBuckets(samples, PYRAMID_BASE);
  levels.push(current);
  while (current.length / 2 > PYRAMID_MIN_BUCKETS) {
    current = coarsenMinMax(current, PYRAMID_FACTOR);
    levels.push(current);
  }
  return levels;
}
