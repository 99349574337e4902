import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { READERS } from '../../src-main/formats/readers.ts';
import { ingestPaths } from '../../src-main/ingest/ingest-files.ts';
import { saveModel } from '../../src-main/store/model-store.ts';
import { savePredictions } from '../../src-main/store/prediction-store.ts';
import { openWorkspace } from '../../src-main/store/workspace.ts';
import { artifactPath, servedWorkspace } from '../helpers/browser.ts';
import { REPO_ROOT } from '../helpers/shared-data.ts';

// The "Flagged by model" queue in Chromium on the demo records (labels: JS00004 SB, JS00008 NSR, JS00012 STach,
// JS00036 AF, JS00049 SB + LAD) with a model whose per-class operating thresholds are stated in its metrics.
const NSR = '426783006';
const SB = '426177001';
const AF = '164889003';
const ids: Record<string, number> = {};
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 20_000 });

const app = servedWorkspace(async (dir) => {
  const ws = openWorkspace(dir);
  await ingestPaths(ws, [path.join(REPO_ROOT, 'resources', 'samples')], { readers: READERS });
  for (const r of ws.db.prepare('SELECT id, record_name FROM record').all() as { id: number; record_name: string }[])
    ids[r.record_name] = r.id;
  const thresholds: Record<string, number> = { [NSR]: 0.5, [SB]: 0.7, [AF]: 0.3 };
  const modelId = saveModel(ws.db, {
    name: 'small-cnn',
    kind: 'tfjs',
    architecture: 'small-cnn',
    hyperparameters: {},
    classes: [NSR, SB, AF],
    leadSet: ['I', 'II'],
    inputSpec: {},
    metrics: { thresholds: Object.entries(thresholds).map(([code, threshold]) => ({ code, threshold, rule: 'max-f1' })) },
    runtime: 'test',
    weights: new Uint8Array(4),
    records: [],
    labelIds: [],
  });
  const rows = Object.entries({
    JS00004: [0.1, 0.95, 0.05], // SB well above 0.7
    JS00008: [0.99, 0.1, 0.05], // sinus rhythm only: never flagged
    JS00012: [0.3, 0.6, 0.27], // SB below its 0.7, AF just below 0.3: not flagged, low confidence
    JS00036: [0.1, 0.1, 0.4], // AF just above 0.3: AF weighs most, first
    JS00049: [0.2, 0.73, 0.2], // SB just above 0.7: after the surer SB, low confidence
  }).flatMap(([name, p]) =>
    [NSR, SB, AF].map((classCode, c) => ({ recordId: ids[name], classCode, probability: p[c], predicted: p[c] >= thresholds[classCode] })),
  );
  savePredictions(ws.db, modelId, rows);
  ws.close();
});

describe('flagged-by-model queue', () => {
  it('is ranked by triage score and each row shows the top class, its code and probability', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(app.url);
    const flagged = page.locator('[data-testid="queues"] [data-queue="flagged"]');
    await poll(() => flagged.innerText()).toMatch(/Flagged by model\s+3/);
    expect(await page.locator('[data-testid="queues"] [data-queue="low-confidence"]').innerText()).toMatch(/Low confidence\s+2/);
    await flagged.click();
    const rows = page.locator('[data-testid="worklist"] li[data-record-id]');
    await poll(() => rows.count()).toBe(3);
    const names = await rows.locator('.name').allInnerTexts();
    expect(names.map((n) => n.split(/\s/)[0])).toEqual(['JS00036', 'JS00004', 'JS00049']);
    const tops = await rows.locator('[data-testid="row-top-class"]').allInnerTexts();
    expect(tops[0]).toMatch(/AF\s+164889003\s+0\.40/);
    expect(tops[1]).toMatch(/SB\s+426177001\s+0\.95/);
    expect(tops[2]).toMatch(/SB\s+426177001\s+0\.73/);
    const scores = await rows
      .locator('[data-testid="row-top-class"]')
      .evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.score)));
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    await page.screenshot({ path: artifactPath('triage-flagged-queue.png') });
    expect(errors).toEqual([]);
  });
});
