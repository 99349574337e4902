// EDF, EDF+ and BDF (24-bit BioSemi) recordings.
//
// Policies (documented for users of the record):
// - Annotation channels ('EDF Annotations', 'BDF Annotations') are not leads; their TALs become an
//   AnnotationSet 'edf' (symbol '"', text in aux), sample = onset x sampling rate.
// - Only voltage channels (units V/mV/uV/nV) become leads; others (temperature, degrees, blank units)
//   are skipped and listed in attributes['edf.skipped'], because consumers convert every lead to mV.
// - Leads must share one rate: the voltage channels at the highest rate are kept, slower ones are
//   skipped and listed in attributes['edf.skipped'] (no resampling, so storage stays bit-exact).
// - EDF+D (discontinuous) is read as its data records back to back; attributes['edf.discontinuous']
//   says so and the record onsets stay in the annotation set.
// - A file shorter than its declared data records is read up to its last complete record
//   (attributes['edf.truncatedRecords'] holds how many are missing).
import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { canonicalLeadName, millivoltsPerUnit } from '../../src-shared/record.ts';
import type { BeatAnnotation, EcgRecord, LeadSignal } from '../../src-shared/record.ts';
import { FormatError } from './format-error.ts';
import { printable } from './printable.ts';
import type { EcgFileReader } from './reader.ts';

interface EdfSignal {
  label: string;
  units: string;
  physMin: number;
  physMax: number;
  digMin: number;
  digMax: number;
  samplesPerRecord: number;
  transducer: string;
  prefilter: string;
}

interface EdfHeader {
  bdf: boolean;
  plus: '' | 'C' | 'D';
  patient: string;
  recording: string;
  startDate: string;
  startTime: string;
  headerBytes: number;
  records: number;
  recordSeconds: number;
  signals: EdfSignal[];
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const MAX_SIGNALS = 4096;

const ascii = (b: Uint8Array, start: number, len: number): string =>
  new TextDecoder('latin1').decode(b.subarray(start, start + len)).trim();

function isAnnotation(s: EdfSignal): boolean {
  return s.label === 'EDF Annotations' || s.label === 'BDF Annotations';
}

/** True when the bytes start like an EDF ('0' + 7 spaces) or BDF (0xFF 'BIOSEMI') header. */
export function looksLikeEdf(head: Uint8Array): boolean {
  if (head.length < 256) return false;
  const bdf = head[0] === 0xff && ascii(head, 1, 7) === 'BIOSEMI';
  const edf = ascii(head, 0, 8) === '0' && head[1] === 0x20;
  if (!bdf && !edf) return false;
  return /^\d+$/.test(ascii(head, 184, 8)) && /^\d+$/.test(ascii(head, 252, 4));
}

function num(b: Uint8Array, start: number, len: number, what: string, where: string): number {
  const s = ascii(b, start, len);
  const v = Number(s);
  if (s === '' || !Number.isFinite(v))
    throw new FormatError(`${where}: header field '${printable(what)}' is '${printable(s)}', not a number`);
  return v;
}

export function parseEdfHeader(b: Uint8Array, where: string): EdfHeader {
  if (!looksLikeEdf(b)) throw new FormatError(`${where}: not an EDF/BDF header`);
  const bdf = b[0] === 0xff;
  const reserved = ascii(b, 192, 44);
  const plus =
    reserved.startsWith('EDF+D') || reserved.startsWith('BDF+D')
      ? 'D'
      : reserved.startsWith('EDF+C') || reserved.startsWith('BDF+C')
        ? 'C'
        : '';
  const ns = num(b, 252, 4, 'number of signals', where);
  if (!Number.isInteger(ns) || ns < 1 || ns > MAX_SIGNALS) throw new FormatError(`${where}: header declares ${ns} signals`);
  const headerBytes = num(b, 184, 8, 'header bytes', where);
  if (headerBytes !== 256 * (ns + 1)) throw new FormatError(`${where}: header size ${headerBytes} does not match ${ns} signals`);
  if (b.length < headerBytes) throw new FormatError(`${where}: header of ${headerBytes} bytes is truncated at ${b.length}`);
  const field = (offset: number, width: number, i: number) => 256 + offset * ns + i * width;
  const signals: EdfSignal[] = [];
  for (let i = 0; i < ns; i++) {
    const label = ascii(b, field(0, 16, i), 16);
    const s: EdfSignal = {
      label,
      transducer: ascii(b, field(16, 80, i), 80),
      units: ascii(b, field(96, 8, i), 8),
      physMin: num(b, field(104, 8, i), 8, `physical minimum of ${label}`, where),
      physMax: num(b, field(112, 8, i), 8, `physical maximum of ${label}`, where),
      digMin: num(b, field(120, 8, i), 8, `digital minimum of ${label}`, where),
      digMax: num(b, field(128, 8, i), 8, `digital maximum of ${label}`, where),
      prefilter: ascii(b, field(136, 80, i), 80),
      samplesPerRecord: num(b, field(216, 8, i), 8, `samples per record of ${label}`, where),
    };
    if (!Number.isInteger(s.samplesPerRecord) || s.samplesPerRecord < 0 || s.samplesPerRecord > 1e8) {
      throw new FormatError(`${where}: signal '${printable(label)}' declares ${s.samplesPerRecord} samples per record`);
    }
    signals.push(s);
  }
  return {
    bdf,
    plus,
    patient: ascii(b, 8, 80),
    recording: ascii(b, 88, 80),
    startDate: ascii(b, 168, 8),
    startTime: ascii(b, 176, 8),
    headerBytes,
    records: num(b, 236, 8, 'number of data records', where),
    recordSeconds: num(b, 244, 8, 'data record duration', where),
    signals,
  };
}

/** Start as ISO 8601; EDF+ 'Startdate dd-MMM-yyyy' fixes the two-digit header year. */
function startIso(h: EdfHeader, subsecond: number): string | undefined {
  const d = h.startDate.match(/^(\d\d)\.(\d\d)\.(\d\d)$/);
  const t = h.startTime.match(/^(\d\d)\.(\d\d)\.(\d\d)$/);
  if (!d || !t) return undefined;
  const yy = Number(d[3]);
  let year = String(yy >= 85 ? 1900 + yy : 2000 + yy);
  const plusDate = h.recording.match(/^Startdate (\d\d)-([A-Z]{3})-(\d{4})/);
  if (plusDate && MONTHS.includes(plusDate[2])) year = plusDate[3];
  const frac = subsecond > 0 && subsecond < 1 ? subsecond.toFixed(6).replace(/0+$/, '').slice(1) : '';
  return `${year}-${d[2]}-${d[1]}T${t[1]}:${t[2]}:${t[3]}${frac}`;
}

/** Whole years from an EDF+ birthdate ('30-JUN-1969') to the ISO start. */
function ageAt(birth: string | undefined, start: string | undefined): number | undefined {
  const m = birth?.match(/^(\d\d)-([A-Z]{3})-(\d{4})$/);
  const month = m ? MONTHS.indexOf(m[2]) + 1 : 0;
  if (!m || month === 0 || !start) return undefined;
  const [y, mo, d] = start.slice(0, 10).split('-').map(Number);
  const age = y - Number(m[3]) - (mo < month || (mo === month && d < Number(m[1])) ? 1 : 0);
  return age >= 0 && age < 150 ? age : undefined;
}

/** Time-stamped annotation lists of one annotation signal's bytes in one data record. */
function parseTals(bytes: Uint8Array): { onset: number; duration?: number; texts: string[] }[] {
  const out: { onset: number; duration?: number; texts: string[] }[] = [];
  const text = new TextDecoder('utf-8').decode(bytes);
  for (const tal of text.split('\0')) {
    if (tal === '') continue;
    const parts = tal.split('\x14');
    const [onsetStr, durStr] = parts[0].split('\x15');
    const onset = Number(onsetStr);
    if (!/^[+-]\d/.test(onsetStr) || !Number.isFinite(onset)) continue;
    const duration = durStr === undefined ? undefined : Number(durStr);
    out.push({ onset, duration: Number.isFinite(duration) ? duration : undefined, texts: parts.slice(1).filter((s) => s !== '') });
  }
  return out;
}

export function parseEdf(b: Uint8Array, filePath: string): EcgRecord {
  const where = path.basename(filePath);
  const h = parseEdfHeader(b, where);
  const bytesPerSample = h.bdf ? 3 : 2;
  const recordBytes = h.signals.reduce((n, s) => n + s.samplesPerRecord, 0) * bytesPerSample;
  if (recordBytes === 0) throw new FormatError(`${where}: data records are empty (0 samples per record)`);
  const available = Math.floor((b.length - h.headerBytes) / recordBytes);
  const declared = h.records;
  if (!Number.isInteger(declared) || declared < -1) throw new FormatError(`${where}: header declares ${declared} data records`);
  const records = declared === -1 ? available : Math.min(declared, available);
  if (records === 0) throw new FormatError(`${where}: no complete data record after the ${h.headerBytes}-byte header`);

  const attributes: Record<string, string | number> = {};
  if (declared > available) attributes['edf.truncatedRecords'] = declared - available;
  if (h.plus === 'D') attributes['edf.discontinuous'] = 'EDF+D: data records concatenated, gaps not represented';
  if (h.patient) attributes['edf.patient'] = h.patient;
  if (h.recording) attributes['edf.recording'] = h.recording;

  const offsets: number[] = [];
  h.signals.reduce((o, s) => (offsets.push(o), o + s.samplesPerRecord * bytesPerSample), 0);
  const read = (pos: number) =>
    h.bdf ? ((b[pos] | (b[pos + 1] << 8) | (b[pos + 2] << 16)) << 8) >> 8 : ((b[pos] | (b[pos + 1] << 8)) << 16) >> 16;

  const skipped: string[] = [];
  const voltage = h.signals
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => {
      if (isAnnotation(s)) return false;
      if (millivoltsPerUnit(s.units) === undefined || s.samplesPerRecord === 0) {
        skipped.push(`${s.label} (units '${s.units}')`);
        return false;
      }
      return true;
    });
  if (voltage.length === 0) throw new FormatError(`${where}: no voltage signals (only annotations or non-voltage channels)`);
  const perRecord = Math.max(...voltage.map(({ s }) => s.samplesPerRecord));
  const kept = voltage.filter(({ s }) => {
    if (s.samplesPerRecord === perRecord) return true;
    skipped.push(`${s.label} (${s.samplesPerRecord} samples/record, not ${perRecord})`);
    return false;
  });
  if (skipped.length > 0) attributes['edf.skipped'] = skipped.join('; ');

  const length = perRecord * records;
  const leads: LeadSignal[] = kept.map(({ s, i }) => {
    const digital = h.bdf ? new Int32Array(length) : new Int16Array(length);
    for (let r = 0, k = 0; r < records; r++) {
      let pos = h.headerBytes + r * recordBytes + offsets[i];
      for (let j = 0; j < perRecord; j++, pos += bytesPerSample) digital[k++] = read(pos);
    }
    const gain = (s.digMax - s.digMin) / (s.physMax - s.physMin);
    if (!Number.isFinite(gain) || gain === 0)
      throw new FormatError(`${where}: signal '${printable(s.label)}' has equal or invalid physical/digital limits`);
    return { name: canonicalLeadName(s.label), units: s.units, gain, baseline: s.digMin - s.physMin * gain, digital };
  });

  const annotations: BeatAnnotation[] = [];
  let subsecond = 0;
  const samplingRate = h.recordSeconds > 0 ? perRecord / h.recordSeconds : NaN;
  if (!Number.isFinite(samplingRate) || samplingRate <= 0)
    throw new FormatError(`${where}: data record duration ${h.recordSeconds} s gives no sampling rate`);
  h.signals.forEach((s, i) => {
    if (!isAnnotation(s)) return;
    for (let r = 0; r < records; r++) {
      const start = h.headerBytes + r * recordBytes + offsets[i];
      const tals = parseTals(b.subarray(start, start + s.samplesPerRecord * bytesPerSample));
      // The first TAL of each record only keeps time (its onset is the record start).
      tals.forEach((tal, k) => {
        if (k === 0 && tal.texts.length === 0) {
          if (r === 0) subsecond = tal.onset;
          return;
        }
        for (const t of tal.texts) {
          const aux = tal.duration !== undefined ? `${t} (${tal.duration} s)` : t;
          annotations.push({ sample: Math.round((tal.onset - subsecond) * samplingRate), symbol: '"', aux });
        }
      });
    }
  });

  const patientFields = h.plus ? h.patient.split(' ') : [];
  const code = patientFields[0];
  const sex = patientFields[1];
  const startTime = startIso(h, subsecond);
  return {
    format: 'edf',
    recordName: path.basename(filePath, path.extname(filePath)),
    patientId: code && code !== 'X' ? code : undefined,
    samplingRate,
    length,
    startTime,
    leads,
    age: ageAt(patientFields[2], startTime),
    sex: sex === 'M' || sex === 'F' ? sex : undefined,
    labels: [],
    annotations: annotations.length > 0 ? [{ annotator: 'edf', annotations }] : undefined,
    attributes,
  };
}

export const edfReader: EcgFileReader = {
  format: 'edf',
  extensions: ['.edf', '.bdf'],
  detect: (head) => looksLikeEdf(head),
  async companions() {
    return [];
  },
  async read(filePath) {
    // Read the header first so a bad header fails before a large file is loaded.
    const fh = await open(filePath, 'r');
    try {
      const head = new Uint8Array(256);
      await fh.read(head, 0, 256, 0);
      if (!looksLikeEdf(head)) throw new FormatError(`${path.basename(filePath)}: not an EDF/BDF header`);
    } finally {
      await fh.close();
    }
    return [parseEdf(await readFile(filePath), filePath)];
  },
};
