import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/shared-data.ts';
import { CHALLENGE_WEIGHTS, chapmanWorkspace, trainTinyModel } from '../helpers/chapman-workspace.ts';
import type { Workspace } from '../../src-main/store/workspace.ts';
import { evaluateInWorkspace } from '../../src-main/workspace/evaluate-model.ts';
import { fineTuneInWorkspace, trainInWorkspace } from '../../src-main/workspace/train-model.ts';
import { importOnnxModel } from '../../src-main/workspace/import-model.ts';
import { predictInWorkspace } from '../../src-main/workspace/predict-records.ts';
import { deserializeWeights } from '../../src-main/ml/model-weights.ts';
import { getModel, listModels, modelLineage } from '../../src-main/store/model-store.ts';
import { predictionsFor } from '../../src-main/store/prediction-store.ts';
import { setAnnotatorLabel } from '../../src-main/store/label-store.ts';

/** Label rows of the model's test records (fine-tuning does not train on them). */
function testLabelCount(modelId: number): number {
  return ws.db
    .prepare(
      `SELECT COUNT(*) FROM ml_model_label ml JOIN label l ON l.id = ml.label_id JOIN ml_model_record r ON r.model_id = ml.model_id AND r.record_id = l.record_id
    WHERE ml.model_id = ? AND r.split = 'test'`,
    )
    .pluck()
    .get(modelId) as number;
}

// 40 real Chapman-Ningbo records ingested into a fresh workspace; train, predict, evaluate, import ONNX.
const CLASSES = ['426177001', '426783006', '164889003', '427084000'];
let ws: Workspace;
let dir: string;

beforeAll(async () => {
  ({ ws, dir } = await chapmanWorkspace(40));
});

afterAll(() => {
  ws.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('ML on a workspace', () => {
  it('trains a 2-lead small CNN in a worker, stores it with lineage, predicts and evaluates', async () => {
    const r = await trainTinyModel(ws, { classes: CLASSES, epochs: 2, seed: 3 });
    expect(r.split.train + r.split.validation + r.split.test).toBe(40);
    expect(r.metricName).toBe('challenge');
    const [m] = listModels(ws.db);
    expect(m).toMatchObject({
      id: r.modelId,
      kind: 'tfjs',
      architecture: 'small-cnn',
      leadSet: ['I', 'II'],
      classes: CLASSES,
      runtime: 'wasm',
    });
    const lineage = modelLineage(ws.db, r.modelId);
    expect(lineage.records).toHaveLength(40);
    expect(lineage.labelIds.length).toBeGreaterThanOrEqual(40);
    const p = await predictInWorkspace(ws, r.modelId, [1, 2]);
    expect(p).toEqual({ records: 2, stored: 2, skipped: [], standIns: [], backend: 'onnxruntime-node', runId: expect.any(Number) });
    expect(
      predictionsFor(ws.db, r.modelId, 1)
        .map((x) => x.classCode)
        .sort(),
    ).toEqual([...CLASSES].sort());
    const e = await evaluateInWorkspace(ws, r.modelId, CHALLENGE_WEIGHTS);
    expect(e.records).toBe(r.split.test);
    expect(typeof e.challenge).toBe('number');
    // One runtime scores the test split: the metrics stored at training and `eval` name it, and agree.
    expect(e.runtime).toBe('onnxruntime-node');
    const stored = getModel(ws.db, r.modelId).metrics as { test: Record<string, unknown>; evaluation: Record<string, unknown> };
    expect(stored.test.runtime).toBe('onnxruntime-node');
    expect(stored.evaluation.runtime).toBe('onnxruntime-node');
    expect(stored.evaluation.macroF1).toBeCloseTo(stored.test.macroF1 as number, 6);
    // An annotator corrects a label; fine-tuning the head sees the new label version and keeps the backbone.
    const corrected = setAnnotatorLabel(ws.db, {
      recordId: lineage.records.find((x) => x.split === 'train')!.recordId,
      vocabulary: 'SNOMED',
      code: '426783006',
      present: true,
      author: 'test',
    });
    const ft = await fineTuneInWorkspace(ws, r.modelId, { epochs: 2 });
    const child = getModel(ws.db, ft.modelId);
    expect(child.parentId).toBe(r.modelId);
    const childLabels = modelLineage(ws.db, ft.modelId).labelIds;
    expect(childLabels).toContain(corrected.id);
    expect(childLabels.length).toBe(lineage.labelIds.length - testLabelCount(r.modelId) + 1);
    const before = deserializeWeights(getModel(ws.db, r.modelId).weights).store.params;
    const after = deserializeWeights(child.weights).store.params;
    expect([...after.get('block1/conv/kernel')!.dataSync()]).toEqual([...before.get('block1/conv/kernel')!.dataSync()]);
    expect([...after.get('head/fc2/kernel')!.dataSync()]).not.toEqual([...before.get('head/fc2/kernel')!.dataSync()]);
  });

  it('imports an ONNX model with its card and scores records with it; bad requests give clear errors', async () => {
    const onnxDir = path.join(REPO_ROOT, 'tests/fixtures/ml/onnx');
    const { modelId } = await importOnnxModel(ws, path.join(onnxDir, 'tiny-cnn.onnx'), path.join(onnxDir, 'tiny-cnn.card.json'));
    await predictInWorkspace(ws, modelId, [1]);
    expect(predictionsFor(ws.db, modelId, 1)).toHaveLength(3);
    await expect(importOnnxModel(ws, path.join(onnxDir, 'tiny-cnn.onnx'), path.join(onnxDir, 'wrong-classes.card.json'))).rejects.toThrow(
      /card lists 4/,
    );
    await expect(trainInWorkspace(ws, { arch: 'vgg', leads: 12 })).rejects.toThrow(/unknown architecture 'vgg'/);
    await expect(trainInWorkspace(ws, { arch: 'small-cnn', leads: 5 })).rejects.toThrow(/--leads must be 12, 6, 4, 3 or 2/);
    await expect(predictInWorkspace(ws, 999, [1])).rejects.toThrow(/no model with id 999/);
  });
});
