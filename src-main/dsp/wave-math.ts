// Small numeric helpers shared by the wave delineation modules (median-beat templates as typed arrays).

export function msToSamples(ms: number, fs: number): number {
  return Math.round((ms / 1000) * fs);
}

/** Index of the largest value in x[from..to] (inclusive). */
export function argmax(x: ArrayLike<number>, from: number, to: number): number {
  let best = from;
  for (let i = from; i <= to; i++) if (x[i] > x[best]) best = i;
  return best;
}

/** Multi-lead slope magnitude (mV/s), smoothed by a moving average over ~`smoothMs`. */
export function spatialVelocity(templates: Float32Array[], fs: number, smoothMs: number): Float64Array {
  const len = templates[0].length;
  const raw = new Float64Array(len);
  for (let k = 1; k < len - 1; k++) {
    let s = 0;
    for (const t of templates) {
      const d = (t[k + 1] - t[k - 1]) / 2;
      s += d * d;
    }
    raw[k] = Math.sqrt(s) * fs;
  }
  raw[0] = raw[1];
  raw[len - 1] = raw[len - 2];
  return movingAverage(raw, Math.max(1, Math.round(((smoothMs / 1000) * fs) / 2)));
}

/** Centred moving average with half-width h (shorter at the edges). */
export function movingAverage(x: ArrayLike<number>, h: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let k = 0; k < x.length; k++) {
    let s = 0,
      c = 0;
    for (let j = Math.max(0, k - h); j <= Math.min(x.length - 1, k + h); j++) {
      s += x[j];
      c++;
    }
    out[k] = s / c;
  }
  return out;
}

export function median(values: number[]): number {
  const a = [...values].sort((p, q) => p - q);
  const m = a.length >> 1;
  return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2;
}

/** The q-quantile (0-1) of values, linear between order statistics. */
export function quantile(values: number[], q: number): number {
  const a = [...values].sort((p, r) => p - r);
  const pos = (a.length - 1) * q;
  const lo = Math.floor(pos);
  return lo + 1 < a.length ? a[lo] + (a[lo + 1] - a[lo]) * (pos - lo) : a[lo];
}

/** x rounded to `digits` decimals. */
export function roundTo(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
