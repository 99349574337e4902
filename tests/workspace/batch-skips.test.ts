// Issue 16.1: one record a model or a lead set cannot read (MIT-BIH 100: MLII and V5 only) among 12-lead Chapman
// records must not abort predict, explain or rules: the others are done and stored, the record is skipped with the
// leads it lacks, the explain report is written, and the viewer's rules answer 'not applicable', not a 500.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWfdbRecord } from '../../src-main/formats/wfdb-record.ts';
import { openWorkspace, type Workspace } from '../../src-main/store/workspace.ts';
import { storeRecord } from '../../src-main/store/record-store.ts';
import { predictionsFor } from '../../src-main/store/prediction-store.ts';
import { initBackend } from '../../src-main/ml/backend.ts';
import type { RuleResult } from '../../src-shared/rules.ts';
import { predictInWorkspace } from '../../src-main/workspace/predict-records.ts';
import { explainInWorkspace } from '../../src-main/workspace/explain-records.ts';
import { createServices } from '../../src-main/api/services.ts';
import { saveUntrainedModel } from '../helpers/chapman-workspace.ts';
import { dataPath } from '../helpers/shared-data.ts';

let tmp: string;
let ws: Workspace;
let modelId: number;
let mitId: number;
const chapmanIds: number[] = [];

beforeAll(async () => {
  await initBackend('cpu');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-batch-'));
  ws = openWorkspace(tmp);
  const store = async (h: string): Promise<number> => storeRecord(ws.db, await readWfdbRecord(h), { path: h, format: 'wfdb' }).recordId;
  chapmanIds.push(await store(dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01', '010', 'JS00001.hea')));
  // The 2-lead record sits between 12-lead ones: a batch that stopped at it would miss the records after it.
  mitId = await store(dataPath('mitdb', '100.hea'));
  for (const n of ['JS00002', 'JS00004'])
    chapmanIds.push(await store(dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01', '010', `${n}.hea`)));
  modelId = saveUntrainedModel(ws.db);
});
afterAll(() => {
  ws.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('batches skip what they cannot read and do the rest', () => {
  it('predict --all scores and stores the 12-lead records and skips MIT-BIH 100 naming the leads it lacks', async () => {
    const p = await predictInWorkspace(ws, modelId);
    expect(p).toMatchObject({ records: 4, stored: 3 });
    expect(p.skipped).toHaveLength(1);
    expect(p.skipped[0]).toMatchObject({ recordId: mitId, recordName: '100' });
    expect(p.skipped[0].reason).toMatch(/^lacks leads I, II, III, aVR, aVL, aVF, V1, V2, V3, V4, V6 \(has MLII, V5\)$/);
    for (const id of chapmanIds) expect(predictionsFor(ws.db, modelId, id)).toHaveLength(2);
    expect(predictionsFor(ws.db, modelId, mitId)).toHaveLength(0);
  });

  it('explain --all explains the others, writes the report with the skipped record, and says so', async () => {
    const dir = path.join(tmp, 'audit');
    const s = await explainInWorkspace(ws, { modelId, methods: ['vanilla-gradient'], fidelity: 0, sanity: 0, reportDir: dir });
    expect(s.records).toBe(3);
    expect(s.maps).toBe(3);
    expect(s.skipped).toEqual([
      { recordId: mitId, recordName: '100', reason: expect.stringMatching(/^lacks leads I, II, .*\(has MLII, V5\)$/) },
    ]);
    expect(fs.readFileSync(path.join(dir, 'skipped.csv'), 'utf8')).toMatch(
      new RegExp(`^record_id,record,reason\\n${mitId},100,"?lacks leads I, II`),
    );
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8')) as { records: number; skipped: unknown[] };
    expect([report.records, report.skipped.length]).toEqual([3, 1]);
    const stored = ws.db.prepare('SELECT DISTINCT record_id FROM saliency_map WHERE model_id = ? ORDER BY record_id').pluck().all(modelId);
    expect(stored).toEqual([...chapmanIds].sort((a, b) => a - b));
  });

  it('explain fails with one line when no record at all can be explained', async () => {
    await expect(
      explainInWorkspace(ws, { modelId, recordIds: [mitId], methods: ['vanilla-gradient'], fidelity: 0, sanity: 0 }),
    ).rejects.toThrow(/^none of the 1 records could be explained \(e\.g\. 100: lacks leads I, II/);
  });

  it("the API's rules on a 2-lead MIT-BIH record answer 'not applicable' with the reason, for any lead set", async () => {
    const services = createServices(ws, () => undefined, 'http');
    for (const leadSet of [12, 2]) {
      const results = (await services.call('rules.forRecord', { id: mitId, leadSet })) as RuleResult[];
      expect(results.length).toBeGreaterThan(5);
      for (const r of results) {
        expect(r.decision).toBe('not-applicable');
        expect(r.evidence.note).toMatch(
          new RegExp(`not applicable: the record lacks I, II.* of the ${leadSet}-lead set \\(has MLII, V5\\)`),
        );
      }
    }
    // A 12-lead record on the same call still gets real decisions.
    const chapman = (await services.call('rules.forRecord', { id: chapmanIds[0], leadSet: 12 })) as RuleResult[];
    expect(chapman.some((r) => r.decision !== 'not-applicable')).toBe(true);
  });
});
