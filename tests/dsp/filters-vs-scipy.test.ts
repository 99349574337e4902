// src-main/dsp filters against scipy outputs on real leads (fixtures from scripts/make-dsp-golden.py).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/shared-data.ts';
import { bandpassFilter, designBandpassFir } from '../../src-main/dsp/bandpass.ts';
import { notchFilter } from '../../src-main/dsp/notch.ts';
import { removeBaselineWander } from '../../src-main/dsp/baseline.ts';
import { resamplePoly } from '../../src-main/dsp/resample.ts';
import { cropOrPad, zscore } from '../../src-main/dsp/normalise.ts';

interface Golden {
  fs: number;
  x: number[];
  expected: Record<string, number[]>;
}
const load = (name: string): Golden => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'tests/fixtures/dsp', name), 'utf8'));
const ludb = load('ludb-1-ii.json');
const mit = load('mitdb-100-mlii.json');
const x = Float64Array.from(ludb.x);

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('DSP against scipy on LUDB 1 lead II (2 s, mV)', () => {
  it('designs the same FIR as scipy.signal.firwin', () => {
    expect(maxAbsDiff(designBandpassFir(500, 1, 40, 101), ludb.expected.fir_1_40_101)).toBeLessThan(1e-9);
  });
  it('band-pass 0.5-60 Hz (501 taps, the 2 s fixture) matches filtfilt within 1 uV', () => {
    expect(maxAbsDiff(bandpassFilter(x, 500, { numtaps: 501 }), ludb.expected.bandpass_default)).toBeLessThan(1e-6);
  });
  it('band-pass 1-40 Hz (101 taps) matches filtfilt and keeps float32 type', () => {
    const y = bandpassFilter(Float32Array.from(x), 500, { lowHz: 1, highHz: 40, numtaps: 101 });
    expect(y).toBeInstanceOf(Float32Array);
    expect(maxAbsDiff(y, ludb.expected.bandpass_1_40_101)).toBeLessThan(1e-5);
  });
  it('50 and 60 Hz notches match iirnotch + filtfilt', () => {
    expect(maxAbsDiff(notchFilter(x, 500, 50), ludb.expected.notch_50)).toBeLessThan(1e-7);
    expect(maxAbsDiff(notchFilter(x, 500, 60), ludb.expected.notch_60)).toBeLessThan(1e-7);
  });
  it('baseline removal matches two-stage scipy.ndimage.median_filter (nearest)', () => {
    expect(maxAbsDiff(removeBaselineWander(x, 500), ludb.expected.baseline_removed)).toBeLessThan(1e-7);
  });
  it('resamples like scipy.signal.resample_poly: 500->100, 257->500, 1000->500', () => {
    expect(maxAbsDiff(resamplePoly(x, 500, 100), ludb.expected.resample_500_100)).toBeLessThan(1e-7);
    expect(maxAbsDiff(resamplePoly(x, 257, 500), ludb.expected.resample_257_500)).toBeLessThan(1e-7);
    expect(maxAbsDiff(resamplePoly(x, 1000, 500), ludb.expected.resample_1000_500)).toBeLessThan(1e-7);
  });
  it('resamples MIT-BIH 100 from 360 to 500 Hz like resample_poly(25, 18)', () => {
    const y = resamplePoly(Float64Array.from(mit.x), 360, 500);
    expect(y.length).toBe(1000);
    expect(maxAbsDiff(y, mit.expected.resample_360_500)).toBeLessThan(1e-7);
  });
  it('z-scores like numpy (population std)', () => {
    expect(maxAbsDiff(zscore(x), ludb.expected.zscore)).toBeLessThan(1e-7);
  });
});

describe('DSP behaviour', () => {
  it('default band-pass (3301 taps at 500 Hz) removes a 0.1 Hz drift and passes a 10 Hz tone', () => {
    const n = 5000,
      fs = 500;
    const s = new Float64Array(n);
    for (let i = 0; i < n; i++) s[i] = Math.sin((2 * Math.PI * 10 * i) / fs) + 3 * Math.sin((2 * Math.PI * 0.1 * i) / fs);
    const y = bandpassFilter(s, fs);
    let err = 0;
    for (let i = 1000; i < 4000; i++) err = Math.max(err, Math.abs(y[i] - Math.sin((2 * Math.PI * 10 * i) / fs)));
    expect(err).toBeLessThan(0.02);
  });
  it('crops and pads to a fixed length', () => {
    const s = Float32Array.from([1, 2, 3, 4, 5]);
    expect(Array.from(cropOrPad(s, 3))).toEqual([1, 2, 3]);
    expect(Array.from(cropOrPad(s, 3, 'center'))).toEqual([2, 3, 4]);
    expect(Array.from(cropOrPad(s, 7))).toEqual([1, 2, 3, 4, 5, 0, 0]);
    expect(Array.from(cropOrPad(s, 7, 'center'))).toEqual([0, 1, 2, 3, 4, 5, 0]);
  });
  it('rejects bad arguments with one-line errors', () => {
    expect(() => bandpassFilter(new Float64Array(1), 500)).toThrow(/too short/);
    expect(() => notchFilter(x, 100, 60)).toThrow(/Nyquist/);
    expect(() => resamplePoly(x, 0, 500)).toThrow(/positive/);
    expect(() => designBandpassFir(500, 0.5, 60, 100)).toThrow(/odd/);
  });
  it('filters 12 leads x 10 s at 500 Hz (a whole record) without error', () => {
    const lead = new Float32Array(5000);
    for (let i = 0; i < 5000; i++) lead[i] = x[i % x.length];
    for (let k = 0; k < 12; k++) expect(bandpassFilter(lead, 500).length).toBe(5000);
  });
});
