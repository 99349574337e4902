// The first record's rules ran the QRS detector, the delineation and every detector in V8's interpreter: about
// 150 ms more than on the next record. Running them once on a synthetic 12-lead ECG in a worker that has nothing
// else to do yet gets that code optimised before anyone asks; nothing is read or stored.
import { STANDARD_LEADS, type EcgRecord } from '../../src-shared/record.ts';
import { runRules } from './run-rules.ts';

const FS = 500;
const SECONDS = 10;
const RR_SAMPLES = 400; // 75 bpm

/** A Gaussian wave of `mv` millivolts, `sdMs` wide, centred `atMs` from the beat's R. */
const wave = (t: number, atMs: number, sdMs: number, mv: number): number => mv * Math.exp(-(((t - atMs) / sdMs) ** 2) / 2);

/** One lead of a sinus rhythm with P, Q, R, S and T; `scale` and `sign` make the leads differ as real ones do. */
function syntheticLead(scale: number, sign: number): Int16Array {
  const out = new Int16Array(FS * SECONDS);
  for (let i = 0; i < out.length; i++) {
    const t = (((i + RR_SAMPLES / 2) % RR_SAMPLES) - RR_SAMPLES / 2) * (1000 / FS); // ms from the nearest R
    const mv = wave(t, -160, 20, 0.12) + wave(t, -22, 6, -0.1) + wave(t, 0, 9, 1) + wave(t, 24, 7, -0.25) + wave(t, 250, 40, 0.3);
    out[i] = Math.round(1000 * sign * scale * mv);
  }
  return out;
}

/** A 10 s 12-lead sinus record at 75 bpm, 500 Hz, 1000 units per mV. */
export function syntheticSinusRecord(): EcgRecord {
  return {
    format: 'synthetic',
    recordName: 'warm-up',
    samplingRate: FS,
    length: FS * SECONDS,
    leads: STANDARD_LEADS.map((name, k) => ({
      name,
      units: 'mV',
      gain: 1000,
      baseline: 0,
      digital: syntheticLead(0.5 + (k % 4) / 4, name === 'aVR' || name === 'V1' ? -1 : 1),
    })),
    labels: [],
    attributes: {},
  };
}

/** Runs every rule detector on the synthetic record; returns how many results they gave (all of them, one each). */
export function warmUpRules(): number {
  return runRules(syntheticSinusRecord(), 12).length;
}
