// Record to model input: resample, band-pass, crop/pad, z-score, lead-set restriction; batch augmentations.
// Model inputs are channels-last Float32Arrays of [samples, leads] (sample-major, leads interleaved).
import { ecgCleanModelInputs } from '../dsp/ecg-clean.ts';
import { cropOrPad, zscore } from '../dsp/normalise.ts';
import { resamplePoly } from '../dsp/resample.ts';
import { canonicalLeadName, leadMillivolts } from '../../src-shared/record.ts';
import type { EcgRecord } from '../../src-shared/record.ts';

export interface InputSpec {
  samplingRate: number;
  /** Samples per lead after resampling. */
  samples: number;
  /** Input channel order of the model, e.g. the 12 standard leads. */
  leads: string[];
  /** The lead set actually fed (a subset of `leads`); the others are zero-filled. Default: all of `leads`. */
  activeLeads?: string[];
  /** Zero-phase band-pass before cropping; null for none. */
  bandpass?: { lowHz: number; highHz: number } | null;
  zscore?: boolean;
  /** Zero-pad records shorter than the input (training); otherwise a short record is an error. */
  padShort?: boolean;
  crop?: 'start' | 'center';
}

/** A signal input spec as stored with a model (JSON), checked field by field. */
export function readInputSpec(stored: Record<string, unknown>, where: string): InputSpec {
  const { samplingRate, samples, leads, activeLeads, bandpass, zscore, padShort, crop } = stored;
  const names = (x: unknown): x is string[] => Array.isArray(x) && x.every((v) => typeof v === 'string');
  const bad = (field: string): never => {
    throw new Error(`${where}: its input spec has no valid '${field}'`);
  };
  if (typeof samplingRate !== 'number' || !(samplingRate > 0)) bad('samplingRate');
  if (typeof samples !== 'number' || !Number.isInteger(samples) || samples <= 0) bad('samples');
  if (!names(leads) || leads.length === 0) bad('leads');
  if (activeLeads !== undefined && !names(activeLeads)) bad('activeLeads');
  const band = bandpass as { lowHz?: unknown; highHz?: unknown } | null | undefined;
  if (band != null && (typeof band.lowHz !== 'number' || typeof band.highHz !== 'number')) bad('bandpass');
  if (crop !== undefined && crop !== 'start' && crop !== 'center') bad('crop');
  return {
    samplingRate: samplingRate as number,
    samples: samples as number,
    leads: leads as string[],
    ...(activeLeads !== undefined ? { activeLeads: activeLeads as string[] } : {}),
    ...(band !== undefined ? { bandpass: band === null ? null : { lowHz: band.lowHz as number, highHz: band.highHz as number } } : {}),
    ...(typeof zscore === 'boolean' ? { zscore } : {}),
    ...(typeof padShort === 'boolean' ? { padShort } : {}),
    ...(crop !== undefined ? { crop: crop as 'start' | 'center' } : {}),
  };
}

/** The leads `record` lacks of `leads`, as one line ('lacks leads I, III (has MLII, V5)'), or undefined. */
export function missingLeadsReason(record: EcgRecord, leads: readonly string[]): string | undefined {
  const have = new Set(record.leads.map((l) => canonicalLeadName(l.name)));
  const missing = leads.filter((n) => !have.has(canonicalLeadName(n)));
  if (missing.length === 0) return undefined;
  return `lacks lead${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (has ${record.leads.map((l) => l.name).join(', ')})`;
}

/** Why `record` cannot feed a signal model with this spec (leads it lacks, too short), or undefined when it can. */
export function inputMismatch(record: EcgRecord, spec: InputSpec): string | undefined {
  const missing = missingLeadsReason(record, spec.activeLeads ?? spec.leads);
  if (missing) return missing;
  const durationNeeded = spec.samples / spec.samplingRate;
  const duration = record.length / record.samplingRate;
  if (!spec.padShort && duration + 1e-9 < durationNeeded)
    return `${duration.toFixed(2)} s is shorter than the model input of ${durationNeeded.toFixed(2)} s`;
  return undefined;
}

/** One record as model input [samples x leads]; throws one clear line when the record cannot feed the model. */
export function recordToInput(record: EcgRecord, spec: InputSpec): Float32Array {
  const active = spec.activeLeads ?? spec.leads;
  for (const name of active) {
    if (!spec.leads.includes(name))
      throw new Error(`input: lead ${name} of the lead set is not a model input (model leads ${spec.leads.join(', ')})`);
  }
  const mismatch = inputMismatch(record, spec);
  if (mismatch) throw new Error(`record ${record.recordName}: ${mismatch}`);
  const byName = new Map(record.leads.map((l) => [canonicalLeadName(l.name), l]));
  const nLeads = spec.leads.length;
  const out = new Float32Array(spec.samples * nLeads);
  let leads = active.map((name) => {
    const x = leadMillivolts(byName.get(canonicalLeadName(name))!);
    return record.samplingRate !== spec.samplingRate ? resamplePoly(x, record.samplingRate, spec.samplingRate) : x;
  });
  // All leads at once: the band-pass filters two per FFT (the bulk of predict --all's time).
  if (spec.bandpass) leads = ecgCleanModelInputs(leads, spec.samplingRate, { band: spec.bandpass });
  active.forEach((name, k) => {
    let x = cropOrPad(leads[k], spec.samples, spec.crop ?? 'start');
    if (spec.zscore !== false) x = zscore(x);
    const c = spec.leads.indexOf(name);
    for (let t = 0; t < spec.samples; t++) out[t * nLeads + c] = x[t];
  });
  return out;
}

/** Multi-hot targets for the model's classes from a record's codes; `equivalent` maps a code to the class code it counts as. */
export function targetsFor(codes: string[], classes: string[], equivalent: Record<string, string> = {}): Uint8Array {
  const y = new Uint8Array(classes.length);
  for (const code of codes) {
    const k = classes.indexOf(equivalent[code] ?? code);
    if (k >= 0) y[k] = 1;
  }
  return y;
}

/** Gamma(shape, 1) sample (Marsaglia-Tsang), for Beta draws. */
function gamma(shape: number, rand: () => number): number {
  if (shape < 1) return gamma(shape + 1, rand) * rand() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rand();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/**
 * Mixup (Zhang et al. 2018) in place on a batch: example i becomes lam * i + (1 - lam) * partner, targets likewise;
 * lam ~ Beta(alpha, alpha), folded to >= 0.5 so each example stays mostly itself.
 */
export function mixup(x: Float32Array, y: Float32Array, batch: number, alpha: number, rand: () => number): void {
  if (batch < 2 || alpha <= 0) return;
  const xs = x.length / batch;
  const ys = y.length / batch;
  const x0 = x.slice();
  const y0 = y.slice();
  for (let i = 0; i < batch; i++) {
    const a = gamma(alpha, rand);
    let lam = a / (a + gamma(alpha, rand));
    lam = Math.max(lam, 1 - lam);
    const j = Math.floor(rand() * batch);
    for (let k = 0; k < xs; k++) x[i * xs + k] = lam * x0[i * xs + k] + (1 - lam) * x0[j * xs + k];
    for (let k = 0; k < ys; k++) y[i * ys + k] = lam * y0[i * ys + k] + (1 - lam) * y0[j * ys + k];
  }
}

/** Random masking in place: per example, zeros one window of up to `maxFraction` of the samples across all leads. */
export function randomMask(x: Float32Array, batch: number, leads: number, maxFraction: number, rand: () => number): void {
  const samples = x.length / batch / leads;
  for (let i = 0; i < batch; i++) {
    const len = Math.floor(rand() * maxFraction * samples);
    const start = Math.floor(rand() * (samples - len + 1));
    x.fill(0, (i * samples + start) * leads, (i * samples + start + len) * leads);
  }
}

/** Label smoothing for binary targets: y (1 - eps) + eps / 2. */
export function smoothLabels(y: Float32Array, eps: number): Float32Array {
  return y.map((v) => v * (1 - eps) + eps / 2);
}
