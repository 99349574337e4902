// ISHNE Holter signal files (.ecg, 'ISHNE1.0') with their annotation file (.ann) when one lies beside them.
//
// Policies:
// - The header CRC covers the header only (not the samples) and every field used is range-checked, so a CRC
//   mismatch is a warning on the record, not a refusal.
// - A file shorter than its header says is read up to its last complete sample frame, with a warning; a header
//   sample count of 0 or less is read as "up to the end of the file", with a warning.
// - Samples (int16 per lead, interleaved) are read in chunks straight into one Int16Array per lead, so a 24 h file
//   is held once, not twice. Units: gain = 1000 / resolution counts per µV.
import { open, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DeviceReading, EcgRecord, LeadSignal } from '../../src-shared/record.ts';
import { FormatError } from './format-error.ts';
import { parseIshneAnnotations } from './ishne-annotation.ts';
import {
  ISHNE_ANNOTATION_MAGIC,
  ISHNE_FIXED_BYTES,
  ISHNE_MAX_LEADS,
  ishneCrcValid,
  ishneLeadNames,
  ishneMagic,
  parseIshneHeader,
} from './ishne-header.ts';
import type { IshneHeader } from './ishne-header.ts';
import type { EcgFileReader } from './reader.ts';

/** A variable block larger than this is not a Holter header (the standard's blocks hold text notes). */
const MAX_VARIABLE_BLOCK = 16 * 1024 * 1024;
const CHUNK_BYTES = 4 * 1024 * 1024;
const LITTLE_ENDIAN = os.endianness() === 'LE';

function ageAt(birth: string | undefined, date: string | undefined): number | undefined {
  if (!birth || !date) return undefined;
  const [by, bm, bd] = birth.split('-').map(Number);
  const [y, m, d] = date.split('-').map(Number);
  const age = y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
  return age >= 0 && age < 150 ? age : undefined;
}

/** Check the fields the samples depend on; a one-line reason when one is unusable. */
function checkHeader(h: IshneHeader, fileBytes: number, where: string): void {
  if (h.leadCount < 1 || h.leadCount > ISHNE_MAX_LEADS)
    throw new FormatError(`${where}: header declares ${h.leadCount} leads (1-${ISHNE_MAX_LEADS})`);
  if (h.samplingRate < 1) throw new FormatError(`${where}: header declares a sampling rate of ${h.samplingRate} Hz`);
  if (h.variableBlockBytes < 0 || h.variableBlockBytes > MAX_VARIABLE_BLOCK || ISHNE_FIXED_BYTES + h.variableBlockBytes > fileBytes) {
    throw new FormatError(`${where}: variable header block of ${h.variableBlockBytes} bytes does not fit the ${fileBytes}-byte file`);
  }
  if (h.dataOffset < ISHNE_FIXED_BYTES || h.dataOffset > fileBytes)
    throw new FormatError(`${where}: ECG block offset ${h.dataOffset} lies outside the ${fileBytes}-byte file`);
  for (let i = 0; i < h.leadCount; i++) {
    if (h.resolutions[i] <= 0) throw new FormatError(`${where}: lead ${i + 1} resolution is ${h.resolutions[i]} nV`);
  }
}

/** Read `length` interleaved int16 frames of `leads` leads from `offset` into one array per lead, chunk by chunk. */
async function readLeads(filePath: string, offset: number, leads: number, length: number): Promise<Int16Array[]> {
  const out = Array.from({ length: leads }, () => new Int16Array(length));
  const frameBytes = 2 * leads;
  const chunkFrames = Math.max(1, Math.floor(CHUNK_BYTES / frameBytes));
  const chunk = new Uint8Array(chunkFrames * frameBytes);
  const words = new Int16Array(chunk.buffer);
  const view = new DataView(chunk.buffer);
  const fh = await open(filePath, 'r');
  try {
    for (let frame = 0; frame < length;) {
      const frames = Math.min(chunkFrames, length - frame);
      const want = frames * frameBytes;
      let got = 0;
      while (got < want) {
        const { bytesRead } = await fh.read(chunk, got, want - got, offset + frame * frameBytes + got);
        if (bytesRead === 0) throw new FormatError(`${path.basename(filePath)}: file shrank while being read`);
        got += bytesRead;
      }
      for (let l = 0; l < leads; l++) {
        const dst = out[l];
        if (LITTLE_ENDIAN) for (let i = 0, k = l; i < frames; i++, k += leads) dst[frame + i] = words[k];
        else for (let i = 0, k = 2 * l; i < frames; i++, k += frameBytes) dst[frame + i] = view.getInt16(k, true);
      }
      frame += frames;
    }
  } finally {
    await fh.close();
  }
  return out;
}

/** The .ann beside an .ecg (same stem, any case of the extension), if there is one. */
async function annotationFile(filePath: string): Promise<string | undefined> {
  const dir = path.dirname(filePath);
  const stem = path.basename(filePath, path.extname(filePath));
  const names = await readdir(dir).catch(() => [] as string[]);
  const hit = names.find((n) => n.toLowerCase() === `${stem.toLowerCase()}.ann` && path.basename(n, path.extname(n)) === stem);
  return hit ? path.join(dir, hit) : undefined;
}

/** Samples held in memory at most (all leads, bytes): a quarter of the machine's memory, leaving room to hash and store. */
const DEFAULT_MAX_SIGNAL_BYTES = Math.min(os.totalmem() / 4, 2 ** 34);

export async function readIshne(filePath: string, opts: { maxSignalBytes?: number } = {}): Promise<EcgRecord> {
  const where = path.basename(filePath);
  const fh = await open(filePath, 'r');
  let header: Uint8Array;
  let fileBytes: number;
  let h: IshneHeader;
  try {
    fileBytes = (await fh.stat()).size;
    const fixed = new Uint8Array(Math.min(fileBytes, ISHNE_FIXED_BYTES));
    await fh.read(fixed, 0, fixed.length, 0);
    h = parseIshneHeader(fixed, where);
    if (h.magic === ISHNE_ANNOTATION_MAGIC) {
      throw new FormatError(
        `${where}: ISHNE annotation file without its signal file ${path.basename(filePath, path.extname(filePath))}.ecg`,
      );
    }
    checkHeader(h, fileBytes, where);
    header = new Uint8Array(ISHNE_FIXED_BYTES + h.variableBlockBytes);
    header.set(fixed);
    if (h.variableBlockBytes > 0) await fh.read(header, ISHNE_FIXED_BYTES, h.variableBlockBytes, ISHNE_FIXED_BYTES);
  } finally {
    await fh.close();
  }

  const warnings: string[] = [];
  if (!ishneCrcValid(header, h)) warnings.push(`header CRC mismatch (stored ${h.storedCrc}); header fields used as read`);
  const frameBytes = 2 * h.leadCount;
  const available = Math.floor((fileBytes - h.dataOffset) / frameBytes);
  let length = h.samplesPerLead;
  if (length <= 0) {
    warnings.push(`header declares ${h.samplesPerLead} samples per lead; read the ${available} the file holds`);
    length = available;
  } else if (length > available) {
    const missing = ((h.samplesPerLead - available) / h.samplingRate).toFixed(1);
    warnings.push(`file is shorter than its header says: ${available} of ${h.samplesPerLead} samples per lead (${missing} s missing)`);
    length = available;
  }
  if (length === 0) throw new FormatError(`${where}: no samples after the ${h.dataOffset}-byte header`);
  // A week-long multi-lead Holter can exceed memory: keep its beginning and say so rather than fail on allocation.
  const maxSignalBytes = opts.maxSignalBytes ?? DEFAULT_MAX_SIGNAL_BYTES;
  const fits = Math.min(Math.floor(maxSignalBytes / frameBytes), 2 ** 30);
  if (length > fits) {
    const hours = (n: number) => (n / h.samplingRate / 3600).toFixed(1);
    warnings.push(
      `read the first ${hours(fits)} h of ${hours(length)} h: the whole recording does not fit in memory (${maxSignalBytes} bytes)`,
    );
    length = fits;
  }

  const digital = await readLeads(filePath, h.dataOffset, h.leadCount, length);
  const names = ishneLeadNames(h.leadSpecs.slice(0, h.leadCount));
  const leads: LeadSignal[] = digital.map((d, i) => ({
    name: names[i],
    units: 'uV',
    gain: 1000 / h.resolutions[i],
    baseline: 0,
    digital: d,
  }));

  let annotations: EcgRecord['annotations'];
  const ann = await annotationFile(filePath);
  if (ann) {
    try {
      const parsed = parseIshneAnnotations(await readFile(ann), path.basename(ann), length);
      annotations = [{ annotator: 'ishne', annotations: parsed.annotations }];
      warnings.push(...parsed.warnings);
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
      warnings.push(`annotations not read: ${e.message}`);
    }
  }

  const attributes: Record<string, string | number> = { 'ishne.fileVersion': h.fileVersion };
  if (h.birthDate) attributes['ishne.birthDate'] = h.birthDate;
  if (h.pacemaker > 0) attributes['ishne.pacemaker'] = h.pacemaker;
  const qualities = h.leadQualities.slice(0, h.leadCount);
  if (qualities.some((q) => q > 0)) attributes['ishne.leadQuality'] = qualities.join(',');
  if (h.variableBlockBytes > 0) {
    const note = new TextDecoder('latin1').decode(
      header.subarray(ISHNE_FIXED_BYTES, ISHNE_FIXED_BYTES + Math.min(h.variableBlockBytes, 4096)),
    );
    const clean = Array.from(note.replace(/\0+$/, ''), (c) => (c < ' ' ? ' ' : c))
      .join('')
      .trim();
    if (clean) attributes['ishne.variableBlock'] = clean;
  }
  const device: DeviceReading | undefined = h.recorder ? { model: h.recorder, measurements: {}, statements: [] } : undefined;
  return {
    format: 'ishne',
    recordName: path.basename(filePath, path.extname(filePath)),
    patientId: h.subjectId || undefined,
    samplingRate: h.samplingRate,
    length,
    startTime: h.recordDate ? `${h.recordDate}${h.startTime ? `T${h.startTime}` : ''}` : undefined,
    leads,
    age: ageAt(h.birthDate, h.recordDate),
    sex: h.sex === 1 ? 'M' : h.sex === 2 ? 'F' : undefined,
    labels: [],
    annotations,
    attributes,
    ...(device ? { device } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

export const ishneReader: EcgFileReader = {
  format: 'ishne',
  // No extension fallback: '.ecg' and '.ann' are used by other vendors (Contec, Mortara), whose files should not
  // be told they are broken ISHNE files.
  detect: (head) => ishneMagic(head) !== undefined,
  async companions(filePath) {
    if (path.extname(filePath).toLowerCase() === '.ann') return [];
    const ann = await annotationFile(filePath);
    return ann ? [ann] : [];
  },
  async read(filePath) {
    return [await readIshne(filePath)];
  },
};
