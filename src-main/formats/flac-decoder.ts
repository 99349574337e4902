// FLAC stream decoder (RFC 9639), as WFDB signal formats 508/516/524 store signals: STREAMINFO, frames with
// constant / verbatim / fixed / LPC subframes, wasted bits, Rice-coded residual partitions (with escapes) and the
// inter-channel decorrelation modes. Frame CRCs are checked, so a corrupted stream is refused with a reason rather
// than decoded to wrong samples. Pure function over bytes; every loop is bounded by the input length.
import { FormatError } from './format-error.ts';

export interface FlacStream {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** Samples per channel (from STREAMINFO when it says, else the decoded count). */
  samples: number;
  /** One array per channel: Int16Array for up to 16 bits per sample, else Int32Array. */
  channelData: (Int16Array | Int32Array)[];
}

class BitReader {
  pos = 0; // bit position
  constructor(
    private readonly bytes: Uint8Array,
    private readonly where: string,
  ) {}

  get bytePos(): number {
    return this.pos >>> 3;
  }

  private fail(): never {
    throw new FormatError(`${this.where}: FLAC stream is truncated`);
  }

  /** Unsigned value of `n` <= 32 bits. */
  read(n: number): number {
    if (n === 0) return 0;
    if (this.pos + n > this.bytes.length * 8) this.fail();
    let v = 0;
    let left = n;
    while (left > 0) {
      const byte = this.bytes[this.pos >>> 3];
      const bitInByte = this.pos & 7;
      const avail = 8 - bitInByte;
      const take = avail < left ? avail : left;
      const bits = (byte >>> (avail - take)) & ((1 << take) - 1);
      v = v * (1 << take) + bits;
      this.pos += take;
      left -= take;
    }
    return v;
  }

  signed(n: number): number {
    if (n === 0) return 0;
    const v = this.read(n);
    return v >= 2 ** (n - 1) ? v - 2 ** n : v;
  }

  /** Count of zero bits before the next one bit (which is consumed). */
  unary(): number {
    const bytes = this.bytes;
    const end = bytes.length * 8;
    let q = 0;
    // Bitwise up to a byte boundary, then whole zero bytes at a time.
    for (;;) {
      if (this.pos >= end) this.fail();
      if ((this.pos & 7) === 0) {
        const byte = bytes[this.pos >>> 3];
        if (byte === 0) {
          q += 8;
          this.pos += 8;
          continue;
        }
        const z = Math.clz32(byte) - 24;
        this.pos += z + 1;
        return q + z;
      }
      const bit = (bytes[this.pos >>> 3] >>> (7 - (this.pos & 7))) & 1;
      this.pos++;
      if (bit) return q;
      q++;
    }
  }

  align(): void {
    this.pos = (this.pos + 7) & ~7;
  }
}

const CRC8 = new Uint8Array(256);
const CRC16 = new Uint16Array(256);
for (let i = 0; i < 256; i++) {
  let c = i;
  for (let k = 0; k < 8; k++) c = c & 0x80 ? ((c << 1) ^ 0x07) & 0xff : (c << 1) & 0xff;
  CRC8[i] = c;
  let d = i << 8;
  for (let k = 0; k < 8; k++) d = d & 0x8000 ? ((d << 1) ^ 0x8005) & 0xffff : (d << 1) & 0xffff;
  CRC16[i] = d;
}
function crc8(b: Uint8Array, from: number, to: number): number {
  let c = 0;
  for (let i = from; i < to; i++) c = CRC8[c ^ b[i]];
  return c;
}
function crc16(b: Uint8Array, from: number, to: number): number {
  let c = 0;
  for (let i = from; i < to; i++) c = ((c << 8) & 0xffff) ^ CRC16[(c >>> 8) ^ b[i]];
  return c;
}

interface StreamInfo {
  maxBlockSize: number;
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  totalSamples: number;
}

function readMetadata(bytes: Uint8Array, where: string): { info: StreamInfo; framesAt: number } {
  if (bytes.length < 4 || bytes[0] !== 0x66 || bytes[1] !== 0x4c || bytes[2] !== 0x61 || bytes[3] !== 0x43) {
    throw new FormatError(`${where}: not a FLAC stream (no 'fLaC' marker)`);
  }
  let at = 4;
  let info: StreamInfo | undefined;
  for (let last = false; !last;) {
    if (at + 4 > bytes.length) throw new FormatError(`${where}: FLAC metadata is truncated`);
    last = (bytes[at] & 0x80) !== 0;
    const type = bytes[at] & 0x7f;
    const len = (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];
    at += 4;
    if (at + len > bytes.length) throw new FormatError(`${where}: FLAC metadata block ${type} runs past the end of the file`);
    if (type === 0) {
      if (len < 34) throw new FormatError(`${where}: FLAC STREAMINFO is ${len} bytes, 34 needed`);
      const r = new BitReader(bytes.subarray(at, at + 34), where);
      r.read(16); // min block size
      const maxBlockSize = r.read(16);
      r.read(24);
      r.read(24);
      const sampleRate = r.read(20);
      const channels = r.read(3) + 1;
      const bitsPerSample = r.read(5) + 1;
      const totalSamples = r.read(36);
      info = { maxBlockSize, sampleRate, channels, bitsPerSample, totalSamples };
    } else if (type === 127) {
      throw new FormatError(`${where}: FLAC metadata block type 127 is invalid`);
    }
    at += len;
  }
  if (!info) throw new FormatError(`${where}: FLAC stream has no STREAMINFO block`);
  if (info.bitsPerSample < 4 || info.bitsPerSample > 32)
    throw new FormatError(`${where}: FLAC STREAMINFO says ${info.bitsPerSample} bits per sample`);
  return { info, framesAt: at };
}

const BLOCK_SIZES = [0, 192, 576, 1152, 2304, 4608, -8, -16, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768];
const SAMPLE_SIZES = [0, 8, 12, -1, 16, 20, 24, 32];

function readResidual(r: BitReader, out: Float64Array | Int32Array, blockSize: number, order: number, where: string): void {
  const method = r.read(2);
  if (method > 1) throw new FormatError(`${where}: FLAC residual coding method ${method} is reserved`);
  const paramBits = method === 0 ? 4 : 5;
  const escape = method === 0 ? 15 : 31;
  const partitionOrder = r.read(4);
  const partitions = 1 << partitionOrder;
  const size = blockSize >> partitionOrder;
  if (size << partitionOrder !== blockSize || size < order)
    throw new FormatError(`${where}: FLAC partition order ${partitionOrder} does not fit block size ${blockSize}`);
  let i = order;
  for (let p = 0; p < partitions; p++) {
    const n = p === 0 ? size - order : size;
    const k = r.read(paramBits);
    if (k === escape) {
      const bits = r.read(5);
      for (let j = 0; j < n; j++) out[i++] = r.signed(bits);
    } else {
      for (let j = 0; j < n; j++) {
        const u = r.unary() * 2 ** k + r.read(k);
        out[i++] = u % 2 === 1 ? -(u + 1) / 2 : u / 2;
      }
    }
  }
}

const FIXED = [[], [1], [2, -1], [3, -3, 1], [4, -6, 4, -1]];

/** One subframe of `blockSize` samples of `bps` bits into `out` (float so side channels and LPC sums stay exact). */
function readSubframe(r: BitReader, out: Float64Array, blockSize: number, bps: number, where: string): void {
  if (r.read(1) !== 0) throw new FormatError(`${where}: FLAC subframe padding bit is set`);
  const type = r.read(6);
  let wasted = 0;
  if (r.read(1)) wasted = r.unary() + 1;
  if (wasted >= bps) throw new FormatError(`${where}: FLAC subframe wastes ${wasted} of ${bps} bits`);
  const bits = bps - wasted;
  if (type === 0) {
    out.fill(r.signed(bits), 0, blockSize);
  } else if (type === 1) {
    for (let i = 0; i < blockSize; i++) out[i] = r.signed(bits);
  } else if (type >= 8 && type <= 12) {
    const order = type - 8;
    if (order > blockSize) throw new FormatError(`${where}: FLAC fixed order ${order} exceeds block size ${blockSize}`);
    for (let i = 0; i < order; i++) out[i] = r.signed(bits);
    readResidual(r, out, blockSize, order, where);
    const c = FIXED[order];
    for (let i = order; i < blockSize; i++) {
      let pred = 0;
      for (let j = 0; j < order; j++) pred += c[j] * out[i - 1 - j];
      out[i] += pred;
    }
  } else if (type >= 32) {
    const order = type - 31;
    if (order > blockSize) throw new FormatError(`${where}: FLAC LPC order ${order} exceeds block size ${blockSize}`);
    for (let i = 0; i < order; i++) out[i] = r.signed(bits);
    const precision = r.read(4) + 1;
    if (precision === 16) throw new FormatError(`${where}: FLAC LPC coefficient precision is invalid`);
    const shift = r.signed(5);
    if (shift < 0) throw new FormatError(`${where}: FLAC LPC shift ${shift} is negative`);
    const coefs = new Float64Array(order);
    for (let j = 0; j < order; j++) coefs[j] = r.signed(precision);
    readResidual(r, out, blockSize, order, where);
    const div = 2 ** shift;
    for (let i = order; i < blockSize; i++) {
      let sum = 0;
      for (let j = 0; j < order; j++) sum += coefs[j] * out[i - 1 - j];
      out[i] += Math.floor(sum / div);
    }
  } else {
    throw new FormatError(`${where}: FLAC subframe type ${type} is reserved`);
  }
  if (wasted) for (let i = 0; i < blockSize; i++) out[i] *= 2 ** wasted;
}

/** Decodes a whole FLAC stream. Throws FormatError with a one-line reason on anything malformed. */
export function decodeFlac(bytes: Uint8Array, where: string): FlacStream {
  const { info, framesAt } = readMetadata(bytes, where);
  const { channels, bitsPerSample } = info;
  const wide = bitsPerSample > 16;
  // Grows by doubling when STREAMINFO does not give the total.
  let capacity = info.totalSamples > 0 ? info.totalSamples : Math.max(info.maxBlockSize, 4096);
  if (capacity > 2 ** 31) throw new FormatError(`${where}: FLAC stream claims ${info.totalSamples} samples`);
  let data = Array.from({ length: channels }, () => (wide ? new Int32Array(capacity) : new Int16Array(capacity)));
  let n = 0;
  const r = new BitReader(bytes, where);
  r.pos = framesAt * 8;
  const sub: Float64Array[] = Array.from({ length: channels }, () => new Float64Array(Math.max(1, info.maxBlockSize)));
  while (r.bytePos < bytes.length) {
    if (info.totalSamples > 0 && n >= info.totalSamples) break; // trailing bytes (e.g. an ID3 tag) are not frames
    const frameStart = r.bytePos;
    if (bytes.length - frameStart < 2) break;
    const sync = r.read(15);
    if (sync !== 0x7ffc) throw new FormatError(`${where}: FLAC frame ${n ? `after sample ${n}` : '1'} has no sync code`);
    r.read(1); // blocking strategy
    const bsCode = r.read(4);
    const srCode = r.read(4);
    const chCode = r.read(4);
    const ssCode = r.read(3);
    r.read(1);
    // Frame or sample number, UTF-8-like coded: its length is in the first byte's leading ones.
    const first = r.read(8);
    const extra = first < 0x80 ? 0 : first >= 0xfe ? 6 : Math.clz32(~(first << 24)) - 1;
    if (first >= 0x80 && extra < 1) throw new FormatError(`${where}: FLAC frame number is malformed`);
    for (let k = 0; k < extra; k++) r.read(8);
    let blockSize = BLOCK_SIZES[bsCode];
    if (blockSize === -8) blockSize = r.read(8) + 1;
    else if (blockSize === -16) blockSize = r.read(16) + 1;
    if (blockSize === 0) throw new FormatError(`${where}: FLAC block size code 0 is reserved`);
    if (srCode === 12) r.read(8);
    else if (srCode === 13 || srCode === 14) r.read(16);
    else if (srCode === 15) throw new FormatError(`${where}: FLAC sample rate code 15 is invalid`);
    const crc = r.read(8);
    if (crc8(bytes, frameStart, r.bytePos - 1) !== crc) throw new FormatError(`${where}: FLAC frame header CRC mismatch after sample ${n}`);
    const bps = ssCode === 0 ? bitsPerSample : SAMPLE_SIZES[ssCode];
    if (bps !== bitsPerSample) throw new FormatError(`${where}: FLAC frame has ${bps} bits per sample, STREAMINFO ${bitsPerSample}`);
    const frameChannels = chCode < 8 ? chCode + 1 : chCode <= 10 ? 2 : 0;
    if (frameChannels !== channels)
      throw new FormatError(`${where}: FLAC frame channel assignment ${chCode} does not match ${channels} channels`);
    if (blockSize > sub[0].length) for (let c = 0; c < channels; c++) sub[c] = new Float64Array(blockSize);
    for (let c = 0; c < channels; c++) {
      // The side channel of a stereo decorrelation carries one bit more.
      const side = (chCode === 8 && c === 1) || (chCode === 9 && c === 0) || (chCode === 10 && c === 1);
      readSubframe(r, sub[c], blockSize, bps + (side ? 1 : 0), where);
    }
    r.align();
    const footer = r.read(16);
    if (crc16(bytes, frameStart, r.bytePos - 2) !== footer) throw new FormatError(`${where}: FLAC frame CRC mismatch after sample ${n}`);
    if (n + blockSize > capacity) {
      if (info.totalSamples > 0) throw new FormatError(`${where}: FLAC stream holds more samples than STREAMINFO's ${info.totalSamples}`);
      capacity = Math.max(2 * capacity, n + blockSize);
      data = data.map((d) => {
        const grown = wide ? new Int32Array(capacity) : new Int16Array(capacity);
        grown.set(d);
        return grown;
      });
    }
    const [a, b] = sub;
    for (let i = 0; i < blockSize; i++) {
      if (chCode === 8)
        b[i] = a[i] - b[i]; // left/side
      else if (chCode === 9)
        a[i] = a[i] + b[i]; // side/right
      else if (chCode === 10) {
        const mid = a[i] * 2 + (b[i] & 1);
        const s = b[i];
        a[i] = Math.floor((mid + s) / 2);
        b[i] = Math.floor((mid - s) / 2);
      }
    }
    for (let c = 0; c < channels; c++) data[c].set(sub[c].subarray(0, blockSize), n);
    n += blockSize;
  }
  if (info.totalSamples > 0 && n < info.totalSamples) {
    throw new FormatError(`${where}: FLAC stream is truncated: ${n} of ${info.totalSamples} samples`);
  }
  return { sampleRate: info.sampleRate, channels, bitsPerSample, samples: n, channelData: data.map((d) => d.subarray(0, n)) };
}
