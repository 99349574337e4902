// Polyphase rational resampling, numerically equal to scipy.signal.resample_poly(x, up, down)
// with its default Kaiser (beta 5) anti-aliasing filter and zero padding.
import { kaiserWindow, windowedSincFir } from './fir-design.ts';
import { sameType, type Signal } from './filtfilt.ts';

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Up/down factors for a rate change; rates are rounded to 1 mHz so 257.0 or 128.5 Hz work. */
export function resampleFactors(fromHz: number, toHz: number): { up: number; down: number } {
  if (!(fromHz > 0 && toHz > 0 && Number.isFinite(fromHz) && Number.isFinite(toHz))) {
    throw new Error(`resample: sampling rates must be positive, got ${fromHz} -> ${toHz} Hz`);
  }
  const a = Math.round(fromHz * 1000),
    b = Math.round(toHz * 1000);
  const g = gcd(a, b);
  const up = b / g,
    down = a / g;
  if (Math.max(up, down) > 100_000) throw new Error(`resample: ${fromHz} -> ${toHz} Hz needs a ratio ${up}/${down} that is too large`);
  return { up, down };
}

/** Resamples `x` from `fromHz` to `toHz` (output length ceil(n * up / down)). */
export function resamplePoly<T extends Signal>(x: T, fromHz: number, toHz: number): T {
  const { up, down } = resampleFactors(fromHz, toHz);
  if (up === 1 && down === 1) return x.slice() as T;
  const nIn = x.length;
  const nOut = Math.ceil((nIn * up) / down);
  const maxRate = Math.max(up, down);
  const halfLen = 10 * maxRate;
  const taps = 2 * halfLen + 1;
  const h0 = windowedSincFir(taps, 0, 1 / maxRate, 2, kaiserWindow(taps, 5));
  // Same padding as scipy so the first output sample lines up with the first input sample.
  const nPrePad = down - (halfLen % down);
  const nPreRemove = Math.floor((halfLen + nPrePad) / down);
  const h = new Float64Array(nPrePad + taps);
  for (let i = 0; i < taps; i++) h[nPrePad + i] = h0[i] * up;
  const hl = h.length;
  const out = sameType(x, nOut);
  for (let k = 0; k < nOut; k++) {
    // Output k is the full upsampled convolution at t = (k + nPreRemove) * down: sum over x[i] h[t - i up].
    const t = (k + nPreRemove) * down;
    let iHi = Math.floor(t / up);
    if (iHi > nIn - 1) iHi = nIn - 1;
    const iLo = Math.max(0, Math.ceil((t - hl + 1) / up));
    let acc = 0;
    for (let i = iLo, j = t - iLo * up; i <= iHi; i++, j -= up) acc += x[i] * h[j];
    out[k] = acc;
  }
  return out;
}
