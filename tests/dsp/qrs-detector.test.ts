// QRS detector and bxb matcher on named MIT-BIH records (EC57 rules: 150 ms window, first 5 min unscored).
import { describe, expect, it } from 'vitest';
import { dataPath } from '../helpers/shared-data.ts';
import { readWfdbRecord } from '../../src-main/formats/wfdb-record.ts';
import { isBeatSymbol, readWfdbAnnotations } from '../../src-main/formats/wfdb-annotation.ts';
import { leadMillivolts } from '../../src-shared/record.ts';
import { detectQrs } from '../../src-main/dsp/qrs-detector.ts';
import { matchBeats, medianAbs } from '../../src-main/dsp/beat-match.ts';

async function score(name: string, leads: 'both' | 'first' = 'both') {
  const rec = await readWfdbRecord(dataPath('mitdb', `${name}.hea`));
  const ref = (await readWfdbAnnotations(dataPath('mitdb', `${name}.atr`))).filter((a) => isBeatSymbol(a.symbol)).map((a) => a.sample);
  const mv = rec.leads.map(leadMillivolts);
  const det = detectQrs(leads === 'both' ? mv : [mv[0]], rec.samplingRate);
  const m = matchBeats(ref, det, rec.samplingRate);
  return { ...m, medianMs: (medianAbs(m.timingErrors) / rec.samplingRate) * 1000 };
}

describe('beat matching (bxb rules)', () => {
  it('counts TP / FN / FP with a 150 ms window and ignores the first 5 minutes', () => {
    const fs = 100;
    // fs 100: the window is 15 samples. 29 000 lies in the unscored first 5 minutes (an unmatched
    // detection there is not an FP); 30 110 and 30 212 match (+100 and +120 ms); 30 300 is missed; 30 500 is an FP.
    const ref = [29_000, 30_100, 30_200, 30_300];
    const det = [29_050, 30_110, 30_212, 30_500];
    const m = matchBeats(ref, det, fs);
    expect(m.tp).toBe(2);
    expect(m.fn).toBe(1);
    expect(m.fp).toBe(1);
    expect(Array.from(m.timingErrors)).toEqual([10, 12]);
  });
  it('matches one to one, nearest first', () => {
    const m = matchBeats([100, 130], [128], 100, { startSeconds: 0 });
    expect(m.tp).toBe(1);
    expect(m.fn).toBe(1);
    expect(Array.from(m.timingErrors)).toEqual([-2]);
  });
});

describe('detectQrs on MIT-BIH', () => {
  it('record 100 (clean sinus rhythm): every beat found, no false detections, R-peak timing within a few ms', async () => {
    const m = await score('100');
    expect(m.tp + m.fn).toBe(1902); // beats after 5 min in the reference
    expect(m.fn).toBeLessThanOrEqual(1);
    expect(m.fp).toBe(0);
    expect(m.medianMs).toBeLessThanOrEqual(6);
  });
  it('record 119 (ventricular bigeminy): all PVCs and normal beats detected', async () => {
    const m = await score('119');
    expect(m.se).toBeGreaterThanOrEqual(0.999);
    expect(m.ppv).toBeGreaterThanOrEqual(0.999);
  });
  it('record 105 (heavy noise): Se >= 99.5 % and +P >= 98.3 %', async () => {
    const m = await score('105');
    expect(m.se).toBeGreaterThanOrEqual(0.995);
    expect(m.ppv).toBeGreaterThanOrEqual(0.983);
  });
  it('record 103: noise bursts on the second lead do not create false beats when both leads are used', async () => {
    const both = await score('103');
    expect(both.fp).toBeLessThanOrEqual(3);
    expect(both.se).toBeGreaterThanOrEqual(0.998);
  });
  it('a flat (disconnected) extra lead does not change the beats of record 100', async () => {
    const rec = await readWfdbRecord(dataPath('mitdb', '100.hea'));
    const mlii = leadMillivolts(rec.leads[0]);
    const alone = detectQrs([mlii], rec.samplingRate);
    const withFlat = detectQrs([new Float32Array(mlii.length), mlii], rec.samplingRate);
    expect(withFlat.length).toBeGreaterThan(2200);
    expect(Array.from(withFlat)).toEqual(Array.from(alone));
  });
  it('returns no beats for a flat or too-short signal and rejects leads of different lengths', () => {
    expect(detectQrs([new Float32Array(3600)], 360).length).toBe(0);
    expect(detectQrs([new Float32Array(10)], 360).length).toBe(0);
    expect(() => detectQrs([new Float32Array(1000), new Float32Array(999)], 360)).toThrow(/differ in length/);
  });
});
