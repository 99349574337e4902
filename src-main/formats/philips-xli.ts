// Philips XLI waveform compression (SierraECG XML `parsedwaveforms`), decoded from the format's
// published description (sierra-ecg-tools wiki): one chunk per lead, each an 8-byte header
// (int32 LE compressed size, int16 unused, int16 LE first delta) then LZW with 10-bit MSB-first
// codes (256 literal codes, no clear code, 1023 ends the stream, the table stops growing at 1022).
// The output bytes are the high bytes of all 16-bit values followed by all low bytes; the values
// are second-order deltas with a bias of 64.
import { FormatError } from './format-error.ts';

const CODE_BITS = 10;
const MAX_CODE = (1 << CODE_BITS) - 2; // 1022: last table entry
const END_CODE = MAX_CODE + 1; // 1023

/** LZW-decompress one chunk. `maxBytes` bounds the output so a damaged stream cannot grow without end. */
export function lzwDecode(src: Uint8Array, maxBytes: number, what: string): Uint8Array {
  const prefix = new Int32Array(END_CODE);
  const last = new Uint8Array(END_CODE);
  const first = new Uint8Array(END_CODE);
  const size = new Int32Array(END_CODE);
  for (let c = 0; c < 256; c++) {
    prefix[c] = -1;
    last[c] = c;
    first[c] = c;
    size[c] = 1;
  }
  let next = 256;
  let prev = -1;
  let out = new Uint8Array(Math.min(maxBytes, Math.max(1024, src.length * 4)));
  let n = 0;
  const totalBits = src.length * 8;
  for (let bit = 0; bit + CODE_BITS <= totalBits; bit += CODE_BITS) {
    // 10 bits starting at `bit`, most significant first; they span at most 3 bytes.
    const byte = bit >> 3;
    const window = (src[byte] << 16) | ((src[byte + 1] ?? 0) << 8) | (src[byte + 2] ?? 0);
    const code = (window >> (24 - CODE_BITS - (bit & 7))) & END_CODE;
    if (code === END_CODE) break;
    if (code > next || (code === next && prev < 0)) {
      throw new FormatError(`${what}: LZW code ${code} at bit ${bit} is not yet defined (damaged stream)`);
    }
    if (prev >= 0 && next <= MAX_CODE) {
      // The entry the encoder added after `prev`: prev's string plus the first byte of this one
      // (for the code being defined right now, that byte is prev's own first byte).
      prefix[next] = prev;
      last[next] = code === next ? first[prev] : first[code];
      first[next] = first[prev];
      size[next] = size[prev] + 1;
      next++;
    }
    const len = size[code];
    if (n + len > out.length) {
      if (n + len > maxBytes) throw new FormatError(`${what}: LZW stream expands beyond ${maxBytes} bytes (damaged stream)`);
      const grown = new Uint8Array(Math.min(maxBytes, Math.max(out.length * 2, n + len)));
      grown.set(out.subarray(0, n));
      out = grown;
    }
    for (let c = code, k = n + len - 1; k >= n; k--, c = prefix[c]) out[k] = last[c];
    n += len;
    prev = code;
  }
  return out.subarray(0, n);
}

/** Second-order delta decoding of one chunk's values (high bytes first, then low bytes). */
export function xliDeltaDecode(bytes: Uint8Array, firstDelta: number, what: string): Int32Array {
  const n = bytes.length >> 1;
  const values = new Int32Array(n);
  for (let i = 0; i < n; i++) values[i] = (((bytes[i] << 8) | bytes[n + i]) << 16) >> 16;
  if (n < 3) return values;
  let x = values[0];
  let y = values[1];
  let delta = firstDelta;
  for (let i = 2; i < n; i++) {
    const z = 2 * y - x - delta;
    delta = values[i] - 64;
    // Samples are 16-bit; growth beyond that only comes from a damaged stream.
    if (z > 32767 || z < -32768) throw new FormatError(`${what}: sample ${i} leaves the 16-bit range (damaged stream)`);
    values[i] = z;
    x = y;
    y = z;
  }
  return values;
}

/**
 * The first `leads` chunks of an XLI stream as sample values, each at most `samples` long (the chunk
 * may carry a few more). Throws FormatError naming the chunk when the stream is damaged.
 */
export function decodeXli(stream: Uint8Array, leads: number, samples: number, where: string): Int32Array[] {
  const out: Int32Array[] = [];
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  let offset = 0;
  for (let lead = 1; lead <= leads; lead++) {
    const what = `${where}: XLI chunk ${lead}`;
    if (offset + 8 > stream.length) {
      throw new FormatError(`${where}: XLI stream ends after ${lead - 1} of ${leads} leads`);
    }
    const size = view.getInt32(offset, true);
    const firstDelta = view.getInt16(offset + 6, true);
    if (size < 0 || offset + 8 + size > stream.length) {
      throw new FormatError(`${what} declares ${size} bytes but ${stream.length - offset - 8} remain`);
    }
    // Room for a few samples beyond the declared count (chunks are padded) and no more.
    const bytes = lzwDecode(stream.subarray(offset + 8, offset + 8 + size), (samples + 64) * 2, what);
    out.push(xliDeltaDecode(bytes, firstDelta, what).slice(0, samples));
    offset += 8 + size;
  }
  return out;
}

/**
 * XLI stores III, aVR, aVL and aVF as residuals of their Einthoven/Goldberger estimate from I and II
 * (and III); this restores them in place. Lead order I, II, III, aVR, aVL, aVF. Halves round down.
 */
export function restoreLimbLeads(leads: Int32Array[]): void {
  const [i1, i2, i3, avr, avl, avf] = leads;
  const n = Math.min(...leads.slice(0, 6).map((l) => l.length));
  for (let k = 0; k < n; k++) {
    i3[k] = i2[k] - i1[k] - i3[k];
    avr[k] = -avr[k] - Math.floor((i1[k] + i2[k]) / 2);
    avl[k] = Math.floor((i1[k] - i3[k]) / 2) - avl[k];
    avf[k] = Math.floor((i2[k] + i3[k]) / 2) - avf[k];
  }
}
