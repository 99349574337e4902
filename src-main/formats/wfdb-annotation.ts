// MIT-format WFDB annotation files (.atr, .qrs, LUDB .i/.ii/.../.v6).
// Spec: https://physionet.org/physiotools/wag/annot-5.htm
import { readFile } from 'node:fs/promises';
import type { BeatAnnotation } from '../../src-shared/record.ts';
import { FormatError } from './format-error.ts';

/** Annotation codes (ecgcodes.h) -> standard mnemonic symbols; index = code. */
const SYMBOLS: readonly string[] = [
  ' ',
  'N',
  'L',
  'R',
  'a',
  'V',
  'F',
  'J',
  'A',
  'S', // 0-9
  'E',
  'j',
  '/',
  'Q',
  '~',
  '[15]',
  '|',
  '[17]',
  's',
  'T', // 10-19
  '*',
  'D',
  '"',
  '=',
  'p',
  'B',
  '^',
  't',
  '+',
  'u', // 20-29
  '?',
  '!',
  '[',
  ']',
  'e',
  'n',
  '@',
  'x',
  'f',
  '(', // 30-39
  ')',
  'r', // 40-41
];

const SKIP = 59;
const NUM = 60;
const SUB = 61;
const CHN = 62;
const AUX = 63;

/** Beat (QRS) annotation symbols per EC57 / WFDB isqrs(). */
const BEATS = new Set(['N', 'L', 'R', 'B', 'A', 'a', 'J', 'S', 'V', 'r', 'F', 'e', 'j', 'n', 'E', '/', 'f', 'Q', '?']);

export function isBeatSymbol(symbol: string): boolean {
  return BEATS.has(symbol);
}

export function annotationSymbol(code: number): string {
  return SYMBOLS[code] ?? `[${code}]`;
}

/**
 * Decode an MIT-format annotation file. Each annotation word (code, time increment) is followed by
 * its SUB/CHN/NUM/AUX modifiers; SKIP precedes it. CHN and NUM carry over to later annotations.
 */
export function parseWfdbAnnotations(bytes: Uint8Array, where: string): BeatAnnotation[] {
  const out: BeatAnnotation[] = [];
  const n = bytes.length;
  let i = 0;
  let sample = 0;
  let chan = 0;
  let num = 0;
  let current: BeatAnnotation | undefined;
  let ended = false;
  while (i + 1 < n) {
    const word = bytes[i] | (bytes[i + 1] << 8);
    i += 2;
    const code = word >> 10;
    const data = word & 0x3ff;
    if (code === 0 && data === 0) {
      ended = true;
      break;
    }
    switch (code) {
      case SKIP: {
        if (i + 4 > n) throw new FormatError(`${where}: annotation file is truncated inside a SKIP at byte ${i - 2}`);
        // 32-bit interval, high 16-bit word first (PDP-11 order).
        const hi = bytes[i] | (bytes[i + 1] << 8);
        const lo = bytes[i + 2] | (bytes[i + 3] << 8);
        sample += (hi << 16) | lo;
        i += 4;
        break;
      }
      case NUM:
        num = (data << 22) >> 22;
        // Like a new annotation's, a modified one carries num and channel only when they are not 0.
        if (current && num !== 0) current.num = num;
        else if (current) delete current.num;
        break;
      case SUB:
        if (current) current.subtype = (data << 22) >> 22;
        break;
      case CHN:
        chan = data;
        if (current && chan !== 0) current.channel = chan;
        else if (current) delete current.channel;
        break;
      case AUX: {
        if (i + data > n) throw new FormatError(`${where}: annotation file is truncated inside an AUX string at byte ${i - 2}`);
        let end = i + data;
        while (end > i && bytes[end - 1] === 0) end--;
        if (current) current.aux = new TextDecoder('latin1').decode(bytes.subarray(i, end));
        i += data + (data & 1);
        break;
      }
      default: {
        if (code > 49) throw new FormatError(`${where}: invalid annotation code ${code} at byte ${i - 2}`);
        sample += data;
        current = { sample, symbol: annotationSymbol(code) };
        if (chan !== 0) current.channel = chan;
        if (num !== 0) current.num = num;
        out.push(current);
      }
    }
  }
  if (!ended && i < n) throw new FormatError(`${where}: annotation file ends inside a word (odd length ${n})`);
  if (!ended && n > 0 && out.length === 0) throw new FormatError(`${where}: not a WFDB annotation file (no annotations, no end marker)`);
  return out;
}

/** Read an MIT-format annotation file. Throws FormatError when it is malformed. */
export async function readWfdbAnnotations(path: string): Promise<BeatAnnotation[]> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    throw new FormatError(`${path}: cannot read annotation file: ${(e as Error).message.split('\n')[0]}`);
  }
  return parseWfdbAnnotations(bytes, path);
}

const NOTE = 22;

/** The annotation code of a symbol: its index in the table, or the n of '[n]'; undefined for symbols WFDB lacks. */
function annotationCode(symbol: string): number | undefined {
  const k = SYMBOLS.indexOf(symbol);
  if (k > 0) return k;
  const m = /^\[(\d+)\]$/.exec(symbol);
  return m && Number(m[1]) >= 1 && Number(m[1]) <= 49 ? Number(m[1]) : undefined;
}

/**
 * Encode annotations as an MIT-format annotation file, the inverse of parseWfdbAnnotations (sorted by sample; CHN and
 * NUM written only when they change, as WFDB does). A symbol WFDB has no code for becomes a NOTE ('"') with the
 * symbol as its aux text, so nothing is lost.
 */
export function encodeWfdbAnnotations(annotations: readonly BeatAnnotation[]): Uint8Array {
  const bytes: number[] = [];
  const word = (code: number, data: number): void => {
    const w = (code << 10) | (data & 0x3ff);
    bytes.push(w & 0xff, w >> 8);
  };
  let last = 0;
  let chan = 0;
  let num = 0;
  for (const a of [...annotations].sort((x, y) => x.sample - y.sample)) {
    let code = annotationCode(a.symbol);
    let aux = a.aux;
    if (code === undefined) {
      code = NOTE;
      aux = aux ? `${a.symbol} ${aux}` : a.symbol;
    }
    const diff = a.sample - last;
    if (diff < 0 || !Number.isInteger(diff) || diff > 0x7fffffff) throw new Error(`annotation at sample ${a.sample} cannot be encoded`);
    if (diff > 0x3ff) {
      word(SKIP, 0);
      const hi = Math.floor(diff / 0x10000);
      const lo = diff & 0xffff;
      bytes.push(hi & 0xff, hi >> 8, lo & 0xff, lo >> 8);
      word(code, 0);
    } else {
      word(code, diff);
    }
    last = a.sample;
    if (a.subtype !== undefined && a.subtype !== 0) word(SUB, a.subtype);
    const c = a.channel ?? 0;
    if (c !== chan) {
      word(CHN, c);
      chan = c;
    }
    const n = a.num ?? 0;
    if (n !== num) {
      word(NUM, n);
      num = n;
    }
    if (aux) {
      const text = [...aux].map((ch) => ch.charCodeAt(0) & 0xff).slice(0, 255);
      word(AUX, text.length);
      bytes.push(...text);
      if (text.length & 1) bytes.push(0);
    }
  }
  word(0, 0);
  return Uint8Array.from(bytes);
}
