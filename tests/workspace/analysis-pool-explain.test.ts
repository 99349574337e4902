// A saliency run in the analysis pool's long-task worker: progress crosses from the worker, a cancel set while the
// worker is busy stops it between maps, and the finished run carries the audit's agreement values.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRecordIds } from '../../src-main/store/record-store.ts';
import type { Workspace } from '../../src-main/store/workspace.ts';
import { createAnalysisPool, type AnalysisPool } from '../../src-main/workspace/analysis-pool.ts';
import { trainInWorkspace } from '../../src-main/workspace/train-model.ts';
import { chapmanWorkspace } from '../helpers/chapman-workspace.ts';

let ws: Workspace;
let pool: AnalysisPool;
let modelId: number;
let recordIds: number[];

beforeAll(async () => {
  ws = (await chapmanWorkspace(12)).ws;
  modelId = (await trainInWorkspace(ws, { arch: 'small-cnn', leads: 2, classes: ['426177001', '164889003'], epochs: 1, seed: 3 })).modelId;
  recordIds = allRecordIds(ws.db).slice(0, 4);
  pool = createAnalysisPool(ws, { size: 1 });
}, 300_000);
afterAll(async () => {
  await pool?.close();
  ws.close();
  fs.rmSync(ws.dir, { recursive: true, force: true });
});

describe('explain in the analysis pool', () => {
  it('streams progress from the worker and returns the findings with their agreement values', async () => {
    const progress: [number, number][] = [];
    const s = await pool.run(
      'explain',
      { modelId, recordIds, methods: ['vanilla-gradient', 'gradient-x-input'], fidelity: 0, sanity: 0 },
      { onProgress: (done, total) => progress.push([done, total]) },
    );
    expect(s.records).toBe(recordIds.length);
    expect(progress.at(-1)).toEqual([2 * recordIds.length, 2 * recordIds.length]);
    expect(s.agreement).toHaveLength(1);
    expect(s.agreement[0].values).toHaveLength(recordIds.length);
    expect(s.findings[0]).toMatch(/^Vanilla gradient vs Gradient x input: median per-lead Spearman/i);
  }, 300_000);

  it('answers record analysis beside a running saliency run, and cancels the run between maps', async () => {
    const abort = new AbortController();
    const progress: number[] = [];
    let settled = false;
    const run = pool.run(
      'explain',
      { modelId, recordIds, methods: ['vanilla-gradient', 'integrated-gradients'], fidelity: 0, sanity: 0 },
      { signal: abort.signal, onProgress: (done) => progress.push(done) },
    );
    void run.then(
      () => (settled = true),
      () => (settled = true),
    );
    // The short-task worker answers while the saliency run still holds the long-task one.
    expect((await pool.run('analysis', { id: recordIds[0] })).beats.length).toBeGreaterThan(0);
    expect(settled).toBe(false);
    abort.abort();
    await expect(run).rejects.toThrow(/^cancelled$/);
    expect(Math.max(0, ...progress)).toBeLessThan(2 * recordIds.length);
  }, 300_000);

  it('drops a queued run cancelled before it starts', async () => {
    const abort = new AbortController();
    abort.abort();
    await expect(pool.run('explain', { modelId, recordIds, methods: ['vanilla-gradient'] }, { signal: abort.signal })).rejects.toThrow(
      /^cancelled$/,
    );
  });
});
