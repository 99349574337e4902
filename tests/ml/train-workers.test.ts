// `leadlens train --workers N`: the training worker spreads each batch's gradients over N gradient workers
// (parallel-train.ts). A seed gives the same model run after run; cancelling stops the workers and stores nothing.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chapmanWorkspace, topLabelCodes } from '../helpers/chapman-workspace.ts';
import type { Workspace } from '../../src-main/store/workspace.ts';
import { trainInWorkspace } from '../../src-main/workspace/train-model.ts';
import { getModel, listModels } from '../../src-main/store/model-store.ts';

let ws: Workspace;
let dir: string;
let classes: string[];

beforeAll(async () => {
  ({ ws, dir } = await chapmanWorkspace(12));
  classes = topLabelCodes(ws.db, 2);
});

afterAll(() => {
  ws.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

// About 8 training records: one batch an epoch (batch size 32), split into two shards of about 4 with two workers.
const request = { arch: 'small-cnn', leads: 2, epochs: 2, seed: 11 };
const trainOptions = (): Parameters<typeof trainInWorkspace>[1] => ({ ...request, classes });

describe('train --workers', () => {
  it('two gradient workers train, and the same seed gives the same weights and metrics', async () => {
    const a = await trainInWorkspace(ws, { ...trainOptions(), workers: 2 });
    const b = await trainInWorkspace(ws, { ...trainOptions(), workers: 2 });
    const [ma, mb] = [getModel(ws.db, a.modelId), getModel(ws.db, b.modelId)];
    expect(ma.hyperparameters).toMatchObject({ workers: 2, seed: 11 });
    expect(Buffer.from(ma.weights).equals(Buffer.from(mb.weights))).toBe(true);
    expect(b.validationScore).toBe(a.validationScore);
    expect(b.test).toEqual(a.test);
  });

  it('one worker (the default) trains in the training worker itself and gives a different model than two', async () => {
    // Batch-norm statistics are per shard with two workers (as DistributedDataParallel without SyncBatchNorm),
    // so the two paths differ by design; train-worker.test.ts checks one gradient worker equals in-thread training.
    const one = await trainInWorkspace(ws, trainOptions());
    const two = await trainInWorkspace(ws, { ...trainOptions(), workers: 2 });
    expect(getModel(ws.db, one.modelId).hyperparameters).toMatchObject({ workers: 1 });
    expect(Buffer.from(getModel(ws.db, one.modelId).weights).equals(Buffer.from(getModel(ws.db, two.modelId).weights))).toBe(false);
  });

  it('cancel stops a two-worker run: AbortError, and no model is stored', async () => {
    const before = listModels(ws.db).length;
    const ac = new AbortController();
    const p = trainInWorkspace(ws, {
      ...trainOptions(),
      epochs: 200,
      workers: 2,
      signal: ac.signal,
      onProgress: (_l, e) => {
        if (e.step >= 1) ac.abort();
      },
    });
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect(listModels(ws.db)).toHaveLength(before);
  });

  it('refuses a worker count out of range in one line', async () => {
    await expect(trainInWorkspace(ws, { ...trainOptions(), workers: 0 })).rejects.toThrow(/^--workers must be 1\.\.8, got 0$/);
    await expect(trainInWorkspace(ws, { ...trainOptions(), workers: 9 })).rejects.toThrow(/--workers must be 1\.\.8/);
  });
});
