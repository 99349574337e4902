// A training run from the UI runs in a worker thread (records read, datasets built, model trained and stored there):
// progress crosses over, errors arrive as one line, cancelling stops it and stores nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listModels } from '../../src-main/store/model-store.ts';
import { predictionsFor } from '../../src-main/store/prediction-store.ts';
import type { Workspace } from '../../src-main/store/workspace.ts';
import { createAnalysisPool } from '../../src-main/workspace/analysis-pool.ts';
import { trainInWorker } from '../../src-main/workspace/train-model-in-worker.ts';
import { chapmanWorkspace } from '../helpers/chapman-workspace.ts';

const CLASSES = ['426177001', '426783006', '164889003', '427084000'];
let ws: Workspace;

beforeAll(async () => {
  ({ ws } = await chapmanWorkspace(24));
}, 120_000);
afterAll(() => ws.close());

describe('training run in a worker thread', () => {
  it('trains and stores the model from the worker, with progress', async () => {
    const progress: string[] = [];
    const s = await trainInWorker(ws, {
      arch: 'small-cnn',
      leads: 2,
      classes: CLASSES,
      epochs: 1,
      seed: 5,
      onProgress: (label, e) => progress.push(`${label} ${e.epoch}/${e.epochs}`),
    });
    expect(s.split.train + s.split.validation + s.split.test).toBe(24);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((p) => p.startsWith('train '))).toBe(true);
    expect(listModels(ws.db).map((m) => m.id)).toContain(s.modelId);
    // The analysis pool's worker scores every record with it (onnxruntime in a worker thread).
    const pool = createAnalysisPool(ws, { size: 1 });
    try {
      expect(await pool.run('predict', { modelId: s.modelId })).toMatchObject({ records: 24 });
    } finally {
      await pool.close();
    }
    expect(predictionsFor(ws.db, s.modelId).length).toBe(24 * CLASSES.length);
  }, 300_000);

  it('reports the worker-side error in one line', async () => {
    await expect(trainInWorker(ws, { arch: 'image-cnn', leads: 2 })).rejects.toThrow(
      /^image-cnn trains on rendered charts: it needs --layout \(e\.g\. 3x4\+II\)$/,
    );
    await expect(trainInWorker(ws, { arch: 'small-cnn', leads: 5 })).rejects.toThrow(/--leads must be 12, 6, 4, 3 or 2/);
  }, 120_000);

  it('cancels: the run rejects and stores no model', async () => {
    const before = listModels(ws.db).length;
    const abort = new AbortController();
    const run = trainInWorker(ws, {
      arch: 'small-cnn',
      leads: 2,
      classes: CLASSES,
      epochs: 50,
      signal: abort.signal,
      onProgress: () => abort.abort(),
    });
    await expect(run).rejects.toThrow(/training cancelled/);
    expect(listModels(ws.db).length).toBe(before);
  }, 300_000);
});
