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
  /** 'dd/mm/yyyy'; CinC 2020's 'dd-Mon-yyyy' is rewritten to it. */
  baseDate?: string;
  signals: WfdbSignalSpec[];
  segments: WfdbSegmentSpec[];
  /** Comment lines without the leading '#', trimmed. */
  comments: string[];
  /** What the parser worked around (a malformed base date or time, left unknown); one line each. */
  warnings: string[];
}

/** Signal formats whose samples this project decodes. */
export const SUPPORTED_FORMATS = new Set([0, 8, 16, 24, 32, 61, 80, 160, 212, 310, 311]);
export const FLAC_FORMATS = new Set([508, 516, 524]);

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;
const TIME = /^\d{1,2}(:\d{1,2}){0,2}(\.\d+)?$/;
const DATE = /^\d{1,2}\/\d{1,2}\/\d{1,4}$/;
/** CinC 2020 sources (CPSC, G12EC, PTB, INCART) write the date as '05-Feb-2020', before the time. */
const NAMED_MONTH_DATE = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Plausible ranges: outside them a header cannot describe a usable ECG (and would break analysis later). The lowest
 * rate admits hourly numerics records (1/3600 Hz); the highest is beyond any ECG or Holter.
 */
export const FREQUENCY_RANGE = { min: 1e-5, max: 1e6 };
export const GAIN_RANGE = { min: 1e-6, max: 1e9 };
export const MAX_SIGNALS = 1024;
/** Samples per signal; 2^31 - 1 is also the longest typed array a lead may be. */
export const MAX_LENGTH = 2 ** 31 - 1;

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

type RecordLine = Omit<WfdbHeader, 'signals' | 'segments' | 'comments'>;

/** 'dd/mm/yyyy' for a base date token in either layout, or undefined when it is neither or no real date. */
function baseDate(token: string): string | undefined {
  let d: number, m: number, y: number;
  const named = NAMED_MONTH_DATE.exec(token);
  if (named) {
    m = MONTHS.indexOf(named[2].toLowerCase()) + 1;
    [d, y] = [Number(named[1]), Number(named[3])];
  } else if (DATE.test(token)) {
    [d, m, y] = token.split('/').map(Number);
  } else {
    return undefined;
  }
  if (m < 1 || m > 12 || d < 1 || d > 31) return undefined;
  return `${String(d).padStart(2, '0')}/${String(m).padStart(2, '0')}/${y}`;
}

/**
 * Base time and date after the number of samples. PhysioNet's tools accept them in either order (CinC 2020 writes
 * the date first, as '05-Feb-2020'); a token that is neither is kept as unknown with a warning, never a refusal.
 */
function parseBaseTimeAndDate(tokens: string[], out: RecordLine, where: string): void {
  for (const token of tokens) {
    if (out.baseTime === undefined && TIME.test(token)) {
      out.baseTime = token;
      continue;
    }
    const date = out.baseDate === undefined ? baseDate(token) : undefined;
    if (date !== undefined) {
      out.baseDate = date;
      continue;
    }
    out.warnings.push(`${where}: base time/date '${printable(token, 30)}' is not a time or date; start time kept as unknown`);
  }
}

function parseRecordLine(line: string, where: string): RecordLine {
  const t = line.trim().split(/\s+/);
  const m = /^([^/]+)(?:\/(\d+))?$/.exec(t[0]);
  if (!m) throw new FormatError(`${where}: record name '${printable(t[0])}' is malformed`);
  if (t.length < 2) throw new FormatError(`${where}: record line lacks the number of signals`);
  const signalCount = int(t[1], 'number of signals', where);
  if (signalCount < 0) throw new FormatError(`${where}: negative number of signals`);
  if (signalCount > MAX_SIGNALS) throw new FormatError(`${where}: ${signalCount} signals is more than the ${MAX_SIGNALS} LeadLens reads`);
  const out: RecordLine = { recordName: m[1], signalCount, frequency: 250, warnings: [] };
  if (m[2] !== undefined) out.segmentCount = Number(m[2]);
  if (t.length > 2) {
    const f = /^([^/]+)(?:\/([^(]+)(?:\(([^)]+)\))?)?$/.exec(t[2]);
    if (!f) throw new FormatError(`${where}: sampling frequency '${printable(t[2])}' is malformed`);
    out.frequency = num(f[1], 'sampling frequency', where);
    if (!(out.frequency >= FREQUENCY_RANGE.min && out.frequency <= FREQUENCY_RANGE.max)) {
      throw new FormatError(
        `${where}: sampling frequency ${t[2]} Hz is outside the plausible range ${FREQUENCY_RANGE.min}-${FREQUENCY_RANGE.max} Hz`,
      );
    }
    if (f[2] !== undefined) out.counterFrequency = num(f[2], 'counter frequency', where);
    if (f[3] !== undefined) out.baseCounter = num(f[3], 'base counter', where);
  }
  if (t.length > 3) {
    out.length = int(t[3], 'number of samples', where);
    if (out.length < 0) throw new FormatError(`${where}: negative number of samples`);
    if (out.length > MAX_LENGTH)
      throw new FormatError(`${where}: ${t[3]} samples per signal is more than the ${MAX_LENGTH} LeadLens reads`);
  }
  parseBaseTimeAndDate(t.slice(4), out, where);
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
  if (samplesPerFrame > 1_000_000) throw new FormatError(`${where}: ${fm[2]} samples per frame is implausible`);
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
    // 0 means 'not given' (WFDB default 200); anything else outside the range turns samples into nonsense or infinity.
    if (gain !== 0 && !(gain >= GAIN_RANGE.min && gain <= GAIN_RANGE.max)) {
      throw new FormatError(
        `${where}: ADC gain ${g[1]} is outside the plausible range ${GAIN_RANGE.min}-${GAIN_RANGE.max} units per ${g[3] ?? 'mV'}`,
      );
    }
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
      throw new FormatError(
        `${headerPath}:${i + 1}: line holds a '#' comment after other fields (merged lines?): '${printable(trimmed, 80)}'`,
      );
    }
    body.push({ text: trimmed, no: i + 1 });
  });
  if (body.length === 0) throw new FormatError(`${headerPath}: no record line (empty header)`);
  const first = body[0];
  // A file that is no header at all (any text named .hea) is refused without quoting it: the reason is shown to
  // whoever asked for the ingest, and the file may be one they should not read (issue 12: /etc/passwd as a .hea).
  if (!/^[\w.~-]+(\/\d+)?\s+\d+(\s|$)/.test(first.text)) {
    throw new FormatError(`${headerPath}:${first.no}: not a WFDB header (the first line is not '<record> <signals> ...')`);
  }
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
