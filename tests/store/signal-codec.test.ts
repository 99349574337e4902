import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWfdbRecord } from '../../src-main/formats/wfdb-record.ts';
import { chunkInfo, decodeChunk, decodeChunkInto, encodeChunk } from '../../src-main/store/signal-codec.ts';
import { INVALID_DIGITAL_16, INVALID_DIGITAL_32 } from '../../src-shared/record.ts';
import { dataPath } from '../helpers/shared-data.ts';

/** Small deterministic PRNG (mulberry32) so a failing case can be replayed from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const same = (a: Int16Array | Int32Array, b: Int16Array | Int32Array): boolean =>
  a.constructor === b.constructor &&
  a.length === b.length &&
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

function roundTrip(x: Int16Array | Int32Array): Uint8Array {
  const blob = encodeChunk(x);
  const back = decodeChunk(blob);
  if (!same(back, x)) throw new Error(`not bit-exact: ${x.constructor.name} of ${x.length}`);
  // Never larger than the samples verbatim plus the 6-byte header.
  expect(blob.length).toBeLessThanOrEqual(6 + x.byteLength);
  return blob;
}

/** Signals of many shapes: ECG-like, noise of every width, steps, runs of invalid markers, full-range jumps. */
function signal(kind: number, n: number, wide: boolean, r: () => number): Int16Array | Int32Array {
  const x = wide ? new Int32Array(n) : new Int16Array(n);
  const lo = wide ? INVALID_DIGITAL_32 : INVALID_DIGITAL_16;
  const hi = wide ? 2147483647 : 32767;
  const span = hi - lo;
  for (let i = 0; i < n; i++) {
    switch (kind % 7) {
      case 0:
        x[i] = Math.round(800 * Math.sin(i / 30) + 40 * (r() - 0.5));
        break;
      case 1:
        x[i] = Math.floor(lo + r() * (span + 1));
        break; // full-range white noise
      case 2:
        x[i] = i % 2 ? hi : lo;
        break; // the largest possible jump every sample
      case 3:
        x[i] = r() < 0.05 ? lo : Math.round(100 * Math.sin(i / 7));
        break; // invalid markers among samples
      case 4:
        x[i] = Math.floor(r() * 2 ** Math.floor(r() * (wide ? 31 : 15))) * (r() < 0.5 ? -1 : 1);
        break; // mixed widths
      case 5:
        x[i] = i < n / 2 ? hi : lo;
        break; // one step
      default:
        x[i] = 7; // constant
    }
  }
  return x;
}

describe('signal chunk codec', () => {
  it('round-trips empty, tiny and odd-length chunks of both sample types', () => {
    for (const wide of [false, true]) {
      for (const n of [0, 1, 2, 3, 4, 5, 6, 31, 32, 33, 63, 65, 1001, 65535, 65536]) {
        const x = signal(0, n, wide, rng(n));
        const blob = roundTrip(x);
        expect(chunkInfo(blob)).toEqual({ count: n, sampleType: wide ? 'int32' : 'int16' });
      }
    }
  });

  it('round-trips random signals of every shape bit-exact (fuzz, 400 cases)', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const r = rng(seed);
      const wide = seed % 2 === 0;
      const n = Math.floor(r() * (seed % 10 === 0 ? 70000 : 3000));
      roundTrip(signal(seed, n, wide, r));
    }
  });

  it('keeps the extreme values and invalid markers, and falls back to verbatim when coding would expand', () => {
    const extremes16 = Int16Array.from([INVALID_DIGITAL_16, 32767, INVALID_DIGITAL_16, 32767, 0, -1, 1, INVALID_DIGITAL_16, 32767]);
    const extremes32 = Int32Array.from([
      INVALID_DIGITAL_32,
      2147483647,
      INVALID_DIGITAL_32,
      2147483647,
      0,
      -1,
      1,
      INVALID_DIGITAL_32,
      2147483647,
    ]);
    roundTrip(extremes16);
    roundTrip(extremes32);
    // Full-range noise cannot be compressed: stored verbatim, header plus samples exactly.
    const noise = signal(1, 4096, true, rng(5));
    expect(encodeChunk(noise).length).toBe(6 + noise.byteLength);
  });

  it('fits a linear predictor where it pays (periodic detail the fixed orders miss), for int16 and int32', () => {
    for (const wide of [false, true]) {
      const n = 20000;
      const x = wide ? new Int32Array(n) : new Int16Array(n);
      const scale = wide ? 256 : 1;
      for (let i = 0; i < n; i++) x[i] = scale * (Math.round(900 * Math.sin(i / 40)) + ((i * 31) % 7));
      const blob = roundTrip(x);
      expect(blob[1] & 32).toBe(32); // the LPC flag
      // Under 4 bits per sample for int16 (the fixed orders need about 5 for the period-7 detail); int32 carries 8 more.
      expect(blob.length).toBeLessThan(wide ? (n * 4) / 3 : (n * 2) / 4);
    }
  });

  it('decodes a prefix, and into an offset of a larger array', () => {
    const x = signal(0, 5000, false, rng(9));
    const blob = encodeChunk(x);
    const out = new Int16Array(6000);
    expect(decodeChunkInto(blob, out, 700, 1234)).toBe(1234);
    expect(same(out.subarray(700, 700 + 1234), x.subarray(0, 1234))).toBe(true);
    expect(out[699]).toBe(0);
    expect(out[700 + 1234]).toBe(0);
  });

  it('refuses a truncated or mismatched chunk with a reason instead of reading past its end', () => {
    const x = signal(0, 5000, false, rng(2));
    const blob = encodeChunk(x);
    expect(() => decodeChunk(blob.subarray(0, 3))).toThrow(/not an encoded signal chunk/);
    expect(() => decodeChunk(blob.subarray(0, Math.floor(blob.length / 2)))).toThrow(/truncated/);
    expect(() => decodeChunkInto(blob, new Int32Array(5000))).toThrow(/sample type/);
    // Random corruption either decodes to something or throws; it never hangs.
    const r = rng(77);
    for (let k = 0; k < 200; k++) {
      const bad = Uint8Array.from(blob);
      for (let f = 0; f < 4; f++) bad[6 + Math.floor(r() * (bad.length - 6))] ^= 1 << Math.floor(r() * 8);
      try {
        decodeChunk(bad);
      } catch (e) {
        expect((e as Error).message).toMatch(/signal chunk/);
      }
    }
  });

  it('compresses real ECGs bit-exact: Chapman (.mat), MIT-BIH (212), PTB-XL (16), int32 WFDB formats', async () => {
    const chapman = dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01', '010');
    const heas = [
      ...fs
        .readdirSync(chapman)
        .filter((f) => f.endsWith('.hea'))
        .slice(0, 10)
        .map((f) => path.join(chapman, f)),
      dataPath('mitdb', '100.hea'),
      dataPath('mitdb', '119.hea'),
      dataPath('ptbxl', 'records500', '00000', '00001_hr.hea'),
      dataPath('formats', 'wfdb-python-sample-data', 'binformats.hea'),
    ];
    let raw = 0;
    let stored = 0;
    let wideLeads = 0;
    for (const hea of heas) {
      const rec = await readWfdbRecord(hea);
      for (const lead of rec.leads) {
        if (lead.digital instanceof Int32Array) wideLeads++;
        for (let s = 0; s < lead.digital.length; s += 65536) {
          const x = lead.digital.subarray(s, Math.min(lead.digital.length, s + 65536));
          stored += roundTrip(x).length;
          raw += 2 * x.length;
        }
      }
    }
    expect(wideLeads).toBeGreaterThanOrEqual(2);
    // Real ECGs code to well under their raw size (FLAC gets about 2.5-3x on such data).
    expect(raw / stored).toBeGreaterThan(2);
  });
});
