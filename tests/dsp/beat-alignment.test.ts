// R fiducials that the detector put on another part of the QRS (the lead it picks changes from block to block) are
// moved back onto the median QRS before the beats are averaged; small offsets are left where they are.
import { describe, expect, it } from 'vitest';
import { alignBeats } from '../../src-main/dsp/beat-alignment.ts';
import { measureRecord } from '../../src-main/dsp/measurements.ts';
import { allLeads, LEADS_12, regularBeats, syntheticBeats, type SyntheticWave } from '../helpers/synthetic-beats.ts';

const FS = 500;
const P: SyntheticWave = { startMs: -180, endMs: -80, mv: allLeads(0.15) };
// A biphasic QRS: R up to +1 mV at -10 ms, S down to -0.8 mV at +30 ms (two places a fiducial can land on).
const R: SyntheticWave = { startMs: -50, endMs: 10, mv: allLeads(1) };
const S: SyntheticWave = { startMs: 10, endMs: 50, mv: allLeads(-0.8) };
const T: SyntheticWave = { startMs: 160, endMs: 380, mv: allLeads(0.3) };
const seconds = regularBeats(800);
const leads = syntheticBeats({ rSeconds: seconds, waves: [P, R, S, T], noiseMv: 0.01 });
const signals = LEADS_12.map((n) => leads[n]);
const truth = seconds.map((t) => Math.round(t * FS) - 10); // the R peak, 10 ms before each beat's time

describe('beat alignment', () => {
  it('moves fiducials put on the S wave (40 ms late) back onto the R wave', () => {
    const onS = new Set([1, 4, 5, 9]);
    const detected = truth.map((b, i) => (onS.has(i) ? b + 20 : b));
    const aligned = alignBeats(signals, detected, FS);
    for (const [i, b] of aligned.entries()) expect(Math.abs(b - truth[i])).toBeLessThanOrEqual(1);
  });

  it('leaves offsets under 10 ms alone', () => {
    const detected = truth.map((b, i) => (i % 3 === 0 ? b + 3 : b));
    expect(alignBeats(signals, detected, FS)).toEqual(detected);
  });

  it('never moves a fiducial further than 40 ms (20 samples) from where the detector put it', () => {
    // 60 ms early: the second pass searches around the detector's fiducial again, not around the first pass's.
    const detected = truth.map((b, i) => (i === 2 ? b - 30 : b));
    const aligned = alignBeats(signals, detected, FS);
    expect(aligned[2] - detected[2]).toBe(20);
    expect(aligned.filter((_, i) => i !== 2)).toEqual(truth.filter((_, i) => i !== 2));
  });

  it('measureRecord reports the aligned fiducials and measures the same QRS as on true fiducials', () => {
    const detected = truth.map((b, i) => (i % 3 === 1 ? b + 20 : b));
    const onTruth = measureRecord(leads, FS, { beats: truth });
    const m = measureRecord(leads, FS, { beats: detected });
    expect(m.beats.every((b, i) => Math.abs(b - truth[i]) <= 1)).toBe(true);
    expect(Math.abs(m.qrsMs! - onTruth.qrsMs!)).toBeLessThanOrEqual(2);
    expect(Math.abs(m.qtMs! - onTruth.qtMs!)).toBeLessThanOrEqual(4);
  });
});
