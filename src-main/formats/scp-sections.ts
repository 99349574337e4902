// SCP-ECG (EN 1064 / ISO 11073-91064) file layout and the contents of its sections, as plain values.
// Every length and offset read from the file is checked against the bytes that hold it.
import { patientKeyFromName } from './patient-key.ts';
import type { DeviceMeasurement } from '../../src-shared/record.ts';
import { crcCcitt } from './crc-ccitt.ts';
import { FormatError } from './format-error.ts';

export const SECTION_HEADER_BYTES = 16;

/** 'unset': the stored CRC is 0x0000 or 0xFFFF and does not match, which some writers store for "not computed". */
export type CrcCheck = 'valid' | 'invalid' | 'unset';

const checkCrc = (stored: number, computed: number): CrcCheck =>
  stored === computed ? 'valid' : stored === 0 || stored === 0xffff ? 'unset' : 'invalid';

export interface ScpSection {
  id: number;
  /** Section version byte (e.g. 20 for SCP-ECG 2.0, 13 for 1.3). */
  version: number;
  /** Bytes after the section's 16-byte header. */
  data: Uint8Array;
  crc: CrcCheck;
}

export interface ScpLayout {
  fileCrc: CrcCheck;
  /** Bytes the file header says the record holds. */
  declaredLength: number;
  sections: Map<number, ScpSection>;
  /** Sections section 0 points to that could not be used (outside the file, wrong id), with why. */
  problems: { id: number; reason: string }[];
}

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

/** True when the bytes start like an SCP-ECG record: a length in range and section 0's header with 'SCPECG'. */
export function looksLikeScp(head: Uint8Array): boolean {
  if (head.length < 6 + SECTION_HEADER_BYTES) return false;
  const v = view(head);
  const magic = String.fromCharCode(...head.subarray(16, 22));
  return v.getUint16(8, true) === 0 && magic === 'SCPECG' && v.getUint32(2, true) >= 6 + SECTION_HEADER_BYTES;
}

export function parseLayout(b: Uint8Array, where: string): ScpLayout {
  if (!looksLikeScp(b)) throw new FormatError(`${where}: not an SCP-ECG record (no section 0 'SCPECG' header at byte 6)`);
  const v = view(b);
  const declaredLength = v.getUint32(2, true);
  const end = Math.min(declaredLength, b.length);
  const fileCrc = declaredLength <= b.length ? checkCrc(v.getUint16(0, true), crcCcitt(b, 2, declaredLength)) : 'invalid';
  const sections = new Map<number, ScpSection>();
  const problems: { id: number; reason: string }[] = [];

  const section = (offset: number, length: number, id: number): ScpSection | string => {
    if (length < SECTION_HEADER_BYTES) return `section ${id} is ${length} bytes, shorter than its header`;
    if (offset < 6 || offset + length > end)
      return `section ${id} (bytes ${offset}-${offset + length}) lies outside the ${end}-byte record`;
    const sv = new DataView(b.buffer, b.byteOffset + offset, length);
    const headerId = sv.getUint16(2, true);
    if (headerId !== id) return `section 0 points to section ${id} at byte ${offset}, which holds section ${headerId}`;
    const headerLength = sv.getUint32(4, true);
    if (headerLength !== length) return `section ${id} header says ${headerLength} bytes, section 0 says ${length}`;
    return {
      id,
      version: b[offset + 8],
      data: b.subarray(offset + SECTION_HEADER_BYTES, offset + length),
      crc: checkCrc(sv.getUint16(0, true), crcCcitt(b, offset + 2, offset + length)),
    };
  };

  const s0 = section(6, v.getUint32(10, true), 0);
  if (typeof s0 === 'string') throw new FormatError(`${where}: ${s0}`);
  sections.set(0, s0);
  const p = view(s0.data);
  for (let k = 0; k + 10 <= s0.data.length; k += 10) {
    const id = p.getUint16(k, true);
    const length = p.getUint32(k + 2, true);
    const index = p.getUint32(k + 6, true);
    if (id === 0 || length === 0) continue;
    if (sections.has(id)) {
      problems.push({ id, reason: `section 0 lists section ${id} twice` });
      continue;
    }
    const s = section(index - 1, length, id);
    if (typeof s === 'string') problems.push({ id, reason: s });
    else sections.set(id, s);
  }
  return { fileCrc, declaredLength, sections, problems };
}

/** A cursor over a section's data that refuses to read past it. */
export class SectionReader {
  private readonly v: DataView;
  pos = 0;
  constructor(
    readonly bytes: Uint8Array,
    private readonly what: string,
  ) {
    this.v = view(bytes);
  }
  private need(n: number): number {
    if (this.pos + n > this.bytes.length) throw new FormatError(`${this.what} ends at byte ${this.bytes.length}, needs ${this.pos + n}`);
    const at = this.pos;
    this.pos += n;
    return at;
  }
  get remaining(): number {
    return this.bytes.length - this.pos;
  }
  u8 = (): number => this.bytes[this.need(1)];
  u16 = (): number => this.v.getUint16(this.need(2), true);
  i16 = (): number => this.v.getInt16(this.need(2), true);
  u32 = (): number => this.v.getUint32(this.need(4), true);
  take = (n: number): Uint8Array => {
    const at = this.need(n);
    return this.bytes.subarray(at, at + n);
  };
}

/** SCP text: UTF-8 when the bytes are valid UTF-8 with non-ASCII characters, else ISO 8859-1 (what these carts write,
 *  even when section 1 declares plain ASCII); cut at the first NUL. */
export function scpText(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  const s = nul < 0 ? bytes : bytes.subarray(0, nul);
  if (s.some((x) => x >= 0x80)) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(s).trim();
    } catch {
      // not UTF-8
    }
  }
  return new TextDecoder('latin1').decode(s).trim();
}

// ---- Section 1: patient and acquisition data (tag, 16-bit length, value; tag 255 ends). Names are not kept (only a one-way key from them). ----

export interface ScpPatient {
  patientId?: string;
  age?: { value: number; unit: number };
  birthDate?: string;
  sex?: 'M' | 'F';
  acquisitionDate?: string;
  acquisitionTime?: string;
  device?: { model?: string; manufacturer?: string; serial?: string; software?: string; mainsHz?: number };
  filters: Record<string, number>;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

function scpDate(value: Uint8Array): string | undefined {
  if (value.length < 4) return undefined;
  const year = value[0] | (value[1] << 8);
  const month = value[2];
  const day = value[3];
  if (year < 1800 || year > 2200 || month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

/** Tag 14, the acquiring device: fixed fields, then length-prefixed and NUL-terminated strings. */
function parseDevice(value: Uint8Array): ScpPatient['device'] {
  const model = scpText(value.subarray(8, 14).filter((c) => c >= 0x20 && c < 0x7f));
  const mains = value[19];
  const strings: string[] = [];
  if (value.length > 36) {
    const revisionLength = value[35];
    let p = 36 + revisionLength;
    while (p < value.length) {
      let q = value.indexOf(0, p);
      if (q < 0) q = value.length;
      strings.push(scpText(value.subarray(p, q)));
      p = q + 1;
    }
  }
  const [serial, software, , manufacturer] = strings;
  return {
    model: model || undefined,
    serial: serial || undefined,
    software: software || undefined,
    // Some carts omit the implementation-software string: the last string is then the trade name.
    manufacturer: manufacturer || strings.filter(Boolean).at(-1) || undefined,
    mainsHz: mains === 1 ? 50 : mains === 2 ? 60 : undefined,
  };
}

export function parsePatient(data: Uint8Array, where: string): ScpPatient {
  const r = new SectionReader(data, `${where}: section 1`);
  const patient: ScpPatient = { filters: {} };
  const name: { lastName?: string; firstName?: string } = {};
  while (r.remaining >= 3) {
    const tag = r.u8();
    const length = r.u16();
    if (tag === 255) break;
    if (length > r.remaining) throw new FormatError(`${where}: section 1 tag ${tag} declares ${length} bytes, ${r.remaining} remain`);
    const value = r.take(length);
    const u16 = (at: number) => (value.length >= at + 2 ? value[at] | (value[at + 1] << 8) : undefined);
    switch (tag) {
      case 0:
        name.lastName = scpText(value) || undefined;
        break;
      case 1:
        name.firstName = scpText(value) || undefined;
        break;
      case 2:
        patient.patientId = scpText(value) || undefined;
        break;
      case 4: {
        const age = u16(0);
        if (age !== undefined && value.length >= 3 && age > 0) patient.age = { value: age, unit: value[2] };
        break;
      }
      case 5:
        patient.birthDate = scpDate(value);
        break;
      case 8:
        patient.sex = value[0] === 1 ? 'M' : value[0] === 2 ? 'F' : undefined;
        break;
      case 14:
        patient.device = parseDevice(value);
        break;
      case 25:
        patient.acquisitionDate = scpDate(value);
        break;
      case 26:
        if (value.length >= 3 && value[0] < 24 && value[1] < 60 && value[2] < 61)
          patient.acquisitionTime = `${pad2(value[0])}:${pad2(value[1])}:${pad2(value[2])}`;
        break;
      case 27: {
        const hp = u16(0);
        if (hp !== undefined && hp > 0 && hp < 65535) patient.filters.highPassHz = hp / 100;
        break;
      }
      case 28: {
        const lp = u16(0);
        if (lp !== undefined && lp > 0 && lp < 65535) patient.filters.lowPassHz = lp;
        break;
      }
      case 29:
        if (value.length >= 1) {
          if (value[0] & 1) patient.filters.notchHz = 60;
          if (value[0] & 2) patient.filters.notchHz = 50;
        }
        break;
      default:
        break;
    }
  }
  // Names are used only for the one-way key that groups a patient's records when the id is missing.
  patient.patientId ??= patientKeyFromName({ ...name, birthDate: patient.birthDate });
  return patient;
}

// ---- Section 3: lead definitions ----

export interface ScpLeadDefinition {
  /** First and last sample (1-based, inclusive). */
  start: number;
  end: number;
  code: number;
}

export interface ScpLeads {
  leads: ScpLeadDefinition[];
  /** Flag bit 0: the rhythm data are residuals after reference-beat subtraction. */
  referenceBeatSubtracted: boolean;
}

export function parseLeads(data: Uint8Array, where: string): ScpLeads {
  const r = new SectionReader(data, `${where}: section 3`);
  const count = r.u8();
  const flags = r.u8();
  if (count === 0) throw new FormatError(`${where}: section 3 defines no leads`);
  if (r.remaining < count * 9) throw new FormatError(`${where}: section 3 declares ${count} leads, holds ${Math.floor(r.remaining / 9)}`);
  const leads: ScpLeadDefinition[] = [];
  for (let i = 0; i < count; i++) {
    const start = r.u32();
    const end = r.u32();
    const code = r.u8();
    if (start < 1 || end < start) throw new FormatError(`${where}: section 3 lead ${i + 1} spans samples ${start}-${end}`);
    leads.push({ start, end, code });
  }
  return { leads, referenceBeatSubtracted: (flags & 1) === 1 };
}

/** SCP lead codes (EN 1064 table) to display names; 'd' marks the standard's "derived" variants. */
const LEAD_NAMES: Record<number, string> = (() => {
  const base = [
    'I',
    'II',
    'V1',
    'V2',
    'V3',
    'V4',
    'V5',
    'V6',
    'V7',
    'V2R',
    'V3R',
    'V4R',
    'V5R',
    'V6R',
    'V7R',
    'X',
    'Y',
    'Z',
    'CC5',
    'CM5',
    'LA',
    'RA',
    'LL',
    'fI',
    'fE',
    'fC',
    'fA',
    'fM',
    'fF',
    'fH',
  ];
  const names: Record<number, string> = { 0: 'unspecified' };
  base.forEach((n, i) => {
    names[i + 1] = n;
    names[i + 31] = `d${n}`;
  });
  Object.assign(names, {
    61: 'III',
    62: 'aVR',
    63: 'aVL',
    64: 'aVF',
    65: '-aVR',
    66: 'V8',
    67: 'V9',
    68: 'V8R',
    69: 'V9R',
    70: 'D',
    71: 'A',
    72: 'J',
  });
  return names;
})();

export const scpLeadName = (code: number): string => LEAD_NAMES[code] ?? `SCP lead ${code}`;

// ---- Section 4: QRS locations, subtraction zones and protected zones ----

export interface ScpQrs {
  type: number;
  /** Subtraction zone start, fiducial point and zone end (1-based samples of the rhythm). */
  start: number;
  fiducial: number;
  end: number;
}

export interface ScpQrsLocations {
  referenceBeatMs: number;
  /** Fiducial point within the reference beat (1-based sample). */
  referenceFiducial: number;
  qrs: ScpQrs[];
  /** Protected zones (full-rate samples in bimodal compression), 1-based inclusive. */
  protectedZones: { start: number; end: number }[];
}

export function parseQrsLocations(data: Uint8Array, where: string): ScpQrsLocations {
  const r = new SectionReader(data, `${where}: section 4`);
  const referenceBeatMs = r.u16();
  const referenceFiducial = r.u16();
  const count = r.u16();
  if (r.remaining < count * 14)
    throw new FormatError(`${where}: section 4 declares ${count} QRS complexes, holds ${Math.floor(r.remaining / 14)}`);
  const qrs: ScpQrs[] = [];
  for (let i = 0; i < count; i++) qrs.push({ type: r.u16(), start: r.u32(), fiducial: r.u32(), end: r.u32() });
  const protectedZones: { start: number; end: number }[] = [];
  if (r.remaining >= count * 8) for (let i = 0; i < count; i++) protectedZones.push({ start: r.u32(), end: r.u32() });
  return { referenceBeatMs, referenceFiducial, qrs, protectedZones };
}

// ---- Sections 5 and 6: encoded reference beat and rhythm ----

export interface ScpEncodedSignal {
  /** Amplitude value multiplier, nV per count. */
  avm: number;
  /** Sample interval in µs. */
  intervalUs: number;
  /** 0 none, 1 first differences, 2 second differences. */
  difference: number;
  bimodal: boolean;
  /** One byte stream per lead, in section 3's order. */
  streams: Uint8Array[];
}

export function parseEncodedSignal(data: Uint8Array, id: 5 | 6, leadCount: number, where: string): ScpEncodedSignal {
  const r = new SectionReader(data, `${where}: section ${id}`);
  const avm = r.u16();
  const intervalUs = r.u16();
  const difference = r.u8();
  const bimodal = r.u8() === 1;
  if (avm === 0) throw new FormatError(`${where}: section ${id} amplitude multiplier is 0 nV`);
  if (intervalUs === 0) throw new FormatError(`${where}: section ${id} sample interval is 0 µs`);
  if (difference > 2) throw new FormatError(`${where}: section ${id} difference encoding ${difference} is not 0, 1 or 2`);
  const lengths: number[] = [];
  for (let i = 0; i < leadCount; i++) lengths.push(r.u16());
  const total = lengths.reduce((a, n) => a + n, 0);
  if (total > r.remaining) throw new FormatError(`${where}: section ${id} lead data need ${total} bytes, ${r.remaining} remain`);
  return { avm, intervalUs, difference, bimodal, streams: lengths.map((n) => r.take(n)) };
}

// ---- Section 7: global measurements ----

const UNDEFINED_MS = 29999;
const UNDEFINED_AXIS = 999;

export function parseGlobalMeasurements(data: Uint8Array, where: string): Record<string, DeviceMeasurement> {
  const r = new SectionReader(data, `${where}: section 7`);
  const blocks = r.u8();
  const spikes = r.u8();
  const rr = r.u16();
  const pp = r.u16();
  const out: Record<string, DeviceMeasurement> = {};
  const ms = (key: string, v: number | undefined) => {
    if (v !== undefined && v > 0 && v < UNDEFINED_MS) out[key] = { value: v, unit: 'ms' };
  };
  ms('rrInterval', rr);
  ms('ppInterval', pp);
  if (blocks >= 1) {
    // The first block measures the dominant reference beat (type 0); times are ms from the beat's start.
    const [pOn, pOff, qrsOn, qrsOff, tOff] = [r.u16(), r.u16(), r.u16(), r.u16(), r.u16()];
    const [pAxis, qrsAxis, tAxis] = [r.i16(), r.i16(), r.i16()];
    const ok = (x: number) => x < UNDEFINED_MS;
    if (ok(pOn) && ok(pOff)) ms('pDuration', pOff - pOn);
    if (ok(pOn) && ok(qrsOn)) ms('prInterval', qrsOn - pOn);
    if (ok(qrsOn) && ok(qrsOff)) ms('qrsDuration', qrsOff - qrsOn);
    if (ok(qrsOn) && ok(tOff)) ms('qtInterval', tOff - qrsOn);
    const axis = (key: string, v: number) => {
      if (v !== UNDEFINED_AXIS && v >= -180 && v <= 360) out[key] = { value: v, unit: 'deg' };
    };
    axis('pAxis', pAxis);
    axis('qrsAxis', qrsAxis);
    axis('tAxis', tAxis);
    r.pos = Math.min(r.bytes.length, 6 + blocks * 16);
  }
  if (spikes > 0) out.pacemakerSpikes = { value: spikes, unit: 'count' };
  // After the blocks: spike times/amplitudes (4 bytes each) and spike info (6 bytes each), the QRS type list,
  // then ventricular rate, atrial rate, QTc. Older files end before these.
  try {
    r.pos += spikes * 10;
    const qrsCount = r.u16();
    r.pos += qrsCount;
    const ventricularRate = r.u16();
    const atrialRate = r.u16();
    const qtc = r.u16();
    if (ventricularRate > 0 && ventricularRate < 400) out.heartRate = { value: ventricularRate, unit: 'bpm' };
    if (atrialRate > 0 && atrialRate < 1000) out.atrialRate = { value: atrialRate, unit: 'bpm' };
    ms('qtcInterval', qtc);
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
  }
  if (!out.heartRate && out.rrInterval) out.heartRate = { value: Math.round(60000 / out.rrInterval.value), unit: 'bpm' };
  return out;
}

// ---- Sections 8 and 11: interpretive statements ----

/** Section 8's full-text statements in order (empty separator statements dropped). */
export function parseTextStatements(data: Uint8Array, where: string): string[] {
  const r = new SectionReader(data, `${where}: section 8`);
  r.pos = 8; // confirmation flag, interpretation date (4) and time (3)
  const count = r.u8();
  const out: string[] = [];
  for (let i = 0; i < count && r.remaining >= 3; i++) {
    r.u8(); // sequence number
    const length = r.u16();
    const text = scpText(r.take(Math.min(length, r.remaining)));
    if (text) out.push(text);
  }
  return out;
}

/** Section 11's universal statements: the text of each (coded statements keep their code text). */
export function parseUniversalStatements(data: Uint8Array, where: string): string[] {
  const r = new SectionReader(data, `${where}: section 11`);
  r.pos = 8;
  const count = r.u8();
  const out: string[] = [];
  for (let i = 0; i < count && r.remaining >= 3; i++) {
    r.u8();
    const length = r.u16();
    const body = r.take(Math.min(length, r.remaining));
    // First byte: 1 coded, 2 full text, 3 both; fields are NUL-separated.
    const parts: string[] = [];
    let p = 1;
    while (p < body.length) {
      let q = body.indexOf(0, p);
      if (q < 0) q = body.length;
      const t = scpText(body.subarray(p, q));
      if (t) parts.push(t);
      p = q + 1;
    }
    if (parts.length > 0) out.push(parts.join(' '));
  }
  return out;
}

// ---- Section 10: per-lead measurements ----

const LEAD_MEASUREMENT_NAMES = [
  'pDuration',
  'prInterval',
  'qrsDuration',
  'qtInterval',
  'qDuration',
  'rDuration',
  'sDuration',
  'r2Duration',
  's2Duration',
  'qAmplitude',
  'rAmplitude',
  'sAmplitude',
  'r2Amplitude',
  's2Amplitude',
  'jAmplitude',
  'pPlusAmplitude',
  'pMinusAmplitude',
  'tPlusAmplitude',
  'tMinusAmplitude',
];

/** Per-lead measurements (ms and µV as the file states them), keyed by lead name. */
export function parseLeadMeasurements(data: Uint8Array, where: string): Record<string, Record<string, number>> {
  const r = new SectionReader(data, `${where}: section 10`);
  const leads = r.u16();
  r.u16();
  const out: Record<string, Record<string, number>> = {};
  for (let i = 0; i < leads && r.remaining >= 4; i++) {
    const code = r.u16();
    const length = r.u16();
    const body = new SectionReader(r.take(Math.min(length, r.remaining)), `${where}: section 10 lead ${code}`);
    const values: Record<string, number> = {};
    for (const name of LEAD_MEASUREMENT_NAMES) {
      if (body.remaining < 2) break;
      const v = body.i16();
      if (v !== UNDEFINED_MS && v !== -UNDEFINED_MS && v !== -32768) values[name] = v;
    }
    if (Object.keys(values).length > 0) out[scpLeadName(code)] = values;
  }
  return out;
}
