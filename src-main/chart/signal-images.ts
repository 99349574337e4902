// Signal-to-image transforms used with 2D models in the ECG literature, one lead at a time, with the
// way back from image-space saliency to time. The series is first reduced by piecewise aggregate
// approximation (PAA) to `size` points, so images are size x size whatever the record length.
//   Gramian angular field (Wang & Oates 2015): x rescaled to [-1, 1], φ = arccos x;
//     GASF[i][j] = cos(φi + φj), GADF[i][j] = sin(φi - φj).
//   Markov transition field: quantile states q; W = state transition probabilities of consecutive
//     samples; MTF[i][j] = W[q_i][q_j].
//   Recurrence plot (Eckmann et al. 1987): R[i][j] = |x_i - x_j|, or 1 where it is below `threshold`.
// Back to time: pixel (i, j) involves time points i and j, so a time point's importance is the mean of
// its row and column marginals (GAF/RP); for the MTF the same marginal is taken per sample, since each
// pixel depends only on the states of samples i and j. PAA points spread back over their segments.

export interface SignalImage {
  /** size x size, row-major. */
  image: Float32Array;
  size: number;
  /** PAA segment boundaries in samples: point k covers [bounds[k], bounds[k + 1]). */
  bounds: Int32Array;
}

/** Segment boundaries splitting n samples into `size` nearly equal parts. */
export function segmentBounds(n: number, size: number): Int32Array {
  const b = new Int32Array(size + 1);
  for (let k = 0; k <= size; k++) b[k] = Math.round((k * n) / size);
  return b;
}

/** Piecewise aggregate approximation: the mean of each segment. */
export function paa(x: Float32Array, size: number): { values: Float32Array; bounds: Int32Array } {
  const m = Math.min(size, x.length);
  const bounds = segmentBounds(x.length, m);
  const values = new Float32Array(m);
  for (let k = 0; k < m; k++) {
    let s = 0;
    for (let t = bounds[k]; t < bounds[k + 1]; t++) s += x[t];
    values[k] = s / (bounds[k + 1] - bounds[k]);
  }
  return { values, bounds };
}

export function gramianAngularField(x: Float32Array, kind: 'summation' | 'difference', size = 256): SignalImage {
  const { values, bounds } = paa(x, size);
  const m = values.length;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const c = new Float32Array(m);
  const s = new Float32Array(m);
  for (let i = 0; i < m; i++) {
    c[i] = hi > lo ? Math.min(1, Math.max(-1, (2 * (values[i] - lo)) / (hi - lo) - 1)) : 0;
    s[i] = Math.sqrt(1 - c[i] * c[i]);
  }
  const image = new Float32Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      image[i * m + j] = kind === 'summation' ? c[i] * c[j] - s[i] * s[j] : s[i] * c[j] - c[i] * s[j];
    }
  }
  return { image, size: m, bounds };
}

export function markovTransitionField(x: Float32Array, bins = 8, size = 256): SignalImage {
  const n = x.length;
  const sorted = Float32Array.from(x).sort();
  const edges = Array.from({ length: bins - 1 }, (_, k) => sorted[Math.floor(((k + 1) * n) / bins)]);
  const state = new Uint8Array(n);
  for (let t = 0; t < n; t++) {
    let q = 0;
    while (q < edges.length && x[t] >= edges[q]) q++;
    state[t] = q;
  }
  const w = new Float64Array(bins * bins);
  for (let t = 1; t < n; t++) w[state[t - 1] * bins + state[t]]++;
  for (let a = 0; a < bins; a++) {
    let row = 0;
    for (let b = 0; b < bins; b++) row += w[a * bins + b];
    if (row > 0) for (let b = 0; b < bins; b++) w[a * bins + b] /= row;
  }
  const m = Math.min(size, n);
  const bounds = segmentBounds(n, m);
  // Block average of the full n x n field, computed through per-segment state histograms.
  const hist = new Float64Array(m * bins);
  for (let k = 0; k < m; k++) {
    for (let t = bounds[k]; t < bounds[k + 1]; t++) hist[k * bins + state[t]]++;
    for (let q = 0; q < bins; q++) hist[k * bins + q] /= bounds[k + 1] - bounds[k];
  }
  const image = new Float32Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      let v = 0;
      for (let a = 0; a < bins; a++) {
        const ha = hist[i * bins + a];
        if (ha === 0) continue;
        for (let b = 0; b < bins; b++) v += ha * hist[j * bins + b] * w[a * bins + b];
      }
      image[i * m + j] = v;
    }
  }
  return { image, size: m, bounds };
}

export function recurrencePlot(x: Float32Array, o: { size?: number; threshold?: number } = {}): SignalImage {
  const { values, bounds } = paa(x, o.size ?? 256);
  const m = values.length;
  const image = new Float32Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      const d = Math.abs(values[i] - values[j]);
      image[i * m + j] = o.threshold === undefined ? d : d <= o.threshold ? 1 : 0;
    }
  }
  return { image, size: m, bounds };
}

/** Image-space saliency (size x size) of a signal image → per-sample importance of the lead (row/column marginals). */
export function signalImageToTime(saliency: Float32Array, img: Pick<SignalImage, 'size' | 'bounds'>): Float32Array {
  const m = img.size;
  if (saliency.length !== m * m) throw new Error(`saliency has ${saliency.length} values for a ${m}x${m} signal image`);
  const point = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      const v = Math.abs(saliency[i * m + j]) / (2 * m);
      point[i] += v;
      point[j] += v;
    }
  }
  const n = img.bounds[m];
  const out = new Float32Array(n);
  for (let k = 0; k < m; k++) out.fill(point[k], img.bounds[k], img.bounds[k + 1]);
  return out;
}
