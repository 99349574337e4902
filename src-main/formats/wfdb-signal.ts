// Decoders for WFDB signal files: raw bytes -> one digital array per signal.
// Spec: https://physionet.org/physiotools/wag/signal-5.htm
import { decodeFlac } from './flac-decoder.ts';
import { FormatError } from './format-error.ts';
import { FLAC_FORMATS } from './wfdb-header.ts';

export type DigitalArray = Int16Array | Int32Array;

/** The signals stored together in one file, in frame order. */
export interface SignalFileLayout {
  format: number;
  /** Samples per frame of each signal in the file. */
  samplesPerFrame: number[];
  /** Initial values (format 8 stores first differences from these). */
  initialValues: number[];
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Bytes needed to hold `n` samples of `format` (a trailing partial group counts its used bytes). */
export function bytesForSamples(format: number, n: number): number {
  switch (format) {
    case 8:
    case 80:
      return n;
    case 16:
    case 61:
    case 160:
      return 2 * n;
    case 24:
      return 3 * n;
    case 32:
      return 4 * n;
    case 212:
      return 3 * Math.floor(n / 2) + (n % 2 ? 2 : 0);
    case 310:
      return 4 * Math.floor(n / 3) + [0, 2, 4][n % 3];
    case 311:
      return 4 * Math.floor(n / 3) + [0, 2, 3][n % 3];
    default:
      throw new FormatError(`WFDB signal format ${format} is not supported`);
  }
}

/** Whole samples of `format` held in `nBytes`. */
export function samplesInBytes(format: number, nBytes: number): number {
  switch (format) {
    case 8:
    case 80:
      return nBytes;
    case 16:
    case 61:
    case 160:
      return Math.floor(nBytes / 2);
    case 24:
      return Math.floor(nBytes / 3);
    case 32:
      return Math.floor(nBytes / 4);
    case 212:
      return 2 * Math.floor(nBytes / 3) + (nBytes % 3 >= 2 ? 1 : 0);
    case 310:
      return 3 * Math.floor(nBytes / 4) + [0, 0, 1, 1][nBytes % 4];
    case 311:
      return 3 * Math.floor(nBytes / 4) + [0, 0, 1, 2][nBytes % 4];
    default:
      throw new FormatError(`WFDB signal format ${format} is not supported`);
  }
}

/** Reject formats this project cannot decode, with a one-line reason. */
export function assertDecodable(format: number, where: string): void {
  if (FLAC_FORMATS.has(format)) return;
  try {
    bytesForSamples(format, 0);
  } catch (e) {
    throw new FormatError(`${where}: ${(e as Error).message}`);
  }
}

/**
 * A FLAC-compressed WFDB signal file (formats 508/516/524): one FLAC channel per signal, in header order, each holding
 * all of its signal's samples (so the signals of one file share their samples per frame), 8/16/24 bits per sample.
 * Returns one array per signal: Int16Array for 508/516, Int32Array for 524.
 */
export function decodeFlacSignalFile(bytes: Uint8Array, format: number, samplesPerFrame: number[], where: string): DigitalArray[] {
  const spf = samplesPerFrame[0];
  if (samplesPerFrame.some((n) => n !== spf)) {
    throw new FormatError(
      `${where}: signals of one FLAC signal file must share their samples per frame, got ${samplesPerFrame.join(', ')}`,
    );
  }
  const flac = decodeFlac(bytes, where);
  const bits = format - 500;
  if (flac.bitsPerSample !== bits)
    throw new FormatError(`${where}: FLAC stream has ${flac.bitsPerSample} bits per sample, format ${format} needs ${bits}`);
  if (flac.channels !== samplesPerFrame.length) {
    throw new FormatError(`${where}: FLAC stream has ${flac.channels} channels for ${samplesPerFrame.length} signals`);
  }
  return flac.channelData;
}

/** Decode `n` samples from `bytes` into one interleaved stream. */
function decodeStream(bytes: Uint8Array, format: number, n: number): Int16Array | Int32Array {
  switch (format) {
    case 16: {
      if (LITTLE_ENDIAN && bytes.byteOffset % 2 === 0) return new Int16Array(bytes.buffer, bytes.byteOffset, n);
      const out = new Int16Array(n);
      for (let i = 0, j = 0; i < n; i++, j += 2) out[i] = bytes[j] | (bytes[j + 1] << 8);
      return out;
    }
    case 212: {
      const out = new Int16Array(n);
      const pairs = n >> 1;
      for (let i = 0, j = 0; i < 2 * pairs; i += 2, j += 3) {
        const mid = bytes[j + 1];
        out[i] = ((bytes[j] | ((mid & 0x0f) << 8)) << 20) >> 20;
        out[i + 1] = ((bytes[j + 2] | ((mid & 0xf0) << 4)) << 20) >> 20;
      }
      if (n % 2) {
        const j = 3 * pairs;
        out[n - 1] = ((bytes[j] | ((bytes[j + 1] & 0x0f) << 8)) << 20) >> 20;
      }
      return out;
    }
    case 8: {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = (bytes[i] << 24) >> 24;
      return out;
    }
    case 80: {
      const out = new Int16Array(n);
      for (let i = 0; i < n; i++) out[i] = bytes[i] - 128;
      return out;
    }
    case 61: {
      const out = new Int16Array(n);
      for (let i = 0, j = 0; i < n; i++, j += 2) out[i] = (bytes[j] << 8) | bytes[j + 1];
      return out;
    }
    case 160: {
      const out = new Int16Array(n);
      for (let i = 0, j = 0; i < n; i++, j += 2) out[i] = (bytes[j] | (bytes[j + 1] << 8)) - 32768;
      return out;
    }
    case 24: {
      const out = new Int32Array(n);
      for (let i = 0, j = 0; i < n; i++, j += 3) out[i] = ((bytes[j] | (bytes[j + 1] << 8) | (bytes[j + 2] << 16)) << 8) >> 8;
      return out;
    }
    case 32: {
      const out = new Int32Array(n);
      for (let i = 0, j = 0; i < n; i++, j += 4) out[i] = bytes[j] | (bytes[j + 1] << 8) | (bytes[j + 2] << 16) | (bytes[j + 3] << 24);
      return out;
    }
    case 310: {
      // Per 4 bytes: sample 0 = bits 1-10 of the first LE 16-bit word, sample 1 = bits 1-10 of the
      // second, sample 2 = bits 11-15 of the first (low part) and of the second (high part).
      const out = new Int16Array(n);
      const at = (k: number): number => (k < bytes.length ? bytes[k] : 0);
      for (let i = 0, j = 0; i < n; i += 3, j += 4) {
        const w0 = at(j) | (at(j + 1) << 8);
        const w1 = at(j + 2) | (at(j + 3) << 8);
        out[i] = (((w0 >> 1) & 0x3ff) << 22) >> 22;
        if (i + 1 < n) out[i + 1] = (((w1 >> 1) & 0x3ff) << 22) >> 22;
        if (i + 2 < n) out[i + 2] = ((((w0 >> 11) & 0x1f) | (((w1 >> 11) & 0x1f) << 5)) << 22) >> 22;
      }
      return out;
    }
    case 311: {
      // Per 4 bytes (one LE 32-bit word): samples in bits 0-9, 10-19, 20-29.
      const out = new Int16Array(n);
      const at = (k: number): number => (k < bytes.length ? bytes[k] : 0);
      for (let i = 0, j = 0; i < n; i += 3, j += 4) {
        const w = at(j) | (at(j + 1) << 8) | (at(j + 2) << 16) | (at(j + 3) << 24);
        out[i] = ((w & 0x3ff) << 22) >> 22;
        if (i + 1 < n) out[i + 1] = (((w >>> 10) & 0x3ff) << 22) >> 22;
        if (i + 2 < n) out[i + 2] = (((w >>> 20) & 0x3ff) << 22) >> 22;
      }
      return out;
    }
    default:
      throw new FormatError(`WFDB signal format ${format} is not supported`);
  }
}

/** Fast path: format 212, one sample per frame per signal, an even number of signals (pairs never straddle frames). */
function decode212Frames(bytes: Uint8Array, nsig: number, frames: number): Int16Array[] {
  const out: Int16Array[] = [];
  for (let s = 0; s < nsig; s++) out.push(new Int16Array(frames));
  const stride = (3 * nsig) / 2;
  for (let s = 0; s < nsig; s += 2) {
    const a = out[s];
    const b = out[s + 1];
    for (let f = 0, j = (3 * s) / 2; f < frames; f++, j += stride) {
      const mid = bytes[j + 1];
      a[f] = ((bytes[j] | ((mid & 0x0f) << 8)) << 20) >> 20;
      b[f] = ((bytes[j + 2] | ((mid & 0xf0) << 4)) << 20) >> 20;
    }
  }
  return out;
}

/** Frames deinterleaved per pass: a block small enough to stay in cache while every signal takes its samples. */
const DEINTERLEAVE_FRAMES = 4096;

/**
 * Format 16 frames (one sample per signal per frame) from `bytes` into `out[s]` from frame `at` on, adding each
 * signal's samples to `sums[s]` (mod 2^32, as checksum16 does) while they are in cache.
 * Works block by block so the source is read from cache once rather than once per signal from memory.
 */
export function deinterleave16(bytes: Uint8Array, out: Int16Array[], at: number, sums: Int32Array): void {
  const nsig = out.length;
  const frames = Math.floor(bytes.length / (2 * nsig));
  const viewable = LITTLE_ENDIAN && bytes.byteOffset % 2 === 0;
  const view = viewable ? new Int16Array(bytes.buffer, bytes.byteOffset, frames * nsig) : undefined;
  for (let f0 = 0; f0 < frames; f0 += DEINTERLEAVE_FRAMES) {
    const f1 = Math.min(frames, f0 + DEINTERLEAVE_FRAMES);
    for (let s = 0; s < nsig; s++) {
      const o = out[s];
      let sum = sums[s];
      if (view) {
        for (let i = at + f0, e = at + f1, j = f0 * nsig + s; i < e; i++, j += nsig) sum = (sum + (o[i] = view[j])) | 0;
      } else {
        for (let i = at + f0, e = at + f1, j = 2 * (f0 * nsig + s); i < e; i++, j += 2 * nsig)
          sum = (sum + (o[i] = ((bytes[j] | (bytes[j + 1] << 8)) << 16) >> 16)) | 0;
      }
      sums[s] = sum;
    }
  }
}

/** Fast path: format 16, one sample per frame per signal. */
function decode16Frames(bytes: Uint8Array, nsig: number, frames: number): Int16Array[] {
  const out: Int16Array[] = [];
  for (let s = 0; s < nsig; s++) out.push(new Int16Array(frames));
  deinterleave16(bytes.subarray(0, 2 * nsig * frames), out, 0, new Int32Array(nsig));
  return out;
}

function narrowIfFits(a: Int32Array): DigitalArray {
  for (let i = 0; i < a.length; i++) if (a[i] < -32768 || a[i] > 32767) return a;
  return Int16Array.from(a);
}

/**
 * Decode `frames` frames of one signal file (bytes start at the file's byte offset) into one
 * array per signal, each `frames * samplesPerFrame` long. Throws FormatError when the file is short.
 */
export function decodeSignalFile(bytes: Uint8Array, layout: SignalFileLayout, frames: number, where: string): DigitalArray[] {
  const { format, samplesPerFrame } = layout;
  assertDecodable(format, where);
  const nsig = samplesPerFrame.length;
  const frameSize = samplesPerFrame.reduce((a, b) => a + b, 0);
  const total = frames * frameSize;
  const need = bytesForSamples(format, total);
  if (bytes.length < need) {
    throw new FormatError(`${where}: signal file is truncated: ${bytes.length} bytes, ${need} needed for ${frames} frames`);
  }
  if (frameSize === nsig && format === 212 && nsig % 2 === 0) return decode212Frames(bytes, nsig, frames);
  if (frameSize === nsig && format === 16) return decode16Frames(bytes, nsig, frames);
  const stream = decodeStream(bytes, format, total);
  const wide = format === 24 || format === 32 || format === 8;
  const out: (Int16Array | Int32Array)[] = samplesPerFrame.map((spf) =>
    wide ? new Int32Array(frames * spf) : new Int16Array(frames * spf),
  );
  if (frameSize === nsig) {
    for (let s = 0; s < nsig; s++) {
      const o = out[s];
      for (let f = 0, j = s; f < frames; f++, j += nsig) o[f] = stream[j];
    }
  } else {
    let pos = 0;
    for (let s = 0; s < nsig; s++) {
      const o = out[s];
      const spf = samplesPerFrame[s];
      for (let f = 0; f < frames; f++) {
        const src = f * frameSize + pos;
        const dst = f * spf;
        for (let k = 0; k < spf; k++) o[dst + k] = stream[src + k];
      }
      pos += spf;
    }
  }
  if (format === 8) {
    return out.map((d, s) => {
      let v = layout.initialValues[s] ?? 0;
      for (let i = 0; i < d.length; i++) d[i] = v += d[i];
      return narrowIfFits(d as Int32Array);
    });
  }
  return out;
}

/** Low 16 bits of the sum of all samples, as WFDB headers store it (compared modulo 2^16). */
export function checksum16(d: DigitalArray): number {
  let sum = 0;
  for (let i = 0; i < d.length; i++) sum = (sum + d[i]) | 0;
  return sum & 0xffff;
}
