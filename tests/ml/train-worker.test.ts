import { describe, expect, it } from 'vitest';
import { runTrainingInWorker } from '../../src-main/ml/run-training.ts';
import type { TrainJob } from '../../src-main/ml/train-worker.ts';
import { deserializeWeights } from '../../src-main/ml/model-weights.ts';
import type { TrainProgress } from '../../src-main/ml/train.ts';
import { initBackend } from '../../src-main/ml/backend.ts';

// A tiny synthetic job: the worker mechanics (progress, result, cancel, crash) are under test, not learning.
function job(over: Partial<TrainJob['options']> = {}): TrainJob {
  const n = 24;
  const size = 64 * 3;
  const x = Float32Array.from({ length: n * size }, (_, i) => Math.sin(i * 0.1) * ((i / size) % 2 < 1 ? 1 : -1));
  const y = Uint8Array.from({ length: n * 2 }, (_, i) => (Math.floor(i / 2) % 2 === i % 2 ? 1 : 0));
  return {
    train: { x, y, n },
    validation: { x: x.slice(0, 8 * size), y: y.slice(0, 16), n: 8 },
    options: {
      spec: { arch: 'small-cnn', channels: 3, inputShape: [64], classes: 2, seed: 5 },
      classes: ['a', 'b'],
      epochs: 2,
      batchSize: 8,
      ...over,
    },
    backend: 'wasm',
  };
}

describe('training in a worker thread', () => {
  it('posts progress and returns weights that load into a model', async () => {
    const events: TrainProgress[] = [];
    const r = await runTrainingInWorker(job(), { onProgress: (e) => events.push(e) });
    expect(r.backend).toBe('wasm');
    expect(r.history).toHaveLength(2);
    expect(events.filter((e) => e.validationScore !== undefined)).toHaveLength(2);
    expect(events.at(-1)!.step).toBe(6);
    await initBackend('wasm');
    expect(deserializeWeights(r.weights).spec.channels).toBe(3);
  });

  it('cancels: the promise rejects with AbortError and no result arrives', async () => {
    const ac = new AbortController();
    let after = 0;
    const p = runTrainingInWorker(job({ epochs: 50 }), {
      signal: ac.signal,
      onProgress: (e) => {
        if (e.step === 2) ac.abort();
        if (ac.signal.aborted) after++;
      },
    });
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect(after).toBeLessThanOrEqual(1);
  });

  it('a failing run rejects with its one-line error', async () => {
    await expect(runTrainingInWorker(job({ classes: ['a', 'b', 'c'] }))).rejects.toThrow(/train: 3 class codes for a model with 2 outputs/);
  });
});

describe('data-parallel training over worker threads', () => {
  it('one gradient worker reproduces in-thread training; two workers train too', async () => {
    await initBackend('wasm');
    const { trainModel } = await import('../../src-main/ml/train.ts');
    const { trainModelParallel } = await import('../../src-main/ml/parallel-train.ts');
    const j = job();
    const o = { ...j.options, epochs: 2 };
    const local = await trainModel(j.train, j.validation, o);
    const one = await trainModelParallel(j.train, j.validation, o, 1, 'wasm');
    one.history.forEach((h, i) => expect(h.loss).toBeCloseTo(local.history[i].loss, 4));
    const two = await trainModelParallel(j.train, j.validation, o, 2, 'wasm');
    expect(two.history).toHaveLength(2);
    expect(two.history[1].loss).toBeLessThan(two.history[0].loss);
  });
});
