// WFDB header (.hea) parser: record line, signal lines or segment lines, and comments.
// Spec: https://physionet.org/physiotools/wag/header-5.htm
import { FormatError } from './format-error.ts';
import { printable } from './printable.ts';

export interface WfdbSignalSpec {
  /** Signal file name relative to the header's folder; '~' for a layout/null signal. */
  fileName: string;
  format: number;
  samplesPerFrame: number;
  skew: number;
  byteOffset: number;
  /** ADC units per physical unit (WFDB default 200 when the header gives 0 or nothing). */
  gain: number;
  baseline: number;
  units: string;
  adcResolution: number;
  adcZero: number;
  initialValue: number;
  /** 16-bit checksum of all samples, when given. */
  checksum?: number;
  blockSize: number;
  description: string;
}

export interface WfdbSegmentSpec {
  /** Segment record name, or '~' for a gap. */
  name: string;
  length: number;
}

export interface WfdbHeader {
  recordName: string;
  /** Present for multi-segment headers. */
  segmentCount?: number;
  signalCount: number;
  /** Frames per second. */
  frequency: number;
  counterFrequency?: number;
  baseCounter?: number;
  /** Frames per signal; undefined when the header omits it (then the signal file size decides). */
  length?: number;
  /** 'hh:mm:ss[.sss]' as written. */
  baseTime?: string;
  /** 'dd/mm/yyyy' as written. */
  baseDate?: string;
  signals: WfdbSignalSpec[];
  segments: WfdbSegmentSpec[];
  /** Comment lines without the leading '#', trimmed. */
  comments: string[];
}

/** Signal formats whose samples this project decodes. */
export const SUPPORTED_FORMATS = new Set([0, 8, 16, 24, 32, 61, 80, 160, 212, 310, 311]);
export const FLAC_FORMATS = new Set([508, 516, 524]);

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;
const TIME = /^\d{1,2}(:\d{1,2}){0,2}(\.\d+)?$/;
const DATE = /^\d{1,2}\/\d{1,2}\/\d{1,4}$/;

function num(token: string, what: string, where: string): number {
  if (!NUMBER.test(token)) throw new FormatError(`${where}: ${what} '${token}' is not a number`);
  return Number(token);
}

function int(token: string, what: string, where: string): number {
  if (!INTEGER.test(token)) throw new FormatError(`${where}: ${what} '${token}' is not an integer`);
  return Number(token);
}

/** True when `line` looks like a WFDB record line (used for content detection). */
export function isWfdbRecordLine(line: string): boolean {
  const t = line.trim().split(/\s+/);
  if (t.length < 2 || !/^[\w.-]+(\/\d+)?$/.test(t[0])) return false;
  if (!/^\d+$/.test(t[1])) return false;
  return t.length < 3 || /^[\d.eE+-]+(\/[\d.eE+-]+(\([\d.eE+-]+\))?)?$/.test(t[2]);
}

function parseRecordLine(line: string, where: string): Omit<WfdbHeader, 'signals' | 'segments' | 'comments'> {
  const t = line.trim().split(/\s+/);
  const m = /^([^/]+)(?:\/(\d+))?$/.exec(t[0]);
  if (!m) throw new FormatError(`${where}: record name '${t[0]}' is malformed`);
  if (t.length < 2) throw new FormatError(`${where}: record line lacks the number of signals`);
  const signalCount = int(t[1], 'number of signals', where);
  if (signalCount < 0) throw new FormatError(`${where}: negative number of signals`);
  const out: Omit<WfdbHeader, 'signals' | 'segments' | 'comments'> = {
    recordName: m[1],
    signalCount,
    frequency: 250,
  };
  if (m[2] !== undefined) out.segmentCount = Number(m[2]);
  if (t.length > 2) {
    const f = /^([^/]+)(?:\/([^(]+)(?:\(([^)]+)\))?)?$/.exec(t[2]);
    if (!f) throw new FormatError(`${where}: sampling frequency '${t[2]}' is malformed`);
    out.frequency = num(f[1], 'sampling frequency', where);
    if (!(out.frequency > 0)) throw new FormatError(`${where}: sampling frequency must be positive, got '${t[2]}'`);
    if (f[2] !== undefined) out.counterFrequency = num(f[2], 'counter frequency', where);
    if (f[3] !== undefined) out.baseCounter = num(f[3], 'base counter', where);
  }
  if (t.length > 3) {
    out.length = int(t[3], 'number of samples', where);
    if (out.length < 0) throw new FormatError(`${where}: negative number of samples`);
  }
  if (t.length > 4) {
    if (!TIME.test(t[4])) throw new FormatError(`${where}: base time '${t[4]}' is malformed`);
    out.baseTime = t[4];
  }
  if (t.length > 5) {
    if (!DATE.test(t[5])) throw new FormatError(`${where}: base date '${t[5]}' is malformed`);
    out.baseDate = t[5];
  }
  if (t.length > 6) throw new FormatError(`${where}: unexpected text after the base date: '${t.slice(6).join(' ')}'`);
  return out;
}

const DEFAULT_RESOLUTION: Record<number, number> = { 8: 8, 80: 8, 212: 12, 310: 10, 311: 10, 24: 24, 32: 32 };

function parseSignalLine(line: string, where: string): WfdbSignalSpec {
  // The description is free text: split off the first 9 fields, the rest is the description.
  const t = line.trim().split(/\s+/);
  const fileName = t[0];
  if (t.length < 2) throw new FormatError(`${where}: signal line lacks a format`);
  const fm = /^(\d+)(?:x(\d+))?(?::(\d+))?(?:\+(\d+))?$/.exec(t[1]);
  if (!fm) throw new FormatError(`${where}: signal format '${t[1]}' is malformed`);
  const format = Number(fm[1]);
  if (!SUPPORTED_FORMATS.has(format) && !FLAC_FORMATS.has(format)) {
    throw new FormatError(`${where}: unknown WFDB signal format ${format}`);
  }
  const samplesPerFrame = fm[2] === undefined ? 1 : Number(fm[2]);
  if (samplesPerFrame < 1) throw new FormatError(`${where}: samples per frame must be at least 1`);
  const spec: WfdbSignalSpec = {
    fileName,
    format,
    samplesPerFrame,
    skew: fm[3] === undefined ? 0 : Number(fm[3]),
    byteOffset: fm[4] === undefined ? 0 : Number(fm[4]),
    gain: 200,
    baseline: 0,
    units: 'mV',
    adcResolution: DEFAULT_RESOLUTION[format] ?? 16,
    adcZero: 0,
    initialValue: 0,
    blockSize: 0,
    description: '',
  };
  let baseline: number | undefined;
  if (t.length > 2) {
    const g = /^([^(/]+)(?:\(([^)]*)\))?(?:\/(.+))?$/.exec(t[2]);
    if (!g) throw new FormatError(`${where}: ADC gain '${t[2]}' is malformed`);
    const gain = num(g[1], 'ADC gain', where);
    if (gain < 0) throw new FormatError(`${where}: ADC gain must not be negative, got '${t[2]}'`);
    if (gain !== 0) spec.gain = gain;
    if (g[2] !== undefined) baseline = int(g[2], 'baseline', where);
    if (g[3] !== undefined) spec.units = g[3];
  }
  if (t.length > 3) {
    const res = int(t[3], 'ADC resolution', where);
    if (res > 0) spec.adcResolution = res;
  }
  if (t.length > 4) spec.adcZero = int(t[4], 'ADC zero', where);
  spec.baseline = baseline ?? spec.adcZero;
  if (t.length > 5) spec.initialValue = int(t[5], 'initial value', where);
  if (t.length > 6) spec.checksum = int(t[6], 'checksum', where);
  if (t.length > 7) spec.blockSize = int(t[7], 'block size', where);
  if (t.length > 8) spec.description = t.slice(8).join(' ');
  return spec;
}

function parseSegmentLine(line: string, where: string): WfdbSegmentSpec {
  const t = line.trim().split(/\s+/);
  if (t.length !== 2) throw new FormatError(`${where}: segment line must be 'name length', got '${line.trim()}'`);
  const length = int(t[1], 'segment length', where);
  if (length < 0) throw new FormatError(`${where}: negative segment length`);
  return { name: t[0], length };
}

/**
 * Parse a WFDB header. Throws FormatError naming `headerPath` and the line number for anything
 * malformed (a merged or truncated line, a wrong signal count), never returning a partial header.
 */
export function parseWfdbHeader(text: string, headerPath: string): WfdbHeader {
  if (text.includes('\0')) throw new FormatError(`${headerPath}: not a WFDB header (binary content)`);
  const lines = text.split(/\r\n|\r|\n/);
  const comments: string[] = [];
  const body: { text: string; no: number }[] = [];
  lines.forEach((raw, i) => {
    const trimmed = raw.trim();
    if (trimmed === '') return;
    const hash = trimmed.indexOf('#');
    if (hash === 0) {
      comments.push(trimmed.slice(1).trim());
      return;
    }
    // A '#' inside a record/signal line means a comment line was merged into it.
    if (hash > 0) {
      throw new FormatError(`${headerPath}:${i + 1}: line holds a '#' comment after other fields (merged lines?): '${printable(trimmed, 80)}'`);
    }
    body.push({ text: trimmed, no: i + 1 });
  });
  if (body.length === 0) throw new FormatError(`${headerPath}: no record line (empty header)`);
  const first = body[0];
  const record = parseRecordLine(first.text, `${headerPath}:${first.no}`);
  const signals: WfdbSignalSpec[] = [];
  const segments: WfdbSegmentSpec[] = [];
  const rest = body.slice(1);
  if (record.segmentCount !== undefined) {
    if (rest.length !== record.segmentCount) {
      const where = `${headerPath}:${(rest[record.segmentCount] ?? rest[rest.length - 1] ?? first).no}`;
      throw new FormatError(`${where}: header declares ${record.segmentCount} segments but has ${rest.length} segment lines`);
    }
    for (const l of rest) segments.push(parseSegmentLine(l.text, `${headerPath}:${l.no}`));
  } else {
    if (rest.length !== record.signalCount) {
      const where = `${headerPath}:${(rest[record.signalCount] ?? rest[rest.length - 1] ?? first).no}`;
      throw new FormatError(`${where}: header declares ${record.signalCount} signals but has ${rest.length} signal lines`);
    }
    for (const l of rest) signals.push(parseSignalLine(l.text, `${headerPath}:${l.no}`));
  }
  return { ...record, signals, segments, comments };
}
