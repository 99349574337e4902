// Training from the Models view in Chromium: live loss curve, cancel that leaves no model behind, and a finished
// run whose model appears for review. 100 real Chapman-Ningbo records, so the frequent classes have 20+ examples.
import { describe, expect, it } from 'vitest';
import { READERS } from '../../src-main/formats/readers.ts';
import { ingestPaths } from '../../src-main/ingest/ingest-files.ts';
import { openWorkspace } from '../../src-main/store/workspace.ts';
import { artifactPath, servedWorkspace } from '../helpers/browser.ts';
import { dataPath } from '../helpers/shared-data.ts';

const poll = <T>(fn: () => T | Promise<T>, timeout = 60_000) => expect.poll(fn, { timeout, interval: 200 });

const app = servedWorkspace(async (dir) => {
  const ws = openWorkspace(dir);
  await ingestPaths(ws, [dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01', '010')], { readers: READERS });
  ws.close();
});

describe('training from the Models view', () => {
  it('shows a live loss curve, cancels without storing a model, and a finished run adds a model to review', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1500, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(app.url);
    await page.locator('[data-testid="view-models"]').click();
    const review = page.locator('[data-testid="model-review"]');
    await poll(() => review.innerText()).toMatch(/No models in this workspace yet/);

    const epochs = page.locator('.train input[type="number"]');
    await epochs.fill('300');
    await page.locator('[data-testid="train-start"]').click();
    const first = page.locator('[data-testid="training-runs"] li').first();
    await poll(() => first.getAttribute('data-state')).toBe('running');
    // Live: the loss curve gains points while the run goes on.
    await poll(async () => ((await first.locator('svg.loss path').getAttribute('d')) ?? '').split('L').length).toBeGreaterThan(3);
    const before = (await first.locator('svg.loss path').getAttribute('d'))!;
    await poll(() => first.locator('svg.loss path').getAttribute('d')).not.toBe(before);
    expect(await first.innerText()).toMatch(/epoch \d+\/300 · step \d+\/\d+ · loss \d\.\d{4}/);
    await page.screenshot({ path: artifactPath('training-live.png') });

    await first.locator('[data-testid="train-cancel"]').click();
    await poll(() => first.getAttribute('data-state')).toBe('cancelled');
    expect(await first.locator('[data-testid="train-cancel"]').count()).toBe(0);
    expect(await review.innerText()).toMatch(/No models in this workspace yet/);
    const token = new URL(app.url).searchParams.get('token');
    const models = await fetch(new URL('/api/models.list', app.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: '{}',
    });
    expect(await models.json()).toEqual({ result: [] });

    await epochs.fill('1');
    await page.locator('[data-testid="train-start"]').click();
    const second = page.locator('[data-testid="training-runs"] li').nth(1);
    await poll(() => second.getAttribute('data-state'), 120_000).toBe('finished');
    // The run says how many records its model scored (and would list any it skipped, with the reason).
    await poll(() => second.locator('[data-testid="run-predictions"]').innerText()).toMatch(/^\d+ records scored$/);
    await poll(() => page.locator('[data-testid="model-a"] option').count()).toBe(1);
    // The finished run predicted every record; the review scores the held-out test split unless asked for all.
    const table = page.locator('[data-testid="metrics-table"]');
    await poll(() => table.locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="review-scored"]').innerText()).toMatch(/held-out test records/);
    const scored = async () => Number(await table.locator('tbody tr').first().locator('td').nth(1).innerText());
    await poll(scored).toBeGreaterThan(0);
    const heldOut = await scored();
    expect(heldOut).toBeLessThan(40);
    await page.locator('[data-testid="review-scope"]').selectOption('all');
    await poll(scored).toBe(100);
    expect(await page.locator('[data-testid="review-scored"]').innerText()).toMatch(/every record with a prediction/);
    expect(await second.innerText()).toMatch(/epoch 1\/1 · step \d+\/\d+/);
    await page.screenshot({ path: artifactPath('training-finished.png') });

    // An image CNN on the records drawn as charts in two layouts.
    await page.locator('.train select').first().selectOption('image-cnn');
    await page.locator('[data-testid="train-layouts"] input[value="6x2"]').check();
    await page.locator('[data-testid="train-start"]').click();
    const third = page.locator('[data-testid="training-runs"] li').nth(2);
    await poll(() => third.getAttribute('data-state'), 240_000).toBe('finished');
    expect(await third.innerText()).toMatch(/^#3 image-cnn · 12 leads · finished/);
    await poll(() => page.locator('[data-testid="model-a"] option').count()).toBe(2);
    expect(await page.locator('[data-testid="model-a"] option').nth(1).innerText()).toMatch(/image-cnn 12-lead 3x4\+II\/6x2 1px\/mm/);
    expect(errors).toEqual([]);
  });
});
