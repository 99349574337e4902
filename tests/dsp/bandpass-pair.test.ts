import { describe, expect, it } from 'vitest';
import { bandpassFilter, bandpassFilterMany } from '../../src-main/dsp/bandpass.ts';
import { ecgClean, ecgCleanModelInputs } from '../../src-main/dsp/ecg-clean.ts';
import { readWfdbRecord } from '../../src-main/formats/wfdb-record.ts';
import { leadMillivolts } from '../../src-shared/record.ts';
import { dataPath } from '../helpers/shared-data.ts';

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
};

describe('band-pass of several leads, two per FFT', () => {
  it('equals filtering each lead alone, for real 12-lead ECGs, odd counts and mixed lengths', async () => {
    const rec = await readWfdbRecord(dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01', '010', 'JS00001.hea'));
    const leads = rec.leads.map((l) => leadMillivolts(l));
    // 12 leads of one length, then an odd count with a shorter lead between equal ones.
    const mixed = [leads[0], leads[1].subarray(0, 3000), leads[2], leads[3], leads[4].subarray(0, 999)];
    for (const set of [leads, mixed]) {
      const many = bandpassFilterMany(set, rec.samplingRate, { lowHz: 0.5, highHz: 40 });
      expect(many).toHaveLength(set.length);
      set.forEach((x, i) => {
        const one = bandpassFilter(x, rec.samplingRate, { lowHz: 0.5, highHz: 40 });
        expect(many[i]).toBeInstanceOf(Float32Array);
        expect(many[i].length).toBe(x.length);
        // The same filter in float64; float32 outputs may differ in the last place only.
        expect(maxDiff(many[i], one)).toBeLessThan(1e-5);
      });
    }
    const model = ecgCleanModelInputs(leads.slice(0, 3), rec.samplingRate);
    model.forEach((y, i) => expect(maxDiff(y, ecgClean(leads[i], rec.samplingRate, 'model-input'))).toBeLessThan(1e-5));
    // The filter does something: a lead's drift is removed.
    expect(maxDiff(model[0], leads[0])).toBeGreaterThan(0.01);
  });
});
