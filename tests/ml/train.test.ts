import { beforeAll, describe, expect, it } from 'vitest';
import { dataPath } from '../helpers/shared-data.ts';
import { initBackend } from '../../src-main/ml/backend.ts';
import { buildDataset } from '../../src-main/ml/dataset.ts';
import { findHeaders, loadCincRecords } from '../helpers/cinc-records.ts';
import type { LabelledRecord } from '../../src-main/ml/dataset.ts';
import { loadChallengeWeights } from '../../src-main/ml/metrics/challenge-metric.ts';
import { fineTuneHead, predictProbabilities, trainModel } from '../../src-main/ml/train.ts';
import type { Dataset, TrainOptions } from '../../src-main/ml/train.ts';
import { exportModelOnnx, exportedCard } from '../../src-main/ml/onnx-export.ts';
import { loadOnnxModel, runOnnx } from '../../src-main/ml/onnx-model.ts';
import { patientKFold, patientSplit } from '../../src-main/ml/splits.ts';
import { STANDARD_LEADS } from '../../src-shared/record.ts';

// Rhythm classes: sinus bradycardia, sinus rhythm, atrial fibrillation, sinus tachycardia.
const CLASSES = ['426177001', '426783006', '164889003', '427084000'];
let train: Dataset;
let val: Dataset;
let records: LabelledRecord[];

const options = (over: Partial<TrainOptions> = {}): TrainOptions => ({
  spec: { arch: 'small-cnn', channels: 12, inputShape: [500], classes: 4, seed: 11 },
  classes: CLASSES,
  epochs: 3,
  batchSize: 16,
  maxLr: 3e-3,
  challengeWeights: loadChallengeWeights(dataPath('cinc', 'scoring-2021', 'weights.csv')),
  ...over,
});

beforeAll(async () => {
  await initBackend('wasm');
  const headers = findHeaders(dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01', '010')).slice(0, 60);
  ({ records } = await loadCincRecords(headers));
  const spec = { samplingRate: 100, samples: 500, leads: [...STANDARD_LEADS], bandpass: { lowHz: 0.5, highHz: 40 } };
  train = buildDataset(records.slice(0, 48), spec, CLASSES);
  val = buildDataset(records.slice(48), spec, CLASSES);
});

describe('training the small CNN on real Chapman-Ningbo records (smoke)', () => {
  it('reads 60 records and trains: loss falls, early stopping uses the challenge metric', async () => {
    expect(records).toHaveLength(60);
    const r = await trainModel(train, val, options());
    expect(r.metricName).toBe('challenge');
    expect(r.history).toHaveLength(3);
    expect(r.history[2].loss).toBeLessThan(r.history[0].loss);
    expect(r.bestEpoch).toBeGreaterThanOrEqual(1);
    const probs = predictProbabilities(r.model, val.x, val.n);
    expect(probs.length).toBe(12 * 4);
    expect(probs.every((p) => p > 0 && p < 1)).toBe(true);
  });

  it('is reproducible: the same seed gives the same losses and weights', async () => {
    const a = await trainModel(train, val, options({ epochs: 1, mixupAlpha: 0.4, maskFraction: 0.2 }));
    const b = await trainModel(train, val, options({ epochs: 1, mixupAlpha: 0.4, maskFraction: 0.2 }));
    expect(b.history).toEqual(a.history);
    expect([...b.model.store.params.get('block2/conv/kernel')!.dataSync()]).toEqual([
      ...a.model.store.params.get('block2/conv/kernel')!.dataSync(),
    ]);
  });

  it('cancels through an AbortSignal', async () => {
    const ac = new AbortController();
    await expect(trainModel(train, val, options({ signal: ac.signal, onProgress: () => ac.abort() }))).rejects.toThrow(
      /training cancelled/,
    );
  });

  it('fine-tuning retrains the head only, on cached embeddings', async () => {
    const base = await trainModel(train, val, options({ epochs: 1 }));
    const conv = [...base.model.store.params.get('block0/conv/kernel')!.dataSync()];
    const head = [...base.model.store.params.get('head/fc2/kernel')!.dataSync()];
    const tuned = await fineTuneHead(base.model, train, val, {
      classes: CLASSES,
      epochs: 3,
      batchSize: 16,
      maxLr: 1e-2,
      loss: 'asymmetric',
    });
    expect([...tuned.model.store.params.get('block0/conv/kernel')!.dataSync()]).toEqual(conv);
    expect([...tuned.model.store.params.get('head/fc2/kernel')!.dataSync()]).not.toEqual(head);
  });
});

describe('ONNX export of a trained small CNN', () => {
  it('onnxruntime gives the same probabilities as tfjs within 1e-5 (trained batch-norm statistics included)', async () => {
    const r = await trainModel(train, val, options({ epochs: 1 }));
    expect([...r.model.store.state.get('block0/bn/mean')!.dataSync()].some((v) => v !== 0)).toBe(true);
    const onnx = await loadOnnxModel(
      exportModelOnnx(r.model),
      exportedCard(r.model, CLASSES, 100, [...STANDARD_LEADS], { zscore: true, bandpass: { lowHz: 0.5, highHz: 40 } }),
    );
    const size = 500 * 12;
    const ours = predictProbabilities(r.model, val.x, val.n);
    const theirs = await runOnnx(
      onnx,
      Array.from({ length: val.n }, (_, i) => val.x.subarray(i * size, (i + 1) * size)),
    );
    expect(theirs.length).toBe(ours.length);
    for (let i = 0; i < ours.length; i++) expect(Math.abs(theirs[i] - ours[i])).toBeLessThan(1e-5);
  });
});

describe('patient-level splits', () => {
  const items = Array.from({ length: 30 }, (_, i) => ({ id: `r${i}`, patientId: i < 12 ? `p${i % 4}` : undefined }));

  it('k folds cover every record once and never split a patient', () => {
    const folds = patientKFold(items, 5, 1);
    expect(folds.flat().sort()).toEqual(items.map((i) => i.id).sort());
    for (let p = 0; p < 4; p++) {
      const ids = items.filter((i) => i.patientId === `p${p}`).map((i) => i.id);
      expect(folds.filter((f) => f.some((id) => ids.includes(id)))).toHaveLength(1);
    }
    expect(() => patientKFold(items.slice(0, 2), 5, 1)).toThrow(/2 patients cannot fill 5 folds/);
  });

  it('holdout split keeps patients whole and is seeded', () => {
    const s = patientSplit(items, 0.2, 0.2, 3);
    expect(s).toEqual(patientSplit(items, 0.2, 0.2, 3));
    const side = (id: string): string => (s.train.includes(id) ? 'train' : s.validation.includes(id) ? 'val' : 'test');
    for (let p = 0; p < 4; p++) expect(new Set(items.filter((i) => i.patientId === `p${p}`).map((i) => side(i.id))).size).toBe(1);
  });
});
