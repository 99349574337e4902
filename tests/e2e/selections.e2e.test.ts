import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { READERS } from '../../src-main/formats/readers.ts';
import { ingestPaths } from '../../src-main/ingest/ingest-files.ts';
import { saveSelection } from '../../src-main/store/selection-store.ts';
import { openWorkspace } from '../../src-main/store/workspace.ts';
import { importOnnxModel } from '../../src-main/workspace/import-model.ts';
import { artifactPath, servedWorkspace } from '../helpers/browser.ts';
import { REPO_ROOT } from '../helpers/shared-data.ts';

// Selections in Chromium: a tag put on in the record view, the worklist filtered by a saved selection over that tag,
// and the model review evaluating an imported ONNX model on two selections side by side with bootstrap intervals.
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 60_000 });
const onnx = path.join(REPO_ROOT, 'tests', 'fixtures', 'ml', 'onnx');

const app = servedWorkspace(async (dir) => {
  const ws = openWorkspace(dir);
  await ingestPaths(ws, [path.join(REPO_ROOT, 'resources', 'samples')], { readers: READERS });
  await importOnnxModel(ws, path.join(onnx, 'tiny-cnn.onnx'), path.join(onnx, 'tiny-cnn.card.json'));
  saveSelection(ws.db, { name: 'all-samples', query: { sources: ['cinc'] }, author: 'test' });
  saveSelection(ws.db, { name: 'flagged-by-hand', query: { tags: ['second-look'] }, author: 'test' });
  ws.close();
});

describe('selections in the UI', () => {
  it('tags a record by hand, filters the worklist by a selection over the tag, and evaluates a model on selections', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(app.url);
    const worklist = page.locator('[data-testid="worklist"] li');
    await poll(() => worklist.count()).toBe(5);
    await worklist.filter({ hasText: 'JS00036' }).locator('button').click();
    const tagInput = page.locator('[data-testid="tag-input"]');
    await tagInput.fill('second-look');
    await tagInput.press('Enter');
    await poll(() => page.locator('[data-testid="record-tags"] [data-tag="second-look"]').count()).toBe(1);

    await page.locator('[data-testid="filter-selection"]').focus();
    await poll(() => page.locator('[data-testid="filter-selection"] option').count()).toBe(3);
    await page.locator('[data-testid="filter-selection"]').selectOption('flagged-by-hand');
    await poll(() => worklist.count()).toBe(1);
    expect(await worklist.first().innerText()).toMatch(/JS00036/);

    await page.locator('[data-testid="view-models"]').click();
    const choices = page.locator('[data-testid="selection-choices"]');
    await poll(() => choices.locator('input[type="checkbox"]').count()).toBe(2);
    await choices.locator('[data-selection="all-samples"]').check();
    await choices.locator('[data-selection="flagged-by-hand"]').check();
    await page.locator('[data-testid="evaluate-selections"]').click();
    const table = page.locator('[data-testid="selection-metrics"]');
    await poll(() => table.locator('thead th').allInnerTexts()).toEqual(['Metric', 'all-samples', 'flagged-by-hand']);
    const micro = await table.locator('tr[data-metric="microF1"] td').allInnerTexts();
    expect(micro[1]).toMatch(/^\d\.\d{3} \[\d\.\d{3}, \d\.\d{3}\]$/);
    expect(micro[2]).toMatch(/^\d\.\d{3} \[\d\.\d{3}, \d\.\d{3}\]$/);
    expect(await page.locator('[data-testid="eval-provenance"]').innerText()).toMatch(
      /model version 1:sha256-[0-9a-f]{16} · 1000 bootstrap rounds/,
    );
    const counts = await page.locator('[data-testid="eval-counts"]').allInnerTexts();
    expect(counts).toEqual(['all-samples: 5 of 5 records scored', 'flagged-by-hand: 1 of 1 records scored']);
    await page.screenshot({ path: artifactPath('selections-model-review.png') });
    expect(errors).toEqual([]);
  }, 300_000);
});
