// Windowed-sinc FIR design, the same construction as scipy.signal.firwin (scale = true).

/** Symmetric Hamming window of length n. */
export function hammingWindow(n: number): Float64Array {
  const w = new Float64Array(n);
  if (n === 1) {
    w[0] = 1;
    return w;
  }
  for (let i = 0; i < n; i++) w[i] = 0.54 - 0.46 * Math.cos((2 * Math.PI * i) / (n - 1));
  return w;
}

/** Modified Bessel function of the first kind, order 0 (power series; converges fast for Kaiser betas). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 200; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** Symmetric Kaiser window of length n with shape beta. */
export function kaiserWindow(n: number, beta: number): Float64Array {
  const w = new Float64Array(n);
  if (n === 1) {
    w[0] = 1;
    return w;
  }
  const d = besselI0(beta);
  for (let i = 0; i < n; i++) {
    const r = (2 * i) / (n - 1) - 1;
    w[i] = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / d;
  }
  return w;
}

function sinc(x: number): number {
  if (x === 0) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}

/**
 * Linear-phase FIR passing the band [lowHz, highHz] (lowHz = 0 gives a low-pass), windowed and
 * scaled to unit gain at the band centre (DC for a low-pass), as scipy.signal.firwin does.
 */
export function windowedSincFir(numtaps: number, lowHz: number, highHz: number, fs: number, window: Float64Array): Float64Array {
  const nyq = fs / 2;
  if (!(numtaps >= 1) || !Number.isInteger(numtaps)) throw new Error(`FIR design: numtaps must be a positive integer, got ${numtaps}`);
  if (!(lowHz >= 0 && lowHz < highHz && highHz < nyq)) {
    throw new Error(`FIR design: need 0 <= low < high < Nyquist (${nyq} Hz), got ${lowHz}-${highHz} Hz`);
  }
  if (window.length !== numtaps) throw new Error(`FIR design: window length ${window.length} != numtaps ${numtaps}`);
  const lo = lowHz / nyq;
  const hi = highHz / nyq;
  const alpha = 0.5 * (numtaps - 1);
  const h = new Float64Array(numtaps);
  for (let i = 0; i < numtaps; i++) {
    const m = i - alpha;
    h[i] = (hi * sinc(hi * m) - lo * sinc(lo * m)) * window[i];
  }
  const scaleFreq = lo === 0 ? 0 : 0.5 * (lo + hi);
  let s = 0;
  for (let i = 0; i < numtaps; i++) s += h[i] * Math.cos(Math.PI * (i - alpha) * scaleFreq);
  for (let i = 0; i < numtaps; i++) h[i] /= s;
  return h;
}
