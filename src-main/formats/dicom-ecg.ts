// DICOM Waveform Storage ECG (12-lead, general, ambulatory): the rhythm multiplex group of the Waveform Sequence.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { canonicalLeadName } from '../../src-shared/record.ts';
import type { EcgRecord, LeadSignal } from '../../src-shared/record.ts';
import { dicomItems, dicomNumber, dicomString, isDicomPart10, parseDicom, tag } from './dicom-dataset.ts';
import type { DicomDataset } from './dicom-dataset.ts';
import { FormatError } from './format-error.ts';
import { printable } from './printable.ts';
import type { EcgFileReader } from './reader.ts';

const T = {
  sopClass: tag(0x0008, 0x0016),
  sopInstance: tag(0x0008, 0x0018),
  acquisitionDateTime: tag(0x0008, 0x002a),
  acquisitionDate: tag(0x0008, 0x0022),
  acquisitionTime: tag(0x0008, 0x0032),
  contentDate: tag(0x0008, 0x0023),
  contentTime: tag(0x0008, 0x0033),
  manufacturer: tag(0x0008, 0x0070),
  modelName: tag(0x0008, 0x1090),
  codeValue: tag(0x0008, 0x0100),
  codeMeaning: tag(0x0008, 0x0104),
  patientId: tag(0x0010, 0x0020),
  birthDate: tag(0x0010, 0x0030),
  sex: tag(0x0010, 0x0040),
  age: tag(0x0010, 0x1010),
  channels: tag(0x003a, 0x0005),
  samples: tag(0x003a, 0x0010),
  frequency: tag(0x003a, 0x001a),
  groupLabel: tag(0x003a, 0x0020),
  channelDefs: tag(0x003a, 0x0200),
  channelLabel: tag(0x003a, 0x0203),
  channelSource: tag(0x003a, 0x0208),
  sensitivity: tag(0x003a, 0x0210),
  sensitivityUnits: tag(0x003a, 0x0211),
  correction: tag(0x003a, 0x0212),
  channelBaseline: tag(0x003a, 0x0213),
  waveforms: tag(0x5400, 0x0100),
  bitsAllocated: tag(0x5400, 0x1004),
  interpretation: tag(0x5400, 0x1006),
  waveformData: tag(0x5400, 0x1010),
  annotations: tag(0x0040, 0xb020),
  annotationText: tag(0x0070, 0x0006),
};

/** SCP-ECG lead codes (coding scheme SCPECG) used as Channel Source code values. */
const SCP_LEAD_CODES: Record<string, string> = {
  '5.6.3-9-1': 'I',
  '5.6.3-9-2': 'II',
  '5.6.3-9-3': 'V1',
  '5.6.3-9-4': 'V2',
  '5.6.3-9-5': 'V3',
  '5.6.3-9-6': 'V4',
  '5.6.3-9-7': 'V5',
  '5.6.3-9-8': 'V6',
  '5.6.3-9-61': 'III',
  '5.6.3-9-62': 'aVR',
  '5.6.3-9-63': 'aVL',
  '5.6.3-9-64': 'aVF',
};

function leadName(def: DicomDataset, index: number): string {
  const source = dicomItems(def, T.channelSource)[0];
  const code = dicomString(source, T.codeValue);
  if (code && SCP_LEAD_CODES[code]) return SCP_LEAD_CODES[code];
  const meaning = dicomString(source, T.codeMeaning) ?? dicomString(def, T.channelLabel);
  if (!meaning) return `ch${index + 1}`;
  // 'Lead I (Einthoven)', 'Lead V1' -> 'I', 'V1'
  return canonicalLeadName(meaning.replace(/\s*\(.*\)\s*$/, '').replace(/^lead\s+/i, ''));
}

/** DICOM DA/DT/TM as ISO 8601. */
function dicomDateTime(date: string | undefined, time = ''): string | undefined {
  const d = date?.match(/^(\d{4})(\d{2})(\d{2})/);
  if (!d) return undefined;
  const t = time.match(/^(\d{2})(\d{2})?(\d{2})?(\.\d+)?/);
  return `${d[1]}-${d[2]}-${d[3]}` + (t ? `T${t[1]}:${t[2] ?? '00'}:${t[3] ?? '00'}${t[4] ?? ''}` : '');
}

/** Age string 'nnnY' (or D/W/M) in whole years. */
function ageYears(as: string | undefined): number | undefined {
  const m = as?.match(/^(\d{3})([DWMY])$/);
  if (!m) return undefined;
  const perYear: Record<string, number> = { D: 365.25, W: 52.18, M: 12, Y: 1 };
  return Math.floor(Number(m[1]) / perYear[m[2]]);
}

function readSamples(group: DicomDataset, where: string): { channels: number; samples: number; data: (Int16Array | Int32Array)[] } {
  const channels = dicomNumber(group, T.channels) ?? 0;
  const samples = dicomNumber(group, T.samples) ?? 0;
  const bits = dicomNumber(group, T.bitsAllocated) ?? 16;
  const interp = dicomString(group, T.interpretation) ?? 'SS';
  const raw = group.get(T.waveformData)?.bytes;
  if (!raw) throw new FormatError(`${where}: waveform group has no Waveform Data (5400,1010)`);
  if (!(channels > 0) || !(samples > 0))
    throw new FormatError(`${where}: waveform group declares ${channels} channels x ${samples} samples`);
  const formats: Record<string, { bytes: number; get: (v: DataView, o: number) => number; wide: boolean }> = {
    '8SB': { bytes: 1, get: (v, o) => v.getInt8(o), wide: false },
    '8UB': { bytes: 1, get: (v, o) => v.getUint8(o), wide: false },
    '16SS': { bytes: 2, get: (v, o) => v.getInt16(o, true), wide: false },
    '16US': { bytes: 2, get: (v, o) => v.getUint16(o, true), wide: true },
    '32SL': { bytes: 4, get: (v, o) => v.getInt32(o, true), wide: true },
  };
  const fmt = formats[`${bits}${interp}`];
  if (!fmt) throw new FormatError(`${where}: waveform sample format ${bits}-bit '${printable(interp)}' is not supported`);
  const needed = channels * samples * fmt.bytes;
  if (raw.length < needed) {
    throw new FormatError(`${where}: Waveform Data holds ${raw.length} bytes, ${channels} channels x ${samples} samples need ${needed}`);
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const data = Array.from({ length: channels }, () => (fmt.wide ? new Int32Array(samples) : new Int16Array(samples)));
  // Samples are multiplexed: all channels of sample 0, then sample 1, ...
  for (let s = 0, o = 0; s < samples; s++) {
    for (let ch = 0; ch < channels; ch++, o += fmt.bytes) data[ch][s] = fmt.get(view, o);
  }
  return { channels, samples, data };
}

export function parseDicomEcg(buf: Uint8Array, filePath: string): EcgRecord {
  const where = path.basename(filePath);
  const ds = parseDicom(buf, where);
  const groups = dicomItems(ds, T.waveforms);
  if (groups.length === 0) throw new FormatError(`${where}: no Waveform Sequence (5400,0100); not a waveform object`);
  const labelOf = (g: DicomDataset) => dicomString(g, T.groupLabel) ?? '';
  const group = groups.find((g) => /rhythm/i.test(labelOf(g))) ?? groups.find((g) => !/median|beat/i.test(labelOf(g))) ?? groups[0];
  const rate = dicomNumber(group, T.frequency);
  if (rate === undefined || !(rate > 0) || !Number.isFinite(rate))
    throw new FormatError(`${where}: sampling frequency (003A,001A) is missing or not positive`);
  const { channels, samples, data } = readSamples(group, where);
  const defs = dicomItems(group, T.channelDefs);
  if (defs.length !== channels) throw new FormatError(`${where}: ${defs.length} channel definitions for ${channels} channels`);

  const leads: LeadSignal[] = defs.map((def, i) => {
    const sensitivity = dicomNumber(def, T.sensitivity) ?? 1;
    const correction = dicomNumber(def, T.correction) ?? 1;
    const offset = dicomNumber(def, T.channelBaseline) ?? 0;
    const perDigit = sensitivity * correction;
    if (perDigit === 0 || !Number.isFinite(perDigit) || !Number.isFinite(offset)) {
      throw new FormatError(`${where}: channel ${i + 1} has an invalid sensitivity`);
    }
    // physical = digital * sensitivity * correction + baseline (PS3.3 C.10.9.1.4)
    return {
      name: leadName(def, i),
      units: dicomString(dicomItems(def, T.sensitivityUnits)[0], T.codeValue) ?? 'uV',
      gain: 1 / perDigit,
      baseline: offset === 0 ? 0 : -offset / perDigit,
      digital: data[i],
    };
  });

  const attributes: Record<string, string | number> = {};
  const put = (key: string, v: string | undefined) => {
    if (v) attributes[key] = v;
  };
  put('dicom.sopClassUid', dicomString(ds, T.sopClass));
  put('dicom.sopInstanceUid', dicomString(ds, T.sopInstance));
  put('dicom.manufacturer', dicomString(ds, T.manufacturer));
  put('dicom.model', dicomString(ds, T.modelName));
  put('dicom.multiplexGroup', labelOf(group));
  put('dicom.birthDate', dicomDateTime(dicomString(ds, T.birthDate)));
  const statements = dicomItems(ds, T.annotations)
    .map((a) => dicomString(a, T.annotationText))
    .filter((s): s is string => !!s);
  put('dicom.statements', statements.join(' | '));

  const dt = dicomString(ds, T.acquisitionDateTime);
  const startTime =
    dicomDateTime(dt, dt?.slice(8)) ??
    dicomDateTime(dicomString(ds, T.acquisitionDate), dicomString(ds, T.acquisitionTime)) ??
    dicomDateTime(dicomString(ds, T.contentDate), dicomString(ds, T.contentTime));
  const sex = dicomString(ds, T.sex);
  return {
    format: 'dicom',
    recordName: path.basename(filePath, path.extname(filePath)),
    patientId: dicomString(ds, T.patientId),
    samplingRate: rate,
    length: samples,
    startTime,
    leads,
    age: ageYears(dicomString(ds, T.age)),
    sex: sex === 'M' || sex === 'F' ? sex : undefined,
    labels: [],
    attributes,
  };
}

export const dicomEcgReader: EcgFileReader = {
  format: 'dicom',
  extensions: ['.dcm'],
  detect: (head) => isDicomPart10(head),
  async companions() {
    return [];
  },
  async read(filePath) {
    return [parseDicomEcg(await readFile(filePath), filePath)];
  },
};
