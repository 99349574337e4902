// Per-lead wave amplitudes of a median-beat template, against the lead's PR-segment level: Q, R, S and R'
// (the QRS lobes between crossings of that level), ST at J and J+60 ms, and the T wave's peak.
export interface LeadAmplitudes {
  /** Initial negative deflection before the first R, mV (<= 0; 0 when absent). */
  qMv: number;
  /** First positive deflection, mV (>= 0). */
  rMv: number;
  /** Negative deflection after R, mV (<= 0). */
  sMv: number;
  /** Second positive deflection after S, mV (0 when absent). */
  rPrimeMv: number;
  /** ST level at the J point (QRS offset) and 60 ms later, mV. */
  stJMv: number;
  stJ60Mv: number;
  /** T-wave peak (signed), mV; null when the T wave was not delineated. */
  tMv: number | null;
}

/** Lobes smaller than this (mV) are ripples, not waves. */
const MIN_LOBE_MV = 0.02;

/** Amplitudes of `t` (template) with QRS [on, off] and T peak `tPeak` (template samples), at `fs`. */
export function leadAmplitudes(t: Float32Array, on: number, off: number, tPeak: number | undefined, fs: number): LeadAmplitudes {
  const level = t[Math.max(0, on)];
  // Signed extremes of the lobes between level crossings.
  const lobes: number[] = [];
  let current = 0;
  for (let k = Math.max(0, on); k <= Math.min(t.length - 1, off); k++) {
    const x = t[k] - level;
    if (current !== 0 && Math.sign(x) !== Math.sign(current) && x !== 0) {
      if (Math.abs(current) >= MIN_LOBE_MV) lobes.push(current);
      current = 0;
    }
    if (Math.abs(x) > Math.abs(current)) current = x;
  }
  if (Math.abs(current) >= MIN_LOBE_MV) lobes.push(current);
  const firstR = lobes.findIndex((a) => a > 0);
  const qMv = firstR > 0 ? Math.min(...lobes.slice(0, firstR)) : firstR < 0 ? Math.min(0, ...lobes) : 0;
  const rMv = firstR >= 0 ? lobes[firstR] : 0;
  const sIdx = firstR >= 0 ? lobes.findIndex((a, i) => i > firstR && a < 0) : -1;
  const sMv = sIdx >= 0 ? lobes[sIdx] : 0;
  const rPrimeIdx = sIdx >= 0 ? lobes.findIndex((a, i) => i > sIdx && a > 0) : -1;
  const at = (k: number): number => t[Math.max(0, Math.min(t.length - 1, k))] - level;
  const r3 = (x: number): number => Math.round(x * 1000) / 1000;
  return {
    qMv: r3(qMv),
    rMv: r3(rMv),
    sMv: r3(sMv),
    rPrimeMv: r3(rPrimeIdx >= 0 ? lobes[rPrimeIdx] : 0),
    stJMv: r3(at(off)),
    stJ60Mv: r3(at(off + Math.round(0.06 * fs))),
    tMv: tPeak === undefined ? null : r3(at(tPeak)),
  };
}

/** Net area (mV x samples) of `t` over [from, to] against `level`: the signed size of a wave for axis estimation. */
export function netArea(t: Float32Array, level: number, from: number, to: number): number {
  let s = 0;
  for (let k = Math.max(0, from); k <= Math.min(t.length - 1, to); k++) s += t[k] - level;
  return s;
}
