import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READERS } from '../../src-main/formats/readers.ts';
import { ingestPaths } from '../../src-main/ingest/ingest-files.ts';
import { saveModel } from '../../src-main/store/model-store.ts';
import { savePredictions } from '../../src-main/store/prediction-store.ts';
import { modelReview } from '../../src-main/workspace/review-model.ts';
import { recordPredictions } from '../../src-main/workspace/analyse-record.ts';
import { migration as mlMigration } from '../../src-main/store/migrations/003-ml.ts';
import { listWorklist, worklistQueues } from '../../src-main/store/worklist.ts';
import { openWorkspace, type Workspace } from '../../src-main/store/workspace.ts';
import { REPO_ROOT } from '../helpers/shared-data.ts';

// Predictions stored the way the ML engine stores them, on the five demo records (labels: JS00004 SB,
// JS00008 NSR, JS00012 STach, JS00036 AF, JS00049 SB + LAD), reviewed against those labels.
const SB = '426177001';
const AF = '164889003';
let ws: Workspace;
const ids: Record<string, number> = {};

beforeAll(async () => {
  ws = openWorkspace(fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-model-review-')));
  if (!ws.db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'ml_prediction'").get()) ws.db.exec(mlMigration.sql);
  await ingestPaths(ws, [path.join(REPO_ROOT, 'resources', 'samples')], { readers: READERS });
  for (const r of ws.db.prepare('SELECT id, record_name FROM record').all() as { id: number; record_name: string }[])
    ids[r.record_name] = r.id;
  const modelId = saveModel(ws.db, {
    name: 'probe',
    kind: 'tfjs',
    architecture: 'small-cnn',
    hyperparameters: {},
    classes: [SB, AF],
    leadSet: ['I', 'II'],
    inputSpec: {},
    metrics: {},
    runtime: 'test',
    weights: new Uint8Array(4),
    records: [],
    labelIds: [],
  });
  const p = (name: string, code: string, probability: number) => ({
    recordId: ids[name],
    classCode: code,
    probability,
    predicted: probability >= 0.5,
  });
  savePredictions(ws.db, modelId, [
    p('JS00004', SB, 0.9),
    p('JS00008', SB, 0.2),
    p('JS00012', SB, 0.6),
    p('JS00036', SB, 0.1),
    p('JS00049', SB, 0.45),
    p('JS00004', AF, 0.1),
    p('JS00008', AF, 0.3),
    p('JS00012', AF, 0.2),
    p('JS00036', AF, 0.95),
    p('JS00049', AF, 0.05),
  ]);
}, 60_000);
afterAll(() => ws?.close());

describe('model review from stored predictions', () => {
  it('puts each record in its confusion cell and computes AUCs against the current labels', () => {
    const r = modelReview(ws.db, 1);
    const sb = r.classes.find((c) => c.code === SB)!;
    expect(sb.positives).toBe(2);
    expect(sb.cells).toEqual({
      tp: [ids.JS00004],
      fp: [ids.JS00012],
      fn: [ids.JS00049],
      tn: [ids.JS00008, ids.JS00036].sort((a, b) => a - b),
    });
    // Positives score 0.9 and 0.45; negatives 0.6, 0.2, 0.1: 5 of 6 pairs ordered right.
    expect(sb.rocAuc).toBeCloseTo(5 / 6, 10);
    expect(sb.f1).toBeCloseTo(0.5, 10);
    expect(sb.roc.at(-1)).toEqual([1, 1]);
    const af = r.classes.find((c) => c.code === AF)!;
    expect(af.rocAuc).toBe(1);
    expect(af.cells.tp).toEqual([ids.JS00036]);
    expect(() => modelReview(ws.db, 99)).toThrow(/no model with id 99/);
    expect(r.scope).toBe('all'); // no test split in its lineage: every record with a prediction
  });

  it('feeds the model queues and the side-by-side view', () => {
    const q = Object.fromEntries(worklistQueues(ws.db).queues.map((x) => [x.id, x.count]));
    expect(q.flagged).toBe(3); // SB on JS00004 and JS00012, AF on JS00036 (no stated thresholds: 0.5)
    expect(q['low-confidence']).toBe(1); // 0.45, within the default margin 0.05 of 0.5
    // Triage order: AF (weighs more than SB) first, then the surer SB.
    expect(listWorklist(ws.db, { queue: 'flagged' }).records.map((x) => x.recordName)).toEqual(['JS00036', 'JS00004', 'JS00012']);
    // Model vs label: JS00012 (SB 0.6, unlabelled) and JS00049 (SB 0.45, labelled), most confident against the label first.
    expect(listWorklist(ws.db, { queue: 'model-vs-label' }).records.map((x) => x.recordName)).toEqual(['JS00012', 'JS00049']);
    const p = recordPredictions(ws.db, ids.JS00036);
    expect(p.models.map((m) => m.name)).toEqual(['probe']);
    expect(p.predictions.find((x) => x.classCode === AF)).toMatchObject({ probability: 0.95, predicted: true });
  });
});

describe('saliency maps for the viewer', () => {
  it("lists a record's stored maps with their class, serves one with lead importance, and compares two", async () => {
    const { migration: explainMigration } = await import('../../src-main/store/migrations/004-explain.ts');
    const { saveSaliency } = await import('../../src-main/store/saliency-store.ts');
    const { compareSaliency, saliencyMap } = await import('../../src-main/workspace/read-saliency.ts');
    const { listRecordSaliency } = await import('../../src-main/store/saliency-store.ts');
    if (!ws.db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'saliency_map'").get()) ws.db.exec(explainMigration.sql);
    const leads = ['I', 'II'];
    const samples = 100;
    const map = (hot: number) => {
      const m = new Float32Array(2 * samples);
      for (let i = 0; i < samples; i++) m[hot * samples + i] = 1 + Math.sin(i / 5); // all attribution on one lead
      return m;
    };
    const prov = (method: string) => ({
      model: '1',
      method,
      baseline: null,
      targetClass: 1,
      layer: null,
      preprocessing: 'test',
      layout: null,
      seed: null,
      params: {},
    });
    const a = saveSaliency(ws.db, ids.JS00036, 1, { map: map(1), leads, samples, provenance: prov('vanilla-gradient') });
    const b = saveSaliency(ws.db, ids.JS00036, 1, { map: map(1), leads, samples, provenance: prov('integrated-gradients') });
    const c = saveSaliency(ws.db, ids.JS00036, 1, { map: map(0), leads, samples, provenance: prov('occlusion') });
    const list = listRecordSaliency(ws.db, ids.JS00036);
    expect(list.map((m) => [m.method, m.targetClass])).toEqual([
      ['vanilla-gradient', AF],
      ['integrated-gradients', AF],
      ['occlusion', AF],
    ]);
    const got = saliencyMap(ws.db, a);
    expect(got.importance).toEqual([0, 1]);
    expect(got.map).toBeInstanceOf(Float32Array);
    expect(Array.from(got.map)).toEqual(Array.from(map(1)));
    expect(compareSaliency(ws.db, a, b)).toMatchObject({ topKOverlap: 1, ssim: expect.closeTo(1, 6) });
    expect(compareSaliency(ws.db, a, c).ssim).toBeLessThan(0.5);
    expect(listRecordSaliency(ws.db, ids.JS00004)).toEqual([]);
  });
});

// Last: it adds a second model, which the queue counts above must not see.
describe('model review scope', () => {
  it('scores a trained model on its held-out test records unless asked for all', () => {
    const split = (name: string, s: 'train' | 'validation' | 'test') => ({ recordId: ids[name], split: s });
    const modelId = saveModel(ws.db, {
      name: 'with-split',
      kind: 'tfjs',
      architecture: 'small-cnn',
      hyperparameters: {},
      classes: [SB],
      leadSet: ['I', 'II'],
      inputSpec: {},
      metrics: {},
      runtime: 'test',
      weights: new Uint8Array(4),
      labelIds: [],
      records: [
        split('JS00004', 'train'),
        split('JS00008', 'train'),
        split('JS00012', 'validation'),
        split('JS00036', 'test'),
        split('JS00049', 'test'),
      ],
    });
    savePredictions(
      ws.db,
      modelId,
      ['JS00004', 'JS00008', 'JS00012', 'JS00036', 'JS00049'].map((n) => ({
        recordId: ids[n],
        classCode: SB,
        probability: 0.7,
        predicted: true,
      })),
    );
    const test = modelReview(ws.db, modelId);
    expect(test.scope).toBe('test');
    expect(test.classes[0].records).toBe(2);
    expect(test.classes[0].cells).toEqual({ tp: [ids.JS00049], fp: [ids.JS00036], fn: [], tn: [] });
    const all = modelReview(ws.db, modelId, 'all');
    expect(all.scope).toBe('all');
    expect(all.classes[0].records).toBe(5);
  });
});
