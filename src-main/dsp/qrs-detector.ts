// Multi-lead QRS detector in the Pan-Tompkins family, O(n) per lead:
// per lead a 2x cascaded band-pass biquad (centre 13 Hz), slope, square and a 120 ms moving-window
// integral, scaled so a typical beat is 1. Leads are averaged with weights: globally by their
// beat-to-background ratio (a lead with tiny QRS complexes hardly counts) and per 2 s block by how
// far their peaks exceed a typical beat (a noise burst on one lead is outvoted by a clean one).
// Peaks of the average are classified with adaptive signal/noise levels, T-wave rejection and
// search-back; each beat is then placed on the R peak (largest deflection from the local level)
// of the best-weighted lead with the largest beats.

interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

/** RBJ constant-peak-gain band-pass biquad. */
function bandpassBiquad(fs: number, f0: number, q: number): Biquad {
  const w0 = (2 * Math.PI * f0) / fs;
  const alpha = Math.sin(w0) / (2 * q);
  const a0 = 1 + alpha;
  return { b0: alpha / a0, b1: 0, b2: -alpha / a0, a1: (-2 * Math.cos(w0)) / a0, a2: (1 - alpha) / a0 };
}

/** Band-passed slope energy of one lead (returned in `energy`) and its moving-window integral. */
function leadFeature(x: Float32Array, fs: number, bq: Biquad, mwi: number, energy: Float32Array, out: Float32Array): void {
  const { b0, b2, a1, a2 } = bq;
  const n = x.length;
  let x1 = x[0],
    x2 = x[0],
    y1 = 0,
    y2 = 0,
    u1 = 0,
    u2 = 0,
    v1 = 0,
    v2 = 0;
  let prev = 0,
    sum = 0,
    k = 0;
  const ring = new Float64Array(mwi);
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    const y = b0 * xi + b2 * x2 - a1 * y1 - a2 * y2;
    x2 = x1;
    x1 = xi;
    y2 = y1;
    y1 = y;
    const v = b0 * y + b2 * u2 - a1 * v1 - a2 * v2;
    u2 = u1;
    u1 = y;
    v2 = v1;
    v1 = v;
    const d = (v - prev) * fs;
    prev = v;
    const e = d * d;
    energy[i] = e;
    sum += e - ring[k];
    ring[k] = e;
    if (++k === mwi) k = 0;
    out[i] = sum;
  }
}

/** Median of the maxima of consecutive `block`-sample blocks: a typical beat height robust to bursts. */
function typicalBlockMax(x: Float32Array, block: number): number {
  const maxima: number[] = [];
  for (let s = 0; s < x.length; s += block) {
    let m = 0;
    const e = Math.min(x.length, s + block);
    for (let i = s; i < e; i++) if (x[i] > m) m = x[i];
    maxima.push(m);
  }
  maxima.sort((a, b) => a - b);
  return maxima[maxima.length >> 1];
}

export interface QrsDetectorOptions {
  /** Refractory period, s. */
  refractory?: number;
}

/** Sample indices of the R peaks (fiducials) of all QRS complexes, from one or more simultaneous leads in mV. */
export function detectQrs(leadsMv: Float32Array[], fs: number, opts: QrsDetectorOptions = {}): Int32Array {
  if (leadsMv.length === 0) return new Int32Array(0);
  const n = leadsMv[0].length;
  for (const l of leadsMv) if (l.length !== n) throw new Error(`QRS detector: leads differ in length (${l.length} vs ${n})`);
  if (n < fs) return new Int32Array(0);
  const mwi = Math.max(1, Math.round(0.12 * fs));
  const bq = bandpassBiquad(fs, 13, 1.2);
  const block = Math.round(2 * fs);
  const nBlocks = Math.ceil(n / block);
  const features: Float32Array[] = [];
  const energies: Float32Array[] = [];
  const scales: number[] = [];
  const snrs: number[] = [];
  for (const lead of leadsMv) {
    const energy = new Float32Array(n);
    const feature = new Float32Array(n);
    leadFeature(lead, fs, bq, mwi, energy, feature);
    const scale = typicalBlockMax(feature, block);
    const flat = scale === 0;
    const inv = flat ? 0 : 1 / scale;
    for (let i = 0; i < n; i++) {
      feature[i] *= inv;
      energy[i] *= inv;
    }
    features.push(feature);
    energies.push(energy);
    scales.push(scale);
    snrs.push(flat ? 0 : 1 / medianOf(feature));
  }
  const bestSnr = Math.max(...snrs);
  if (!(bestSnr > 0)) return new Int32Array(0); // every lead flat
  // Per 2 s block, a lead whose peaks stand far above its typical beat is noisy there: down-weight it.
  // A lead whose beats barely rise above its own background (low SNR) counts less everywhere.
  const weights = features.map((f, l) => {
    const w = new Float32Array(nBlocks);
    const g = (snrs[l] / bestSnr) ** 3;
    for (let b = 0; b < nBlocks; b++) {
      let m = 0;
      for (let i = b * block, e = Math.min(n, i + block); i < e; i++) if (f[i] > m) m = f[i];
      w[b] = g * (m <= 1.5 ? 1 : (1.5 / m) ** 3);
    }
    return w;
  });
  const combined = new Float32Array(n);
  for (let b = 0; b < nBlocks; b++) {
    let wsum = 0;
    for (const w of weights) wsum += w[b];
    if (!(wsum > 0)) continue;
    for (let l = 0; l < features.length; l++) {
      const k = weights[l][b] / wsum;
      const f = features[l];
      for (let i = b * block, e = Math.min(n, i + block); i < e; i++) combined[i] += k * f[i];
    }
  }
  const peaks = candidatePeaks(combined, Math.round((opts.refractory ?? 0.2) * fs));
  const beats = classifyPeaks(peaks, combined, energies, fs, mwi);
  return placeFiducials(
    beats,
    leadsMv,
    energies,
    weights.map((w, l) => ({ w, scale: scales[l] })),
    block,
    fs,
    mwi,
  );
}

/** Median of a scaled feature (its background level; beats sit at about 1). */
function medianOf(x: Float32Array): number {
  const step = Math.max(1, Math.floor(x.length / 20_000));
  const a: number[] = [];
  for (let i = 0; i < x.length; i += step) a.push(x[i]);
  a.sort((p, q) => p - q);
  return a[a.length >> 1] || 1e-6;
}

/** Local maxima at least `gap` samples apart (the larger wins). */
function candidatePeaks(c: Float32Array, gap: number): Int32Array {
  const out: number[] = [];
  for (let i = 1; i < c.length - 1; i++) {
    if (!(c[i] > c[i - 1] && c[i] >= c[i + 1])) continue;
    const last = out.length - 1;
    if (last >= 0 && i - out[last] < gap) {
      if (c[i] > c[out[last]]) out[last] = i;
    } else out.push(i);
  }
  return Int32Array.from(out);
}

/** Largest summed slope energy in the integration window ending at `p`. */
function peakSlope(energies: Float32Array[], p: number, mwi: number): number {
  let m = 0;
  for (let i = Math.max(0, p - mwi); i <= p; i++) {
    let s = 0;
    for (const e of energies) s += e[i];
    if (s > m) m = s;
  }
  return m;
}

function classifyPeaks(peaks: Int32Array, c: Float32Array, energies: Float32Array[], fs: number, mwi: number): number[] {
  const learn = Math.min(c.length, Math.round(2 * fs));
  let spk = typicalBlockMax(c, learn);
  let npk = 0.1 * spk;
  const beats: number[] = [];
  let lastSlope = 0;
  let rrMean = fs; // 60 bpm until beats say otherwise
  let lastIdx = -1; // index into peaks of the last beat
  const tWindow = Math.round(0.36 * fs);
  const accept = (k: number, slope: number): void => {
    const p = peaks[k];
    if (beats.length) rrMean = 0.875 * rrMean + 0.125 * Math.min(p - beats[beats.length - 1], 2 * fs);
    beats.push(p);
    lastSlope = slope;
    lastIdx = k;
  };
  for (let k = 0; k < peaks.length; k++) {
    const p = peaks[k];
    const v = c[p];
    let thr = npk + 0.25 * (spk - npk);
    // Search back for a missed beat when the gap is long.
    if (beats.length && p - beats[beats.length - 1] > 1.66 * rrMean) {
      let best = -1;
      const from = beats[beats.length - 1] + Math.round(0.2 * fs);
      for (let j = lastIdx + 1; j < k; j++) {
        if (peaks[j] > from && c[peaks[j]] > 0.3 * thr && (best < 0 || c[peaks[j]] > c[peaks[best]])) best = j;
      }
      if (best >= 0) {
        const s = peakSlope(energies, peaks[best], mwi);
        accept(best, s);
        spk = 0.25 * c[peaks[best]] + 0.75 * spk;
        thr = npk + 0.25 * (spk - npk);
      }
    }
    if (v > thr) {
      const slope = peakSlope(energies, p, mwi);
      const sinceLast = beats.length ? p - beats[beats.length - 1] : Infinity;
      if (sinceLast < tWindow && slope < 0.5 * lastSlope) {
        npk = 0.125 * v + 0.875 * npk; // a T wave
        continue;
      }
      accept(k, slope);
      spk = 0.125 * Math.min(v, 3 * spk) + 0.875 * spk;
    } else {
      npk = 0.125 * v + 0.875 * npk;
    }
  }
  return beats;
}

/**
 * Moves each integral peak to the R peak of one lead: the lead with the largest beats among those
 * not noisy in that block (a consistent lead keeps fiducials consistent from beat to beat).
 */
function placeFiducials(
  beats: number[],
  leads: Float32Array[],
  energies: Float32Array[],
  quality: { w: Float32Array; scale: number }[],
  block: number,
  fs: number,
  mwi: number,
): Int32Array {
  const n = leads[0].length;
  const half = Math.round(0.05 * fs);
  const ctx = Math.round(0.1 * fs);
  const out = new Int32Array(beats.length);
  for (let b = 0; b < beats.length; b++) {
    const p = beats[b];
    const blk = Math.floor(p / block);
    let lead = 0,
      bestQ = -1;
    for (let l = 0; l < leads.length; l++) {
      const q = quality[l].w[blk] * quality[l].scale;
      if (q > bestQ) {
        bestQ = q;
        lead = l;
      }
    }
    // Time of steepest band-passed slope on that lead within the integration window.
    const e = energies[lead];
    let at = p,
      best = -1;
    for (let i = Math.max(0, p - mwi); i <= p; i++)
      if (e[i] > best) {
        best = e[i];
        at = i;
      }
    const x = leads[lead];
    const s0 = Math.max(0, at - ctx),
      s1 = Math.min(n - 1, at + ctx);
    let level = 0;
    for (let i = s0; i <= s1; i++) level += x[i];
    level /= s1 - s0 + 1;
    let r = at,
      dev = -1;
    for (let i = Math.max(0, at - half); i <= Math.min(n - 1, at + half); i++) {
      const d = Math.abs(x[i] - level);
      if (d > dev) {
        dev = d;
        r = i;
      }
    }
    out[b] = r;
  }
  return out;
}
