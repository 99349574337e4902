// Agreement of our median-beat delineation with per-beat reference boundaries in WFDB wave
// annotations ('(' onset, 'p' / 'N' / 't' peak, ')' offset — LUDB's per-lead files).
import type { BeatAnnotation } from '../src-shared/record.ts';
import type { EcgMeasurements } from '../src-main/dsp/measurements.ts';

export type Boundary = 'pOnset' | 'pOffset' | 'qrsOnset' | 'qrsOffset' | 'tOffset';
export const BOUNDARIES: readonly Boundary[] = ['pOnset', 'pOffset', 'qrsOnset', 'qrsOffset', 'tOffset'];

/** Signed errors (ours - reference, ms) per boundary for one record. */
export function boundaryErrors(m: EcgMeasurements, reference: BeatAnnotation[]): Record<Boundary, number[]> {
  const out: Record<Boundary, number[]> = { pOnset: [], pOffset: [], qrsOnset: [], qrsOffset: [], tOffset: [] };
  const d = m.delineation;
  if (!d || m.beats.length === 0) return out;
  const ms = 1000 / m.samplingRate;
  const nearest = (s: number): number => m.beats.reduce((b, x) => (Math.abs(x - s) < Math.abs(b - s) ? x : b), m.beats[0]);
  for (let i = 0; i + 2 < reference.length; i++) {
    const [on, peak, off] = [reference[i], reference[i + 1], reference[i + 2]];
    if (on.symbol !== '(' || off.symbol !== ')') continue;
    if (peak.symbol === 'N') {
      const r = nearest(peak.sample);
      if (Math.abs(r - peak.sample) * ms > 60) continue; // our beat is not this complex
      out.qrsOnset.push((r + d.qrsOnset - on.sample) * ms);
      out.qrsOffset.push((r + d.qrsOffset - off.sample) * ms);
    } else if (peak.symbol === 'p' && d.pOnset !== undefined && d.pOffset !== undefined) {
      const r = m.beats.find((b) => b > off.sample && (b - off.sample) * ms < 300);
      if (r === undefined) continue;
      out.pOnset.push((r + d.pOnset - on.sample) * ms);
      out.pOffset.push((r + d.pOffset - off.sample) * ms);
    } else if (peak.symbol === 't' && d.tOffset !== undefined) {
      const before = m.beats.filter((b) => b < on.sample && (on.sample - b) * ms < 500);
      if (before.length === 0) continue;
      out.tOffset.push((before[before.length - 1] + d.tOffset - off.sample) * ms);
    }
  }
  return out;
}

export interface ErrorSummary {
  n: number;
  meanMs: number;
  sdMs: number;
  medianAbsMs: number;
}

export function summariseErrors(errors: number[]): ErrorSummary {
  const n = errors.length;
  if (n === 0) return { n: 0, meanMs: NaN, sdMs: NaN, medianAbsMs: NaN };
  const mean = errors.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(errors.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  const abs = errors.map(Math.abs).sort((a, b) => a - b);
  const r = (x: number): number => Math.round(x * 10) / 10;
  return { n, meanMs: r(mean), sdMs: r(sd), medianAbsMs: r(abs[n >> 1]) };
}
