// Zero-phase FIR band-pass, numerically equal to scipy: filtfilt(firwin(numtaps, [lo, hi], pass_zero=False, fs=fs), 1, x).
import { hammingWindow, windowedSincFir } from './fir-design.ts';
import { filtfiltFir, type Signal } from './filtfilt.ts';

/**
 * Default taps (odd): a Hamming transition about as wide as the low cut-off (3.3 fs / N = lowHz), so a
 * 0.5 Hz high edge really removes 0.1 Hz drift; 3301 taps at 500 Hz, cheap with FFT convolution.
 */
export function defaultBandpassTaps(fs: number, lowHz: number): number {
  return 2 * Math.round((3.3 * fs) / lowHz / 2) + 1;
}

/** Hamming-windowed linear-phase band-pass FIR with unit gain at the band centre (scipy.signal.firwin). */
export function designBandpassFir(fs: number, lowHz: number, highHz: number, numtaps: number): Float64Array {
  if (numtaps % 2 === 0) throw new Error(`band-pass FIR: numtaps must be odd, got ${numtaps}`);
  if (!(lowHz > 0)) throw new Error(`band-pass FIR: low cut-off must be > 0 Hz, got ${lowHz}`);
  return windowedSincFir(numtaps, lowHz, highHz, fs, hammingWindow(numtaps));
}

export interface BandpassOptions {
  lowHz?: number;
  highHz?: number;
  numtaps?: number;
}

/**
 * Zero-phase band-pass (forward-backward, odd edge extension of min(3 * taps, n - 1) samples),
 * float32 in gives float32 out.
 * A high cut-off at or above Nyquist is clamped to 0.45 fs so 100 Hz records still filter.
 */
export function bandpassFilter<T extends Signal>(x: T, fs: number, { lowHz = 0.5, highHz = 60, numtaps }: BandpassOptions = {}): T {
  const taps = numtaps ?? defaultBandpassTaps(fs, lowHz);
  const hi = Math.min(highHz, 0.45 * fs);
  return filtfiltFir(designBandpassFir(fs, lowHz, hi, taps), x);
}
