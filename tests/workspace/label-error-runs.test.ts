import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices } from '../../src-main/api/services.ts';
import { openWorkspace, type Workspace } from '../../src-main/store/workspace.ts';
import { cancelLabelErrorRun, startLabelErrorRun } from '../../src-main/workspace/label-error-runs.ts';
import type { LabelErrorRequest, LabelErrorSummary } from '../../src-main/workspace/label-errors.ts';
import type { LabelErrorRunProgress } from '../../src-shared/api.ts';

let tmp: string;
let ws: Workspace;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-le-runs-'));
  ws = openWorkspace(path.join(tmp, 'ws'));
});
afterEach(() => {
  ws.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const step = (epoch: number, s: number) => ({ epoch, epochs: 2, step: s, steps: 4, loss: 1 });

describe('label-error runs started from the UI', () => {
  it('stream progress over folds then rules, and finish with the stored run', async () => {
    const seen: LabelErrorRunProgress[] = [];
    const asked: LabelErrorRequest[] = [];
    const run = startLabelErrorRun(
      ws,
      { arch: 'small-cnn', folds: 3, epochs: 2, selection: 'dev' },
      (r) => seen.push({ ...r }),
      async (req) => {
        asked.push(req);
        req.onProgress!('fold 2/3', step(2, 4));
        await new Promise((done) => setTimeout(done, 300));
        req.onRules!(10, 10);
        return { runId: 7, flagged: 3, records: 10 } as LabelErrorSummary;
      },
    );
    expect(run.state).toBe('running');
    await expect.poll(() => run.state).toBe('finished');
    expect(run).toMatchObject({ runId: 7, flagged: 3, records: 10, selection: 'dev' });
    expect(asked[0]).toMatchObject({ arch: 'small-cnn', folds: 3, epochs: 2, selection: 'dev' });
    // Fold 2's last step ends 2 of 4 shares (3 folds + the rules), in thousandths; the rules end the bar.
    expect(seen[0]).toMatchObject({ phase: 'fold 2/3 epoch 2/2', done: 500, total: 1000 });
    expect(seen.at(-1)).toMatchObject({ state: 'finished', done: 1000, total: 1000 });
  });

  it('cancel aborts the training and says so', async () => {
    const run = startLabelErrorRun(
      ws,
      { arch: 'small-cnn' },
      () => undefined,
      (req) => new Promise((_, fail) => req.signal!.addEventListener('abort', () => fail(new Error('training cancelled')))),
    );
    expect(run).toMatchObject({ folds: 5, epochs: 10, selection: null });
    cancelLabelErrorRun(run.id);
    await expect.poll(() => run.state).toBe('cancelled');
    expect(run.error).toBe('training cancelled');
    expect(() => cancelLabelErrorRun(9999)).toThrow(/no label-error run 9999/);
  });

  it('the API refuses an unknown architecture or selection before starting', async () => {
    const services = createServices(ws, () => undefined, 'http');
    await expect(services.call('labelErrors.start', { arch: 'vgg' })).rejects.toMatchObject({ status: 400 });
    await expect(services.call('labelErrors.start', { arch: 'small-cnn', selection: 'nope' })).rejects.toMatchObject({ status: 404 });
    await expect(services.call('labelErrors.start', { arch: 'small-cnn', folds: 2 })).rejects.toMatchObject({ status: 400 });
    await expect(services.call('labelErrors.cancel', { id: 4242 })).rejects.toMatchObject({ status: 404 });
  });
});
