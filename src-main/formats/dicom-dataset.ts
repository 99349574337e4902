// Minimal DICOM Part 10 parser: little-endian explicit/implicit VR, nested sequences of defined or undefined length.
import { FormatError } from './format-error.ts';
import { printable } from './printable.ts';

export interface DicomElement {
  vr: string;
  /** Raw value bytes (a view into the file). Empty for sequences. */
  bytes: Uint8Array;
  /** Items of a sequence (SQ, or undefined-length UN read as implicit VR). */
  items?: DicomDataset[];
}

/** Elements keyed by tag as (group << 16 | element). */
export type DicomDataset = Map<number, DicomElement>;

export const tag = (group: number, element: number): number => ((group << 16) | element) >>> 0;

const UNDEFINED = 0xffffffff;
const ITEM = tag(0xfffe, 0xe000);
const ITEM_END = tag(0xfffe, 0xe00d);
const SEQ_END = tag(0xfffe, 0xe0dd);
const MAX_DEPTH = 24;
/** VRs with a 2-byte reserved field and a 4-byte length in explicit VR. */
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);
/** VRs of the elements this project reads, so implicit-VR files parse the same as explicit ones. */
const IMPLICIT_VR = new Map<number, string>([
  ...[
    tag(0x5400, 0x0100),
    tag(0x003a, 0x0200),
    tag(0x003a, 0x0208),
    tag(0x003a, 0x0209),
    tag(0x003a, 0x0211),
    tag(0x003a, 0x020a),
    tag(0x0040, 0xb020),
    tag(0x0040, 0xa730),
    tag(0x0040, 0xa043),
    tag(0x0040, 0xa168),
  ].map((t) => [t, 'SQ'] as const),
  [tag(0x003a, 0x0005), 'US'],
  [tag(0x003a, 0x0010), 'UL'],
  [tag(0x003a, 0x0202), 'US'],
  [tag(0x003a, 0x021a), 'US'],
  [tag(0x5400, 0x1004), 'US'],
]);

const TS_IMPLICIT_LE = '1.2.840.10008.1.2';
const TS_EXPLICIT_LE = '1.2.840.10008.1.2.1';

const hex = (t: number): string => {
  const s = t.toString(16).padStart(8, '0').toUpperCase();
  return `(${s.slice(0, 4)},${s.slice(4)})`;
};

interface Cursor {
  buf: Uint8Array;
  view: DataView;
  pos: number;
  where: string;
}

function need(c: Cursor, n: number, what: string): void {
  if (c.pos + n > c.buf.length) throw new FormatError(`${c.where}: ${what} runs past the end of the file at byte ${c.pos}`);
}

function readTag(c: Cursor): number {
  need(c, 4, 'element tag');
  const t = tag(c.view.getUint16(c.pos, true), c.view.getUint16(c.pos + 2, true));
  c.pos += 4;
  return t;
}

/** Items of a sequence starting at c.pos, `length` bytes long or UNDEFINED. */
function readItems(c: Cursor, length: number, explicit: boolean, depth: number): DicomDataset[] {
  if (depth > MAX_DEPTH) throw new FormatError(`${c.where}: sequences nested deeper than ${MAX_DEPTH} levels`);
  const end = length === UNDEFINED ? c.buf.length : c.pos + length;
  if (end > c.buf.length) throw new FormatError(`${c.where}: sequence length ${length} runs past the end of the file at byte ${c.pos}`);
  const items: DicomDataset[] = [];
  while (c.pos < end) {
    const t = readTag(c);
    need(c, 4, 'item length');
    const len = c.view.getUint32(c.pos, true);
    c.pos += 4;
    if (t === SEQ_END) return items;
    if (t !== ITEM) throw new FormatError(`${c.where}: expected a sequence item at byte ${c.pos - 8}, found ${hex(t)}`);
    if (len === UNDEFINED) {
      items.push(readElements(c, c.buf.length, explicit, depth + 1, true));
    } else {
      if (c.pos + len > end) throw new FormatError(`${c.where}: item length ${len} runs past its sequence at byte ${c.pos}`);
      const itemEnd = c.pos + len;
      items.push(readElements(c, itemEnd, explicit, depth + 1, false));
      c.pos = itemEnd;
    }
  }
  if (length === UNDEFINED) throw new FormatError(`${c.where}: sequence without a delimiter at the end of the file`);
  return items;
}

function readElements(c: Cursor, end: number, explicit: boolean, depth: number, untilItemEnd: boolean): DicomDataset {
  const ds: DicomDataset = new Map();
  while (c.pos < end) {
    const t = readTag(c);
    if (t === ITEM_END) {
      need(c, 4, 'item delimiter');
      c.pos += 4;
      if (untilItemEnd) return ds;
      continue;
    }
    let vr: string;
    let len: number;
    if (explicit) {
      need(c, 4, `element ${hex(t)}`);
      vr = String.fromCharCode(c.buf[c.pos], c.buf[c.pos + 1]);
      if (!/^[A-Z]{2}$/.test(vr)) throw new FormatError(`${c.where}: element ${hex(t)} has invalid VR at byte ${c.pos}`);
      if (LONG_VRS.has(vr)) {
        need(c, 8, `element ${hex(t)}`);
        len = c.view.getUint32(c.pos + 4, true);
        c.pos += 8;
      } else {
        len = c.view.getUint16(c.pos + 2, true);
        c.pos += 4;
      }
    } else {
      need(c, 4, `element ${hex(t)}`);
      len = c.view.getUint32(c.pos, true);
      c.pos += 4;
      vr = IMPLICIT_VR.get(t) ?? '';
    }
    if (vr === 'SQ' || (len === UNDEFINED && (vr === 'UN' || vr === ''))) {
      // An undefined-length UN is a sequence in implicit VR (PS3.5 6.2.2).
      ds.set(t, { vr: 'SQ', bytes: new Uint8Array(0), items: readItems(c, len, explicit && vr === 'SQ', depth + 1) });
      continue;
    }
    if (len === UNDEFINED) throw new FormatError(`${c.where}: element ${hex(t)} has undefined length (encapsulated data is not supported)`);
    need(c, len, `element ${hex(t)} of ${len} bytes`);
    ds.set(t, { vr, bytes: c.buf.subarray(c.pos, c.pos + len) });
    c.pos += len;
  }
  if (untilItemEnd) throw new FormatError(`${c.where}: item without a delimiter at the end of the file`);
  return ds;
}

/** True when the bytes start with a 128-byte preamble and 'DICM'. */
export function isDicomPart10(head: Uint8Array): boolean {
  return head.length >= 132 && head[128] === 0x44 && head[129] === 0x49 && head[130] === 0x43 && head[131] === 0x4d;
}

/** The main dataset of a DICOM Part 10 file (file meta group included). */
export function parseDicom(buf: Uint8Array, where: string): DicomDataset {
  if (!isDicomPart10(buf)) throw new FormatError(`${where}: not a DICOM file (no 'DICM' at byte 128)`);
  const c: Cursor = { buf, view: new DataView(buf.buffer, buf.byteOffset, buf.byteLength), pos: 132, where };
  // File meta information: group 0002, always explicit VR little endian.
  const meta: DicomDataset = new Map();
  while (c.pos + 4 <= buf.length && c.view.getUint16(c.pos, true) === 0x0002) {
    const part = readElementsOnce(c);
    for (const [k, v] of part) meta.set(k, v);
  }
  const ts = dicomString(meta, tag(0x0002, 0x0010)) ?? TS_EXPLICIT_LE;
  if (ts !== TS_IMPLICIT_LE && ts !== TS_EXPLICIT_LE) {
    throw new FormatError(`${where}: transfer syntax '${printable(ts, 64)}' is not supported (only little-endian implicit/explicit VR)`);
  }
  const ds = readElements(c, buf.length, ts === TS_EXPLICIT_LE, 0, false);
  for (const [k, v] of meta) ds.set(k, v);
  return ds;
}

/** One explicit-VR element (for the file meta group). */
function readElementsOnce(c: Cursor): DicomDataset {
  const start = c.pos;
  const t = readTag(c);
  need(c, 4, `element ${hex(t)}`);
  const vr = String.fromCharCode(c.buf[c.pos], c.buf[c.pos + 1]);
  const long = LONG_VRS.has(vr);
  if (long) need(c, 8, `element ${hex(t)}`);
  const len = long ? c.view.getUint32(c.pos + 4, true) : c.view.getUint16(c.pos + 2, true);
  c.pos += long ? 8 : 4;
  if (len === UNDEFINED) throw new FormatError(`${c.where}: file meta element ${hex(t)} at byte ${start} has undefined length`);
  need(c, len, `element ${hex(t)} of ${len} bytes`);
  const el = { vr, bytes: c.buf.subarray(c.pos, c.pos + len) };
  c.pos += len;
  return new Map([[t, el]]);
}

/** Text value with DICOM padding (trailing spaces / NULs) removed; first value of a multi-valued string. */
export function dicomString(ds: DicomDataset | undefined, t: number): string | undefined {
  const el = ds?.get(t);
  if (!el || el.items) return undefined;
  const s = new TextDecoder('latin1')
    .decode(el.bytes)
    .replace(/[\0 ]+$/, '')
    .trim();
  return s === '' ? undefined : s.split('\\')[0];
}

/** Numeric value of a DS/IS string or US/UL/SS/SL binary element. */
export function dicomNumber(ds: DicomDataset | undefined, t: number): number | undefined {
  const el = ds?.get(t);
  if (!el || el.items) return undefined;
  const v = new DataView(el.bytes.buffer, el.bytes.byteOffset, el.bytes.byteLength);
  switch (el.vr) {
    case 'US':
      return el.bytes.length >= 2 ? v.getUint16(0, true) : undefined;
    case 'SS':
      return el.bytes.length >= 2 ? v.getInt16(0, true) : undefined;
    case 'UL':
      return el.bytes.length >= 4 ? v.getUint32(0, true) : undefined;
    case 'SL':
      return el.bytes.length >= 4 ? v.getInt32(0, true) : undefined;
    case 'FL':
      return el.bytes.length >= 4 ? v.getFloat32(0, true) : undefined;
    case 'FD':
      return el.bytes.length >= 8 ? v.getFloat64(0, true) : undefined;
  }
  const s = dicomString(ds, t);
  const n = s === undefined ? NaN : Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** Items of a sequence element (empty when absent). */
export const dicomItems = (ds: DicomDataset | undefined, t: number): DicomDataset[] => ds?.get(t)?.items ?? [];
