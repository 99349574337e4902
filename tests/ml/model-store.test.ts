import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { migrate } from '../../src-main/store/migrate.ts';
import { migration as core } from '../../src-main/store/migrations/001-core.ts';
import { migration as ml } from '../../src-main/store/migrations/003-ml.ts';
import { initBackend } from '../../src-main/ml/backend.ts';
import { createModel } from '../../src-main/ml/models/index.ts';
import { deserializeWeights, serializeWeights } from '../../src-main/ml/model-weights.ts';
import { getModel, listModels, modelLineage, saveModel } from '../../src-main/store/model-store.ts';
import { predictionsFor, savePredictions } from '../../src-main/store/prediction-store.ts';
import type { NewModel } from '../../src-main/store/model-store.ts';
import { predictProbabilities } from '../../src-main/ml/train.ts';

function workspaceDb(): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, [core, ml]);
  const now = new Date().toISOString();
  for (let i = 1; i <= 3; i++) {
    db.prepare(
      'INSERT INTO record (id, content_hash, record_name, format, sampling_rate, length, lead_count, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(i, `h${i}`, `JS0000${i}`, 'cinc', 500, 5000, 12, now);
    db.prepare(
      "INSERT INTO label (id, record_id, vocabulary, code, source_kind, source_name, asserted_at) VALUES (?, ?, 'SNOMED', '426783006', 'dataset', 'cinc', ?)",
    ).run(10 + i, i, now);
  }
  return db;
}

beforeAll(async () => {
  await initBackend('wasm');
});

describe('model store', () => {
  const spec = { arch: 'small-cnn' as const, channels: 12, inputShape: [200], classes: 2, seed: 4 };
  const base = (over: Partial<NewModel> = {}): NewModel => ({
    name: 'rhythm',
    kind: 'tfjs',
    architecture: 'small-cnn',
    hyperparameters: { epochs: 3, maxLr: 3e-3 },
    classes: ['426783006', '164889003'],
    leadSet: ['I', 'II'],
    inputSpec: { samplingRate: 100, samples: 200 },
    metrics: { challenge: 0.5 },
    runtime: 'wasm',
    weights: serializeWeights(createModel(spec)),
    records: [
      { recordId: 1, split: 'train' },
      { recordId: 2, split: 'validation' },
    ],
    labelIds: [11, 12],
    ...over,
  });

  it('weights round-trip exactly: the restored model predicts the same probabilities', () => {
    const m = createModel(spec);
    const mean = m.store.state.get('block0/bn/mean')!;
    mean.assign(tf.add(mean, 0.3));
    const back = deserializeWeights(serializeWeights(m));
    const x = Float32Array.from({ length: 2 * 200 * 12 }, (_, i) => Math.sin(i / 7));
    expect([...predictProbabilities(back, x, 2)]).toEqual([...predictProbabilities(m, x, 2)]);
    expect(() => deserializeWeights(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), 'model 9')).toThrow(/model 9: not LeadLens model weights/);
  });

  it('stores a model with its lineage (records with split, label versions) and lists it', () => {
    const db = workspaceDb();
    const id = saveModel(db, base());
    const got = getModel(db, id);
    expect(got).toMatchObject({
      name: 'rhythm',
      kind: 'tfjs',
      classes: ['426783006', '164889003'],
      leadSet: ['I', 'II'],
      runtime: 'wasm',
      parentId: null,
    });
    expect(modelLineage(db, id)).toEqual({
      records: [
        { recordId: 1, split: 'train' },
        { recordId: 2, split: 'validation' },
      ],
      labelIds: [11, 12],
    });
    const child = saveModel(db, base({ name: 'rhythm fine-tuned', parentId: id }));
    expect(listModels(db).map((m) => [m.id, m.parentId])).toEqual([
      [id, null],
      [child, id],
    ]);
    expect(() => getModel(db, 99)).toThrow(/no model with id 99/);
  });

  it('a failing write leaves the workspace as it was (one transaction)', () => {
    const db = workspaceDb();
    expect(() =>
      saveModel(
        db,
        base({
          records: [
            { recordId: 1, split: 'train' },
            { recordId: 77, split: 'train' },
          ],
        }),
      ),
    ).toThrow(/FOREIGN KEY/);
    expect(listModels(db)).toHaveLength(0);
    expect(db.prepare('SELECT COUNT(*) FROM ml_model_record').pluck().get()).toBe(0);
  });

  it('predictions per record x model x class replace earlier ones', () => {
    const db = workspaceDb();
    const id = saveModel(db, base());
    savePredictions(db, id, [
      { recordId: 3, classCode: '426783006', probability: 0.9, predicted: true },
      { recordId: 3, classCode: '164889003', probability: 0.1, predicted: false },
    ]);
    savePredictions(db, id, [{ recordId: 3, classCode: '426783006', probability: 0.7, predicted: true }]);
    expect(predictionsFor(db, id, 3)).toEqual([{ recordId: 3, classCode: '426783006', probability: 0.7, predicted: true }]);
  });
});
