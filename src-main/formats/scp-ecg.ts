// SCP-ECG records (EN 1064 / ISO 11073-91064, versions 1.x-2.x): sections 0-8, 10 and 11.
//
// Policies:
// - CRCs: a bad CRC over a signal section (2-6) refuses the file, because a damaged Huffman/difference stream
//   still decodes into a plausible but wrong ECG (difference coding carries one bad bit into every later
//   sample). A bad CRC over the whole file, or over a section the signal does not depend on (1, 7, 8, 10, 11),
//   is a warning on the record: its samples are intact and the warning says which fields may be wrong. A stored
//   CRC of 0x0000 or 0xFFFF that does not match is read as "not computed" (some writers leave it so): a warning.
// - Rhythm = section 6 residual (+ section 5 reference beat over section 4's type-0 subtraction zones when
//   section 3 says the reference beat was subtracted); bimodal residuals are expanded to full rate first.
// - Samples stay in counts; gain = 1000 / AVM counts per µV. III, aVR, aVL, aVF are derived from I and II when absent.
// - Known quirk: PC-80B handhelds declare a one-code 16-bit "Huffman" table but store raw little-endian words,
//   value = (w & 0xFFF) - 2048 (bits 15/14: beat flags). Detected from the data, read with a warning.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { deriveLimbLeads } from '../../src-shared/derived-leads.ts';
import { canonicalLeadName } from '../../src-shared/record.ts';
import type { DeviceReading, EcgRecord, LeadSignal } from '../../src-shared/record.ts';
import { FormatError } from './format-error.ts';
import type { EcgFileReader } from './reader.ts';
import { DEFAULT_HUFFMAN_TABLE, huffmanDecoder, parseHuffmanTables } from './scp-huffman.ts';
import type { HuffmanDecoder, HuffmanTable } from './scp-huffman.ts';
import { addReferenceBeat, bimodalValueCount, expandBimodal, normaliseZones, undoDifferences } from './scp-reconstruct.ts';
import type { SampleZone } from './scp-reconstruct.ts';
import {
  looksLikeScp,
  parseEncodedSignal,
  parseGlobalMeasurements,
  parseLayout,
  parseLeadMeasurements,
  parseLeads,
  parsePatient,
  parseQrsLocations,
  parseTextStatements,
  parseUniversalStatements,
  scpLeadName,
} from './scp-sections.ts';
import type { ScpEncodedSignal, ScpLeads, ScpPatient, ScpQrsLocations, ScpSection } from './scp-sections.ts';

const SIGNAL_SECTIONS = [2, 3, 4, 5, 6];
/** More samples per lead than any real SCP record holds (SCP is for resting ECGs; 1 h at 1 kHz). */
const MAX_SAMPLES = 3_600_000;
/** Samples of all leads together (12 leads x 1 h x 1 kHz fits), bounding what a damaged header can make us allocate. */
const MAX_RECORD_SAMPLES = 64_000_000;
/** Not read into memory: far beyond MAX_RECORD_SAMPLES even uncompressed. */
const MAX_FILE_BYTES = 256 * 1024 * 1024;

/** The decoder of a lead stream: Huffman per section 2, or plain little-endian int16 when there is no section 2. */
type StreamDecoder = (bytes: Uint8Array, count: number, lead: string) => Int32Array;

function rawInt16(bytes: Uint8Array, count: number): Int32Array {
  const n = Math.min(count, bytes.length >> 1);
  const out = new Int32Array(n);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < n; i++) out[i] = v.getInt16(2 * i, true);
  return out;
}

/** PC-80B quirk: a single 16-bit raw code, and every stored little-endian word fits the 12-bit layout. */
function isPc80bLayout(tables: HuffmanTable[] | undefined, rhythm: ScpEncodedSignal, lengths: number[]): boolean {
  const only = tables?.length === 1 && tables[0].length === 1 ? tables[0][0] : undefined;
  if (!only || only.prefixBits !== 0 || only.totalBits !== 16 || rhythm.difference !== 0) return false;
  return rhythm.streams.every((s, i) => {
    if (s.length !== 2 * lengths[i]) return false;
    for (let k = 1; k < s.length; k += 2) if (s[k] & 0x30) return false;
    return true;
  });
}

function pc80bWords(bytes: Uint8Array): Int32Array {
  const out = new Int32Array(bytes.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = ((bytes[2 * i] | (bytes[2 * i + 1] << 8)) & 0xfff) - 2048;
  return out;
}

/** The device's reference (median) beat of section 5, per lead in counts of `avm` nV. */
export interface ScpReferenceBeat {
  samplingRate: number;
  avm: number;
  /** Fiducial point (0-based sample) when section 4 gives it. */
  fiducial?: number;
  leads: { name: string; values: Int32Array }[];
}

/** Lead names made unique ('unspecified', 'unspecified-2'): a record's leads are looked up by name. */
function uniqueNames(names: string[]): string[] {
  const seen = new Set<string>();
  return names.map((n, i) => {
    const name = seen.has(n) ? `${n}-${i + 1}` : n;
    seen.add(name);
    return name;
  });
}

interface Decoded {
  reference?: ScpReferenceBeat;
  samplingRate: number;
  /** Samples per lead of the record (the longest lead's end). */
  length: number;
  leads: { name: string; avm: number; values: Int32Array; start: number }[];
  compression: string[];
}

function decodeSignal(sections: Map<number, ScpSection>, leads: ScpLeads, where: string, warnings: string[]): Decoded {
  const s2 = sections.get(2);
  const tables = s2 ? parseHuffmanTables(s2.data, where) : undefined;
  const huffman: HuffmanDecoder | undefined = tables ? huffmanDecoder(tables, where) : undefined;
  const decode: StreamDecoder = huffman ? huffman.decode : rawInt16;
  const compression = [
    !tables
      ? 'no Huffman coding'
      : tables[0] === DEFAULT_HUFFMAN_TABLE
        ? 'default Huffman table'
        : `${tables.length} custom Huffman table(s)`,
  ];
  const names = uniqueNames(leads.leads.map((l) => canonicalLeadName(scpLeadName(l.code))));
  const s4 = sections.get(4);
  const qrs: ScpQrsLocations | undefined = s4 ? parseQrsLocations(s4.data, where) : undefined;

  let reference: ScpEncodedSignal | undefined;
  let referenceBeats: Int32Array[] | undefined;
  const s5 = sections.get(5);
  if (s5) {
    reference = parseEncodedSignal(s5.data, 5, leads.leads.length, where);
    // The beat lasts section 4's length in ms; without section 4, the stream itself bounds it.
    const count = qrs && qrs.referenceBeatMs > 0 ? Math.round((qrs.referenceBeatMs * 1000) / reference.intervalUs) : MAX_SAMPLES;
    referenceBeats = reference.streams.map((s, i) =>
      undoDifferences(decode(s, Math.min(count, s.length * 8), names[i]), reference!.difference),
    );
  }

  const referenceBeat: ScpReferenceBeat | undefined = reference &&
    referenceBeats && {
      samplingRate: rateOf(reference.intervalUs),
      avm: reference.avm,
      fiducial: qrs && qrs.referenceFiducial > 0 ? qrs.referenceFiducial - 1 : undefined,
      leads: referenceBeats.map((values, i) => ({ name: names[i], values })),
    };
  const s6 = sections.get(6);
  if (!s6) {
    if (!reference || !referenceBeats) throw new FormatError(`${where}: no rhythm data (section 6) and no reference beat (section 5)`);
    warnings.push("no rhythm data (section 6): the record holds the device's reference beat only");
    const length = Math.max(...referenceBeats.map((b) => b.length));
    return {
      samplingRate: rateOf(reference.intervalUs),
      length,
      leads: referenceBeats.map((values, i) => ({ name: names[i], avm: reference!.avm, values, start: 1 })),
      compression: [...compression, 'reference beat only'],
      reference: referenceBeat,
    };
  }
  const rhythm = parseEncodedSignal(s6.data, 6, leads.leads.length, where);
  const lengths = leads.leads.map((l) => l.end - l.start + 1);
  const length = Math.max(...leads.leads.map((l) => l.end));
  // Leads recorded in turn cover the record between them; more samples than all leads hold is a damaged section 3.
  const covered = lengths.reduce((a, n) => a + n, 0);
  if (length > MAX_SAMPLES || length > covered || length * leads.leads.length > MAX_RECORD_SAMPLES) {
    throw new FormatError(`${where}: section 3 declares ${length} samples per lead for ${leads.leads.length} leads covering ${covered}`);
  }

  if (isPc80bLayout(tables, rhythm, lengths)) {
    warnings.push('section 6 holds raw 12-bit words, not the Huffman code section 2 declares (PC-80B quirk): read as (w & 0xFFF) - 2048');
    return {
      samplingRate: rateOf(rhythm.intervalUs),
      length,
      leads: rhythm.streams.map((s, i) => ({ name: names[i], avm: rhythm.avm, values: pc80bWords(s), start: leads.leads[i].start })),
      compression: ['raw 12-bit words (PC-80B)'],
    };
  }

  let samplingRate = rateOf(rhythm.intervalUs);
  let factor = 1;
  if (rhythm.bimodal) {
    if (!reference || !qrs)
      throw new FormatError(`${where}: bimodal rhythm data without the reference beat (section 5) and QRS locations (section 4)`);
    factor = Math.round(rhythm.intervalUs / reference.intervalUs);
    if (factor < 1 || factor > 16)
      throw new FormatError(`${where}: bimodal decimation factor ${rhythm.intervalUs}/${reference.intervalUs} µs is not usable`);
    samplingRate = rateOf(reference.intervalUs);
    compression.push(`bimodal, decimation ${factor}`);
  }
  if (rhythm.difference > 0) compression.push(rhythm.difference === 1 ? 'first differences' : 'second differences');

  const subtract = leads.referenceBeatSubtracted;
  if (subtract && (!qrs || !referenceBeats || !reference)) {
    throw new FormatError(`${where}: section 3 says the reference beat was subtracted, but section ${qrs ? 5 : 4} is missing`);
  }
  if (subtract) compression.push(`reference beat subtracted (${qrs!.qrs.filter((q) => q.type === 0).length} beats)`);
  else if (referenceBeats) compression.push('reference beat stored, not subtracted');

  const decodedLeads = rhythm.streams.map((stream, i) => {
    const lead = leads.leads[i];
    const zones: SampleZone[] = normaliseZones(
      (qrs?.protectedZones ?? []).map((z) => ({ start: z.start - lead.start, end: z.end - lead.start })),
      lengths[i],
    );
    const want = factor > 1 ? bimodalValueCount(lengths[i], factor, zones) : lengths[i];
    let values = decode(stream, Math.min(want, huffman ? stream.length * 8 : stream.length >> 1), names[i]);
    if (values.length < want)
      throw new FormatError(`${where}: lead ${names[i]}: rhythm data end after ${values.length} of ${want} samples`);
    undoDifferences(values, rhythm.difference);
    if (factor > 1) values = expandBimodal(values, lengths[i], factor, zones);
    if (subtract) {
      addReferenceBeat(
        values,
        referenceBeats![i] ?? new Int32Array(0),
        qrs!.qrs,
        qrs!.referenceFiducial,
        lead.start,
        reference!.avm / rhythm.avm,
      );
    }
    return { name: names[i], avm: rhythm.avm, values, start: lead.start };
  });
  return { samplingRate, length, leads: decodedLeads, compression, reference: referenceBeat };
}

/** Samples per second from a whole-µs interval: the nearest integer rate when the interval is that rate's, truncated or rounded
 *  (1667 µs -> 600 Hz, 6666 µs -> 150 Hz). */
function rateOf(intervalUs: number): number {
  const rate = 1e6 / intervalUs;
  const whole = Math.round(rate);
  return Math.abs(rate - whole) <= rate / intervalUs ? whole : rate;
}

function toLeadSignal(l: Decoded['leads'][number], length: number): LeadSignal {
  let wide = false;
  for (let i = 0; i < l.values.length; i++) {
    const v = l.values[i];
    if (v < -32767 || v > 32767) {
      wide = true;
      break;
    }
  }
  const digital = wide ? new Int32Array(length) : new Int16Array(length);
  if (l.start > 1 || l.values.length < length) digital.fill(wide ? -2147483648 : -32768); // outside the lead's span: gap
  digital.set(l.values.subarray(0, Math.max(0, length - (l.start - 1))), l.start - 1);
  return { name: l.name, units: 'uV', gain: 1000 / l.avm, baseline: 0, digital };
}

const AGE_UNITS_PER_YEAR: Record<number, number> = { 1: 1, 2: 12, 3: 52.18, 4: 365.25, 5: 8766 };

function ageYears(p: ScpPatient, startTime: string | undefined): number | undefined {
  if (p.age && AGE_UNITS_PER_YEAR[p.age.unit]) {
    const years = Math.floor(p.age.value / AGE_UNITS_PER_YEAR[p.age.unit]);
    if (years < 150) return years;
  }
  if (p.birthDate && startTime) {
    const [by, bm, bd] = p.birthDate.split('-').map(Number);
    const [y, m, d] = startTime.slice(0, 10).split('-').map(Number);
    const age = y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
    if (age >= 0 && age < 150) return age;
  }
  return undefined;
}

export function parseScp(b: Uint8Array, filePath: string): EcgRecord {
  return decodeScp(b, filePath).record;
}

/** The record and the device's reference beat (which the record has no place for). */
export function decodeScp(b: Uint8Array, filePath: string): { record: EcgRecord; reference?: ScpReferenceBeat } {
  const where = path.basename(filePath);
  const layout = parseLayout(b, where);
  const warnings: string[] = [];
  if (layout.declaredLength > b.length)
    throw new FormatError(`${where}: truncated: header says ${layout.declaredLength} bytes, file has ${b.length}`);
  for (const id of SIGNAL_SECTIONS) {
    const s = layout.sections.get(id);
    if (s?.crc === 'invalid') throw new FormatError(`${where}: section ${id} CRC mismatch: its signal bytes are damaged`);
  }
  const sections = [...layout.sections.values()];
  const badCrc = sections.filter((s) => s.crc === 'invalid').map((s) => s.id);
  const unsetCrc = [
    ...(layout.fileCrc === 'unset' ? ['file'] : []),
    ...sections.filter((s) => s.crc === 'unset').map((s) => `section ${s.id}`),
  ];
  if (badCrc.length > 0)
    warnings.push(`CRC mismatch in section ${badCrc.join(', ')}: patient data, measurements or statements may be damaged`);
  else if (layout.fileCrc === 'invalid') warnings.push('file CRC mismatch although every section CRC is valid');
  if (unsetCrc.length > 0) warnings.push(`CRC not set (stored 0 or 0xFFFF), not checked: ${unsetCrc.join(', ')}`);
  for (const p of layout.problems) {
    if (SIGNAL_SECTIONS.includes(p.id)) throw new FormatError(`${where}: ${p.reason}`);
    warnings.push(`${p.reason}; section ignored`);
  }
  const s3 = layout.sections.get(3);
  if (!s3) throw new FormatError(`${where}: no lead definitions (section 3)`);
  const leads = parseLeads(s3.data, where);

  const s1 = layout.sections.get(1);
  const optional = <T>(id: number, parse: (s: ScpSection) => T): T | undefined => {
    const s = layout.sections.get(id);
    if (!s) return undefined;
    try {
      return parse(s);
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
      warnings.push(`section ${id} unreadable (${e.message.replace(`${where}: `, '')}); ignored`);
      return undefined;
    }
  };
  const patient: ScpPatient = optional(1, (s) => parsePatient(s.data, where)) ?? { filters: {} };
  if (!s1) warnings.push('no patient section (section 1)');

  const decoded = decodeSignal(layout.sections, leads, where, warnings);
  if (!(decoded.samplingRate > 0) || !Number.isFinite(decoded.samplingRate)) throw new FormatError(`${where}: no usable sampling interval`);

  const leadSignals = deriveLimbLeads(decoded.leads.map((l) => toLeadSignal(l, decoded.length)));
  const startTime = patient.acquisitionDate
    ? `${patient.acquisitionDate}${patient.acquisitionTime ? `T${patient.acquisitionTime}` : ''}`
    : undefined;

  const measurements = optional(7, (s) => parseGlobalMeasurements(s.data, where)) ?? {};
  const statements = [
    ...(optional(8, (s) => parseTextStatements(s.data, where)) ?? []),
    ...(optional(11, (s) => parseUniversalStatements(s.data, where)) ?? []),
  ];
  const model = [patient.device?.manufacturer, patient.device?.model].filter(Boolean).join(' ') || undefined;
  const device: DeviceReading | undefined =
    model || statements.length > 0 || Object.keys(measurements).length > 0 || Object.keys(patient.filters).length > 0
      ? { model, measurements, statements, ...(Object.keys(patient.filters).length > 0 ? { filters: patient.filters } : {}) }
      : undefined;

  const attributes: Record<string, string | number> = {
    'scp.version': (layout.sections.get(0)!.version / 10).toFixed(1),
    'scp.sections': [...layout.sections.keys()].sort((x, y) => x - y).join(','),
    'scp.compression': decoded.compression.join('; '),
  };
  if (patient.birthDate) attributes['scp.birthDate'] = patient.birthDate;
  if (patient.device?.serial) attributes['scp.deviceSerial'] = patient.device.serial;
  if (patient.device?.software) attributes['scp.deviceSoftware'] = patient.device.software;
  if (patient.device?.mainsHz) attributes['scp.mainsHz'] = patient.device.mainsHz;
  const leadMeasurements = optional(10, (s) => parseLeadMeasurements(s.data, where));
  if (leadMeasurements && Object.keys(leadMeasurements).length > 0) attributes['scp.leadMeasurements'] = JSON.stringify(leadMeasurements);

  const record: EcgRecord = {
    format: 'scp-ecg',
    recordName: path.basename(filePath, path.extname(filePath)),
    patientId: patient.patientId,
    samplingRate: decoded.samplingRate,
    length: decoded.length,
    startTime,
    leads: leadSignals,
    age: ageYears(patient, startTime),
    sex: patient.sex,
    labels: [],
    attributes,
    ...(device ? { device } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
  };
  return { record, reference: decoded.reference };
}

export const scpEcgReader: EcgFileReader = {
  format: 'scp-ecg',
  extensions: ['.scp'],
  detect: (head) => looksLikeScp(head),
  async companions() {
    return [];
  },
  async read(filePath) {
    const size = (await stat(filePath)).size;
    if (size > MAX_FILE_BYTES) throw new FormatError(`${path.basename(filePath)}: ${size} bytes, more than an SCP-ECG record holds`);
    return [parseScp(await readFile(filePath), filePath)];
  },
};
