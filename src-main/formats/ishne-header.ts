// The ISHNE Holter header (ISHNE output standard 1.0), shared by the signal file (.ecg, magic 'ISHNE1.0') and the
// annotation file (.ann, magic 'ANN  1.0'): 8-byte magic, CRC-CCITT, a fixed 512-byte block, a variable block.
import { crcCcitt } from './crc-ccitt.ts';
import { FormatError } from './format-error.ts';

export const ISHNE_MAGIC = 'ISHNE1.0';
export const ISHNE_ANNOTATION_MAGIC = 'ANN  1.0';
/** Magic (8) + CRC (2) + fixed header (512). */
export const ISHNE_FIXED_BYTES = 522;
/** Lead spec, quality and resolution arrays hold 12 entries: the most leads a file can describe. */
export const ISHNE_MAX_LEADS = 12;

export interface IshneHeader {
  magic: string;
  storedCrc: number;
  variableBlockBytes: number;
  /** Samples per lead the header declares. */
  samplesPerLead: number;
  variableBlockOffset: number;
  dataOffset: number;
  fileVersion: number;
  subjectId: string;
  sex: number;
  birthDate?: string;
  recordDate?: string;
  startTime?: string;
  leadCount: number;
  leadSpecs: number[];
  leadQualities: number[];
  /** nV per count, per lead. */
  resolutions: number[];
  pacemaker: number;
  recorder: string;
  samplingRate: number;
}

const text = (b: Uint8Array, start: number, length: number): string => {
  const s = b.subarray(start, start + length);
  const nul = s.indexOf(0);
  return new TextDecoder('latin1').decode(nul < 0 ? s : s.subarray(0, nul)).trim();
};

const pad2 = (n: number) => String(n).padStart(2, '0');

/** int16[3] day, month, year as ISO, or undefined when unset (-9) or impossible. */
function dmy(v: DataView, at: number): string | undefined {
  const [d, m, y] = [v.getInt16(at, true), v.getInt16(at + 2, true), v.getInt16(at + 4, true)];
  if (y < 1800 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31) return undefined;
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

export function ishneMagic(head: Uint8Array): string | undefined {
  if (head.length < 8) return undefined;
  const magic = String.fromCharCode(...head.subarray(0, 8));
  return magic === ISHNE_MAGIC || magic === ISHNE_ANNOTATION_MAGIC ? magic : undefined;
}

/** The fixed part of the header (the first 522 bytes). */
export function parseIshneHeader(b: Uint8Array, where: string): IshneHeader {
  const magic = ishneMagic(b);
  if (!magic) throw new FormatError(`${where}: not an ISHNE Holter file (no 'ISHNE1.0' or 'ANN  1.0' magic)`);
  if (b.length < ISHNE_FIXED_BYTES)
    throw new FormatError(`${where}: ISHNE header is truncated at ${b.length} of ${ISHNE_FIXED_BYTES} bytes`);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const h = 10; // the fixed block starts after magic and CRC
  const leadCount = v.getInt16(h + 146, true);
  const ints = (at: number) => Array.from({ length: ISHNE_MAX_LEADS }, (_, i) => v.getInt16(at + 2 * i, true));
  const [hh, mm, ss] = [v.getInt16(h + 140, true), v.getInt16(h + 142, true), v.getInt16(h + 144, true)];
  return {
    magic,
    storedCrc: v.getUint16(8, true),
    variableBlockBytes: v.getInt32(h, true),
    samplesPerLead: v.getInt32(h + 4, true),
    variableBlockOffset: v.getInt32(h + 8, true),
    dataOffset: v.getInt32(h + 12, true),
    fileVersion: v.getInt16(h + 16, true),
    subjectId: text(b, h + 98, 20),
    sex: v.getInt16(h + 118, true),
    birthDate: dmy(v, h + 122),
    recordDate: dmy(v, h + 128),
    startTime: hh >= 0 && hh < 24 && mm >= 0 && mm < 60 && ss >= 0 && ss < 61 ? `${pad2(hh)}:${pad2(mm)}:${pad2(ss)}` : undefined,
    leadCount,
    leadSpecs: ints(h + 148),
    leadQualities: ints(h + 172),
    resolutions: ints(h + 196),
    pacemaker: v.getInt16(h + 220, true),
    recorder: text(b, h + 222, 40),
    samplingRate: v.getInt16(h + 262, true),
  };
}

/** Whether the stored CRC matches the fixed header plus variable block (`header` holds at least both). */
export function ishneCrcValid(header: Uint8Array, h: IshneHeader): boolean {
  const end = ISHNE_FIXED_BYTES + Math.max(0, h.variableBlockBytes);
  return end <= header.length && crcCcitt(header, 10, end) === h.storedCrc;
}

/** ISHNE lead specification codes; 'd' marks the standard's "derived" variants. */
const LEAD_NAMES: Record<number, string> = (() => {
  const base = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6', 'ES', 'AS', 'AI', 'S'];
  const names: Record<number, string> = { 0: 'unknown', 1: 'bipolar', 2: 'X', 3: 'Y', 4: 'Z' };
  base.forEach((n, i) => {
    names[i + 5] = n;
    names[i + 21] = `d${n}`;
  });
  return names;
})();

/** Lead names in file order: the standard name, else 'ECG<n>' (1-based position) for unknown, generic bipolar or
 *  absent specs, and for a repeated spec, so names stay unique. */
export function ishneLeadNames(codes: number[]): string[] {
  const seen = new Set<string>();
  return codes.map((code, i) => {
    const known = code > 1 ? LEAD_NAMES[code] : undefined;
    const name = known && !seen.has(known) ? known : `ECG${i + 1}`;
    seen.add(name);
    return name;
  });
}
