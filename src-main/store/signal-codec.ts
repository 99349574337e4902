// Lossless codec for stored signal chunks: a predictor chosen per chunk — FLAC's fixed polynomial orders 0-4 or a
// quantised linear predictor (LPC) of up to 12 taps fitted to the chunk — then Rice codes with one parameter per
// partition (FLAC's residual coding), or the samples verbatim when coding would not make them smaller.
// Pure functions over typed arrays; bit-exact for every int16 and int32 value.
//
// Chunk layout (little-endian header, big-endian bit stream as in FLAC):
//   byte 0      codec id (CHUNK_CODEC_ID)
//   byte 1      bits 0-3: fixed order 0-4, VERBATIM, or (with bit 5) LPC order - 1; bit 4: samples are int32
//   bytes 2-5   sample count (uint32)
//   VERBATIM:   count samples, 2 or 4 bytes each
//   otherwise:  `order` warm-up samples (2 or 4 bytes each); LPC only: 1 byte shift, `order` int16 coefficients
//               (prediction = floor(sum of coefficient j x sample t-1-j / 2^shift)); then 1 byte log2 of the
//               partition size and, for each partition of the residuals: 5-bit Rice parameter k (ESCAPE: 6-bit
//               width w, then w-bit raw values), each residual zigzag-mapped to u and coded as (u >>> k) zeros,
//               a one, and the k low bits of u.

export const CHUNK_CODEC_ID = 1;
const VERBATIM = 15;
const INT32_FLAG = 16;
const LPC_FLAG = 32;
const MAX_LPC_ORDER = 12;
const HEADER_BYTES = 6;
const MAX_ORDER = 4;
/** Partitions hold 2^shift residuals, shift in [5, MAX_PARTITION_SHIFT]. */
const MAX_PARTITION_SHIFT = 16;
/** Smallest partition the encoder considers: below this the 5-bit parameter costs more than it saves. */
const MIN_PARTITION = 32;
const ESCAPE = 31;

export type ChunkSamples = Int16Array | Int32Array;

/** The codec id of a stored chunk, or undefined when the blob is not one of ours. */
export function chunkCodecId(blob: Uint8Array): number | undefined {
  return blob.length >= HEADER_BYTES ? blob[0] : undefined;
}

/**
 * Zigzag-mapped residuals of the fixed predictor of `order` over `x` (from sample `order` on) into `u`; false when
 * one does not fit in int32 (possible for int32 samples with extreme jumps: that order is then not a candidate).
 */
function fixedResiduals(x: ChunkSamples, order: number, u: Uint32Array): boolean {
  const n = x.length;
  let lo = 0;
  let hi = 0;
  // One loop per order: a switch inside the loop would cost more than the arithmetic.
  if (order === 0) {
    for (let i = 0; i < n; i++) {
      const r = x[i];
      u[i] = (r << 1) ^ (r >> 31);
    }
    return true;
  } else if (order === 1) {
    for (let i = 1; i < n; i++) {
      const r = x[i] - x[i - 1];
      if (r < lo) lo = r;
      else if (r > hi) hi = r;
      u[i - 1] = (r << 1) ^ (r >> 31);
    }
  } else if (order === 2) {
    for (let i = 2; i < n; i++) {
      const r = x[i] - 2 * x[i - 1] + x[i - 2];
      if (r < lo) lo = r;
      else if (r > hi) hi = r;
      u[i - 2] = (r << 1) ^ (r >> 31);
    }
  } else if (order === 3) {
    for (let i = 3; i < n; i++) {
      const r = x[i] - 3 * x[i - 1] + 3 * x[i - 2] - x[i - 3];
      if (r < lo) lo = r;
      else if (r > hi) hi = r;
      u[i - 3] = (r << 1) ^ (r >> 31);
    }
  } else {
    for (let i = 4; i < n; i++) {
      const r = x[i] - 4 * x[i - 1] + 6 * x[i - 2] - 4 * x[i - 3] + x[i - 4];
      if (r < lo) lo = r;
      else if (r > hi) hi = r;
      u[i - 4] = (r << 1) ^ (r >> 31);
    }
  }
  return lo >= -2147483648 && hi <= 2147483647;
}

/** Sum of |residual| per fixed order in one pass (FLAC's order estimate), as float sums so int32 input cannot overflow. */
function orderCosts(x: ChunkSamples): number[] {
  const n = x.length;
  if (n <= MAX_ORDER) return [0, 0, 0, 0, 0];
  // Locals rather than an array: the loop then keeps its sums in registers.
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0,
    s4 = 0;
  let a = x[3];
  const b = x[2],
    c = x[1],
    d = x[0];
  let e1 = a - b,
    e2 = e1 - (b - c),
    e3 = e2 - (b - c - (c - d));
  for (let i = MAX_ORDER; i < n; i++) {
    const v = x[i];
    const f1 = v - a;
    const f2 = f1 - e1;
    const f3 = f2 - e2;
    const f4 = f3 - e3;
    s0 += v < 0 ? -v : v;
    s1 += f1 < 0 ? -f1 : f1;
    s2 += f2 < 0 ? -f2 : f2;
    s3 += f3 < 0 ? -f3 : f3;
    s4 += f4 < 0 ? -f4 : f4;
    e1 = f1;
    e2 = f2;
    e3 = f3;
    a = v;
  }
  return [s0, s1, s2, s3, s4];
}

function bitWidth(u: number): number {
  return u === 0 ? 0 : 32 - Math.clz32(u);
}

interface PartitionPlan {
  /** log2 of the partition size. */
  shift: number;
  /** Rice parameter per partition, or ESCAPE. */
  params: Int8Array;
  /** Raw width per escaped partition. */
  widths: Int8Array;
  /**
   * Bits of the coded residuals, at most: sum(u >>> k) <= sum(u) / 2^k, so this bounds the exact count from above
   * (the output is sized by it) and is within a bit per residual of it.
   */
  bits: number;
}

/** Exact bits of partition [from, to) with Rice parameter k: the parameter field plus, per value, quotient + 1 + k. */
function riceBits(u: Uint32Array, from: number, to: number, k: number): number {
  let bits = 5 + (to - from) * (k + 1);
  for (let i = from; i < to; i++) bits += u[i] >>> k;
  return bits;
}

const INV_POW2 = Float64Array.from({ length: 32 }, (_, k) => 2 ** -k);

/** Best Rice parameter of a partition of `n` values summing to `sum` (FLAC's estimate); see estimatedBits. */
function estimateK(n: number, sum: number): number {
  if (n === 0) return 0;
  const mean = sum / n;
  // floor(log2(mean)) without Math.log2: the hot path of the partition search.
  const k0 = mean < 1 ? 0 : mean >= 2 ** 30 ? 30 : 31 - Math.clz32(mean);
  let bestK = 0;
  let bestBits = Infinity;
  for (let k = k0 > 0 ? k0 - 1 : 0, last = k0 < 30 ? k0 + 1 : 30; k <= last; k++) {
    const bits = estimatedBits(n, sum, k);
    if (bits < bestBits) {
      bestBits = bits;
      bestK = k;
    }
  }
  return bestK;
}

/** Estimated bits of `n` values summing to `sum` coded with Rice parameter k (each low bit set half the time). */
function estimatedBits(n: number, sum: number, k: number): number {
  const tail = sum * INV_POW2[k] - n / 2;
  return 5 + n * (k + 1) + (tail > 0 ? tail : 0);
}

let partitionSums = new Float64Array(0);

/**
 * Chooses the partition size (a power of two, so sums of small partitions add up to those of larger ones) and the
 * Rice parameters with the fewest estimated bits, escaping to raw values a partition whose Rice codes would be
 * longer (an extreme jump). Reads the residuals twice: once for the smallest partitions' sums, once for the maxima.
 */
function planPartitions(u: Uint32Array, n: number): PartitionPlan {
  const minShift = Math.log2(MIN_PARTITION);
  let count = Math.ceil(n / MIN_PARTITION);
  if (partitionSums.length < count) partitionSums = new Float64Array(count);
  const sums = partitionSums;
  for (let j = 0; j < count; j++) {
    let sum = 0;
    for (let i = j * MIN_PARTITION, e = Math.min(n, i + MIN_PARTITION); i < e; i++) sum += u[i];
    sums[j] = sum;
  }
  // Sums of the smallest partitions are merged pairwise in place, level by level.
  let bestShift = minShift;
  let bestBits = Infinity;
  for (let shift = minShift; ; shift++) {
    const size = 2 ** shift;
    let bits = 0;
    for (let j = 0; j < count; j++) {
      const m = Math.min(size, n - j * size);
      bits += estimatedBits(m, sums[j], estimateK(m, sums[j]));
    }
    if (bits < bestBits) {
      bestBits = bits;
      bestShift = shift;
    }
    if (count === 1 || shift >= MAX_PARTITION_SHIFT) break;
    const next = Math.ceil(count / 2);
    for (let j = 0; j < next; j++) sums[j] = sums[2 * j] + (2 * j + 1 < count ? sums[2 * j + 1] : 0);
    count = next;
  }
  const size = 2 ** bestShift;
  const parts = Math.ceil(n / size);
  const params = new Int8Array(parts);
  const widths = new Int8Array(parts);
  let bits = 0;
  for (let j = 0; j < parts; j++) {
    const from = j * size;
    const to = Math.min(n, from + size);
    let sum = 0;
    let max = 0;
    for (let i = from; i < to; i++) {
      const v = u[i];
      sum += v;
      if (v > max) max = v;
    }
    const k = estimateK(to - from, sum);
    const width = bitWidth(max);
    const escapeBits = 5 + 6 + (to - from) * width;
    const riceBound = 5 + (to - from) * (k + 1) + Math.floor(sum * INV_POW2[k]);
    // The bound decides unless it exceeds the escape; only then are the exact bits counted (an extreme jump).
    const rice = riceBound <= escapeBits ? riceBound : max * INV_POW2[k] > 1 << 16 ? Infinity : riceBits(u, from, to, k);
    if (rice <= escapeBits) {
      params[j] = k;
      bits += rice;
    } else {
      params[j] = ESCAPE;
      widths[j] = width;
      bits += escapeBits;
    }
  }
  return { shift: bestShift, params, widths, bits };
}

/** Exact coded bits of a plan over `n` residuals. */
function exactBits(u: Uint32Array, n: number, plan: PartitionPlan): number {
  const size = 2 ** plan.shift;
  let bits = 0;
  for (let j = 0, from = 0; from < n; j++, from += size) {
    const to = Math.min(n, from + size);
    bits += plan.params[j] === ESCAPE ? 5 + 6 + (to - from) * plan.widths[j] : riceBits(u, from, to, plan.params[j]);
  }
  return bits;
}

class BitWriter {
  /** Pending bits: the low `n` (< 8 between calls) bits of `acc`. */
  acc = 0;
  n = 0;
  pos: number;
  constructor(
    readonly bytes: Uint8Array,
    start: number,
  ) {
    this.pos = start;
  }
  /** Writes the low `count` (<= 24) bits of `v`. */
  bits(v: number, count: number): void {
    if (count === 0) return;
    this.acc = ((this.acc << count) | (v & ((1 << count) - 1))) >>> 0;
    this.n += count;
    while (this.n >= 8) {
      this.n -= 8;
      this.bytes[this.pos++] = (this.acc >>> this.n) & 0xff;
    }
  }
  wide(v: number, count: number): void {
    if (count > 24) {
      this.bits(Math.floor(v / 2 ** 16), count - 16);
      this.bits(v & 0xffff, 16);
    } else this.bits(v, count);
  }
  zeros(count: number): void {
    while (count >= 24) {
      this.bits(0, 24);
      count -= 24;
    }
    this.bits(0, count);
  }
  flush(): number {
    if (this.n > 0) this.bytes[this.pos++] = (this.acc << (8 - this.n)) & 0xff;
    this.n = 0;
    return this.pos;
  }
}

/**
 * Rice codes of u[from, to) with parameter k <= 16: quotient, stop bit and remainder as one code of up to 24 bits,
 * written with the writer's state held in locals (this loop is most of the encoder's time).
 */
function writeRice(w: BitWriter, u: Uint32Array, from: number, to: number, k: number): void {
  const out = w.bytes;
  const stop = 1 << k;
  const mask = stop - 1;
  let acc = w.acc;
  let nb = w.n;
  let pos = w.pos;
  for (let i = from; i < to; i++) {
    const v = u[i];
    const len = (v >>> k) + 1 + k;
    if (len <= 24) {
      acc = ((acc << len) | stop | (v & mask)) >>> 0;
      nb += len;
      while (nb >= 8) {
        nb -= 8;
        out[pos++] = (acc >>> nb) & 0xff;
      }
    } else {
      w.acc = acc;
      w.n = nb;
      w.pos = pos;
      w.zeros(v >>> k);
      w.bits(stop | (v & mask), 1 + k);
      acc = w.acc;
      nb = w.n;
      pos = w.pos;
    }
  }
  w.acc = acc;
  w.n = nb;
  w.pos = pos;
}

function writeSamples(view: DataView, at: number, x: ChunkSamples, from: number, to: number): number {
  if (x instanceof Int32Array) {
    for (let i = from; i < to; i++, at += 4) view.setInt32(at, x[i], true);
  } else {
    for (let i = from; i < to; i++, at += 2) view.setInt16(at, x[i], true);
  }
  return at;
}

function writeHeader(view: DataView, mode: number, wide: boolean, count: number): void {
  view.setUint8(0, CHUNK_CODEC_ID);
  view.setUint8(1, mode | (wide ? INT32_FLAG : 0));
  view.setUint32(2, count, true);
}

function verbatim(x: ChunkSamples): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + x.byteLength);
  const view = new DataView(out.buffer);
  writeHeader(view, VERBATIM, x instanceof Int32Array, x.length);
  writeSamples(view, HEADER_BYTES, x, 0, x.length);
  return out;
}

/** Coefficient precision (bits with sign): int16 sums then stay exact in int32, int32 ones in a double. */
const lpcPrecision = (wide: boolean): number => (wide ? 15 : 12);

interface LpcPredictor {
  order: number;
  shift: number;
  coefs: Int16Array;
  /** Estimated coded bits of the residuals (from the prediction error), to judge whether trying it can pay. */
  estimatedBits: number;
}

let lastWindow = new Float64Array(0);
let lastWindowPower = 0;

/** Tukey(0.5) window of `n` points (cosine tapers over the first and last quarter); the last one is kept for reuse. */
function tukeyWindow(n: number): Float64Array {
  if (lastWindow.length === n) return lastWindow;
  const w = new Float64Array(n);
  const taper = Math.floor(n / 4);
  let power = 0;
  for (let i = 0; i < n; i++) {
    const edge = Math.min(i, n - 1 - i);
    w[i] = edge < taper ? 0.5 - 0.5 * Math.cos((Math.PI * edge) / taper) : 1;
    power += w[i] * w[i];
  }
  lastWindow = w;
  lastWindowPower = power;
  return w;
}

let windowed = new Float64Array(0);

/** Autocorrelation of the windowed chunk at lags 0..maxOrder, four lags per pass over the samples. */
function autocorrelation(x: ChunkSamples, window: Float64Array, maxOrder: number): Float64Array {
  const n = x.length;
  if (windowed.length < n) windowed = new Float64Array(Math.max(n, 1 << 16));
  const w = windowed;
  for (let i = 0; i < n; i++) w[i] = x[i] * window[i];
  const r = new Float64Array(maxOrder + 1);
  let lag = 0;
  for (; lag + 3 <= maxOrder; lag += 4) {
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0;
    for (let i = lag; i < n; i++) {
      const v = w[i];
      s0 += v * w[i - lag];
      if (i > lag) s1 += v * w[i - lag - 1];
      if (i > lag + 1) s2 += v * w[i - lag - 2];
      if (i > lag + 2) s3 += v * w[i - lag - 3];
    }
    r[lag] = s0;
    r[lag + 1] = s1;
    r[lag + 2] = s2;
    r[lag + 3] = s3;
  }
  for (; lag <= maxOrder; lag++) {
    let sum = 0;
    for (let i = lag; i < n; i++) sum += w[i] * w[i - lag];
    r[lag] = sum;
  }
  return r;
}

/**
 * A linear predictor fitted to the chunk (autocorrelation of the Tukey(0.5)-windowed samples, Levinson-Durbin), at
 * the order with the fewest estimated bits, its coefficients quantised as FLAC does. Undefined when none helps.
 */
function fitLpc(x: ChunkSamples): LpcPredictor | undefined {
  const n = x.length;
  const maxOrder = Math.min(MAX_LPC_ORDER, n - 1);
  if (maxOrder < 1) return undefined;
  const window = tukeyWindow(n);
  const r = autocorrelation(x, window, maxOrder);
  if (!(r[0] > 0)) return undefined;
  // Levinson-Durbin: predictor a (x[t] ~ sum a[j] x[t-1-j]) and its error for every order.
  let a = new Float64Array(0);
  let err = r[0];
  let best: { order: number; a: Float64Array; bits: number; residualBits: number } | undefined;
  const sampleBits = x instanceof Int32Array ? 32 : 16;
  const precision = lpcPrecision(x instanceof Int32Array);
  for (let p = 1; p <= maxOrder; p++) {
    let acc = r[p];
    for (let j = 0; j < p - 1; j++) acc -= a[j] * r[p - 1 - j];
    const k = acc / err;
    const next = new Float64Array(p);
    for (let j = 0; j < p - 1; j++) next[j] = a[j] - k * a[p - 2 - j];
    next[p - 1] = k;
    a = next;
    err *= 1 - k * k;
    if (!(err > 0)) err = 1e-9;
    // Expected Rice bits per residual from the prediction error (FLAC's estimate), plus the order's own cost.
    const perSample = Math.max(0, 0.5 * Math.log2((err * 0.5) / n) + 1);
    const bits = (n - p) * perSample + p * (precision + sampleBits);
    if (!best || bits < best.bits) best = { order: p, a, bits, residualBits: 0 };
  }
  const { order } = best!;
  const coefs = best!.a;
  let cmax = 0;
  for (const c of coefs) cmax = Math.max(cmax, Math.abs(c));
  if (!(cmax > 0)) return undefined;
  const maxQ = 2 ** (precision - 1) - 1;
  const shift = Math.min(20, precision - 1 - (Math.floor(Math.log2(cmax)) + 1));
  if (shift < 0) return undefined;
  const q = new Int16Array(order);
  let carry = 0;
  for (let j = 0; j < order; j++) {
    carry += coefs[j] * 2 ** shift;
    const v = Math.max(-maxQ, Math.min(maxQ, Math.round(carry)));
    q[j] = v;
    carry -= v;
  }
  // The same estimate on the unwindowed scale (the window keeps lastWindowPower / n of the signal's power).
  const variance = Math.max(1e-9, (err * n) / lastWindowPower / n);
  return { order, shift, coefs: q, estimatedBits: laplaceRiceBits(n - order, Math.sqrt(variance / 2)) };
}

/** Expected Rice-coded bits of `n` Laplace residuals of mean |e| `meanAbs` (zigzag mean about 2 meanAbs). */
function laplaceRiceBits(n: number, meanAbs: number): number {
  const sum = n * Math.max(0, 2 * meanAbs - 0.5);
  return estimatedBits(n, sum, estimateK(n, sum));
}

/** Zigzag-mapped residuals of an LPC predictor into `u`; false when one does not fit in int32. */
function lpcResiduals(x: ChunkSamples, lpc: LpcPredictor, u: Uint32Array): boolean {
  const { order, coefs } = lpc;
  const n = x.length;
  if (x instanceof Int16Array) {
    // 12-bit coefficients times int16 samples, 12 at most: the sum stays within int32 and integer arithmetic is exact.
    const c = Int32Array.from(coefs);
    const shift = lpc.shift;
    for (let i = order; i < n; i++) {
      let sum = 0;
      for (let j = 0, t = i - 1; j < order; j++, t--) sum = (sum + c[j] * x[t]) | 0;
      const r = x[i] - (sum >> shift);
      u[i - order] = (r << 1) ^ (r >> 31);
    }
    return true;
  }
  const scale = 2 ** -lpc.shift;
  for (let i = order; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < order; j++) sum += coefs[j] * x[i - 1 - j];
    const r = x[i] - Math.floor(sum * scale);
    if (r > 2147483647 || r < -2147483648) return false;
    u[i - order] = (r << 1) ^ (r >> 31);
  }
  return true;
}

/** Residual and output buffers reused from chunk to chunk (one set per thread): encoding allocates only its result. */
let fixedU = new Uint32Array(0);
let lpcU = new Uint32Array(0);
let encoded = new Uint8Array(0);

/**
 * LPC is tried (its residuals computed and partitioned) only when its estimate beats the fixed predictor's by more
 * than this fraction: where the fixed orders already fit the signal, the attempt costs more than it saves.
 */
const LPC_TRY_MARGIN = 0.02;

/** Encodes one chunk of one lead: the predictor with the fewest bytes, never larger than verbatim plus the header. */
export function encodeChunk(x: ChunkSamples): Uint8Array {
  const n = x.length;
  const wide = x instanceof Int32Array;
  const sampleBytes = wide ? 4 : 2;
  if (n <= MAX_ORDER) return verbatim(x);
  if (fixedU.length < n) {
    fixedU = new Uint32Array(Math.max(n, 1 << 16));
    lpcU = new Uint32Array(fixedU.length);
  }
  const costs = orderCosts(x);
  const orders = [0, 1, 2, 3, 4].sort((a, b) => costs[a] - costs[b]);
  let u = fixedU;
  let order = -1;
  for (const o of orders) {
    if (fixedResiduals(x, o, u)) {
      order = o;
      break;
    }
  }
  let plan = order >= 0 ? planPartitions(u, n - order) : undefined;
  let size = plan ? HEADER_BYTES + order * sampleBytes + 1 + Math.ceil(plan.bits / 8) : Infinity;
  // An LPC predictor replaces the fixed one when its residuals plus its coefficients take fewer bytes.
  const fitted = fitLpc(x);
  let lpc: LpcPredictor | undefined;
  if (fitted && (!plan || fitted.estimatedBits + fitted.order * 16 < plan.bits * (1 - LPC_TRY_MARGIN))) {
    if (lpcResiduals(x, fitted, lpcU)) {
      const lplan = planPartitions(lpcU, n - fitted.order);
      // Both candidates counted exactly: the bounds differ by up to a bit per residual, as much as LPC may gain.
      if (plan) size = HEADER_BYTES + order * sampleBytes + 1 + Math.ceil(exactBits(u, n - order, plan) / 8);
      const lsize = HEADER_BYTES + fitted.order * (sampleBytes + 2) + 2 + Math.ceil(exactBits(lpcU, n - fitted.order, lplan) / 8);
      if (lsize < size) {
        lpc = fitted;
        u = lpcU;
        plan = lplan;
        size = lsize;
        order = fitted.order;
      }
    }
  }
  if (!plan || size >= HEADER_BYTES + x.byteLength) return verbatim(x);
  const m = n - order;
  // `size` bounds the coded size from above; the exact one is known once written.
  if (encoded.length < size) encoded = new Uint8Array(Math.max(size, 2 * encoded.length));
  const out = encoded;
  const view = new DataView(out.buffer);
  writeHeader(view, lpc ? LPC_FLAG | (order - 1) : order, wide, n);
  let at = writeSamples(view, HEADER_BYTES, x, 0, order);
  if (lpc) {
    out[at++] = lpc.shift;
    for (let j = 0; j < order; j++, at += 2) view.setInt16(at, lpc.coefs[j], true);
  }
  out[at++] = plan.shift;
  const w = new BitWriter(out, at);
  const psize = 2 ** plan.shift;
  const parts = Math.ceil(m / psize);
  for (let j = 0; j < parts; j++) {
    const from = j * psize;
    const to = Math.min(m, from + psize);
    const k = plan.params[j];
    w.bits(k, 5);
    if (k === ESCAPE) {
      const width = plan.widths[j];
      w.bits(width, 6);
      for (let i = from; i < to; i++) w.wide(u[i], width);
    } else if (k <= 16) {
      writeRice(w, u, from, to, k);
    } else {
      for (let i = from; i < to; i++) {
        const v = u[i];
        w.zeros(v >>> k);
        w.bits(1, 1);
        w.wide(v & (2 ** k - 1), k);
      }
    }
  }
  return out.slice(0, w.flush());
}

/** Sample count and type of an encoded chunk, from its header. */
export function chunkInfo(blob: Uint8Array): { count: number; sampleType: 'int16' | 'int32' } {
  if (blob.length < HEADER_BYTES || blob[0] !== CHUNK_CODEC_ID) throw new Error('not an encoded signal chunk');
  return {
    count: (blob[2] | (blob[3] << 8) | (blob[4] << 16) | (blob[5] << 24)) >>> 0,
    sampleType: blob[1] & INT32_FLAG ? 'int32' : 'int16',
  };
}

/**
 * Decodes the first `limit` samples (default all) of a chunk into `out` from `at` on; returns the count decoded.
 * `out` must be of the chunk's sample type. Throws on a malformed chunk rather than reading past its end.
 */
export function decodeChunkInto(chunk: Uint8Array, out: ChunkSamples, at = 0, limit = Infinity): number {
  // A plain view of the bytes: Buffers read from SQLite and the encoder's Uint8Arrays have different maps, and code
  // optimised on one was thrown away on meeting the other (src-main/store/signal-codec-warmup.ts decodes the latter).
  const blob = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const { count } = chunkInfo(blob);
  const mode = blob[1] & 15;
  const wide = (blob[1] & INT32_FLAG) !== 0;
  if (wide !== out instanceof Int32Array) throw new Error('signal chunk sample type does not match its lead');
  const n = Math.min(count, limit);
  if (at + n > out.length) throw new Error('signal chunk is longer than its place');
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const sampleBytes = wide ? 4 : 2;
  if (mode === VERBATIM) {
    if (blob.length < HEADER_BYTES + count * sampleBytes) throw new Error('signal chunk is truncated');
    if (!wide && (blob.byteOffset + HEADER_BYTES) % 2 === 0) {
      out.set(new Int16Array(blob.buffer, blob.byteOffset + HEADER_BYTES, n), at);
    } else if (wide && (blob.byteOffset + HEADER_BYTES) % 4 === 0) {
      out.set(new Int32Array(blob.buffer, blob.byteOffset + HEADER_BYTES, n), at);
    } else {
      for (let i = 0, p = HEADER_BYTES; i < n; i++, p += sampleBytes) out[at + i] = wide ? view.getInt32(p, true) : view.getInt16(p, true);
    }
    return n;
  }
  const isLpc = (blob[1] & LPC_FLAG) !== 0;
  const order = isLpc ? mode + 1 : mode;
  if ((isLpc ? order > MAX_LPC_ORDER : order > MAX_ORDER) || count <= order)
    throw new Error(`signal chunk has a bad predictor order ${order}`);
  let pos = HEADER_BYTES;
  if (blob.length < pos + order * (sampleBytes + (isLpc ? 2 : 0)) + (isLpc ? 2 : 1)) throw new Error('signal chunk is truncated');
  for (let i = 0; i < order; i++, pos += sampleBytes) {
    const v = wide ? view.getInt32(pos, true) : view.getInt16(pos, true);
    if (i < n) out[at + i] = v;
  }
  let lpcShift = 0;
  const coefs = new Float64Array(isLpc ? order : 0);
  if (isLpc) {
    lpcShift = blob[pos++];
    if (lpcShift > 20) throw new Error(`signal chunk has a bad LPC shift ${lpcShift}`);
    for (let j = 0; j < order; j++, pos += 2) coefs[j] = view.getInt16(pos, true);
  }
  const shift = blob[pos++];
  if (shift < 5 || shift > MAX_PARTITION_SHIFT) throw new Error(`signal chunk has a bad partition size 2^${shift}`);
  const m = count - order;
  const want = Math.max(0, n - order);
  const psize = 2 ** shift;
  const parts = Math.ceil(m / psize);
  const end = blob.length;
  // Bit reader state: `acc` holds `bits` unread bits left-aligned in 32. The refill loop is written out at each use on
  // purpose: folded into a closure, the captured state leaves registers and decoding took ~16 % longer (MIT-BIH
  // 100-105, 108 chunks, median of 16 alternated runs in one process, load 18: 797 vs 951 ms).
  let acc = 0;
  let bits = 0;
  let bp = pos;
  const rice = new Int32Array(want);
  let done = 0;
  for (let j = 0; j < parts && done < want; j++) {
    const from = j * psize;
    const to = Math.min(want, from + psize, m);
    // 5-bit parameter.
    while (bits <= 24) {
      acc = (acc | ((bp < end ? blob[bp] : 0) << (24 - bits))) >>> 0;
      bp++;
      bits += 8;
    }
    const k = acc >>> 27;
    acc = (acc << 5) >>> 0;
    bits -= 5;
    if (k === ESCAPE) {
      while (bits <= 24) {
        acc = (acc | ((bp < end ? blob[bp] : 0) << (24 - bits))) >>> 0;
        bp++;
        bits += 8;
      }
      const width = acc >>> 26;
      acc = (acc << 6) >>> 0;
      bits -= 6;
      if (width > 32) throw new Error('signal chunk has a bad escape width');
      for (let i = from; i < to; i++) {
        let v = 0;
        let need = width;
        while (need > 0) {
          while (bits <= 24) {
            acc = (acc | ((bp < end ? blob[bp] : 0) << (24 - bits))) >>> 0;
            bp++;
            bits += 8;
          }
          const take = need > 16 ? 16 : need;
          v = v * 2 ** take + (acc >>> (32 - take));
          acc = (acc << take) >>> 0;
          bits -= take;
          need -= take;
        }
        rice[i] = (v >>> 1) ^ -(v & 1);
      }
    } else {
      for (let i = from; i < to; i++) {
        if (bits <= 24) {
          do {
            acc = (acc | ((bp < end ? blob[bp] : 0) << (24 - bits))) >>> 0;
            bp++;
            bits += 8;
          } while (bits <= 24);
        }
        if (acc !== 0) {
          // Fast path: quotient, stop bit and remainder all in the bits at hand.
          const z0 = Math.clz32(acc);
          if (z0 + 1 + k <= bits) {
            const rest = ((acc << z0) << 1) >>> 0;
            const u = k === 0 ? z0 : ((z0 << k) | (rest >>> (32 - k))) >>> 0;
            acc = (rest << k) >>> 0;
            bits -= z0 + 1 + k;
            rice[i] = (u >>> 1) ^ -(u & 1);
            continue;
          }
        }
        // Unary quotient: count zeros up to the next one.
        let q = 0;
        for (;;) {
          while (bits <= 24) {
            acc = (acc | ((bp < end ? blob[bp] : 0) << (24 - bits))) >>> 0;
            bp++;
            bits += 8;
          }
          if (acc !== 0) break;
          q += bits;
          bits = 0;
          if (bp > end + 4) throw new Error('signal chunk is truncated');
        }
        const z = Math.clz32(acc);
        q += z;
        acc = ((acc << z) << 1) >>> 0;
        bits -= z + 1;
        let v: number;
        if (k === 0) v = q;
        else {
          let low = 0;
          let need = k;
          while (need > 0) {
            while (bits <= 24) {
              acc = (acc | ((bp < end ? blob[bp] : 0) << (24 - bits))) >>> 0;
              bp++;
              bits += 8;
            }
            const take = need > 16 ? 16 : need;
            low = low * 2 ** take + (acc >>> (32 - take));
            acc = (acc << take) >>> 0;
            bits -= take;
            need -= take;
          }
          v = q * 2 ** k + low;
        }
        rice[i] = (v >>> 1) ^ -(v & 1);
      }
    }
    done = to;
    if (bp - Math.ceil(bits / 8) > end) throw new Error('signal chunk is truncated');
  }
  // Undo the predictor.
  const o = at;
  if (isLpc) {
    if (out instanceof Int16Array) undoLpc16(out, o, n, rice, coefs, lpcShift);
    else undoLpc32(out, o, n, rice, coefs, lpcShift);
    return n;
  }
  switch (order) {
    case 0:
      for (let i = 0; i < want; i++) out[o + i] = rice[i];
      break;
    case 1:
      for (let i = 1; i < n; i++) out[o + i] = rice[i - 1] + out[o + i - 1];
      break;
    case 2:
      for (let i = 2; i < n; i++) out[o + i] = rice[i - 2] + 2 * out[o + i - 1] - out[o + i - 2];
      break;
    case 3:
      for (let i = 3; i < n; i++) out[o + i] = rice[i - 3] + 3 * out[o + i - 1] - 3 * out[o + i - 2] + out[o + i - 3];
      break;
    default:
      for (let i = 4; i < n; i++) out[o + i] = rice[i - 4] + 4 * out[o + i - 1] - 6 * out[o + i - 2] + 4 * out[o + i - 3] - out[o + i - 4];
  }
  return n;
}

/**
 * out[o + i] = residual + floor(sum of coefs[j] out[o + i - 1 - j] / 2^shift) for i >= order. For int16 samples the
 * encoder's 12-bit coefficients keep every sum within int32, so integer arithmetic is exact (and fast).
 */
function undoLpc16(out: Int16Array, o: number, n: number, rice: Int32Array, coefs: Float64Array, shift: number): void {
  const order = coefs.length;
  const c = Int32Array.from(coefs);
  for (let i = order; i < n; i++) {
    let sum = 0;
    for (let j = 0, t = o + i - 1; j < order; j++, t--) sum = (sum + c[j] * out[t]) | 0;
    out[o + i] = rice[i - order] + (sum >> shift);
  }
}

function undoLpc32(out: Int32Array, o: number, n: number, rice: Int32Array, coefs: Float64Array, shift: number): void {
  const order = coefs.length;
  const scale = 2 ** -shift;
  for (let i = order; i < n; i++) {
    let sum = 0;
    for (let j = 0, t = o + i - 1; j < order; j++, t--) sum += coefs[j] * out[t];
    out[o + i] = rice[i - order] + Math.floor(sum * scale);
  }
}

/** Decodes a whole chunk into a new array of its sample type. */
export function decodeChunk(blob: Uint8Array): ChunkSamples {
  const { count, sampleType } = chunkInfo(blob);
  const out = sampleType === 'int32' ? new Int32Array(count) : new Int16Array(count);
  decodeChunkInto(blob, out);
  return out;
}
