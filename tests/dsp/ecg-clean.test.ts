import { describe, expect, it } from 'vitest';
import { bandpassFilter } from '../../src-main/dsp/bandpass.ts';
import { ECG_BAND, ecgClean } from '../../src-main/dsp/ecg-clean.ts';

const fs = 500;
const n = 10 * fs;
/** 10 Hz tone + 0.1 Hz drift + 50 Hz mains. */
const lead = Float32Array.from({ length: n }, (_, i) => {
  const t = i / fs;
  return Math.sin(2 * Math.PI * 10 * t) + 2 * Math.sin(2 * Math.PI * 0.1 * t) + 0.5 * Math.sin(2 * Math.PI * 50 * t);
});
const rms = (x: Float32Array, from = fs, to = n - fs): number =>
  Math.sqrt(x.subarray(from, to).reduce((a, v) => a + v * v, 0) / (to - from));
const tone = (hz: number, amp = 1) => Float32Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / fs));

describe('ecgClean presets', () => {
  it('measurement is the 0.5-40 Hz band with about 1 s of taps: passes 10 Hz, stops 50 Hz mains', () => {
    expect(ecgClean(lead, fs, 'measurement')).toEqual(bandpassFilter(lead, fs, { ...ECG_BAND, numtaps: 501 }));
    const ten = tone(10);
    expect(rms(ecgClean(ten, fs, 'measurement').map((v, i) => v - ten[i]))).toBeLessThan(0.05);
    expect(rms(ecgClean(tone(50), fs, 'measurement'))).toBeLessThan(0.05);
  });

  it('model-input is the model band with the default (sharp) taps; without a band it is the 0.5-40 Hz band', () => {
    expect(ecgClean(lead, fs, 'model-input', { band: { lowHz: 1, highHz: 30 } })).toEqual(
      bandpassFilter(lead, fs, { lowHz: 1, highHz: 30 }),
    );
    expect(ecgClean(lead, fs, 'model-input')).toEqual(bandpassFilter(lead, fs, ECG_BAND));
  });

  it('display applies only the chosen filters: notch 50 removes mains and keeps drift; no filter is the identity', () => {
    expect(ecgClean(lead, fs, 'display', { filters: [] })).toBe(lead);
    const notched = ecgClean(lead, fs, 'display', { filters: ['notch50'] });
    const withoutMains = lead.map((v, i) => v - 0.5 * Math.sin((2 * Math.PI * 50 * i) / fs));
    expect(rms(notched.map((v, i) => v - withoutMains[i]))).toBeLessThan(0.05);
    const band = ecgClean(tone(0.1, 2), fs, 'display', { filters: ['bandpass'] });
    expect(rms(band)).toBeLessThan(0.1);
  });

  it('display leaves windows of 30 samples or fewer as they are', () => {
    const short = lead.slice(0, 30);
    expect(ecgClean(short, fs, 'display', { filters: ['bandpass', 'baseline', 'notch50'] })).toBe(short);
  });
});
