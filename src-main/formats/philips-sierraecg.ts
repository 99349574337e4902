// Philips SierraECG / PhilipsECG XML 1.03, 1.04, 1.04.01 (PageWriter, TraceMaster, HeartStart, IntelliSpace
// ECG exports), UTF-8 or UTF-16: XLI-compressed or plain waveforms, representative beats, the cart's
// measurements and interpretation statements.
import { patientKeyFromName } from './patient-key.ts';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { STANDARD_LEADS, canonicalLeadName } from '../../src-shared/record.ts';
import type { DeviceMeasurement, DeviceReading, EcgRecord, LeadSignal } from '../../src-shared/record.ts';
import { FormatError } from './format-error.ts';
import { decodeXli, restoreLimbLeads } from './philips-xli.ts';
import { printable } from './printable.ts';
import type { EcgFileReader } from './reader.ts';
import { representativeBeats } from './representative-beats.ts';
import {
  ageAtDate,
  all,
  attr,
  base64Bytes,
  childNumber,
  childText,
  decimal,
  decodeXml,
  isNode,
  one,
  parseXml,
  requireRoot,
  text,
  truncationWarning,
  xmlHead,
} from './xml-document.ts';
import type { XmlNode } from './xml-document.ts';

/** Global measurement element -> DEVICE_MEASUREMENT_KEYS name and unit (1.04 names, then the 1.03 `mean*` ones). */
const MEASUREMENTS: Record<string, [string, string]> = {
  heartrate: ['heartRate', 'bpm'],
  rrint: ['rrInterval', 'ms'],
  pdur: ['pDuration', 'ms'],
  print: ['prInterval', 'ms'],
  qrsdur: ['qrsDuration', 'ms'],
  qtint: ['qtInterval', 'ms'],
  qtcb: ['qtcInterval', 'ms'],
  pfrontaxis: ['pAxis', 'deg'],
  qrsfrontaxis: ['qrsAxis', 'deg'],
  tfrontaxis: ['tAxis', 'deg'],
  meanprint: ['prInterval', 'ms'],
  meanqrsdur: ['qrsDuration', 'ms'],
  meanqtint: ['qtInterval', 'ms'],
  meanqtc: ['qtcInterval', 'ms'],
  atrialrate: ['atrialrate', 'bpm'],
  qtcf: ['qtcf', 'ms'],
  qonset: ['qonset', 'ms'],
  tonset: ['tonset', 'ms'],
};

const MAX_LEADS = 64;

interface Waveforms {
  leads: LeadSignal[];
  samplingRate: number;
  length: number;
  warnings: string[];
  /** The calibration mark cut from the end of every lead: its length in samples and height in uV. */
  calibration?: { samples: number; uv: number };
}

/** The 16-bit little-endian values of base64 bytes. */
function int16le(bytes: Uint8Array): Int16Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Int16Array(bytes.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt16(i * 2, true);
  return out;
}

function narrow(values: Int32Array): Int16Array | Int32Array {
  return values.every((v) => v >= -32767 && v <= 32767) ? Int16Array.from(values) : values;
}

/** The rhythm leads of <parsedwaveforms>, in either version's attribute layout. */
function readParsedWaveforms(root: XmlNode, where: string): Waveforms {
  const pw = one(root, 'waveforms', 'parsedwaveforms');
  if (!pw) throw new FormatError(`${where}: no waveforms/parsedwaveforms element`);
  const signal = one(root, 'dataacquisition', 'signalcharacteristics');
  const samplingRate = decimal(attr(pw, 'samplespersecond')) ?? childNumber(signal, 'samplingrate');
  if (samplingRate === undefined || !(samplingRate >= 1 && samplingRate <= 100_000)) {
    throw new FormatError(
      `${where}: sampling rate '${printable(attr(pw, 'samplespersecond') ?? childText(signal, 'samplingrate') ?? '', 20)}' is not usable`,
    );
  }
  const resolution = decimal(attr(pw, 'resolution')) ?? childNumber(signal, 'resolution') ?? childNumber(signal, 'signalresolution');
  if (resolution === undefined || !(resolution > 0 && resolution < 1e6))
    throw new FormatError(`${where}: signal resolution (uV per unit) is missing or not positive`);
  const durationMs = decimal(attr(pw, 'durationperchannel'));
  if (durationMs === undefined || !(durationMs > 0 && durationMs <= 24 * 3600 * 1000)) {
    throw new FormatError(`${where}: durationperchannel '${printable(attr(pw, 'durationperchannel') ?? '', 20)}' is not a duration in ms`);
  }
  const samples = Math.round((durationMs * samplingRate) / 1000);
  const labels = attr(pw, 'leadlabels')?.split(/\s+/).map(canonicalLeadName);
  const declaredLeads = decimal(attr(pw, 'numberofleads')) ?? childNumber(signal, 'numberchannelsvalid') ?? labels?.length ?? 12;
  if (!Number.isInteger(declaredLeads) || declaredLeads < 1 || declaredLeads > MAX_LEADS) {
    throw new FormatError(`${where}: number of leads '${declaredLeads}' is not 1-${MAX_LEADS}`);
  }
  const names = Array.from(
    { length: declaredLeads },
    (_, i) => labels?.[i] ?? (declaredLeads <= 12 ? STANDARD_LEADS[i] : undefined) ?? `Channel ${i + 1}`,
  );
  // 1.04: compression="XLI"; 1.03: compressflag="True" compressmethod="XLI".
  const method = (
    attr(pw, 'compression') ?? (attr(pw, 'compressflag') === 'True' ? (attr(pw, 'compressmethod') ?? 'XLI') : 'None')
  ).toUpperCase();
  if (!['XLI', 'NONE', 'UNCOMPRESSED', 'FALSE'].includes(method))
    throw new FormatError(`${where}: waveform compression '${printable(method, 20)}' is not supported`);
  const encoding = (attr(pw, 'dataencoding') ?? 'Base64').toLowerCase();
  const body = text(pw) ?? '';
  const warnings: string[] = [];

  let values: Int32Array[];
  if (encoding === 'plain') {
    if (method === 'XLI') throw new FormatError(`${where}: XLI compression with plain (non-base64) encoding is not defined`);
    values = splitLeads(plainValues(body, `${where}: plain waveform`), declaredLeads, samples, where);
  } else if (encoding === 'base64') {
    const bytes = base64Bytes(body, `${where}: parsedwaveforms`);
    if (method === 'XLI') {
      values = decodeXli(bytes, declaredLeads, samples, where);
    } else {
      values = splitLeads(Int32Array.from(int16le(bytes)), declaredLeads, samples, where);
    }
  } else {
    throw new FormatError(`${where}: waveform dataencoding '${printable(encoding, 20)}' is not Base64 or Plain`);
  }
  if (method === 'XLI' && names.slice(0, 6).join(' ') === 'I II III aVR aVL aVF') restoreLimbLeads(values);

  const stored = Math.min(...values.map((v) => v.length));
  if (stored === 0) throw new FormatError(`${where}: the waveforms hold no samples`);
  if (stored < samples) warnings.push(`waveforms hold ${stored} of ${samples} samples per lead (${durationMs} ms declared)`);
  const calibration = calibrationTail(values, stored);
  const length = calibration ? calibration.start : stored;
  const offset = decimal(attr(pw, 'signaloffset')) ?? childNumber(signal, 'signaloffset') ?? 0;
  const leads = values.map((v, i): LeadSignal => ({
    name: names[i],
    units: 'uV',
    gain: 1 / resolution,
    baseline: offset,
    digital: narrow(v.subarray(0, length)),
  }));
  return {
    leads,
    samplingRate,
    length,
    warnings,
    ...(calibration ? { calibration: { samples: stored - calibration.start, uv: calibration.units * resolution } } : {}),
  };
}

/**
 * Carts append a calibration mark to every lead (a 1 mV step, then zeros, identical in all leads). It is
 * not ECG: left in, it reads as a beat. Its start and height when the tail of every lead is that mark.
 */
export function calibrationTail(values: Int32Array[], length: number): { start: number; units: number } | undefined {
  if (values.length < 2) return undefined;
  let start = length;
  while (start > 0 && values.every((v) => v[start - 1] === values[0][start - 1])) start--;
  const tail = values[0].subarray(start, length);
  const height = tail.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  // A plateau of at least 20 ms worth of equal samples (10 at 500 Hz) and at most a fifth of the record.
  if (height === 0 || length - start < 10 || length - start > length / 5) return undefined;
  return { start, units: tail.find((v) => v !== 0)! };
}

/** Whitespace-separated 16-bit integers (dataencoding="Plain"). */
function plainValues(body: string, what: string): Int32Array {
  const parts = body.trim() === '' ? [] : body.trim().split(/\s+/);
  const out = new Int32Array(parts.length);
  for (let i = 0; i < parts.length; i++) {
    const v = Number(parts[i]);
    if (!Number.isInteger(v) || v < -32768 || v > 32767)
      throw new FormatError(`${what} value ${i} '${printable(parts[i], 12)}' is not a 16-bit integer`);
    out[i] = v;
  }
  return out;
}

/** Uncompressed waveforms: all of lead 1, then all of lead 2, ... */
function splitLeads(values: Int32Array, leads: number, samples: number, where: string): Int32Array[] {
  const whole = Math.floor(values.length / samples);
  if (whole < leads)
    throw new FormatError(
      `${where}: uncompressed waveforms hold ${values.length} values, ${leads} leads x ${samples} samples need ${leads * samples}`,
    );
  return Array.from({ length: leads }, (_, i) => values.slice(i * samples, (i + 1) * samples));
}

function philipsRepBeats(root: XmlNode, where: string): DeviceReading['representativeBeats'] {
  const rb = one(root, 'waveforms', 'repbeats');
  if (!rb) return undefined;
  const fs = decimal(attr(rb, 'samplespersec'));
  const resolution = decimal(attr(rb, 'resolution'));
  if (!fs || !(fs > 0 && fs <= 100_000) || !resolution || !(resolution > 0)) return undefined;
  const encoding = (attr(rb, 'dataencoding') ?? 'Base64').toLowerCase();
  const leads: LeadSignal[] = [];
  for (const beat of all(rb, 'repbeat')) {
    const name = canonicalLeadName(attr(beat, 'leadname') ?? `Channel ${leads.length + 1}`);
    const body = text(one(beat, 'waveform')) ?? '';
    let digital: Int16Array;
    if (encoding === 'base64') {
      digital = int16le(base64Bytes(body, `${where}: repbeat ${printable(name, 12)}`));
    } else {
      digital = Int16Array.from(plainValues(body, `${where}: repbeat ${printable(name, 12)}`));
    }
    leads.push({ name, units: 'uV', gain: 1 / resolution, baseline: 0, digital });
  }
  return representativeBeats(leads, fs, attr(rb, 'repbeatmethod'));
}

/** The interpretation's global measurements (1.04 `globalmeasurements`, 1.03 `interpretationmeasurements`). */
function philipsMeasurements(interp: XmlNode | undefined, root: XmlNode): Record<string, DeviceMeasurement> {
  const node = one(interp, 'globalmeasurements') ?? one(interp, 'interpretationmeasurements') ?? one(root, 'internalmeasurements');
  const out: Record<string, DeviceMeasurement> = {};
  if (!isNode(node)) return out;
  for (const tag of Object.keys(node)) {
    const known = MEASUREMENTS[tag];
    const unit = known?.[1] ?? (tag.endsWith('axis') ? 'deg' : undefined);
    const v = childNumber(node, tag);
    if (!unit || v === undefined) continue;
    const key = known?.[0] ?? tag;
    out[key] ??= { value: v, unit };
  }
  return out;
}

function philipsStatements(interp: XmlNode | undefined): string[] {
  const lines = all(interp, 'statement').map((st) => {
    const left = childText(st, 'leftstatement');
    const right = childText(st, 'rightstatement');
    return left && right ? `${left} — ${right}` : (left ?? right ?? '');
  });
  const severity = childText(interp, 'severity');
  return [...lines, ...(severity ? [severity] : [])].filter(Boolean);
}

function philipsFilters(root: XmlNode): Record<string, number> | undefined {
  const signal = one(root, 'dataacquisition', 'signalcharacteristics');
  const report = one(root, 'reportinfo', 'reportbandwidth');
  const filters: Record<string, number> = {};
  const band = childText(signal, 'signalbandwidth')?.match(/^([\d.]+)\s*-\s*([\d.]+)$/);
  const hp = childNumber(signal, 'hipass') ?? decimal(band?.[1]);
  const lp = childNumber(signal, 'lowpass') ?? decimal(band?.[2]);
  if (hp !== undefined) filters.highPassHz = hp;
  if (lp !== undefined) filters.lowPassHz = lp;
  const notch = decimal(childText(signal, 'notchfilterfreqs')?.split(/\s+/)[0]);
  if (childText(signal, 'notchfiltered') === 'True' && notch) filters.notchHz = notch;
  // What the printed report was filtered with (the signal itself is stored unfiltered by these).
  const rhp = childNumber(report, 'highpassfiltersetting');
  const rlp = childNumber(report, 'lowpassfiltersetting');
  const rnotch = childNumber(report, 'notchfiltersetting');
  if (rhp !== undefined) filters.reportHighPassHz = rhp;
  if (rlp !== undefined) filters.reportLowPassHz = rlp;
  if (rnotch !== undefined && rnotch > 0) filters.reportNotchHz = rnotch;
  return Object.keys(filters).length ? filters : undefined;
}

export function parsePhilips(xml: string, filePath: string): EcgRecord {
  const where = path.basename(filePath);
  const doc = parseXml(xml, where);
  const root = requireRoot(doc, 'restingecgdata', where);
  const info = one(root, 'documentinfo');
  const type = childText(info, 'documenttype');
  if (type && type !== 'SierraECG' && type !== 'PhilipsECG')
    throw new FormatError(`${where}: documenttype '${printable(type, 30)}' is not SierraECG or PhilipsECG`);
  const version = childText(info, 'documentversion') ?? '';
  if (version && !/^1\.0[34](\.\d+)?$/.test(version))
    throw new FormatError(`${where}: document version '${printable(version, 20)}' is not 1.03 or 1.04`);
  const waves = readParsedWaveforms(root, where);

  const acq = one(root, 'dataacquisition');
  const date = attr(acq, 'date');
  const time = attr(acq, 'time');
  const startTime =
    date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? (time && /^\d{2}:\d{2}:\d{2}$/.test(time) ? `${date}T${time}` : date) : undefined;
  const patient = one(root, 'patient', 'generalpatientdata');
  const years = childNumber(patient, 'age', 'years');
  const age = years !== undefined && years >= 0 && years < 150 ? years : ageAtDate(childText(patient, 'age', 'dateofbirth'), startTime);
  const sex = childText(patient, 'sex')?.toLowerCase();
  const machine = one(acq, 'machine');
  const machineName = text(machine)?.trim();
  const interp = one(root, 'interpretations', 'interpretation');
  const filters = philipsFilters(root);
  // Representative beats are the cart's extra: damaged, they are left out with a warning, the rhythm still reads.
  let beats: DeviceReading['representativeBeats'];
  let beatsProblem: string | undefined;
  try {
    beats = philipsRepBeats(root, where);
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    beatsProblem = `representative beats left out: ${e.message.slice(where.length + 2)}`;
  }
  const device: DeviceReading = {
    ...(machineName ? { model: `Philips ${machineName}` } : {}),
    measurements: philipsMeasurements(interp, root),
    statements: philipsStatements(interp),
    ...(filters ? { filters } : {}),
    ...(beats ? { representativeBeats: beats } : {}),
  };
  const cut = truncationWarning(xml, 'restingecgdata');
  const warnings = [...(cut ? [cut] : []), ...waves.warnings, ...(beatsProblem ? [beatsProblem] : [])];
  const attributes: Record<string, string | number> = {};
  if (version) attributes['philips.documentVersion'] = version;
  if (type) attributes['philips.documentType'] = type;
  const detail = attr(machine, 'detaildescription');
  if (detail) attributes['philips.machine'] = detail;
  if (waves.calibration) {
    attributes['philips.calibrationSamples'] = waves.calibration.samples;
    attributes['philips.calibrationUv'] = waves.calibration.uv;
  }
  const status = attr(root, 'status');
  if (status) attributes['philips.status'] = status;

  return {
    format: 'philips-sierraecg',
    recordName: path.basename(filePath, path.extname(filePath)),
    patientId:
      childText(patient, 'patientid') ??
      patientKeyFromName({
        lastName: childText(patient, 'name', 'lastname'),
        firstName: childText(patient, 'name', 'firstname'),
        birthDate: childText(patient, 'age', 'dateofbirth'),
      }),
    samplingRate: waves.samplingRate,
    length: waves.length,
    startTime,
    leads: waves.leads,
    age,
    sex: sex === 'male' ? 'M' : sex === 'female' ? 'F' : undefined,
    labels: [],
    attributes,
    device,
    ...(warnings.length ? { warnings } : {}),
  };
}

export const philipsSierraEcgReader: EcgFileReader = {
  format: 'philips-sierraecg',
  detect(head) {
    // The root tag, or (when bytes around it are damaged) Philips' namespace or document type.
    return /<([\w-]+:)?restingecgdata[\s>]|www3\.medical\.philips\.com|<documenttype>(SierraECG|PhilipsECG)</.test(xmlHead(head));
  },
  async companions() {
    return [];
  },
  async read(filePath) {
    return [parsePhilips(decodeXml(await readFile(filePath), path.basename(filePath)), filePath)];
  },
};
