// HL7 v3 annotated ECG (aECG, FDA submissions): XML with one rhythm series of SLIST_PQ sequences.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { canonicalLeadName, millivoltsPerUnit } from '../../src-shared/record.ts';
import type { DeviceMeasurement, DeviceReading, EcgRecord, LeadSignal } from '../../src-shared/record.ts';
import { FormatError } from './format-error.ts';
import { printable } from './printable.ts';
import type { EcgFileReader } from './reader.ts';
import { representativeBeats } from './representative-beats.ts';
import { ageAtDate, all, attr, decodeXml, one, parseXml, rootName, text, xmlHead } from './xml-document.ts';
import type { XmlNode } from './xml-document.ts';

/** HL7 TS ('20021122091000.250+0100', or a prefix of it) as ISO 8601; undefined when not a timestamp. */
export function hl7TimeToIso(ts: string | undefined): string | undefined {
  const m = ts?.match(/^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\.\d+)?([+-]\d{4})?$/);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  if (!mo || !d) return mo ? `${y}-${mo}` : y;
  let iso = `${y}-${mo}-${d}`;
  if (h) iso += `T${h}:${mi ?? '00'}:${s ?? '00'}${frac ?? ''}`;
  if (h && tz) iso += `${tz.slice(0, 3)}:${tz.slice(3)}`;
  return iso;
}

/** Whole years between an HL7 birth date ('YYYYMMDD...') and the recording date. */
function ageAt(birth: string | undefined, at: string | undefined): number | undefined {
  if (!birth || !/^\d{8}/.test(birth)) return undefined;
  return ageAtDate(`${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`, at);
}

function parseDigits(raw: string, where: string): Int32Array {
  const parts = raw.trim().split(/\s+/);
  if (parts.length === 1 && parts[0] === '') return new Int32Array(0);
  const out = new Int32Array(parts.length);
  for (let i = 0; i < parts.length; i++) {
    const v = Number(parts[i]);
    if (!Number.isInteger(v) || Math.abs(v) > 2 ** 31 - 1) {
      throw new FormatError(`${where}: digit ${i} '${printable(parts[i], 20)}' is not an integer`);
    }
    out[i] = v;
  }
  return out;
}

/** Seconds per sample from a GLIST_TS / GLIST_PQ time sequence's increment. */
function sampleInterval(seqValue: XmlNode | undefined, where: string): number {
  const inc = one(seqValue, 'increment');
  const v = Number(attr(inc, 'value'));
  const unit = (attr(inc, 'unit') ?? 's').toLowerCase();
  const perUnit: Record<string, number> = { s: 1, ms: 1e-3, us: 1e-6 };
  if (!(v > 0) || !Number.isFinite(v) || perUnit[unit] === undefined) {
    throw new FormatError(`${where}: time increment '${printable(`${attr(inc, 'value') ?? ''} ${unit}`)}' is not a positive time`);
  }
  return v * perUnit[unit];
}

function leadFromSequence(seq: XmlNode, code: string, where: string): LeadSignal {
  const value = one(seq, 'value');
  const type = attr(value, 'type') ?? '';
  if (!/SLIST_PQ$/.test(type)) throw new FormatError(`${where}: lead ${printable(code)} value type '${printable(type)}' is not SLIST_PQ`);
  const origin = one(value, 'origin');
  const scale = one(value, 'scale');
  const units = attr(scale, 'unit') ?? 'uV';
  const scaleV = Number(attr(scale, 'value') ?? 1);
  let originV = Number(attr(origin, 'value') ?? 0);
  const originUnit = attr(origin, 'unit') ?? units;
  if (originUnit !== units) {
    const a = millivoltsPerUnit(originUnit);
    const b = millivoltsPerUnit(units);
    if (a === undefined || b === undefined)
      throw new FormatError(
        `${where}: lead ${printable(code)} origin unit '${printable(originUnit)}' differs from scale unit '${printable(units)}'`,
      );
    originV = (originV * a) / b;
  }
  if (!Number.isFinite(scaleV) || scaleV === 0 || !Number.isFinite(originV)) {
    throw new FormatError(`${where}: lead ${printable(code)} has an invalid scale or origin`);
  }
  const digits = parseDigits(text(value?.['digits']) ?? '', `${where}: lead ${printable(code)}`);
  const fits16 = digits.every((d) => d >= -32768 && d <= 32767);
  // physical = origin + scale * digit, so digit = physical / scale - origin / scale
  return {
    name: canonicalLeadName(code.replace(/^MDC_ECG_LEAD_/, '')), // 'MDC_ECG_LEAD_V3R' -> 'V3R'
    units,
    gain: 1 / scaleV,
    baseline: -originV / scaleV,
    digital: fits16 ? Int16Array.from(digits) : digits,
  };
}

/** The rhythm series: code RHYTHM, else the first series with lead sequences (representative beats live under derivation). */
function rhythmSeries(root: XmlNode): XmlNode | undefined {
  const series = all(root, 'component').flatMap((c) => all(c, 'series'));
  return series.find((s) => attr(one(s, 'code'), 'code') === 'RHYTHM') ?? series[0];
}

/** Global MDC measurement codes -> DEVICE_MEASUREMENT_KEYS. */
const MDC_MEASUREMENTS: Record<string, string> = {
  MDC_ECG_HEART_RATE: 'heartRate',
  MDC_ECG_TIME_PD_RR: 'rrInterval',
  MDC_ECG_TIME_PD_P: 'pDuration',
  MDC_ECG_TIME_PD_PR: 'prInterval',
  MDC_ECG_TIME_PD_QRS: 'qrsDuration',
  MDC_ECG_TIME_PD_QT: 'qtInterval',
  MDC_ECG_TIME_PD_QTc: 'qtcInterval',
  MDC_ECG_TIME_PD_QTcB: 'qtcInterval',
  MDC_ECG_ANGLE_P_FRONT: 'pAxis',
  MDC_ECG_ANGLE_QRS_FRONT: 'qrsAxis',
  MDC_ECG_ANGLE_T_FRONT: 'tAxis',
};
const MDC_UNITS: Record<string, string> = { '/min': 'bpm', bpm: 'bpm', ms: 'ms', deg: 'deg', s: 's' };

/**
 * The device's reading from the annotation sets of the rhythm series and its derived (representative beat)
 * series: only annotations directly in a set count as global (those nested under a beat are per beat), and
 * the MDC_ECG_INTERPRETATION statements. Undefined when the file states none.
 */
function aecgDeviceReading(series: XmlNode): DeviceReading | undefined {
  const sets = [series, ...all(series, 'derivation').flatMap((d) => all(d, 'derivedSeries'))].flatMap((s) =>
    all(s, 'subjectOf').flatMap((o) => all(o, 'annotationSet')),
  );
  const measurements: Record<string, DeviceMeasurement> = {};
  const statements: string[] = [];
  let model: string | undefined;
  for (const set of sets) {
    model ??= text(one(set, 'author', 'assignedEntity', 'assignedAuthorType', 'assignedDevice', 'manufacturerModelName'))?.trim();
    for (const a of all(set, 'component').flatMap((c) => all(c, 'annotation'))) {
      const code = attr(one(a, 'code'), 'code') ?? '';
      if (code === 'MDC_ECG_INTERPRETATION') {
        for (const st of all(a, 'component').flatMap((c) => all(c, 'annotation'))) {
          const t = text(one(st, 'value'))
            ?.trim()
            .replace(/(,\s*)+$/, '');
          if (attr(one(st, 'code'), 'code') === 'MDC_ECG_INTERPRETATION_STATEMENT' && t) statements.push(t);
        }
        continue;
      }
      const key = MDC_MEASUREMENTS[code];
      const value = Number(attr(one(a, 'value'), 'value'));
      // A zero interval or rate is the generator's "not measured".
      if (!key || !Number.isFinite(value) || value === 0 || measurements[key]) continue;
      const unit = attr(one(a, 'value'), 'unit');
      measurements[key] = {
        value,
        unit: (unit && MDC_UNITS[unit]) ?? unit ?? (key === 'heartRate' ? 'bpm' : key.endsWith('Axis') ? 'deg' : 'ms'),
      };
    }
  }
  if (!model && statements.length === 0 && Object.keys(measurements).length === 0) return undefined;
  return { ...(model ? { model } : {}), measurements, statements };
}

/** The representative beat series (derivation/derivedSeries coded REPRESENTATIVE_BEAT) as the device's beats. */
function aecgRepresentativeBeats(series: XmlNode, where: string): DeviceReading['representativeBeats'] {
  const derived = all(series, 'derivation').flatMap((d) => all(d, 'derivedSeries'));
  const beat = derived.find((d) => attr(one(d, 'code'), 'code') === 'REPRESENTATIVE_BEAT');
  const set = all(beat, 'component').flatMap((c) => all(c, 'sequenceSet'))[0];
  if (!set) return undefined;
  let interval: number | undefined;
  const leads: LeadSignal[] = [];
  for (const seq of all(set, 'component').flatMap((c) => all(c, 'sequence'))) {
    const code = attr(one(seq, 'code'), 'code') ?? '';
    if (/^TIME_(ABSOLUTE|RELATIVE)$/.test(code)) interval = sampleInterval(one(seq, 'value'), `${where}: representative beat`);
    else if (code.startsWith('MDC_ECG_LEAD_')) leads.push(leadFromSequence(seq, code, `${where}: representative beat`));
  }
  return interval ? representativeBeats(leads, Math.round((1 / interval) * 1e6) / 1e6) : undefined;
}

export function parseAecg(xml: string, filePath: string): EcgRecord {
  const where = path.basename(filePath);
  const doc = parseXml(xml, where);
  const root = one(doc, 'AnnotatedECG');
  if (!root) {
    const found = rootName(doc);
    // A vendor file whose head was too damaged to be recognised lands here by its '.xml' ending: say what it is not.
    throw new FormatError(
      `${where}: ${found ? `root element <${printable(found, 40)}> is not an ECG XML LeadLens reads (AnnotatedECG, RestingECG, restingecgdata)` : 'no root element'}`,
    );
  }
  const series = rhythmSeries(root);
  if (!series) throw new FormatError(`${where}: no waveform series`);

  const sets = all(series, 'component').flatMap((c) => all(c, 'sequenceSet'));
  let leads: LeadSignal[] = [];
  let interval: number | undefined;
  let timeHead: string | undefined;
  for (const set of sets) {
    const found: LeadSignal[] = [];
    let setInterval: number | undefined;
    for (const seq of all(set, 'component').flatMap((c) => all(c, 'sequence'))) {
      const code = attr(one(seq, 'code'), 'code') ?? '';
      if (/^TIME_(ABSOLUTE|RELATIVE)$/.test(code)) {
        setInterval = sampleInterval(one(seq, 'value'), where);
        if (code === 'TIME_ABSOLUTE') timeHead = attr(one(seq, 'value', 'head'), 'value');
      } else if (code.startsWith('MDC_ECG_LEAD_')) {
        found.push(leadFromSequence(seq, code, where));
      }
    }
    if (found.length > 0) {
      leads = found;
      interval = setInterval;
      break;
    }
  }
  if (leads.length === 0) throw new FormatError(`${where}: rhythm series has no MDC_ECG_LEAD_* sequences`);
  if (interval === undefined) throw new FormatError(`${where}: rhythm series has no TIME_ABSOLUTE/TIME_RELATIVE sequence`);
  const length = Math.min(...leads.map((l) => l.digital.length));
  if (length === 0)
    throw new FormatError(`${where}: lead ${printable(leads.find((l) => l.digital.length === 0)?.name ?? '')} has no digits`);
  const attributes: Record<string, string | number> = {};
  if (leads.some((l) => l.digital.length !== length)) {
    attributes['aecg.truncatedTo'] = length;
    leads = leads.map((l) => ({ ...l, digital: l.digital.subarray(0, length) }));
  }

  const effective = one(root, 'effectiveTime');
  const startTime =
    hl7TimeToIso(timeHead) ??
    hl7TimeToIso(attr(one(series, 'effectiveTime', 'low'), 'value')) ??
    hl7TimeToIso(attr(one(effective, 'low'), 'value') ?? attr(one(effective, 'center'), 'value'));

  const reading = aecgDeviceReading(series);
  // The beats are the device's extra: damaged, they are left out with a warning, the rhythm still reads.
  const warnings: string[] = [];
  let beats: DeviceReading['representativeBeats'];
  try {
    beats = aecgRepresentativeBeats(series, where);
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    warnings.push(`representative beats left out: ${e.message.slice(where.length + 2)}`);
  }
  const device =
    reading || beats
      ? { ...(reading ?? { measurements: {}, statements: [] }), ...(beats ? { representativeBeats: beats } : {}) }
      : undefined;
  const subject = one(root, 'componentOf', 'timepointEvent', 'componentOf', 'subjectAssignment', 'subject', 'trialSubject');
  const person = one(subject, 'subjectDemographicPerson');
  const patientId = attr(one(subject, 'id'), 'extension') ?? text(person?.['PatientID'])?.trim();
  const gender = attr(one(person, 'administrativeGenderCode'), 'code');
  const ageObs = all(root, 'controlVariable')
    .map((c) => one(c, 'relatedObservation'))
    .find((o) => attr(one(o, 'code'), 'code') === '21612-7');
  const reportedAge = Number(attr(one(ageObs, 'value'), 'value'));
  const age = Number.isFinite(reportedAge) && reportedAge >= 0 ? reportedAge : ageAt(attr(one(person, 'birthTime'), 'value'), startTime);

  const id = one(root, 'id');
  if (attr(id, 'root')) attributes['aecg.id'] = attr(id, 'root')!;
  const clinicalTrial = one(
    root,
    'componentOf',
    'timepointEvent',
    'componentOf',
    'subjectAssignment',
    'componentOf',
    'clinicalTrial',
    'id',
  );
  if (attr(clinicalTrial, 'extension')) attributes['aecg.trial'] = attr(clinicalTrial, 'extension')!;

  return {
    format: 'hl7-aecg',
    recordName: attr(id, 'extension') ?? path.basename(filePath, path.extname(filePath)),
    patientId: patientId || undefined,
    samplingRate: Math.round((1 / interval) * 1e6) / 1e6,
    length,
    startTime,
    leads,
    age,
    sex: gender === 'M' || gender === 'F' ? gender : undefined,
    labels: [],
    attributes,
    ...(device ? { device } : {}),
    ...(warnings.length ? { warnings } : {}),
  };
}

export const hl7AecgReader: EcgFileReader = {
  format: 'hl7-aecg',
  extensions: ['.xml'],
  detect(head) {
    return /<([\w-]+:)?AnnotatedECG[\s>/]/.test(xmlHead(head));
  },
  async companions() {
    return [];
  },
  async read(filePath) {
    return [parseAecg(decodeXml(await readFile(filePath), path.basename(filePath)), filePath)];
  },
};
