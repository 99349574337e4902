// Zero-phase power-line notch: scipy.signal.iirnotch(hz, q, fs) applied with filtfilt.
import { filtfiltBiquad, type Signal } from './filtfilt.ts';

/** Second-order notch coefficients (b, a), as scipy.signal.iirnotch. */
export function designNotch(fs: number, hz: number, q: number): { b: number[]; a: number[] } {
  if (!(hz > 0 && hz < fs / 2)) throw new Error(`notch: frequency ${hz} Hz must lie between 0 and Nyquist (${fs / 2} Hz)`);
  if (!(q > 0)) throw new Error(`notch: quality factor must be > 0, got ${q}`);
  const w0 = (2 * hz) / fs;
  const bw = (w0 / q) * Math.PI;
  const beta = Math.tan(bw / 2);
  const gain = 1 / (1 + beta);
  const c = -2 * Math.cos(w0 * Math.PI);
  return { b: [gain, gain * c, gain], a: [1, gain * c, 2 * gain - 1] };
}

/** Removes `hz` (50 or 60 Hz mains) with a zero-phase notch of quality `q`. */
export function notchFilter<T extends Signal>(x: T, fs: number, hz: number, q = 30): T {
  const { b, a } = designNotch(fs, hz, q);
  return filtfiltBiquad(b, a, x);
}
