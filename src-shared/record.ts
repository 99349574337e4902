// The normalised ECG record every reader returns and every service consumes.

/** Standard 12-lead names in conventional display order. */
export const STANDARD_LEADS = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'] as const;
export type StandardLead = (typeof STANDARD_LEADS)[number];

/** One recorded (or derived) lead, kept in the file's own digital units so storage is bit-exact. */
export interface LeadSignal {
  /** Canonical name when recognised ('I', 'aVR', 'V1'); otherwise the file's own ('MLII', 'ECG1'). */
  name: string;
  /** Physical units of (digital - baseline) / gain, e.g. 'mV', 'uV'. */
  units: string;
  /** Digital units per physical unit. */
  gain: number;
  /** Digital value that represents 0 physical units. */
  baseline: number;
  /** Raw sample values. Int32Array only when the source has more than 16 bits. */
  digital: Int16Array | Int32Array;
  /** True when computed from other leads (III, aVR, aVL, aVF from I and II), not recorded. */
  derived?: boolean;
}

/** Digital value marking a missing sample (WFDB's invalid sample; gaps in multi-segment records) in Int16 leads. */
export const INVALID_DIGITAL_16 = -32768;
/** The same marker in Int32 leads. */
export const INVALID_DIGITAL_32 = -2147483648;

/** A label as the source states it, before any mapping to our vocabulary. */
export interface SourceLabel {
  /** 'SNOMED' for SNOMED CT concept ids; 'SCP' for PTB-XL statements; otherwise the source's own scheme. */
  vocabulary: string;
  code: string;
  name?: string;
  /** PTB-XL scp_codes likelihood (0-100) where given. */
  likelihood?: number;
}

/** One annotation from a WFDB annotation file (beat labels and aux text). */
export interface BeatAnnotation {
  sample: number;
  symbol: string;
  subtype?: number;
  channel?: number;
  num?: number;
  aux?: string;
}

export interface AnnotationSet {
  /** Annotator / file extension, e.g. 'atr', 'qrs', 'i' (LUDB lead I delineation). */
  annotator: string;
  annotations: BeatAnnotation[];
}

export interface EcgRecord {
  /** Reader that produced it, e.g. 'wfdb', 'cinc', 'ptbxl', 'hl7-aecg', 'dicom', 'edf'. */
  format: string;
  /** The record's name in its source (file stem or dataset id). */
  recordName: string;
  patientId?: string;
  /** Samples per second, common to all leads. */
  samplingRate: number;
  /** Samples per lead. */
  length: number;
  /** ISO 8601 start time when the source gives one. */
  startTime?: string;
  leads: LeadSignal[];
  age?: number;
  sex?: 'M' | 'F';
  labels: SourceLabel[];
  annotations?: AnnotationSet[];
  /** Anything else worth keeping: strat_fold, device, comments, file-level metadata. */
  attributes: Record<string, string | number>;
  /** What the recording device said about this ECG (vendor files only): its measurements and interpretation. */
  device?: DeviceReading;
  /** Problems the reader worked around (a malformed base time, a file shorter than its header); shown in the viewer. */
  warnings?: string[];
}

/** One global measurement as the device stated it, in its own unit ('ms', 'bpm', 'deg', 'uV'). */
export interface DeviceMeasurement {
  value: number;
  unit: string;
}

/** The cart's or Holter's own reading of a record, kept verbatim beside ours so a cardiologist can compare. */
export interface DeviceReading {
  /** Vendor and model as the file names them, e.g. 'GE MAC55', 'Philips PageWriter TC70'. */
  model?: string;
  /** Global measurements keyed by a fixed vocabulary (DEVICE_MEASUREMENT_KEYS) where one fits, else the file's own name. */
  measurements: Record<string, DeviceMeasurement>;
  /** Interpretation statements in the device's order, as text. */
  statements: string[];
  /** Acquisition filter settings as stated, e.g. { highPassHz: 0.16, lowPassHz: 150, notchHz: 60 }. */
  filters?: Record<string, number>;
  /** The device's representative beat per lead (GE median, Philips repbeat), when the file carries them. */
  representativeBeats?: RepresentativeBeats;
}

/**
 * The device's own averaged beat of each lead: its computation, not a recording, so it travels with the
 * device's reading (its fiducial measurements refer to it) rather than as leads of the record. Kept as
 * JSON-friendly base64 like SignalWindow: physical = (digital - baseline) / gain in `units`.
 */
export interface RepresentativeBeats {
  samplingRate: number;
  /** Samples per lead. */
  length: number;
  /** How the device formed them, as it says: 'median' (GE MUSE), 'mean' (Philips repbeatmethod). */
  method?: string;
  leads: {
    name: string;
    units: string;
    gain: number;
    baseline: number;
    /** base64 of Int16 little-endian digital values */ values: string;
  }[];
}

/** The device's reading as records.get sends it: its representative beats named only (records.deviceBeats has them). */
export type DeviceReadingView = Omit<DeviceReading, 'representativeBeats'> & {
  representativeBeats?: Omit<RepresentativeBeats, 'leads'> & { leads: string[] };
};

/** The device's representative beats as records.deviceBeats sends them: bytes, not base64 (binary-result.ts). */
export interface DeviceBeats {
  samplingRate: number;
  /** Samples per lead. */
  length: number;
  method?: string;
  leads: (LeadSignal & { digital: Int16Array })[];
}

/** Names for the device measurements every reader maps to when the file has them. */
export const DEVICE_MEASUREMENT_KEYS = [
  'heartRate',
  'rrInterval',
  'pDuration',
  'prInterval',
  'qrsDuration',
  'qtInterval',
  'qtcInterval',
  'pAxis',
  'qrsAxis',
  'tAxis',
] as const;

const UNIT_TO_MV: Record<string, number> = { mv: 1, uv: 1e-3, µv: 1e-3, μv: 1e-3, v: 1e3, nv: 1e-6 };

/** Factor that converts a lead's physical units to millivolts; undefined for non-voltage units. */
export function millivoltsPerUnit(units: string): number | undefined {
  return UNIT_TO_MV[units.trim().toLowerCase()];
}

/** The lead in millivolts as float32. Throws when its units are not a voltage. */
export function leadMillivolts(lead: LeadSignal): Float32Array {
  const scale = millivoltsPerUnit(lead.units);
  if (scale === undefined) throw new Error(`lead ${lead.name}: units '${lead.units}' are not a voltage`);
  const k = scale / lead.gain;
  const out = new Float32Array(lead.digital.length);
  const d = lead.digital;
  const b = lead.baseline;
  for (let i = 0; i < d.length; i++) out[i] = (d[i] - b) * k;
  return out;
}

const LEAD_ALIASES: Record<string, StandardLead> = {
  i: 'I',
  ii: 'II',
  iii: 'III',
  avr: 'aVR',
  avl: 'aVL',
  avf: 'aVF',
  v1: 'V1',
  v2: 'V2',
  v3: 'V3',
  v4: 'V4',
  v5: 'V5',
  v6: 'V6',
  'lead i': 'I',
  'lead ii': 'II',
  'lead iii': 'III',
  '-avr': 'aVR',
};

/** Canonical lead name for the many spellings sources use ('avr', 'AVR', 'Lead II', 'MDC_ECG_LEAD_V1'); others unchanged. */
export function canonicalLeadName(raw: string): string {
  const s = raw.trim();
  const key = s
    .toLowerCase()
    .replace(/^mdc_ecg_lead_/, '')
    .replace(/^ecg\s+/, '')
    .replace(/_/g, ' ');
  return LEAD_ALIASES[key] ?? s;
}
