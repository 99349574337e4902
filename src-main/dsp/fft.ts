// Radix-2 complex FFT and FFT-based linear convolution (used for long FIR filters).

const twiddles = new Map<number, { cos: Float64Array; sin: Float64Array }>();

/** cos/sin of -2 pi k / n for k < n / 2, computed once per size (the FFT of every lead of every record reuses them). */
function twiddleTable(n: number): { cos: Float64Array; sin: Float64Array } {
  let t = twiddles.get(n);
  if (!t) {
    const half = n >> 1;
    t = { cos: new Float64Array(half), sin: new Float64Array(half) };
    for (let k = 0; k < half; k++) {
      t.cos[k] = Math.cos((2 * Math.PI * k) / n);
      t.sin[k] = -Math.sin((2 * Math.PI * k) / n);
    }
    twiddles.set(n, t);
  }
  return t;
}

/** In-place iterative radix-2 FFT of (re, im); length must be a power of two. `inverse` scales by 1/n. */
export function fftInPlace(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      const tr = re[i];
      re[i] = re[j];
      re[j] = tr;
      const ti = im[i];
      im[i] = im[j];
      im[j] = ti;
    }
  }
  if (n < 2) return;
  const { cos, sin } = twiddleTable(n);
  const sign = inverse ? -1 : 1;
  for (let len = 2; len <= n; len <<= 1) {
    const half = len >> 1;
    const step = n / len;
    for (let i = 0; i < n; i += len) {
      for (let k = 0, t = 0; k < half; k++, t += step) {
        const cr = cos[t];
        const ci = sign * sin[t];
        const a = i + k;
        const b = a + half;
        const xr = re[b] * cr - im[b] * ci;
        const xi = re[b] * ci + im[b] * cr;
        re[b] = re[a] - xr;
        im[b] = im[a] - xi;
        re[a] += xr;
        im[a] += xi;
      }
    }
  }
  if (inverse)
    for (let i = 0; i < n; i++) {
      re[i] /= n;
      im[i] /= n;
    }
}

export function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p <<= 1;
  return p;
}

/** Full linear convolution of two real sequences (length x.length + h.length - 1) via one complex FFT pair. */
export function fftConvolve(x: ArrayLike<number>, h: ArrayLike<number>): Float64Array {
  const outLen = x.length + h.length - 1;
  const n = nextPow2(outLen);
  // Pack x in the real part and h in the imaginary part: one forward FFT gives both spectra.
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let i = 0; i < x.length; i++) re[i] = x[i];
  for (let i = 0; i < h.length; i++) im[i] = h[i];
  fftInPlace(re, im);
  const pr = new Float64Array(n);
  const pi = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const j = (n - k) & (n - 1);
    const xr = (re[k] + re[j]) / 2,
      xi = (im[k] - im[j]) / 2;
    const hr = (im[k] + im[j]) / 2,
      hi = (re[j] - re[k]) / 2;
    pr[k] = xr * hr - xi * hi;
    pi[k] = xr * hi + xi * hr;
  }
  fftInPlace(pr, pi, true);
  return pr.subarray(0, outLen);
}
