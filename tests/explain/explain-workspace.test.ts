// `leadlens explain` service end to end: stored small CNN, stored Chapman records, maps and audit kept.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWfdbRecord } from '../../src-main/formats/wfdb-record.ts';
import { openWorkspace, type Workspace } from '../../src-main/store/workspace.ts';
import { storeRecord } from '../../src-main/store/record-store.ts';
import { saveModel, serializeWeights } from '../../src-main/ml/model-store.ts';
import { initBackend } from '../../src-main/ml/backend.ts';
import { createModel } from '../../src-main/ml/models/index.ts';
import { STANDARD_LEADS } from '../../src-shared/record.ts';
import { explainInWorkspace } from '../../src-main/explain/explain-workspace.ts';
import { loadSaliency } from '../../src-main/explain/saliency-store.ts';
import { migration } from '../../src-main/store/migrations/004-explain.ts';
import { dataPath } from '../helpers/shared-data.ts';

let tmp: string;
let ws: Workspace;
let modelId: number;
const recordIds: number[] = [];

beforeAll(async () => {
  await initBackend('cpu');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-explain-ws-'));
  ws = openWorkspace(tmp);
  if (!ws.db.prepare("SELECT name FROM sqlite_master WHERE name = 'saliency_map'").get()) ws.db.exec(migration.sql);
  for (const n of ['JS00001', 'JS00002', 'JS00004']) {
    const h = dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01', '010', `${n}.hea`);
    recordIds.push(storeRecord(ws.db, await readWfdbRecord(h), { path: h, format: 'cinc' }).recordId);
  }
  const model = createModel({ arch: 'small-cnn', channels: 12, inputShape: [1000], classes: 2, seed: 3 });
  modelId = saveModel(ws.db, {
    name: 'untrained', kind: 'tfjs', architecture: 'small-cnn', hyperparameters: {}, classes: ['164889003', '426783006'], leadSet: [...STANDARD_LEADS],
    inputSpec: { samplingRate: 100, samples: 1000, leads: [...STANDARD_LEADS], bandpass: { lowHz: 0.5, highHz: 40 } }, metrics: {}, runtime: 'test',
    weights: serializeWeights(model), records: [], labelIds: [],
  });
});
afterAll(() => {
  ws.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('explainInWorkspace', () => {
  it('explains one record with one method and keeps the map with its provenance', async () => {
    const s = await explainInWorkspace(ws, { modelId, recordIds: [recordIds[0]], methods: ['integrated-gradients:blurred'] });
    expect(s).toMatchObject({ records: 1, maps: 1 });
    const id = ws.db.prepare('SELECT id FROM saliency_map').pluck().get() as number;
    const r = loadSaliency(ws.db, id);
    expect([r.leads.length, r.samples]).toEqual([12, 1000]);
    expect(r.provenance).toMatchObject({ method: 'integrated-gradients', baseline: 'blurred', preprocessing: '100 Hz x 1000, band-pass 0.5-40 Hz, z-score', layout: null });
    expect(r.map.some((v) => v > 0)).toBe(true);
  });
  it('audits methods over several records and writes the report', async () => {
    const s = await explainInWorkspace(ws, { modelId, methods: ['vanilla-gradient', 'gradient-x-input'], reportDir: path.join(tmp, 'report') });
    expect(s.maps).toBe(6);
    expect(s.spearmanByMethod?.methods.n).toBe(3);
    expect(s.mostInconsistentRecords?.map((r) => r.recordName).sort()).toEqual(['JS00001', 'JS00002', 'JS00004']);
    expect(fs.existsSync(path.join(tmp, 'report', 'records.csv'))).toBe(true);
    expect(ws.db.prepare("SELECT COUNT(*) FROM saliency_metric WHERE kind = 'consistency'").pluck().get()).toBe(3);
    expect(ws.db.prepare('SELECT report_dir FROM explain_audit').pluck().get()).toBe(path.join(tmp, 'report'));
  });
  it('refuses bad requests with one clear line', async () => {
    await expect(explainInWorkspace(ws, { modelId, methods: ['lime'] })).rejects.toThrow(/unknown saliency method 'lime'/);
    await expect(explainInWorkspace(ws, { modelId, methods: ['vanilla-gradient'], layouts: ['6x2'] })).rejects.toThrow(/reads signals, not charts/);
    await expect(explainInWorkspace(ws, { modelId, methods: ['grad-cam'], recordIds: [recordIds[0]] })).rejects.toThrow(/exposes no layer for Grad-CAM/);
    await expect(explainInWorkspace(ws, { modelId: 99, methods: ['vanilla-gradient'] })).rejects.toThrow(/no model with id 99/);
  });
});
