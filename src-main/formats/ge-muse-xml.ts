// GE MUSE RestingECG XML (MUSE 8/9 export, carts MAC 5500/MAC55/MV360...): base64 int16 LE rhythm and
// median waveforms per lead, the cart's measurements and its interpretation statements.
import { patientKeyFromName } from './patient-key.ts';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { deriveLimbLeads } from '../../src-shared/derived-leads.ts';
import { canonicalLeadName } from '../../src-shared/record.ts';
import type { AnnotationSet, DeviceMeasurement, DeviceReading, EcgRecord, LeadSignal } from '../../src-shared/record.ts';
import { FormatError } from './format-error.ts';
import { printable } from './printable.ts';
import type { EcgFileReader } from './reader.ts';
import { representativeBeats } from './representative-beats.ts';
import {
  all,
  base64Bytes,
  childNumber,
  childText,
  decodeXml,
  one,
  parseXml,
  requireRoot,
  text,
  truncationWarning,
  xmlHead,
} from './xml-document.ts';
import type { XmlNode } from './xml-document.ts';

const UNITS: Record<string, string> = { MICROVOLTS: 'uV', MILLIVOLTS: 'mV', NANOVOLTS: 'nV' };

/** RestingECGMeasurements element -> DEVICE_MEASUREMENT_KEYS name where one fits (else the file's own name) and unit. */
const MEASUREMENTS: [string, string, string][] = [
  ['VentricularRate', 'heartRate', 'bpm'],
  ['AtrialRate', 'AtrialRate', 'bpm'],
  ['PRInterval', 'prInterval', 'ms'],
  ['QRSDuration', 'qrsDuration', 'ms'],
  ['QTInterval', 'qtInterval', 'ms'],
  ['QTCorrected', 'qtcInterval', 'ms'],
  ['QTcFrederica', 'QTcFrederica', 'ms'],
  ['PAxis', 'pAxis', 'deg'],
  ['RAxis', 'qrsAxis', 'deg'],
  ['TAxis', 'tAxis', 'deg'],
  ['QRSCount', 'QRSCount', 'beats'],
  // Fiducials on the median beat, in samples at ECGSampleBase.
  ['POnset', 'POnset', 'samples'],
  ['POffset', 'POffset', 'samples'],
  ['QOnset', 'QOnset', 'samples'],
  ['QOffset', 'QOffset', 'samples'],
  ['TOffset', 'TOffset', 'samples'],
];

interface Waveform {
  samplingRate: number;
  leads: LeadSignal[];
  length: number;
  warnings: string[];
}

/** One <Waveform> (Rhythm or Median): its leads, sampling rate and what was worked around. */
function readWaveform(wf: XmlNode, kind: string, where: string): Waveform {
  const base = childNumber(wf, 'SampleBase');
  const exponent = childNumber(wf, 'SampleExponent') ?? 0;
  const samplingRate = base === undefined ? NaN : base * 10 ** exponent;
  if (!(samplingRate >= 1 && samplingRate <= 100_000)) {
    throw new FormatError(`${where}: ${kind} SampleBase '${printable(childText(wf, 'SampleBase') ?? '', 20)}' is not a sampling rate`);
  }
  const warnings: string[] = [];
  const leads: LeadSignal[] = [];
  for (const ld of all(wf, 'LeadData')) {
    const id = childText(ld, 'LeadID');
    if (!id) throw new FormatError(`${where}: ${kind} lead ${leads.length + 1} has no LeadID`);
    const lead = `${kind} lead ${printable(id, 12)}`;
    const perBit = childNumber(ld, 'LeadAmplitudeUnitsPerBit');
    if (!(perBit !== undefined && perBit > 0 && perBit < 1e6))
      throw new FormatError(`${where}: ${lead} LeadAmplitudeUnitsPerBit is not a positive number`);
    const unitsName = (childText(ld, 'LeadAmplitudeUnits') ?? 'MICROVOLTS').toUpperCase();
    const units = UNITS[unitsName];
    if (!units) throw new FormatError(`${where}: ${lead} LeadAmplitudeUnits '${printable(unitsName, 20)}' is not a voltage`);
    const sampleSize = childNumber(ld, 'LeadSampleSize') ?? 2;
    if (sampleSize !== 2)
      throw new FormatError(`${where}: ${lead} LeadSampleSize ${sampleSize} is not 2 (only 16-bit samples are defined)`);
    const bytes = base64Bytes(childText(ld, 'WaveFormData') ?? '', `${where}: ${lead} WaveFormData`);
    const declared = childNumber(ld, 'LeadSampleCountTotal');
    let n = bytes.length >> 1;
    if (declared !== undefined && Number.isInteger(declared) && declared >= 0 && declared !== n) {
      // Never allocate by the declared count: a damaged count cannot make the reader grow.
      if (declared < n) n = declared;
      else warnings.push(`${lead} holds ${n} of ${declared} declared samples`);
    }
    const crc = childNumber(ld, 'LeadDataCRC32');
    if (crc !== undefined && zlib.crc32(bytes) >>> 0 !== crc) warnings.push(`${lead} data CRC32 does not match (damaged samples)`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const digital = new Int16Array(n);
    for (let i = 0; i < n; i++) digital[i] = view.getInt16(i * 2, true);
    leads.push({ name: canonicalLeadName(id), units, gain: 1 / perBit, baseline: 0, digital });
  }
  if (leads.length === 0) throw new FormatError(`${where}: ${kind} waveform has no LeadData`);
  const length = Math.min(...leads.map((l) => l.digital.length));
  if (length === 0)
    throw new FormatError(`${where}: ${kind} lead ${printable(leads.find((l) => l.digital.length === 0)!.name, 12)} has no samples`);
  if (leads.some((l) => l.digital.length !== length)) {
    warnings.push(`${kind} leads differ in length; all cut to ${length} samples`);
    for (const l of leads) l.digital = l.digital.subarray(0, length);
  }
  return { samplingRate, leads, length, warnings };
}

/** MUSE dates are MM-DD-YYYY; as ISO with the time when given. */
function museDateTime(date: string | undefined, time: string | undefined): string | undefined {
  const d = date?.match(/^(\d{2})-(\d{2})-(\d{4})$/) ?? date?.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  if (!d) return undefined;
  const iso = d[3].length === 4 ? `${d[3]}-${d[1]}-${d[2]}` : `${d[1]}-${d[2]}-${d[3]}`;
  return time && /^\d{2}:\d{2}(:\d{2})?$/.test(time) ? `${iso}T${time.length === 5 ? `${time}:00` : time}` : iso;
}

/** Statement lines: StmtText pieces run on until a statement flagged ENDSLINE closes the line. */
export function museStatements(diagnosis: XmlNode | undefined): string[] {
  const lines: string[] = [];
  let line = '';
  for (const st of all(diagnosis, 'DiagnosisStatement')) {
    for (const piece of all(st, 'StmtText')
      .map((t) => text(t)?.trim() ?? '')
      .filter(Boolean)) {
      line = line === '' ? piece : /^[,.;:)]/.test(piece) ? `${line}${piece}` : `${line} ${piece}`;
    }
    if (all(st, 'StmtFlag').some((f) => text(f)?.trim() === 'ENDSLINE') && line) {
      lines.push(line);
      line = '';
    }
  }
  if (line) lines.push(line);
  return lines;
}

function museMeasurements(root: XmlNode): Record<string, DeviceMeasurement> {
  const node = one(root, 'RestingECGMeasurements') ?? one(root, 'OriginalRestingECGMeasurements');
  const out: Record<string, DeviceMeasurement> = {};
  for (const [tag, key, unit] of MEASUREMENTS) {
    const v = childNumber(node, tag);
    if (v !== undefined) out[key] = { value: v, unit };
  }
  const rr = childNumber(root, 'QRSTimesTypes', 'GlobalRR');
  if (rr !== undefined) out.rrInterval = { value: rr, unit: 'ms' };
  return out;
}

/** Filter settings of a waveform: MUSE states the high-pass in hundredths of a hertz. */
function museFilters(wf: XmlNode): Record<string, number> | undefined {
  const filters: Record<string, number> = {};
  const hp = childNumber(wf, 'HighPassFilter');
  const lp = childNumber(wf, 'LowPassFilter');
  const ac = childNumber(wf, 'ACFilter');
  if (hp !== undefined) filters.highPassHz = hp / 100;
  if (lp !== undefined) filters.lowPassHz = lp;
  if (ac !== undefined && ac > 0) filters.notchHz = ac;
  return Object.keys(filters).length ? filters : undefined;
}

function museAge(demo: XmlNode | undefined): number | undefined {
  const age = childNumber(demo, 'PatientAge');
  if (age === undefined || age < 0) return undefined;
  const perYear: Record<string, number> = { YEARS: 1, MONTHS: 12, WEEKS: 52.1775, DAYS: 365.25, HOURS: 8766 };
  const div = perYear[(childText(demo, 'AgeUnits') ?? 'YEARS').toUpperCase()];
  if (!div) return undefined;
  const years = Math.round((age / div) * 100) / 100;
  return years < 150 ? years : undefined;
}

/**
 * The cart's QRS detections (QRSTimesTypes/QRS, Time in ms from the start, consistent with GlobalRR) as
 * record samples. The beat Type is the cart's own template number, kept as the subtype; the symbol is
 * WFDB's 'Q' (unclassified) since MUSE does not say what a type means.
 */
function museQrsAnnotations(root: XmlNode, samplingRate: number, length: number): AnnotationSet | undefined {
  const annotations = all(one(root, 'QRSTimesTypes'), 'QRS').flatMap((q) => {
    const ms = childNumber(q, 'Time');
    const type = childNumber(q, 'Type');
    const sample = ms === undefined ? -1 : Math.round((ms * samplingRate) / 1000);
    if (!(sample >= 0 && sample < length)) return [];
    return [{ sample, symbol: 'Q', ...(type !== undefined && Number.isInteger(type) ? { subtype: type } : {}) }];
  });
  return annotations.length ? { annotator: 'muse-qrs', annotations } : undefined;
}

export function parseMuse(xml: string, filePath: string): EcgRecord {
  const where = path.basename(filePath);
  const doc = parseXml(xml, where);
  const root = requireRoot(doc, 'RestingECG', where);
  const waveforms = all(root, 'Waveform');
  const typed = (t: string) => waveforms.find((w) => childText(w, 'WaveformType')?.toLowerCase() === t);
  const rhythmNode = typed('rhythm');
  if (!rhythmNode) throw new FormatError(`${where}: no Rhythm waveform (${waveforms.length} other waveform(s))`);
  const rhythm = readWaveform(rhythmNode, 'Rhythm', where);
  const medianNode = typed('median');
  // The median beats are the cart's extra: damaged, they are left out with a warning, the rhythm still reads.
  let median: Waveform | undefined;
  let medianProblem: string | undefined;
  try {
    median = medianNode ? readWaveform(medianNode, 'Median', where) : undefined;
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    medianProblem = `median beats left out: ${e.message.slice(where.length + 2)}`;
  }

  const demo = one(root, 'PatientDemographics');
  const test = one(root, 'TestDemographics');
  const gender = childText(demo, 'Gender')?.toUpperCase();
  const cart = childText(test, 'AcquisitionDevice');
  const statements = museStatements(one(root, 'Diagnosis') ?? one(root, 'OriginalDiagnosis'));
  const original = museStatements(one(root, 'OriginalDiagnosis'));
  const beats = median && representativeBeats(median.leads, median.samplingRate, 'median');
  const filters = museFilters(rhythmNode);
  const device: DeviceReading = {
    ...(cart ? { model: `GE ${cart}` } : {}),
    measurements: museMeasurements(root),
    statements,
    ...(filters ? { filters } : {}),
    ...(beats ? { representativeBeats: beats } : {}),
  };

  const attributes: Record<string, string | number> = {};
  const put = (key: string, v: string | undefined) => {
    if (v) attributes[key] = v;
  };
  put('muse.version', childText(root, 'MuseInfo', 'MuseVersion'));
  put('muse.dataType', childText(test, 'DataType'));
  put('muse.status', childText(test, 'Status'));
  put('muse.acquisitionSoftware', childText(test, 'AcquisitionSoftwareVersion'));
  put('muse.analysisSoftware', childText(test, 'AnalysisSoftwareVersion'));
  put('muse.site', childText(test, 'SiteName'));
  // The cart's own statements when MUSE holds an edited (overread) reading beside them.
  if (original.length && original.join('\n') !== statements.join('\n')) attributes['muse.originalDiagnosis'] = original.join(' | ');

  const cut = truncationWarning(xml, 'RestingECG');
  const warnings = [...(cut ? [cut] : []), ...rhythm.warnings, ...(median?.warnings ?? []), ...(medianProblem ? [medianProblem] : [])];
  const stem = path.basename(filePath, path.extname(filePath));
  const qrs = museQrsAnnotations(root, rhythm.samplingRate, rhythm.length);
  return {
    format: 'ge-muse-xml',
    recordName: stem,
    patientId:
      childText(demo, 'PatientID') ??
      patientKeyFromName({
        lastName: childText(demo, 'PatientLastName'),
        firstName: childText(demo, 'PatientFirstName'),
        birthDate: childText(demo, 'DateofBirth'),
      }),
    samplingRate: rhythm.samplingRate,
    length: rhythm.length,
    startTime: museDateTime(childText(test, 'AcquisitionDate'), childText(test, 'AcquisitionTime')),
    // Half steps keep aVR/aVL/aVF exact: they are (sums of) half counts of I and II.
    leads: deriveLimbLeads(rhythm.leads, 2),
    age: museAge(demo),
    sex: gender === 'MALE' || gender === 'M' ? 'M' : gender === 'FEMALE' || gender === 'F' ? 'F' : undefined,
    labels: [],
    ...(qrs ? { annotations: [qrs] } : {}),
    attributes,
    device,
    ...(warnings.length ? { warnings } : {}),
  };
}

export const geMuseXmlReader: EcgFileReader = {
  format: 'ge-muse-xml',
  detect(head) {
    // The root tag, or (when bytes around it are damaged) the MUSE-only DTD name or first child.
    return /<RestingECG[\s>]|restecg\.dtd|<MuseInfo>/.test(xmlHead(head));
  },
  async companions() {
    return [];
  },
  async read(filePath) {
    return [parseMuse(decodeXml(await readFile(filePath), path.basename(filePath)), filePath)];
  },
};
