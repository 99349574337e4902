// The analysis pool started ahead of use: warm() starts one record-analysis worker before any task, the first task
// runs on it (no second worker), and a worker whose workspace cannot open still answers each task with that reason.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { storeRecord } from '../../src-main/store/record-store.ts';
import { openWorkspace, type Workspace } from '../../src-main/store/workspace.ts';
import { createAnalysisPool, type AnalysisPool } from '../../src-main/workspace/analysis-pool.ts';
import { RULE_DETECTORS } from '../../src-main/rules/detectors.ts';
import { syntheticRecord } from '../helpers/synthetic-record.ts';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function workspace(): Workspace {
  const ws = openWorkspace(fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-pool-warm-')));
  cleanup.push(() => {
    ws.close();
    fs.rmSync(ws.dir, { recursive: true, force: true });
  });
  return ws;
}

function pool(ws: Workspace): AnalysisPool {
  const p = createAnalysisPool(ws, { size: 1 });
  cleanup.push(() => p.close());
  return p;
}

describe('analysis pool warm-up', () => {
  it('starts one worker before any task, and the first task runs on it', async () => {
    const ws = workspace();
    const { recordId } = ws.db.transaction(() => storeRecord(ws.db, syntheticRecord(), { path: '/warm.hea', format: 'test' }))();
    const p = pool(ws);
    expect(p.workers).toBe(0);
    p.warm();
    expect(p.workers).toBe(1);
    p.warm(); // already warm: no second worker
    expect(p.workers).toBe(1);
    const rules = await p.run('rules', { id: recordId, leadSet: 12 });
    expect(rules).toHaveLength(RULE_DETECTORS.length);
    // The warm-up itself, run again in the worker: every detector on its synthetic record.
    expect(await p.run('warmUp', {})).toBe(RULE_DETECTORS.length);
    expect(p.workers).toBe(1);
    await p.close();
    expect(p.workers).toBe(0);
    p.warm(); // closed: stays closed
    expect(p.workers).toBe(0);
  }, 120_000);

  it('a worker whose workspace cannot open stays up and answers each task with the reason', async () => {
    const ws = workspace();
    // A folder inside a regular file: the worker's open fails as it starts, and again on each task.
    const file = path.join(ws.dir, 'not-a-folder');
    fs.writeFileSync(file, '');
    const p = createAnalysisPool({ ...ws, dir: path.join(file, 'workspace') }, { size: 1 });
    cleanup.push(() => p.close());
    p.warm();
    for (let i = 0; i < 2; i++) {
      const error = await p.run('rules', { id: 1, leadSet: 12 }).then(
        () => '',
        (e: Error) => e.message,
      );
      expect(error).toMatch(/^cannot use workspace folder .*not-a-folder\/workspace: ENOTDIR$/);
      expect(p.workers).toBe(1);
    }
  }, 120_000);
});
