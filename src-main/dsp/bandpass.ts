// Zero-phase FIR band-pass, numerically equal to scipy: filtfilt(firwin(numtaps, [lo, hi], pass_zero=False, fs=fs), 1, x).
import { hammingWindow, windowedSincFir } from './fir-design.ts';
import { filtfiltFir, filtfiltFirPair, type Signal } from './filtfilt.ts';

/**
 * Default taps (odd): a Hamming transition about as wide as the low cut-off (3.3 fs / N = lowHz), so a
 * 0.5 Hz high edge really removes 0.1 Hz drift; 3301 taps at 500 Hz, cheap with FFT convolution.
 */
export function defaultBandpassTaps(fs: number, lowHz: number): number {
  return 2 * Math.round((3.3 * fs) / lowHz / 2) + 1;
}

const designs = new Map<string, Float64Array>();

/**
 * Hamming-windowed linear-phase band-pass FIR with unit gain at the band centre (scipy.signal.firwin). Designs are
 * kept (a few filters serve every record), so callers must not modify the taps.
 */
export function designBandpassFir(fs: number, lowHz: number, highHz: number, numtaps: number): Float64Array {
  if (numtaps % 2 === 0) throw new Error(`band-pass FIR: numtaps must be odd, got ${numtaps}`);
  if (!(lowHz > 0)) throw new Error(`band-pass FIR: low cut-off must be > 0 Hz, got ${lowHz}`);
  const key = `${fs} ${lowHz} ${highHz} ${numtaps}`;
  let h = designs.get(key);
  if (!h) {
    // Bounded: window lengths fitted to short signals make new designs.
    if (designs.size >= 64) designs.delete(designs.keys().next().value!);
    designs.set(key, (h = windowedSincFir(numtaps, lowHz, highHz, fs, hammingWindow(numtaps))));
  }
  return h;
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

/** bandpassFilter of several signals, two at a time where lengths match (one FFT carries a pair); results in order. */
export function bandpassFilterMany<T extends Signal>(
  xs: readonly T[],
  fs: number,
  { lowHz = 0.5, highHz = 60, numtaps }: BandpassOptions = {},
): T[] {
  const h = designBandpassFir(fs, lowHz, Math.min(highHz, 0.45 * fs), numtaps ?? defaultBandpassTaps(fs, lowHz));
  const out: T[] = new Array(xs.length);
  let waiting = -1;
  for (let i = 0; i < xs.length; i++) {
    if (waiting >= 0 && xs[waiting].length === xs[i].length) {
      [out[waiting], out[i]] = filtfiltFirPair(h, xs[waiting], xs[i]);
      waiting = -1;
    } else {
      if (waiting >= 0) out[waiting] = filtfiltFir(h, xs[waiting]);
      waiting = i;
    }
  }
  if (waiting >= 0) out[waiting] = filtfiltFir(h, xs[waiting]);
  return out;
}
