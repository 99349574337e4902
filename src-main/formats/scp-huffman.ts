// SCP-ECG Huffman coding (EN 1064 section 2): the default table (section 2 count 19999) and custom tables,
// with table switching. Codes are prefix bits read most significant first; a code whose total length exceeds
// its prefix carries its value in the following bits (two's complement), e.g. the default table's 8- and
// 16-bit escapes.
import { FormatError } from './format-error.ts';

export interface HuffmanCode {
  prefixBits: number;
  totalBits: number;
  /** True: the code stands for a value; false: it switches to table number `value` (1-based). */
  isValue: boolean;
  value: number;
  /** The prefix, most significant bit first (section 2 stores it bit-reversed). */
  prefix: number;
}
export type HuffmanTable = readonly HuffmanCode[];

/** Section 2's table count that means "the default table" rather than custom tables. */
export const DEFAULT_TABLE_MARKER = 19999;

/** The standard's default table: 0 -> '0'; ±k (k = 1..8) -> k ones, a zero, a sign bit; then 8- and 16-bit escapes. */
export const DEFAULT_HUFFMAN_TABLE: HuffmanTable = (() => {
  const codes: HuffmanCode[] = [{ prefixBits: 1, totalBits: 1, isValue: true, value: 0, prefix: 0 }];
  for (let k = 1; k <= 8; k++) {
    const ones = (1 << k) - 1;
    for (const sign of [0, 1]) {
      const prefix = (ones << 2) | sign;
      codes.push({ prefixBits: k + 2, totalBits: k + 2, isValue: true, value: sign ? -k : k, prefix });
    }
  }
  codes.push({ prefixBits: 10, totalBits: 18, isValue: true, value: 0, prefix: 0b1111111110 });
  codes.push({ prefixBits: 10, totalBits: 26, isValue: true, value: 0, prefix: 0b1111111111 });
  return codes;
})();

const reverseBits = (v: number, n: number): number => {
  let r = 0;
  for (let i = 0; i < n; i++) r = (r << 1) | ((v >>> i) & 1);
  return r >>> 0;
};

/** The tables of section 2's data (after its 16-byte header); the default table when it says 19999. */
export function parseHuffmanTables(b: Uint8Array, where: string): HuffmanTable[] {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length < 2) throw new FormatError(`${where}: section 2 (Huffman tables) is empty`);
  const count = view.getUint16(0, true);
  if (count === DEFAULT_TABLE_MARKER) return [DEFAULT_HUFFMAN_TABLE];
  if (count === 0) throw new FormatError(`${where}: section 2 declares 0 Huffman tables`);
  const tables: HuffmanTable[] = [];
  let p = 2;
  for (let t = 0; t < count; t++) {
    if (p + 2 > b.length) throw new FormatError(`${where}: section 2 ends inside Huffman table ${t + 1} of ${count}`);
    const n = view.getUint16(p, true);
    p += 2;
    if (n === 0 || p + n * 9 > b.length)
      throw new FormatError(`${where}: Huffman table ${t + 1} declares ${n} codes, section 2 holds ${Math.floor((b.length - p) / 9)}`);
    const codes: HuffmanCode[] = [];
    for (let i = 0; i < n; i++, p += 9) {
      const prefixBits = b[p];
      const totalBits = b[p + 1];
      const mode = b[p + 2];
      if (prefixBits > 32 || totalBits < prefixBits || totalBits - prefixBits > 32 || (prefixBits === 0 && (n > 1 || totalBits === 0))) {
        throw new FormatError(`${where}: Huffman table ${t + 1} code ${i + 1} has ${prefixBits} prefix bits of ${totalBits}`);
      }
      codes.push({
        prefixBits,
        totalBits,
        isValue: mode !== 0,
        value: view.getInt16(p + 3, true),
        prefix: reverseBits(view.getUint32(p + 5, true), prefixBits),
      });
    }
    tables.push(codes);
  }
  return tables;
}

/** Bits looked up at once: codes up to this long decode in one table read, longer ones walk the tree. */
const LOOKUP_BITS = 12;

/**
 * A table as a binary tree in typed arrays (child[2 * node + bit] > 0 is a node, < 0 is -(code index + 1)) and a
 * lookup of the next LOOKUP_BITS bits: ((code index + 1) << 5) | prefix length, or 0 when the code is longer.
 */
interface CompiledTable {
  codes: HuffmanTable;
  child: Int32Array;
  lookup: Int32Array;
}

function compile(codes: HuffmanTable, number: number, tableCount: number, where: string): CompiledTable {
  const maxNodes = 1 + codes.reduce((n, c) => n + c.prefixBits, 0);
  const child = new Int32Array(2 * maxNodes);
  let nodes = 1;
  codes.forEach((c, i) => {
    if (!c.isValue && (c.value < 1 || c.value > tableCount)) {
      throw new FormatError(`${where}: Huffman table ${number} switches to table ${c.value} of ${tableCount}`);
    }
    if (c.prefixBits === 0) return;
    let node = 0;
    for (let k = c.prefixBits - 1; k >= 0; k--) {
      const slot = 2 * node + ((c.prefix >>> k) & 1);
      const next = child[slot];
      if (next < 0) throw new FormatError(`${where}: Huffman table ${number} is not prefix-free (code ${i + 1})`);
      if (k === 0) {
        if (next > 0) throw new FormatError(`${where}: Huffman table ${number} is not prefix-free (code ${i + 1})`);
        child[slot] = -(i + 1);
      } else if (next === 0) {
        child[slot] = nodes;
        node = nodes++;
      } else {
        node = next;
      }
    }
  });
  const lookup = new Int32Array(1 << LOOKUP_BITS);
  codes.forEach((c, i) => {
    if (c.prefixBits === 0 || c.prefixBits > LOOKUP_BITS) return;
    const shift = LOOKUP_BITS - c.prefixBits;
    lookup.fill(((i + 1) << 5) | c.prefixBits, c.prefix << shift, (c.prefix + 1) << shift);
  });
  return { codes, child, lookup };
}

export interface HuffmanDecoder {
  /** Up to `count` values of one lead's stream; fewer when the bytes end first. Throws on a code not in the table. */
  decode(bytes: Uint8Array, count: number, lead: string): Int32Array;
}

export function huffmanDecoder(tables: HuffmanTable[], where: string): HuffmanDecoder {
  const compiled = tables.map((t, i) => compile(t, i + 1, tables.length, where));
  return {
    decode(bytes, count, lead) {
      const out = new Int32Array(count);
      const bitCount = bytes.length * 8;
      let bit = 0;
      let n = 0;
      let table = compiled[0];
      let switches = 0;
      const readBits = (k: number): number => {
        let v = 0;
        for (let i = 0; i < k; i++, bit++) v = v * 2 + ((bytes[bit >> 3] >> (7 - (bit & 7))) & 1);
        return v;
      };
      while (n < count) {
        let code: HuffmanCode | undefined;
        if (table.codes[0].prefixBits === 0) {
          code = table.codes[0];
        } else {
          const at = bit >> 3;
          const window =
            at + 2 < bytes.length
              ? (bytes[at] << 16) | (bytes[at + 1] << 8) | bytes[at + 2]
              : ((bytes[at] ?? 0) << 16) | ((bytes[at + 1] ?? 0) << 8) | (bytes[at + 2] ?? 0);
          const hit = table.lookup[(window >> (24 - LOOKUP_BITS - (bit & 7))) & ((1 << LOOKUP_BITS) - 1)];
          if (hit !== 0) {
            // Past the last byte the window reads zeros: a code that needs them is not in the stream.
            if (bit + (hit & 31) > bitCount) return out.subarray(0, n);
            bit += hit & 31;
            code = table.codes[(hit >> 5) - 1];
          }
        }
        if (code === undefined) {
          let node = 0;
          for (;;) {
            if (bit >= bitCount) return out.subarray(0, n);
            const next = table.child[2 * node + ((bytes[bit >> 3] >> (7 - (bit & 7))) & 1)];
            bit++;
            if (next === 0)
              throw new FormatError(`${where}: lead ${lead}: bits at byte ${(bit - 1) >> 3} are no code of the Huffman table`);
            if (next < 0) {
              code = table.codes[-next - 1];
              break;
            }
            node = next;
          }
        }
        if (!code.isValue) {
          // A switch without a value in between would loop forever on a cyclic table.
          if (++switches > compiled.length) throw new FormatError(`${where}: lead ${lead}: Huffman tables switch in a cycle`);
          table = compiled[code.value - 1];
          continue;
        }
        switches = 0;
        const extra = code.totalBits - code.prefixBits;
        if (extra === 0) {
          out[n++] = code.value;
          continue;
        }
        if (bit + extra > bitCount) return out.subarray(0, n);
        const raw = readBits(extra);
        out[n++] = raw >= 2 ** (extra - 1) ? raw - 2 ** extra : raw;
      }
      return out;
    },
  };
}
