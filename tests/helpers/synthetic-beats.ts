// Synthetic 12-lead ECGs built from waves with known boundaries, for delineation and measurement tests.
// Each wave is a raised-cosine bump (exactly zero outside [start, end]) so its true onset and end are known.

export interface SyntheticWave {
  /** Start and end relative to R, ms. */
  startMs: number;
  endMs: number;
  /** Peak amplitude per lead (mV), by lead name; leads not named get 0. */
  mv: Record<string, number>;
}

export const LEADS_12 = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'];

/** Adds a raised-cosine bump peaking at its middle (or at `peakFrac` of the way) to x around sample r. */
function addBump(x: Float32Array, r: number, fs: number, startMs: number, endMs: number, mv: number, peakFrac = 0.5): void {
  const s = r + Math.round((startMs / 1000) * fs);
  const e = r + Math.round((endMs / 1000) * fs);
  const p = s + (e - s) * peakFrac;
  for (let k = Math.max(0, s); k <= Math.min(x.length - 1, e); k++) {
    const phase = k <= p ? (k - s) / (p - s) : (e - k) / (e - p);
    x[k] += (mv * (1 - Math.cos(Math.PI * phase))) / 2;
  }
}

/**
 * A 10 s record at `fs` with beats at R times `rSeconds`; every beat carries `waves`. `noiseMv` adds seeded
 * uniform noise. Returns leads by name (mV).
 */
export function syntheticBeats(opts: {
  fs?: number;
  seconds?: number;
  rSeconds: number[];
  waves: (SyntheticWave & { peakFrac?: number })[];
  noiseMv?: number;
  seed?: number;
}): Record<string, Float32Array> {
  const fs = opts.fs ?? 500;
  const n = Math.round((opts.seconds ?? 10) * fs);
  let seed = opts.seed ?? 1;
  const rand = (): number => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32 - 0.5;
  };
  const leads: Record<string, Float32Array> = {};
  for (const name of LEADS_12) {
    const x = new Float32Array(n);
    for (const t of opts.rSeconds)
      for (const w of opts.waves) if (w.mv[name]) addBump(x, Math.round(t * fs), fs, w.startMs, w.endMs, w.mv[name], w.peakFrac);
    if (opts.noiseMv) for (let k = 0; k < n; k++) x[k] += opts.noiseMv * rand();
    leads[name] = x;
  }
  return leads;
}

/** Same amplitude on every lead except those given (e.g. { V1: -1 } flips V1). */
export function allLeads(mv: number, overrides: Record<string, number> = {}): Record<string, number> {
  return Object.fromEntries(LEADS_12.map((l) => [l, overrides[l] ?? mv]));
}

/** Regular beats every `rrMs` from 0.5 s to the end of a 10 s record. */
export function regularBeats(rrMs: number, seconds = 10): number[] {
  const out: number[] = [];
  for (let t = 0.5; t < seconds - 0.6; t += rrMs / 1000) out.push(t);
  return out;
}
