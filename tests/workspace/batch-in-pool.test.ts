// predict --all and rules --all on worker threads (records read and preprocessed there, one worker per core) store
// exactly what the one-thread path stores, and skip the same records with the same reasons.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWfdbRecord } from '../../src-main/formats/wfdb-record.ts';
import { openWorkspace, type Workspace } from '../../src-main/store/workspace.ts';
import { storeRecord } from '../../src-main/store/record-store.ts';
import { predictionsFor } from '../../src-main/store/prediction-store.ts';
import { initBackend } from '../../src-main/ml/backend.ts';
import { predictInWorkspace } from '../../src-main/workspace/predict-records.ts';
import { createAnalysisPool } from '../../src-main/workspace/analysis-pool.ts';
import { runStoredRules } from '../../src-main/workspace/run-rules.ts';
import { runStoredRulesInPool } from '../../src-main/workspace/run-rules-in-pool.ts';
import { saveUntrainedModel } from '../helpers/chapman-workspace.ts';
import { dataPath } from '../helpers/shared-data.ts';

let tmp: string;
let ws: Workspace;
let modelId: number;
const ids: number[] = [];

beforeAll(async () => {
  await initBackend('cpu');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-batch-pool-'));
  ws = openWorkspace(tmp);
  const store = async (h: string): Promise<number> => storeRecord(ws.db, await readWfdbRecord(h), { path: h, format: 'wfdb' }).recordId;
  const chapman = (n: string) => dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01', '010', `${n}.hea`);
  for (const n of ['JS00001', 'JS00002']) ids.push(await store(chapman(n)));
  // A 2-lead record among 12-lead ones: skipped naming the leads it lacks, in both paths.
  ids.push(await store(dataPath('mitdb', '100.hea')));
  for (const n of ['JS00004', 'JS00005', 'JS00006']) ids.push(await store(chapman(n)));
  modelId = saveUntrainedModel(ws.db, { seed: 5 });
});
afterAll(() => {
  ws.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('batch commands on worker threads', () => {
  it('predict with a pool stores the same probabilities and skips the same records as without', async () => {
    // A missing id too: reported as such by both paths.
    const asked = [...ids, 9999];
    const inline = await predictInWorkspace(ws, modelId, asked);
    const before = predictionsFor(ws.db, modelId);
    expect(before).toHaveLength(2 * 5);
    ws.db.prepare('DELETE FROM ml_prediction WHERE model_id = ?').run(modelId);
    const threads = createAnalysisPool(ws, { size: 2 });
    const tasks: string[] = [];
    const pool: typeof threads = { ...threads, run: (name, params) => (tasks.push(name), threads.run(name, params)) };
    const progress: number[] = [];
    const pooled = await predictInWorkspace(ws, modelId, asked, (d) => progress.push(d), { pool, batch: 2 }).finally(() => threads.close());
    expect(tasks).toEqual(['modelInputs', 'modelInputs', 'modelInputs', 'modelInputs']);
    expect(predictionsFor(ws.db, modelId)).toEqual(before);
    expect(pooled.stored).toBe(5);
    expect(pooled.skipped).toEqual(inline.skipped);
    expect(pooled.skipped.map((s) => s.reason)).toEqual([
      expect.stringMatching(/^lacks leads I, II, .*\(has MLII, V5\)$/),
      'no record with id 9999 in this workspace',
    ]);
    expect(progress).toEqual([2, 4, 6, 7]);
  });

  it('rules --all on worker threads stores the same decisions as on one thread, in record order', async () => {
    const inline = runStoredRules(ws.db, ids, 12);
    const pooled = await runStoredRulesInPool(ws, ids, 12, { poolSize: 2, chunk: 2 });
    expect(pooled.map((o) => o.recordId)).toEqual(ids);
    expect(pooled).toEqual(inline);
    expect(pooled.filter((o) => o.error).map((o) => o.recordName)).toEqual(['100']);
    expect(pooled.filter((o) => !o.error).every((o) => o.results.length > 5)).toBe(true);
  });
});
