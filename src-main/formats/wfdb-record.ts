// WFDB record reader: header + signal files (+ optional annotation files) -> EcgRecord.
//
// Multi-frequency records are exposed at ONE rate: frame rate x the largest samples-per-frame,
// signals with fewer samples per frame are repeated (sample-and-hold), so the fastest signal
// (usually the ECG) keeps its full resolution. Multi-segment records are concatenated; gaps ('~'
// segments, or signals a segment lacks) hold the WFDB invalid sample (`gapSample`, -32768 in
// Int16 leads, -2^31 in Int32 leads). In variable-layout records each segment's samples are
// rescaled to the layout header's gain and baseline so one lead has one gain.
import { statSync } from 'node:fs';
import { open, readFile, realpath, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { canonicalLeadName, INVALID_DIGITAL_16, INVALID_DIGITAL_32 } from '../../src-shared/record.ts';
import type { AnnotationSet, EcgRecord, LeadSignal, SourceLabel } from '../../src-shared/record.ts';
import { FormatError } from './format-error.ts';
import { parseMatV4Header } from './mat-v4.ts';
import { readWfdbAnnotations } from './wfdb-annotation.ts';
import { FLAC_FORMATS, parseWfdbHeader } from './wfdb-header.ts';
import type { WfdbHeader, WfdbSignalSpec } from './wfdb-header.ts';
import { assertDecodable, checksum16, decodeFlacSignalFile, decodeSignalFile, deinterleave16, samplesInBytes } from './wfdb-signal.ts';
import type { DigitalArray } from './wfdb-signal.ts';

export interface ReadWfdbOptions {
  /** Annotation file extensions to attach when the files exist beside the header, e.g. ['atr']. */
  annotators?: string[];
}

/** Signals decoded from one (single-segment) header, at the record's single output rate. */
interface DecodedSignals {
  rate: number;
  length: number;
  specs: WfdbSignalSpec[];
  digital: DigitalArray[];
}

/** The value that marks a missing sample in a lead of this array type. */
export function gapSample(d: DigitalArray): number {
  return d instanceof Int32Array ? INVALID_DIGITAL_32 : INVALID_DIGITAL_16;
}

/**
 * True when `file` is there. Synchronous and without an exception for a missing file: ingest asks this about three
 * annotation files per record, nearly always absent, and an async stat's rejected Error costs more than the lookup.
 */
export function fileExists(file: string): boolean {
  try {
    return statSync(file, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}

function readError(e: unknown, file: string, where: string): FormatError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new FormatError(`${where}: file ${path.basename(file)} not found`);
  return new FormatError(`${where}: cannot read ${path.basename(file)}: ${(e as Error).message.split('\n')[0]}`);
}

async function readBytes(file: string, where: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (e) {
    throw readError(e, file, where);
  }
}

export async function readWfdbHeaderFile(headerPath: string): Promise<WfdbHeader> {
  const bytes = await readBytes(headerPath, headerPath);
  return parseWfdbHeader(new TextDecoder('latin1').decode(bytes), headerPath);
}

/**
 * `name` (a signal file or segment header named by a header) joined to the header's folder. Throws when the name
 * leads out of that folder ('../', an absolute path): a header must never make LeadLens read a file the user did not
 * choose. The reason does not repeat the name, which may be anything.
 */
export function fileInHeaderFolder(headerPath: string, name: string, what: string): string {
  const dir = path.dirname(headerPath);
  const file = path.resolve(dir, name);
  const rel = path.relative(dir, file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel) || name.includes('\0')) {
    throw new FormatError(`${headerPath}: ${what} named by the header lies outside the header's folder; not read`);
  }
  return file;
}

const isInside = (dir: string, file: string): boolean => {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
};

/**
 * As fileInHeaderFolder, after resolving symlinks: a link inside the folder that points out of it is refused too.
 * The folder is the header's as given or, when the header is itself a link, the real header's (a folder of links to a
 * dataset keeps each header's signal files beside the real header).
 */
async function realFileInHeaderFolder(headerPath: string, name: string, what: string): Promise<string> {
  const file = fileInHeaderFolder(headerPath, name, what);
  let real: string;
  let realDir: string;
  let realHeader: string;
  try {
    [real, realDir, realHeader] = await Promise.all([realpath(file), realpath(path.dirname(headerPath)), realpath(headerPath)]);
  } catch (e) {
    throw readError(e, file, headerPath);
  }
  if (!isInside(realDir, real) && !isInside(path.dirname(realHeader), real)) {
    throw new FormatError(`${headerPath}: ${what} named by the header is a link to outside the header's folder; not read`);
  }
  return real;
}

/** Signal files a header names (deduplicated, absolute), excluding '~' null signals. Throws for a name out of the folder. */
export function signalFilePaths(header: WfdbHeader, headerPath: string): string[] {
  const names = [...new Set(header.signals.map((s) => s.fileName).filter((f) => f !== '~'))];
  return names.map((f) => fileInHeaderFolder(headerPath, f, 'a signal file'));
}

/** Where the samples start: the header's byte offset, or past the MATLAB v4 header of a .mat file. */
function dataStart(bytes: Uint8Array, spec: WfdbSignalSpec, nInFile: number, where: string): number {
  if (!spec.fileName.toLowerCase().endsWith('.mat')) return spec.byteOffset;
  const mat = parseMatV4Header(bytes, where);
  const expected = spec.format === 16 ? 3 : spec.format === 32 ? 2 : -1;
  if (mat.precision !== expected) {
    throw new FormatError(`${where}: ${spec.fileName} holds MATLAB precision ${mat.precision}, header says WFDB format ${spec.format}`);
  }
  if (mat.rows !== nInFile) throw new FormatError(`${where}: ${spec.fileName} has ${mat.rows} rows, header lists ${nInFile} signals in it`);
  if (spec.byteOffset !== 0 && spec.byteOffset < mat.dataOffset) {
    throw new FormatError(`${where}: byte offset ${spec.byteOffset} points inside the MATLAB header of ${spec.fileName}`);
  }
  return spec.byteOffset || mat.dataOffset;
}

/** Bytes read at a time from a format-16 signal file; a file this size or smaller is read in one go. */
const READ_BLOCK = 1 << 22;

/** Fills `buf[0, n)` from `pos`; a file that ends early is truncated (it shrank since its size was taken). */
async function readFully(fh: FileHandle, buf: Uint8Array, n: number, pos: number, where: string): Promise<Uint8Array> {
  for (let got = 0; got < n;) {
    const { bytesRead } = await fh.read(buf, got, n - got, pos + got);
    if (bytesRead === 0) throw new FormatError(`${where}: signal file is truncated: ended ${n - got} bytes early`);
    got += bytesRead;
  }
  return buf.subarray(0, n);
}

/**
 * A format-16 file with one sample per signal per frame, decoded block by block straight into one Int16Array per
 * signal: a day-long Holter is never held twice (file bytes and leads), and the next block is read while this one is
 * deinterleaved. `plan` gets the bytes after the data start and returns the frames to decode. Also gives each signal's
 * sum of samples (checksum16 before masking), taken on the way.
 */
async function readFormat16Frames(
  file: string,
  spec: WfdbSignalSpec,
  nsig: number,
  plan: (bodyBytes: number) => number,
  where: string,
): Promise<{ leads: Int16Array[]; sums: Int32Array }> {
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (e) {
    throw readError(e, file, where);
  }
  try {
    const size = (await fh.stat()).size;
    const first = await readFully(fh, new Uint8Array(Math.min(size, READ_BLOCK)), Math.min(size, READ_BLOCK), 0, where);
    const start = dataStart(first, spec, nsig, where);
    if (start > size) throw new FormatError(`${where}: byte offset ${start} is past the end of ${spec.fileName} (${size} bytes)`);
    const frames = plan(size - start);
    const out: Int16Array[] = [];
    for (let s = 0; s < nsig; s++) out.push(new Int16Array(frames));
    const sums = new Int32Array(nsig);
    const frameBytes = 2 * nsig;
    if (start + frames * frameBytes <= first.length) {
      deinterleave16(first.subarray(start, start + frames * frameBytes), out, 0, sums);
      return { leads: out, sums };
    }
    const blockFrames = Math.max(1, Math.floor(READ_BLOCK / frameBytes));
    const buffers = [new Uint8Array(blockFrames * frameBytes), new Uint8Array(blockFrames * frameBytes)];
    const readBlock = (k: number): Promise<Uint8Array> => {
      const f0 = k * blockFrames;
      return readFully(fh, buffers[k % 2], Math.min(blockFrames, frames - f0) * frameBytes, start + f0 * frameBytes, where);
    };
    let next = readBlock(0);
    for (let k = 0; k * blockFrames < frames; k++) {
      const block = await next;
      if ((k + 1) * blockFrames < frames) next = readBlock(k + 1);
      deinterleave16(block, out, k * blockFrames, sums);
    }
    return { leads: out, sums };
  } finally {
    await fh.close();
  }
}

async function decodeSingle(header: WfdbHeader, headerPath: string): Promise<DecodedSignals> {
  const specs = header.signals;
  const perSignal: DigitalArray[] = new Array(specs.length);
  // Frames come from the header, or from the first signal file's size when the header omits them.
  let frames = header.length;
  const files = [...new Set(specs.map((s) => s.fileName))];
  for (const file of files) {
    const idx = specs.flatMap((s, i) => (s.fileName === file ? [i] : []));
    const first = specs[idx[0]];
    if (file === '~') {
      continue;
    }
    if (file === '-') throw new FormatError(`${headerPath}: signals read from standard input ('-') are not supported`);
    for (const i of idx) {
      if (specs[i].format !== first.format) {
        throw new FormatError(`${headerPath}: signals in ${file} mix formats ${first.format} and ${specs[i].format}`);
      }
    }
    assertDecodable(first.format, `${headerPath}: ${file}`);
    const filePath = await realFileInHeaderFolder(headerPath, file, 'a signal file');
    const spf = idx.map((i) => specs[i].samplesPerFrame);
    const frameSize = spf.reduce((a, b) => a + b, 0);
    const maxSkew = Math.max(...idx.map((i) => specs[i].skew));
    // Frames to decode, given the bytes after the data start; checks the file holds the record.
    const planFrames = (available: number): number => {
      frames ??= available;
      if (available < frames) {
        throw new FormatError(`${headerPath}: ${file} is truncated: holds ${available} of ${frames} frames`);
      }
      return Math.min(available, frames + maxSkew);
    };
    const plan = (bodyBytes: number): number => planFrames(Math.floor(samplesInBytes(first.format, bodyBytes) / frameSize));
    let decoded: DigitalArray[];
    let sums: Int32Array | undefined;
    if (FLAC_FORMATS.has(first.format)) {
      const flac = decodeFlacSignalFile(await readBytes(filePath, headerPath), first.format, spf, `${headerPath}: ${file}`);
      const n = planFrames(Math.floor(flac[0].length / spf[0])) * spf[0];
      decoded = flac.map((d) => d.subarray(0, n));
    } else if (first.format === 16 && frameSize === idx.length) {
      ({ leads: decoded, sums } = await readFormat16Frames(filePath, first, idx.length, plan, headerPath));
    } else {
      const bytes = await readBytes(filePath, headerPath);
      const start = dataStart(bytes, first, idx.length, headerPath);
      if (start > bytes.length)
        throw new FormatError(`${headerPath}: byte offset ${start} is past the end of ${file} (${bytes.length} bytes)`);
      const body = bytes.subarray(start);
      decoded = decodeSignalFile(
        body,
        { format: first.format, samplesPerFrame: spf, initialValues: idx.map((i) => specs[i].initialValue) },
        plan(body.length),
        `${headerPath}: ${file}`,
      );
    }
    idx.forEach((sigIndex, k) => {
      const spec = specs[sigIndex];
      let d = decoded[k];
      const want = frames! * spec.samplesPerFrame;
      if (spec.skew > 0) {
        // Skew: the signal's sample i was written at frame i + skew; samples past the file are gaps.
        const shifted = d instanceof Int32Array ? new Int32Array(want) : new Int16Array(want);
        const from = spec.skew * spec.samplesPerFrame;
        const avail = Math.max(0, Math.min(want, d.length - from));
        shifted.set(d.subarray(from, from + avail));
        shifted.fill(gapSample(shifted), avail);
        d = shifted;
      } else if (d.length !== want) {
        d = d.subarray(0, want);
      }
      // Checksums cover the signal as stored, so a skewed signal (shifted, tail missing) is not checked.
      if (spec.checksum !== undefined && spec.skew === 0) {
        // The block reader summed the samples as it went; that sum holds while d is its whole, unshifted array.
        const got = sums !== undefined && d === decoded[k] ? sums[k] & 0xffff : checksum16(d);
        if (got !== (spec.checksum & 0xffff)) {
          throw new FormatError(
            `${headerPath}: checksum mismatch for signal ${sigIndex} (${spec.description || file}): header ${spec.checksum & 0xffff}, data ${got}`,
          );
        }
      }
      perSignal[sigIndex] = d;
    });
  }
  const length = frames ?? 0;
  specs.forEach((s, i) => {
    if (perSignal[i] === undefined) perSignal[i] = new Int16Array(length * s.samplesPerFrame).fill(INVALID_DIGITAL_16);
  });
  const maxSpf = Math.max(1, ...specs.map((s) => s.samplesPerFrame));
  const digital = perSignal.map((d, i) => expandFrames(d, specs[i].samplesPerFrame, maxSpf));
  return { rate: header.frequency * maxSpf, length: length * maxSpf, specs, digital };
}

/** Repeat samples of a signal with `spf` samples per frame up to `maxSpf` per frame. */
function expandFrames(d: DigitalArray, spf: number, maxSpf: number): DigitalArray {
  if (spf === maxSpf) return d;
  const n = (d.length / spf) * maxSpf;
  const out = d instanceof Int32Array ? new Int32Array(n) : new Int16Array(n);
  for (let k = 0; k < n; k++) out[k] = d[Math.floor((k * spf) / maxSpf)];
  return out;
}

function leadFromSpec(spec: WfdbSignalSpec, index: number, digital: DigitalArray): LeadSignal {
  const raw = spec.description.trim();
  return {
    name: raw === '' ? `signal ${index}` : canonicalLeadName(raw),
    units: spec.units,
    gain: spec.gain,
    baseline: spec.baseline,
    digital,
  };
}

/** Rescale a segment's samples to the layout signal's gain and baseline; gaps stay gaps. */
function rescale(d: DigitalArray, from: WfdbSignalSpec, to: WfdbSignalSpec, invalidIn: number, out: DigitalArray, at: number): void {
  const invalidOut = gapSample(out);
  if (from.gain === to.gain && from.baseline === to.baseline) {
    for (let i = 0; i < d.length; i++) out[at + i] = d[i] === invalidIn ? invalidOut : d[i];
    return;
  }
  const k = to.gain / from.gain;
  const lo = out instanceof Int32Array ? -2147483647 : -32767;
  const hi = out instanceof Int32Array ? 2147483647 : 32767;
  for (let i = 0; i < d.length; i++) {
    const v = d[i];
    out[at + i] = v === invalidIn ? invalidOut : Math.min(hi, Math.max(lo, Math.round((v - from.baseline) * k + to.baseline)));
  }
}

/** The invalid-sample code of a WFDB format (what a segment writes for 'no data'). */
function formatInvalid(format: number): number {
  switch (format) {
    case 80:
    case 8:
    case 508:
      return -128;
    case 212:
      return -2048;
    case 310:
    case 311:
      return -512;
    case 24:
    case 524:
      return -8388608;
    case 32:
      return -2147483648;
    default:
      return -32768;
  }
}

async function decodeMultiSegment(header: WfdbHeader, headerPath: string): Promise<DecodedSignals> {
  const segs = header.segments;
  if (segs.length === 0) throw new FormatError(`${headerPath}: multi-segment header lists no segments`);
  // A variable-layout record starts with a zero-length layout segment naming the signals.
  const hasLayout = segs[0].length === 0 && segs[0].name !== '~';
  const parts: { header: WfdbHeader; path: string; length: number }[] = [];
  for (const seg of segs.slice(hasLayout ? 1 : 0)) {
    if (seg.name === '~') continue;
    const p = await realFileInHeaderFolder(headerPath, `${seg.name}.hea`, 'a segment header');
    const h = await readWfdbHeaderFile(p);
    if (h.segmentCount !== undefined) throw new FormatError(`${p}: a segment must not itself be multi-segment`);
    for (const f of signalFilePaths(h, p)) {
      try {
        await stat(f);
      } catch {
        throw new FormatError(`${headerPath}: segment ${seg.name}: file ${path.basename(f)} not found`);
      }
    }
    parts.push({ header: h, path: p, length: seg.length });
  }
  let layout: WfdbSignalSpec[];
  if (hasLayout) {
    const lp = await realFileInHeaderFolder(headerPath, `${segs[0].name}.hea`, 'a layout header');
    layout = (await readWfdbHeaderFile(lp)).signals;
  } else {
    if (parts.length === 0) throw new FormatError(`${headerPath}: multi-segment record has only gaps`);
    layout = parts[0].header.signals;
  }
  const frames = segs.reduce((a, s) => a + s.length, 0);
  if (header.length !== undefined && header.length !== frames) {
    throw new FormatError(`${headerPath}: record length ${header.length} differs from the sum of segment lengths ${frames}`);
  }
  // Segments share the frame rate; the output rate is frame rate x max samples per frame.
  const spfOf = (h: WfdbHeader): number => Math.max(1, ...h.signals.map((s) => s.samplesPerFrame));
  const mult = parts.length > 0 ? spfOf(parts[0].header) : 1;
  for (const part of parts) {
    if (part.header.frequency !== header.frequency) {
      throw new FormatError(
        `${part.path}: segment frame rate ${part.header.frequency} Hz differs from the record's ${header.frequency} Hz`,
      );
    }
    if (spfOf(part.header) !== mult) {
      throw new FormatError(`${part.path}: segment has ${spfOf(part.header)} samples per frame, earlier segments ${mult}`);
    }
  }
  const total = frames * mult;
  const wide =
    layout.some((s) => s.format === 24 || s.format === 32 || s.format === 524) ||
    parts.some((p) => p.header.signals.some((s) => s.format === 24 || s.format === 32 || s.format === 524));
  const out: DigitalArray[] = layout.map(() => (wide ? new Int32Array(total) : new Int16Array(total)));
  for (const o of out) o.fill(gapSample(o));
  let at = 0;
  let partIndex = 0;
  for (const seg of segs.slice(hasLayout ? 1 : 0)) {
    if (seg.name !== '~') {
      const part = parts[partIndex++];
      const decoded = await decodeSingle(part.header, part.path);
      if (decoded.length !== seg.length * mult) {
        throw new FormatError(`${headerPath}: segment ${seg.name} has ${decoded.length} samples, the record header says ${seg.length}`);
      }
      layout.forEach((ls, li) => {
        const si = hasLayout
          ? decoded.specs.findIndex((s) => s.description === ls.description)
          : decoded.specs.length === layout.length
            ? li
            : -1;
        if (si < 0) {
          if (!hasLayout)
            throw new FormatError(`${part.path}: fixed-layout segment has ${decoded.specs.length} signals, expected ${layout.length}`);
          return;
        }
        const spec = decoded.specs[si];
        rescale(decoded.digital[si], spec, hasLayout ? ls : spec, formatInvalid(spec.format), out[li], at);
      });
    }
    at += seg.length * mult;
  }
  return { rate: header.frequency * mult, length: total, specs: layout, digital: out };
}

const SEX: Record<string, 'M' | 'F'> = { m: 'M', male: 'M', f: 'F', female: 'F' };

/** CinC (`#Age: 85`, `#Dx: 1,2`) and PhysioNet (`<age>: 25 <sex>: M`) comment fields. */
function commentFields(comments: string[]): Map<string, string> {
  const fields = new Map<string, string>();
  for (const c of comments) {
    const tagged = [...c.matchAll(/<([^>]+)>:\s*([^<]*)/g)];
    if (tagged.length > 0) {
      for (const m of tagged) fields.set(m[1].trim().toLowerCase(), m[2].trim());
      continue;
    }
    const m = /^([A-Za-z][\w ]{0,30}):\s*(.*)$/.exec(c);
    if (m) fields.set(m[1].trim().toLowerCase(), m[2].trim());
  }
  return fields;
}

function dxLabels(dx: string): SourceLabel[] {
  return dx
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '' && s.toLowerCase() !== 'unknown')
    .map((code) => ({ vocabulary: /^\d+$/.test(code) ? 'SNOMED' : 'CinC-abbrev', code }));
}

/** LeadLens's export line for labels outside SNOMED CT: `vocabulary:code` pairs, percent-encoded, comma-separated. */
function exportedLabels(line: string): SourceLabel[] {
  const labels: SourceLabel[] = [];
  for (const pair of line.split(',')) {
    const m = /^([^:\s]+):(\S+)$/.exec(pair.trim());
    if (!m) continue;
    try {
      labels.push({ vocabulary: decodeURIComponent(m[1]), code: decodeURIComponent(m[2]) });
    } catch {
      // A malformed escape is someone else's '#Labels' line, not ours: ignore the pair.
    }
  }
  return labels;
}

/** ISO start time from WFDB base time ('h:m:s[.f]', 'm:s.f') and base date ('dd/mm/yyyy'). */
function isoStart(time: string | undefined, date: string | undefined): string | undefined {
  if (time === undefined || date === undefined) return undefined;
  const parts = time.split(':').map(Number);
  while (parts.length < 3) parts.unshift(0);
  const [h, m, s] = parts;
  const [dd, mm, yyyy] = date.split('/').map(Number);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const sec = s.toFixed(3).padStart(6, '0');
  return `${pad(yyyy, 4)}-${pad(mm)}-${pad(dd)}T${pad(h)}:${pad(m)}:${sec}`;
}

/** Read a single- or multi-segment WFDB record (incl. CinC .hea + .mat). Throws FormatError. */
export async function readWfdbRecord(headerPath: string, options: ReadWfdbOptions = {}): Promise<EcgRecord> {
  const header = await readWfdbHeaderFile(headerPath);
  if (header.segmentCount === undefined && header.signalCount === 0) {
    throw new FormatError(`${headerPath}: record has no signals`);
  }
  if (header.segmentCount === undefined && header.signals.every((s) => s.fileName === '~')) {
    throw new FormatError(`${headerPath}: record names no signal file (only '~' null signals); nothing to read`);
  }
  if (header.length === 0) throw new FormatError(`${headerPath}: record has zero samples (length 0 in the header)`);
  const decoded = header.segmentCount === undefined ? await decodeSingle(header, headerPath) : await decodeMultiSegment(header, headerPath);
  if (decoded.length === 0) throw new FormatError(`${headerPath}: record has zero samples (empty signal file)`);
  const leads = decoded.specs.map((s, i) => leadFromSpec(s, i, decoded.digital[i]));
  const fields = commentFields(header.comments);
  const attributes: Record<string, string | number> = {};
  const labels: SourceLabel[] = [];
  const dx = fields.get('dx');
  if (dx !== undefined) labels.push(...dxLabels(dx));
  const other = fields.get('labels');
  if (other !== undefined) labels.push(...exportedLabels(other));
  for (const key of ['Rx', 'Hx', 'Sx']) {
    const v = fields.get(key.toLowerCase());
    if (v !== undefined) attributes[key] = v;
  }
  if (header.comments.length > 0) attributes.comments = header.comments.join('\n');
  if (decoded.rate !== header.frequency) attributes.frameRate = header.frequency;
  const startTime = isoStart(header.baseTime, header.baseDate);
  if (startTime === undefined && header.baseTime !== undefined) attributes.baseTime = header.baseTime;
  if (startTime === undefined && header.baseDate !== undefined) attributes.baseDate = header.baseDate;
  const record: EcgRecord = {
    format: dx !== undefined ? 'cinc' : 'wfdb',
    recordName: header.recordName,
    samplingRate: decoded.rate,
    length: decoded.length,
    leads,
    labels,
    attributes,
  };
  if (startTime !== undefined) record.startTime = startTime;
  if (header.warnings.length > 0) record.warnings = header.warnings.map((w) => w.replace(headerPath, path.basename(headerPath)));
  // MIT-BIH style first comment: '69 M 1085 1629 x1' (age, sex, ...).
  const mit = header.comments.map((c) => /^(\d{1,3}) ([MF])\b/.exec(c)).find((m) => m !== null);
  if (mit && !fields.has('age')) fields.set('age', mit[1]);
  if (mit && !fields.has('sex')) fields.set('sex', mit[2]);
  const age = Number(fields.get('age'));
  if (fields.get('age') !== undefined && Number.isFinite(age) && age >= 0) record.age = age;
  const sex = SEX[(fields.get('sex') ?? '').toLowerCase()];
  if (sex !== undefined) record.sex = sex;
  const annotations = await readAnnotationSets(headerPath, options.annotators ?? []);
  if (annotations.length > 0) record.annotations = annotations;
  return record;
}

/** Annotation files `<record>.<annotator>` beside the header that exist, read. */
export async function readAnnotationSets(headerPath: string, annotators: string[]): Promise<AnnotationSet[]> {
  const base = headerPath.replace(/\.hea$/i, '');
  const sets: AnnotationSet[] = [];
  for (const annotator of annotators) {
    const file = `${base}.${annotator}`;
    if (!fileExists(file)) continue;
    sets.push({ annotator, annotations: await readWfdbAnnotations(file) });
  }
  return sets;
}
