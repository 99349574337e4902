// One ECG cleaning function with named presets (like neurokit2's ecg_clean): what the viewer's display filters,
// the measurements and the ML input pipeline do to a lead before use. The 0.5-40 Hz diagnostic band is written here once.
import type { DisplayFilter } from '../../src-shared/review-vocabulary.ts';
import { bandpassFilter, bandpassFilterMany, defaultBandpassTaps, type BandpassOptions } from './bandpass.ts';
import { removeBaselineWander } from './baseline.ts';
import { notchFilter } from './notch.ts';

/** The band kept for measurement, display and (by default) model input. */
export const ECG_BAND = { lowHz: 0.5, highHz: 40 } as const;

export type EcgCleanPreset = 'display' | 'measurement' | 'model-input';

export interface EcgCleanOptions {
  /** display: the filters the reviewer switched on (applied baseline, band-pass, notch 50, notch 60). */
  filters?: readonly DisplayFilter[];
  /** model-input: the band stored with the model (default ECG_BAND). */
  band?: { lowHz: number; highHz: number };
}

/** Taps no longer than a third of the signal, so short windows still filter (odd, at least 3). */
const fitTaps = (taps: number, n: number): number => Math.max(3, Math.min(taps, 2 * Math.floor((n - 1) / 6) - 1));

const band = (fs: number, numtaps?: number): BandpassOptions => ({
  lowHz: ECG_BAND.lowHz,
  highHz: Math.min(ECG_BAND.highHz, 0.45 * fs),
  numtaps,
});

/**
 * A lead (millivolts) cleaned for one use:
 * - 'measurement': band-pass with about 1 s of taps; the 0.5 Hz edge is soft (full gain from about 2 Hz) but it costs a
 *   quarter of the default filter, and the PR-segment level taken per beat absorbs what drift remains;
 * - 'display': the reviewer's filters, for the eye only (the band-pass with the default sharp 0.5 Hz edge);
 * - 'model-input': the model's band with the default taps, as at training.
 */
export function ecgClean(signal: Float32Array, fs: number, preset: EcgCleanPreset, o: EcgCleanOptions = {}): Float32Array {
  if (preset === 'measurement') return bandpassFilter(signal, fs, band(fs, fitTaps(2 * Math.round(fs / 2) + 1, signal.length)));
  if (preset === 'model-input') return bandpassFilter(signal, fs, o.band ?? ECG_BAND);
  const filters = o.filters ?? [];
  // A few samples cannot be filtered meaningfully; they are shown as they are.
  if (signal.length <= 30) return signal;
  let x = signal;
  if (filters.includes('baseline')) x = removeBaselineWander(x, fs);
  if (filters.includes('bandpass')) x = bandpassFilter(x, fs, band(fs, fitTaps(defaultBandpassTaps(fs, ECG_BAND.lowHz), x.length)));
  if (filters.includes('notch50') && fs > 100) x = notchFilter(x, fs, 50);
  if (filters.includes('notch60') && fs > 120) x = notchFilter(x, fs, 60);
  return x;
}

/** ecgClean(..., 'model-input') of every lead of a record, the band-pass two leads per FFT. */
export function ecgCleanModelInputs(leads: readonly Float32Array[], fs: number, o: EcgCleanOptions = {}): Float32Array[] {
  return bandpassFilterMany(leads, fs, o.band ?? ECG_BAND);
}
