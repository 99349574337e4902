// A small SCP-ECG writer for tests: the encoder side of every compression path the reader decodes (Huffman
// default/custom tables with switching, no Huffman, first/second differences, bimodal decimation, reference-beat
// subtraction), so synthetic files exercise what the real samples do not.
import { crcCcitt } from '../../src-main/formats/crc-ccitt.ts';
import { DEFAULT_HUFFMAN_TABLE } from '../../src-main/formats/scp-huffman.ts';
import type { HuffmanTable } from '../../src-main/formats/scp-huffman.ts';
import type { ScpQrs } from '../../src-main/formats/scp-sections.ts';

export interface ScpTestFile {
  /** Lead codes and full-rate sample values (counts). */
  leads: { code: number; values: Int32Array }[];
  intervalUs: number;
  avm: number;
  difference?: 0 | 1 | 2;
  /** 'default' (19999), 'none' (no section 2, raw int16) or custom tables (table 1 first). */
  huffman?: 'default' | 'none' | HuffmanTable[];
  /** Reference beat per lead (counts at full rate), its fiducial (1-based), QRS zones; subtracted when `subtract`. */
  reference?: { beats: Int32Array[]; fiducial: number; qrs: ScpQrs[]; subtract: boolean; avm?: number };
  /** Bimodal: outside `zones` (1-based inclusive) keep the mean of every `factor` samples. Needs `reference`. */
  bimodal?: { factor: number; zones: { start: number; end: number }[] };
  statements?: string[];
  /** Section 11 statements as [type (1 coded, 2 text, 3 both), NUL-separated fields]. */
  universalStatements?: [number, string[]][];
  /** Section 1 tags as [tag, bytes]. */
  patientTags?: [number, Uint8Array][];
}

class BitWriter {
  bytes: number[] = [];
  private bits = 0;
  private n = 0;
  put(value: number, count: number): void {
    for (let k = count - 1; k >= 0; k--) {
      this.bits = (this.bits << 1) | (Math.floor(value / 2 ** k) & 1);
      if (++this.n === 8) {
        this.bytes.push(this.bits);
        this.bits = 0;
        this.n = 0;
      }
    }
  }
  finish(): Uint8Array {
    if (this.n > 0) this.bytes.push(this.bits << (8 - this.n));
    return Uint8Array.from(this.bytes);
  }
}

/** Huffman-encode values, starting in table 1 and switching tables when the current one cannot code a value. */
export function huffmanEncode(values: Int32Array, tables: HuffmanTable[]): Uint8Array {
  const w = new BitWriter();
  let t = 0;
  const fits = (table: HuffmanTable, v: number) =>
    table.find((c) => c.isValue && c.totalBits === c.prefixBits && c.value === v) ??
    table.find((c) => c.isValue && c.totalBits > c.prefixBits && Math.abs(v) < 2 ** (c.totalBits - c.prefixBits - 1));
  for (const v of values) {
    let code = fits(tables[t], v);
    if (!code) {
      const sw = tables[t].find((c) => !c.isValue && fits(tables[c.value - 1], v));
      if (!sw) throw new Error(`no table codes ${v}`);
      w.put(sw.prefix, sw.prefixBits);
      t = sw.value - 1;
      code = fits(tables[t], v)!;
    }
    w.put(code.prefix, code.prefixBits);
    const extra = code.totalBits - code.prefixBits;
    if (extra > 0) w.put(v < 0 ? v + 2 ** extra : v, extra);
  }
  return w.finish();
}

/** First differences keep the first value, second differences the first two (as the decoder expects). */
function differences(values: Int32Array, order: number): Int32Array {
  const out = Int32Array.from(values);
  if (order === 1) for (let i = 1; i < out.length; i++) out[i] = values[i] - values[i - 1];
  if (order === 2) for (let i = 2; i < out.length; i++) out[i] = values[i] - 2 * values[i - 1] + values[i - 2];
  return out;
}

class ByteWriter {
  bytes: number[] = [];
  u8 = (v: number) => void this.bytes.push(v & 0xff);
  u16 = (v: number) => (this.u8(v), this.u8(v >> 8));
  u32 = (v: number) => (this.u16(v & 0xffff), this.u16(Math.floor(v / 65536)));
  raw = (b: ArrayLike<number>) => void this.bytes.push(...Array.from(b));
}

const reverse = (v: number, n: number) => {
  let r = 0;
  for (let i = 0; i < n; i++) r = r * 2 + ((v >>> i) & 1);
  return r;
};

function encodeStreams(streams: Int32Array[], tables: HuffmanTable[] | undefined): Uint8Array[] {
  return streams.map((s) => {
    if (tables) return huffmanEncode(s, tables);
    const out = new Uint8Array(s.length * 2);
    const v = new DataView(out.buffer);
    s.forEach((x, i) => v.setInt16(2 * i, x, true));
    return out;
  });
}

function signalSection(avm: number, intervalUs: number, difference: number, bimodal: boolean, streams: Uint8Array[]): number[] {
  const w = new ByteWriter();
  w.u16(avm);
  w.u16(intervalUs);
  w.u8(difference);
  w.u8(bimodal ? 1 : 0);
  for (const s of streams) w.u16(s.length);
  for (const s of streams) w.raw(s);
  return w.bytes;
}

export function writeScp(f: ScpTestFile): Uint8Array {
  const difference = f.difference ?? 1;
  const tables =
    f.huffman === 'none' ? undefined : f.huffman === 'default' || f.huffman === undefined ? [DEFAULT_HUFFMAN_TABLE] : f.huffman;
  const sections = new Map<number, number[]>();

  const s1 = new ByteWriter();
  for (const [tag, value] of f.patientTags ?? []) {
    s1.u8(tag);
    s1.u16(value.length);
    s1.raw(value);
  }
  s1.u8(255);
  s1.u16(0);
  sections.set(1, s1.bytes);

  if (tables) {
    const s2 = new ByteWriter();
    if (f.huffman === 'default' || f.huffman === undefined) s2.u16(19999);
    else {
      s2.u16(tables.length);
      for (const t of tables) {
        s2.u16(t.length);
        for (const c of t) {
          s2.u8(c.prefixBits);
          s2.u8(c.totalBits);
          s2.u8(c.isValue ? 1 : 0);
          s2.u16(c.value);
          s2.u32(reverse(c.prefix, c.prefixBits));
        }
      }
    }
    sections.set(2, s2.bytes);
  }

  const s3 = new ByteWriter();
  s3.u8(f.leads.length);
  s3.u8((f.reference?.subtract ? 1 : 0) | 4 | (f.leads.length << 3));
  for (const l of f.leads) {
    s3.u32(1);
    s3.u32(l.values.length);
    s3.u8(l.code);
  }
  sections.set(3, s3.bytes);

  const residuals = f.leads.map((l) => Int32Array.from(l.values));
  if (f.reference) {
    const r = f.reference;
    const refAvm = r.avm ?? f.avm;
    const s4 = new ByteWriter();
    s4.u16(Math.round((r.beats[0].length * f.intervalUs) / 1000));
    s4.u16(r.fiducial);
    s4.u16(r.qrs.length);
    for (const q of r.qrs) {
      s4.u16(q.type);
      s4.u32(q.start);
      s4.u32(q.fiducial);
      s4.u32(q.end);
    }
    for (const z of f.bimodal?.zones ?? r.qrs.map((q) => ({ start: q.start, end: q.end }))) {
      s4.u32(z.start);
      s4.u32(z.end);
    }
    sections.set(4, s4.bytes);
    sections.set(
      5,
      signalSection(
        refAvm,
        f.intervalUs,
        difference,
        false,
        encodeStreams(
          r.beats.map((b) => differences(b, difference)),
          tables,
        ),
      ),
    );
    if (r.subtract) {
      residuals.forEach((res, li) => {
        for (const q of r.qrs) {
          if (q.type !== 0) continue;
          for (let s = q.start; s <= q.end; s++) {
            const k = s - q.fiducial + r.fiducial - 1;
            if (k >= 0 && k < r.beats[li].length) res[s - 1] -= Math.round((r.beats[li][k] * refAvm) / f.avm);
          }
        }
      });
    }
  }

  let rhythm = residuals;
  let intervalUs = f.intervalUs;
  if (f.bimodal) {
    const { factor, zones } = f.bimodal;
    intervalUs = f.intervalUs * factor;
    rhythm = residuals.map((res) => {
      const out: number[] = [];
      let at = 0;
      const gap = (end: number) => {
        const count = end - at;
        const decimated = Math.floor(count / factor);
        // Each group of `factor` samples becomes its mean (the decoder places it at the group's centre).
        for (let k = 0; k < decimated; k++) {
          let sum = 0;
          for (let j = 0; j < factor; j++) sum += res[at + k * factor + j];
          out.push(Math.round(sum / factor));
        }
        at += decimated * factor;
        while (at < end) out.push(res[at++]);
      };
      for (const z of zones) {
        gap(z.start - 1);
        for (; at <= z.end - 1; at++) out.push(res[at]);
      }
      gap(res.length);
      return Int32Array.from(out);
    });
  }
  sections.set(
    6,
    signalSection(
      f.avm,
      intervalUs,
      difference,
      !!f.bimodal,
      encodeStreams(
        rhythm.map((r) => differences(r, difference)),
        tables,
      ),
    ),
  );

  if (f.statements) {
    const s8 = new ByteWriter();
    s8.u8(0);
    s8.raw([0xe1, 0x07, 5, 4, 16, 35, 17]);
    s8.u8(f.statements.length);
    f.statements.forEach((t, i) => {
      const text = new TextEncoder().encode(t);
      s8.u8(i + 1);
      s8.u16(text.length + 1);
      s8.raw(text);
      s8.u8(0);
    });
    sections.set(8, s8.bytes);
  }

  if (f.universalStatements) {
    const s11 = new ByteWriter();
    s11.u8(0);
    s11.raw([0xe1, 0x07, 5, 4, 16, 35, 17]);
    s11.u8(f.universalStatements.length);
    f.universalStatements.forEach(([type, fields], i) => {
      const body = new TextEncoder().encode(fields.join('\0') + '\0');
      s11.u8(i + 1);
      s11.u16(body.length + 1);
      s11.u8(type);
      s11.raw(body);
    });
    sections.set(11, s11.bytes);
  }

  // Layout: file header (6), section 0 (header + 10-byte pointers for ids 0..11), then each section, even-padded.
  const ids = Array.from({ length: 12 }, (_, i) => i);
  const s0Length = 16 + ids.length * 10;
  let offset = 6 + s0Length;
  const placed = new Map<number, { offset: number; body: number[] }>();
  for (const id of ids.slice(1)) {
    const body = sections.get(id);
    if (!body) continue;
    if (body.length % 2) body.push(0);
    placed.set(id, { offset, body });
    offset += 16 + body.length;
  }
  const out = new Uint8Array(offset);
  const v = new DataView(out.buffer);
  v.setUint32(2, offset, true);
  const header = (at: number, id: number, length: number) => {
    v.setUint16(at + 2, id, true);
    v.setUint32(at + 4, length, true);
    out[at + 8] = 20;
    out[at + 9] = 20;
    if (id === 0) out.set(new TextEncoder().encode('SCPECG'), at + 10);
  };
  header(6, 0, s0Length);
  ids.forEach((id, k) => {
    const at = 6 + 16 + k * 10;
    v.setUint16(at, id, true);
    const p = id === 0 ? { offset: 6, body: new Array(s0Length - 16) } : placed.get(id);
    v.setUint32(at + 2, p ? 16 + p.body.length : 0, true);
    v.setUint32(at + 6, p ? p.offset + 1 : 0, true);
  });
  for (const [id, p] of placed) {
    header(p.offset, id, 16 + p.body.length);
    out.set(p.body, p.offset + 16);
  }
  for (const [at, length] of [[6, s0Length], ...[...placed.values()].map((p) => [p.offset, 16 + p.body.length])]) {
    v.setUint16(at, crcCcitt(out, at + 2, at + length), true);
  }
  v.setUint16(0, crcCcitt(out, 2, out.length), true);
  return out;
}

/** Recompute every CRC after a test edited the bytes (so a structural fault is tested, not a CRC fault). */
export function fixScpCrcs(b: Uint8Array): Uint8Array {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const s0 = 6;
  const s0Length = Math.min(v.getUint32(s0 + 4, true), b.length - s0);
  for (let at = s0 + 16; at + 10 <= s0 + s0Length; at += 10) {
    const length = v.getUint32(at + 2, true);
    const index = v.getUint32(at + 6, true);
    if (length >= 16 && index >= 1 && index - 1 + length <= b.length)
      v.setUint16(index - 1, crcCcitt(b, index + 1, index - 1 + length), true);
  }
  if (s0Length >= 2) v.setUint16(s0, crcCcitt(b, s0 + 2, s0 + s0Length), true);
  v.setUint16(0, crcCcitt(b, 2, b.length), true);
  return b;
}
