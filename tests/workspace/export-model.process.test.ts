// `leadlens export-model` through the built CLI: every architecture's ONNX file and card, checked by importing the
// signal model back and scoring the same records both ways, and the image model's graph against tfjs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signalImageCard } from '../../src-main/chart/signal-image-input.ts';
import { READERS } from '../../src-main/formats/readers.ts';
import { ingestPaths } from '../../src-main/ingest/ingest-files.ts';
import { initBackend } from '../../src-main/ml/backend.ts';
import { serializeWeights } from '../../src-main/ml/model-weights.ts';
import { createModel } from '../../src-main/ml/models/index.ts';
import type { ModelSpec } from '../../src-main/ml/models/model.ts';
import { modelScorer, openModel } from '../../src-main/ml/open-model.ts';
import { signalImageInputs } from '../../src-main/ml/signal-image-dataset.ts';
import { predictProbabilities } from '../../src-main/ml/train.ts';
import { allRecordIds, getRecordSignal } from '../../src-main/store/record-store.ts';
import { saveModel } from '../../src-main/store/model-store.ts';
import { openWorkspace } from '../../src-main/store/workspace.ts';
import { seededRandom } from '../../src-shared/seeded-random.ts';
import { STANDARD_LEADS } from '../../src-shared/record.ts';
import { runLeadlens } from '../helpers/run-cli.ts';
import { REPO_ROOT } from '../helpers/shared-data.ts';

const CLASSES = ['426177001', '426783006', '164889003'];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-export-model-'));
const out = path.join(dir, 'exported');
const signal = { samplingRate: 100, samples: 500, leads: [...STANDARD_LEADS], bandpass: { lowHz: 0.5, highHz: 40 }, zscore: true };
const imageCard = signalImageCard(
  'gaf',
  ['I', 'II', 'V1'],
  { samplingRate: 100, samples: 500, bandpass: signal.bandpass, zscore: true },
  32,
);
let crnnId = 0;
let imageId = 0;

function storeModel(spec: ModelSpec, inputSpec: object, leadSet: string[]): number {
  const model = createModel(spec);
  const rand = seededRandom(spec.seed);
  // Past the initial zeros and ones, so the export is tested on weights that matter.
  for (const v of model.store.params.values())
    v.assign(
      tf.tensor(
        Float32Array.from(v.dataSync(), (w) => w + (rand() - 0.5) * 0.2),
        v.shape,
      ),
    );
  const ws = openWorkspace(dir);
  try {
    return saveModel(ws.db, {
      name: `${spec.arch} for export`,
      kind: 'tfjs',
      architecture: spec.arch,
      hyperparameters: {},
      classes: CLASSES,
      leadSet,
      inputSpec,
      metrics: { challenge: 0.5 },
      runtime: 'wasm',
      weights: serializeWeights(model),
      records: [],
      labelIds: [],
    });
  } finally {
    ws.close();
  }
}

beforeAll(async () => {
  await initBackend('wasm');
  const ws = openWorkspace(dir);
  await ingestPaths(ws, [path.join(REPO_ROOT, 'resources', 'samples')], { readers: READERS });
  ws.close();
  crnnId = storeModel({ arch: 'crnn', channels: 12, inputShape: [500], classes: 3, seed: 4 }, signal, [...STANDARD_LEADS]);
  imageId = storeModel({ arch: 'image-cnn', channels: 3, inputShape: [32, 32], classes: 3, seed: 5 }, imageCard, imageCard.leads);
}, 120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('leadlens export-model', () => {
  it('writes a CRNN as ONNX whose re-import scores records as the original does', () => {
    const r = runLeadlens(['export-model', String(crnnId), '--out', out, '--workspace', dir, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.architecture).toBe('crnn');
    const card = JSON.parse(fs.readFileSync(result.cardPath, 'utf8'));
    expect(card).toMatchObject({ classes: CLASSES, samplingRate: 100, inputLength: 500, layout: 'leads-first', output: 'probabilities' });
    expect(card.leadlens).toMatchObject({ modelId: crnnId, architecture: 'crnn', metrics: { challenge: 0.5 } });
    const imported = runLeadlens(['import-model', result.onnxPath, '--card', result.cardPath, '--workspace', dir, '--json']);
    expect(imported.status, imported.stderr).toBe(0);
    const importedId = JSON.parse(imported.stdout).modelId;
    const predictions = [crnnId, importedId].map((id) => {
      const p = runLeadlens(['predict', '--model', String(id), '--all', '--workspace', dir, '--json']);
      expect(p.status, p.stderr).toBe(0);
      return p;
    });
    expect(JSON.parse(predictions[0].stdout).stored).toBe(5);
    const ws = openWorkspace(dir);
    try {
      const probs = (id: number) =>
        (
          ws.db.prepare('SELECT probability FROM ml_prediction WHERE model_id = ? ORDER BY record_id, class_code').all(id) as {
            probability: number;
          }[]
        ).map((row) => row.probability);
      const [a, b] = [probs(crnnId), probs(importedId)];
      expect(a).toHaveLength(15);
      a.forEach((p, i) => expect(Math.abs(p - b[i])).toBeLessThan(1e-6));
    } finally {
      ws.close();
    }
  });

  it('writes an image model whose graph gives the tfjs probabilities, and the scorer runs it in onnxruntime', async () => {
    const r = runLeadlens(['export-model', String(imageId), '--out', out, '--workspace', dir, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.input).toBe('image');
    const card = JSON.parse(fs.readFileSync(result.cardPath, 'utf8'));
    expect(card).toMatchObject({ imageShape: [32, 32, 3], layout: 'images-nhwc', input: { kind: 'signal-image', transform: 'gaf' } });
    const ws = openWorkspace(dir);
    try {
      const records = allRecordIds(ws.db).map((id) => getRecordSignal(ws.db, id)!);
      const m = await openModel(ws.db, imageId);
      if (m.kind !== 'tfjs') throw new Error('expected a tfjs model');
      const x = signalImageInputs(records, imageCard);
      const tfjs = predictProbabilities(m.model, x, records.length);
      const session = await ort.InferenceSession.create(fs.readFileSync(result.onnxPath));
      const fromFile = (await session.run({ image: new ort.Tensor('float32', x, [records.length, 32, 32, 3]) })).prob.data as Float32Array;
      const scorer = await modelScorer(m);
      expect(scorer.runtime).toBe('onnxruntime-node');
      const scored = await scorer.predict(records);
      tfjs.forEach((p, i) => {
        expect(Math.abs(fromFile[i] - p)).toBeLessThan(2e-5);
        expect(Math.abs(scored[i] - p)).toBeLessThan(2e-5);
      });
    } finally {
      ws.close();
    }
  });

  it('refuses to overwrite, and a bad id is one line with exit 1; no id is exit 2', () => {
    const again = runLeadlens(['export-model', String(crnnId), '--out', out, '--workspace', dir]);
    expect(again.status).toBe(1);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toMatch(/exists already \(pass --force to replace it\)/);
    expect(runLeadlens(['export-model', String(crnnId), '--out', out, '--force', '--workspace', dir]).status).toBe(0);
    const missing = runLeadlens(['export-model', '999', '--workspace', dir]);
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(runLeadlens(['export-model', '--workspace', dir]).status).toBe(2);
  });
});
