// Zero-phase forward-backward filtering with scipy.signal.filtfilt's edge handling:
// odd extension of `padlen` samples at each end and steady-state initial conditions (lfilter_zi).
import { fftConvolve, fftInPlace, nextPow2 } from './fft.ts';

export type Signal = Float32Array | Float64Array;

/** A new array of the same element type as `x`. */
export function sameType<T extends Signal>(x: T, n: number): T {
  return (x instanceof Float32Array ? new Float32Array(n) : new Float64Array(n)) as T;
}

/** Odd (point-reflected) extension by `padlen` samples at both ends, as scipy's odd_ext. */
export function oddExtend(x: ArrayLike<number>, padlen: number): Float64Array {
  const n = x.length;
  const out = new Float64Array(n + 2 * padlen);
  const a = x[0],
    b = x[n - 1];
  for (let i = 0; i < padlen; i++) out[i] = 2 * a - x[padlen - i];
  for (let i = 0; i < n; i++) out[padlen + i] = x[i];
  for (let i = 0; i < padlen; i++) out[padlen + n + i] = 2 * b - x[n - 2 - i];
  return out;
}

/**
 * Causal FIR pass as if the input had been constant at x[0] forever before (FIR steady state). The constant past
 * adds x[0] times the tail sum of the taps it still reaches, so only x itself is convolved (a half-size FFT).
 */
function firSteadyState(h: Float64Array, x: Float64Array): Float64Array {
  const y = fftConvolve(x, h).slice(0, x.length);
  const x0 = x[0];
  // Outputs k < k0 reach back into the constant past: y[k] += x0 * (h[k + 1] + ... + h[m]).
  const k0 = Math.min(x.length, h.length - 1);
  let tail = 0;
  for (let j = k0 + 1; j < h.length; j++) tail += h[j];
  for (let k = k0 - 1; k >= 0; k--) {
    tail += h[k + 1];
    y[k] += x0 * tail;
  }
  return y;
}

function reversed(x: Float64Array): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = x[n - 1 - i];
  return out;
}

function checkPadlen(n: number, padlen: number, what: string): void {
  if (n < 2 || padlen < 0 || padlen >= n) throw new Error(`${what}: signal of ${n} samples is too short for an edge padding of ${padlen}`);
}

/** Zero-phase FIR filtering (filtfilt with a = [1]); padlen defaults to min(3 * taps, n - 1). */
export function filtfiltFir<T extends Signal>(h: Float64Array, x: T, padlen = Math.min(3 * h.length, x.length - 1)): T {
  checkPadlen(x.length, padlen, 'FIR filter');
  const ext = oddExtend(x, padlen);
  const back = reversed(firSteadyState(h, reversed(firSteadyState(h, ext))));
  const out = sameType(x, x.length);
  for (let i = 0; i < x.length; i++) out[i] = back[padlen + i];
  return out;
}

/** Spectra of FIR taps per FFT size, kept while the taps are (band-pass designs are cached, so they stay). */
const tapSpectra = new WeakMap<Float64Array, Map<number, { re: Float64Array; im: Float64Array }>>();

function tapSpectrum(h: Float64Array, n: number): { re: Float64Array; im: Float64Array } {
  let bySize = tapSpectra.get(h);
  if (!bySize) tapSpectra.set(h, (bySize = new Map()));
  let s = bySize.get(n);
  if (!s) {
    s = { re: new Float64Array(n), im: new Float64Array(n) };
    s.re.set(h);
    fftInPlace(s.re, s.im);
    bySize.set(n, s);
  }
  return s;
}

/**
 * firSteadyState of two signals of the same length in one complex FFT: `a` in the real part, `b` in the imaginary
 * part; the taps are real, so the product's real and imaginary parts are the two convolutions. Results in place.
 */
function firSteadyStatePair(h: Float64Array, a: Float64Array, b: Float64Array): void {
  const len = a.length;
  const n = nextPow2(len + h.length - 1);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  re.set(a);
  im.set(b);
  fftInPlace(re, im);
  const H = tapSpectrum(h, n);
  for (let k = 0; k < n; k++) {
    const xr = re[k],
      xi = im[k];
    re[k] = xr * H.re[k] - xi * H.im[k];
    im[k] = xr * H.im[k] + xi * H.re[k];
  }
  fftInPlace(re, im, true);
  const k0 = Math.min(len, h.length - 1);
  let tail = 0;
  for (let j = k0 + 1; j < h.length; j++) tail += h[j];
  for (let k = len - 1; k >= k0; k--) {
    a[k] = re[k];
    b[k] = im[k];
  }
  const a0 = a[0],
    b0 = b[0];
  for (let k = k0 - 1; k >= 0; k--) {
    tail += h[k + 1];
    a[k] = re[k] + a0 * tail;
    b[k] = im[k] + b0 * tail;
  }
}

/**
 * filtfiltFir of two signals of the same length at once: each FFT carries both, so a pair costs what one did. The
 * ML input pipeline band-passes 12 leads of every record this way.
 */
export function filtfiltFirPair<T extends Signal>(h: Float64Array, x: T, y: T, padlen = Math.min(3 * h.length, x.length - 1)): [T, T] {
  if (x.length !== y.length) throw new Error('FIR filter: a pair must have the same length');
  checkPadlen(x.length, padlen, 'FIR filter');
  const a = oddExtend(x, padlen);
  const b = oddExtend(y, padlen);
  firSteadyStatePair(h, a, b);
  a.reverse();
  b.reverse();
  firSteadyStatePair(h, a, b);
  const outX = sameType(x, x.length);
  const outY = sameType(y, y.length);
  // Reversed back: output i is at ext.length - 1 - (padlen + i).
  const last = a.length - 1 - padlen;
  for (let i = 0; i < x.length; i++) {
    outX[i] = a[last - i];
    outY[i] = b[last - i];
  }
  return [outX, outY];
}

/** Second-order IIR section (b0..b2, a1, a2 with a0 = 1), transposed direct form II, steady-state start. */
function biquadPass(b: readonly number[], a: readonly number[], x: Float64Array): Float64Array {
  const [b0, b1, b2] = b;
  const [, a1, a2] = a;
  // lfilter_zi: solve (I - companion(a)^T) zi = b[1:] - a[1:] * b0 for the 2x2 case.
  const r0 = b1 - a1 * b0,
    r1 = b2 - a2 * b0;
  const det = (1 + a1) * 1 + a2;
  const zi0 = (r0 + r1) / det;
  const zi1 = r1 - a2 * zi0;
  let z0 = zi0 * x[0],
    z1 = zi1 * x[0];
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    const yi = b0 * xi + z0;
    z0 = b1 * xi - a1 * yi + z1;
    z1 = b2 * xi - a2 * yi;
    y[i] = yi;
  }
  return y;
}

/** Zero-phase biquad filtering (scipy filtfilt(b, a, x) with the default padlen of 9). */
export function filtfiltBiquad<T extends Signal>(b: readonly number[], a: readonly number[], x: T, padlen = Math.min(9, x.length - 1)): T {
  checkPadlen(x.length, padlen, 'IIR filter');
  const ext = oddExtend(x, padlen);
  const back = reversed(biquadPass(b, a, reversed(biquadPass(b, a, ext))));
  const out = sameType(x, x.length);
  for (let i = 0; i < x.length; i++) out[i] = back[padlen + i];
  return out;
}
