// Wave boundaries (P, QRS, T) of a record's median beat. Beats are aligned on their R fiducial,
// a sample-wise median across beats gives one clean template per lead, and boundaries come from the
// multi-lead slope magnitude (spatial velocity) of the templates: a wave starts/ends where the slope
// falls to a fraction of the wave's own peak slope. Boundaries are relative to R, in samples.

export interface MedianBeat {
  /** Samples before R in each template. */
  pre: number;
  /** Template length. */
  length: number;
  /** One template per input lead (same order). */
  templates: Float32Array[];
  /** Beats that contributed (fully inside the record). */
  beatsUsed: number[];
}

export interface Delineation {
  /** Offsets from R in samples; undefined where that boundary was not found. */
  qrsOnset: number;
  qrsOffset: number;
  pOnset?: number;
  pOffset?: number;
  tPeak?: number;
  tOffset?: number;
}

/** Sample-wise median of beats aligned on R; window `pre` before and `post` after R. */
export function medianBeat(leads: Float32Array[], beats: ArrayLike<number>, pre: number, post: number): MedianBeat | undefined {
  const n = leads[0]?.length ?? 0;
  const used: number[] = [];
  for (let i = 0; i < beats.length; i++) if (beats[i] - pre >= 0 && beats[i] + post < n) used.push(beats[i]);
  if (used.length === 0) return undefined;
  const length = pre + post + 1;
  const col = new Float64Array(used.length);
  const templates = leads.map((x) => {
    const t = new Float32Array(length);
    for (let k = 0; k < length; k++) {
      for (let b = 0; b < used.length; b++) col[b] = x[used[b] - pre + k];
      col.sort();
      const m = used.length >> 1;
      t[k] = used.length % 2 ? col[m] : (col[m - 1] + col[m]) / 2;
    }
    return t;
  });
  return { pre, length, templates, beatsUsed: used };
}

/** Multi-lead slope magnitude, smoothed over ~`smoothMs`. */
function spatialVelocity(templates: Float32Array[], fs: number, smoothMs: number): Float64Array {
  const len = templates[0].length;
  const raw = new Float64Array(len);
  for (let k = 1; k < len - 1; k++) {
    let s = 0;
    for (const t of templates) {
      const d = (t[k + 1] - t[k - 1]) / 2;
      s += d * d;
    }
    raw[k] = Math.sqrt(s) * fs; // mV/s
  }
  raw[0] = raw[1];
  raw[len - 1] = raw[len - 2];
  const h = Math.max(1, Math.round(((smoothMs / 1000) * fs) / 2));
  const out = new Float64Array(len);
  for (let k = 0; k < len; k++) {
    let s = 0,
      c = 0;
    for (let j = Math.max(0, k - h); j <= Math.min(len - 1, k + h); j++) {
      s += raw[j];
      c++;
    }
    out[k] = s / c;
  }
  return out;
}

function argmax(x: ArrayLike<number>, from: number, to: number): number {
  let best = from;
  for (let i = from; i <= to; i++) if (x[i] > x[best]) best = i;
  return best;
}

/** Delineates a median beat sampled at `fs` (the template length bounds the T-wave search). */
export function delineateMedianBeat(beat: MedianBeat, fs: number): Delineation {
  const ms = (v: number): number => Math.round((v / 1000) * fs);
  const v = spatialVelocity(beat.templates, fs, 12);
  const r = beat.pre;
  const last = beat.length - 1;
  // QRS: where the slope drops to 12 % of its QRS peak, walking out from R.
  const qPeak = argmax(v, Math.max(0, r - ms(60)), Math.min(last, r + ms(60)));
  const qThr = 0.12 * v[qPeak];
  let qrsOnset = Math.max(0, r - ms(150));
  for (let k = qPeak; k > Math.max(0, r - ms(150)); k--)
    if (v[k] < qThr) {
      qrsOnset = k;
      break;
    }
  let qrsOffset = Math.min(last, r + ms(180));
  for (let k = qPeak; k < Math.min(last, r + ms(180)); k++)
    if (v[k] < qThr && v[k + 1] <= v[k] * 1.05) {
      qrsOffset = k;
      break;
    }
  const out: Delineation = { qrsOnset: qrsOnset - r, qrsOffset: qrsOffset - r };
  // Level of each lead just before QRS onset (PR segment) is the isoelectric reference.
  const base = beat.templates.map((t) => t[Math.max(0, qrsOnset - ms(10))]);
  const energy = new Float64Array(beat.length);
  for (let k = 0; k < beat.length; k++) {
    let s = 0;
    for (let l = 0; l < beat.templates.length; l++) s += (beat.templates[l][k] - base[l]) ** 2;
    energy[k] = Math.sqrt(s);
  }
  // T wave: largest deflection from 80 ms after QRS end; its end where the slope after the
  // steepest down-stroke falls to 20 % of it.
  const tFrom = qrsOffset + ms(80);
  if (tFrom < last - ms(40)) {
    const tPeak = argmax(energy, tFrom, last - ms(20));
    const down = argmax(v, tPeak, Math.min(last, tPeak + ms(150)));
    let tEnd: number | undefined;
    for (let k = down; k < last; k++)
      if (v[k] < 0.2 * v[down]) {
        tEnd = k;
        break;
      }
    if (energy[tPeak] > 0.05 && tEnd !== undefined) {
      out.tPeak = tPeak - r;
      out.tOffset = tEnd - r;
    }
  }
  // P wave: largest deflection 30-300 ms before QRS onset, measured from a straight line between
  // the level 110 ms before it and the level at QRS onset; bounds where it falls to 20 %.
  const pTo = qrsOnset - ms(30);
  const pFrom = Math.max(ms(110), qrsOnset - ms(300));
  if (pTo - pFrom > ms(40)) {
    const pPeak = argmax(energy, pFrom, pTo);
    const a = pPeak - ms(110),
      b = qrsOnset;
    const dev = new Float64Array(b - a + 1);
    for (let k = a; k <= b; k++) {
      const w = (k - a) / (b - a);
      let s = 0;
      for (const t of beat.templates) s += (t[k] - (t[a] * (1 - w) + t[b] * w)) ** 2;
      dev[k - a] = Math.sqrt(s);
    }
    const peak = argmax(dev, pPeak - a - ms(30), Math.min(b - a, pPeak - a + ms(30)));
    const thr = 0.2 * dev[peak];
    let on: number | undefined, off: number | undefined;
    for (let k = peak; k > 0; k--)
      if (dev[k] < thr) {
        on = k + a;
        break;
      }
    for (let k = peak; k < dev.length; k++)
      if (dev[k] < thr) {
        off = k + a;
        break;
      }
    // A P wave must stand out from the PR-segment noise and look like a wave (40-180 ms).
    if (on !== undefined && off !== undefined && dev[peak] > 0.03 && off - on >= ms(40) && off - on <= ms(180)) {
      out.pOnset = on - r;
      out.pOffset = off - r;
    }
  }
  return out;
}
