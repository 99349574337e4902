import { describe, expect, it } from 'vitest';
import { dataPath } from '../helpers/shared-data.ts';
import { readWfdbRecord } from '../../src-main/formats/wfdb-record.ts';
import { LEAD_SETS, hasLeadSet, restrictToLeadSet } from '../../src-shared/lead-sets.ts';

describe('lead sets', () => {
  it('restricts a 12-lead CinC record (JS00001) to each set, keeping the record shape and digital samples', async () => {
    const rec = await readWfdbRecord(dataPath('cinc/chapman-ningbo/WFDBRecords/01/010/JS00001.hea'));
    for (const size of [12, 6, 4, 3, 2] as const) {
      const r = restrictToLeadSet(rec, size);
      expect(r.leads.map((l) => l.name)).toEqual([...LEAD_SETS[size]]);
      expect(r.samplingRate).toBe(500);
      expect(r.length).toBe(5000);
      expect(r.labels).toEqual(rec.labels);
    }
    const v2 = restrictToLeadSet(rec, 3).leads[2];
    expect(v2.digital).toBe(rec.leads[7].digital);
  });
  it('says which leads are missing (MIT-BIH 100 has MLII and V5 only)', async () => {
    const rec = await readWfdbRecord(dataPath('mitdb', '100.hea'));
    expect(hasLeadSet(rec, 2)).toBe(false);
    expect(() => restrictToLeadSet(rec, 2)).toThrow('record 100: the 2-lead set needs I, II, which the record lacks');
  });
});
