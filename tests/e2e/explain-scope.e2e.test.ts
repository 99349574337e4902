// Saliency beyond the open record, in Chromium: maps for the current queue (progress "N of M maps", cancelled) and
// for a saved selection (run to the end in the analysis pool: finding sentence, histogram, report files), then two
// layouts of the open record side by side at chart width, each with its own map and the per-lead agreement stated.
// Real Chapman-Ningbo records; the image CNN (3x4+II and 6x2) is trained for one epoch in setup.
import { describe, expect, it } from 'vitest';
import { saveSelection } from '../../src-main/store/selection-store.ts';
import { artifactPath, servedCopy } from '../helpers/browser.ts';
import { chapmanWorkspace, trainTinyImageCnn } from '../helpers/chapman-workspace.ts';

const poll = <T>(fn: () => T | Promise<T>, timeout = 120_000) => expect.poll(fn, { timeout, interval: 200 });

const app = servedCopy(async () => {
  const { ws, dir } = await chapmanWorkspace(12);
  await trainTinyImageCnn(ws);
  saveSelection(ws.db, { name: 'pair', query: { records: ['JS00002', 'JS00004'] }, author: 'test' });
  ws.close();
  return dir;
});

describe('saliency for a queue or a selection, and two layouts side by side', () => {
  it('cancels a queue run, finishes a selection run with its finding, and draws two layouts at chart size', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1500, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(app.url);
    await poll(() => page.locator('[data-testid="worklist"] li', { hasText: 'JS00001' }).count()).toBe(1);
    await page.locator('[data-testid="worklist"] li', { hasText: 'JS00001' }).locator('button').click();
    await poll(() => page.locator('[data-testid="explain-model"] option').count()).toBe(1);
    const state = page.locator('[data-testid="explain-state"]');

    // The current queue (every worklist record, 2 layouts each): progress counts maps of the whole queue; Cancel stops it.
    const queued = await page.locator('[data-testid="worklist"] li').count();
    expect(queued).toBeGreaterThanOrEqual(12); // the 12 Chapman records and the demo records serve adds
    await page.locator('[data-testid="explain-scope"]').selectOption('queue');
    await page.locator('[data-testid="explain-start"]').click();
    await poll(() => page.locator('[data-testid="explain-count"]').innerText()).toMatch(
      new RegExp(`^[1-9]\\d* of ${2 * queued} maps · ${queued} records$`),
    );
    await page.locator('[data-testid="explain-cancel"]').click();
    await poll(() => state.innerText()).toMatch(new RegExp(`^Cancelled after \\d+ of ${2 * queued} maps`));
    expect(Number(/after (\d+)/.exec(await state.innerText())![1])).toBeLessThan(2 * queued);

    // The saved selection 'pair' (2 records): run to the end.
    await poll(() => page.locator('[data-testid="explain-scope"] option').allInnerTexts()).toContain('selection pair');
    await page.locator('[data-testid="explain-scope"]').selectOption('selection:pair');
    await page.locator('[data-testid="explain-start"]').click();
    await poll(() => page.locator('[data-testid="explain-count"]').innerText()).toMatch(/^\d of 4 maps · 2 records$/);
    await poll(() => state.innerText(), 300_000).toMatch(/^4 maps computed/);
    expect(await state.innerText()).toMatch(
      /Guided Grad-CAM, 3x4\+II vs 6x2: median per-lead Spearman -?\d\.\d\d \[-?\d\.\d\d, -?\d\.\d\d\] over 2 records/,
    );
    // The histogram of the two records' agreement, and the report's files.
    expect(await page.locator('[data-testid="explain-histogram"] rect').count()).toBe(20);
    const reportFiles = page.locator('[data-testid="explain-report"] button');
    expect(await reportFiles.allInnerTexts()).toEqual(
      expect.arrayContaining(['report.json', 'findings.txt', 'agreement.svg', 'lead-shares.csv']),
    );
    // The served page opens them through the API (no file:// links): the finding as text, the histogram as an image.
    expect(await page.locator('[data-testid="explain-report"] a[href^="file:"]').count()).toBe(0);
    await reportFiles.filter({ hasText: /^findings\.txt$/ }).click();
    const view = page.locator('[data-testid="explain-report-view"]');
    await poll(() => view.locator('pre').innerText()).toMatch(/Guided Grad-CAM, 3x4\+II vs 6x2: median per-lead Spearman/);
    expect(await page.locator('[data-testid="explain-report-save"]').getAttribute('download')).toBe('findings.txt');
    await reportFiles.filter({ hasText: /^agreement\.svg$/ }).click();
    await poll(() => view.locator('img').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    await page.screenshot({ path: artifactPath('explain-selection-done.png') });

    // The open record's maps in both layouts (the cancelled queue run may have made JS00001's already; make sure).
    await page.locator('[data-testid="explain-scope"]').selectOption('record');
    await page.locator('[data-testid="explain-start"]').click();
    await poll(() => state.innerText(), 300_000).toMatch(/^2 maps computed/);
    const options = page.locator('[data-testid="saliency-map"] option');
    const texts = await options.allInnerTexts();
    await page.locator('[data-testid="saliency-map"]').selectOption({ index: texts.findIndex((t) => t.includes('· 3x4+II ·')) });
    // The rhythm strip's share stands beside II's.
    await poll(() => page.locator('[data-testid="lead-importance"]').innerText()).toMatch(/II \(rhythm strip\)/);
    const compareTexts = await page.locator('[data-testid="saliency-compare"] option').allInnerTexts();
    await page.locator('[data-testid="saliency-compare"]').selectOption({ index: compareTexts.findIndex((t) => t.includes('· 6x2 ·')) });
    await page.locator('[data-testid="layout-pair-open"]').click();

    const charts = page.locator('[data-testid="layout-pair-chart"]');
    await poll(() => charts.count()).toBe(2);
    expect([await charts.nth(0).getAttribute('data-layout'), await charts.nth(1).getAttribute('data-layout')]).toEqual(['3x4+II', '6x2']);
    for (let k = 0; k < 2; k++) {
      // Full chart width (the window is 1500 px wide), each with its own heat.
      expect((await charts.nth(k).boundingBox())!.width).toBeGreaterThan(1400);
      await poll(() => charts.nth(k).locator('rect.saliency').count()).toBeGreaterThan(0);
    }
    expect(await page.locator('[data-testid="layout-pair-caption"]').allInnerTexts()).toEqual([
      expect.stringMatching(/· 3x4\+II ·/),
      expect.stringMatching(/· 6x2 ·/),
    ]);
    expect(await page.locator('[data-testid="layout-pair-agreement"]').innerText()).toMatch(/^per-lead Spearman -?\d\.\d\d over 12 leads/);
    // One row per record lead, the rhythm strip counted with II as in the Spearman.
    const leadRows = page.locator('[data-testid="layout-pair-leads"] tbody tr');
    expect(await leadRows.count()).toBe(12);
    expect(await leadRows.nth(1).innerText()).toMatch(/^II\s+\d+ %\s+\d+ %/);
    await page.screenshot({ path: artifactPath('explain-layout-pair.png'), fullPage: true });
    await page.locator('[data-testid="layout-pair-close"]').click();
    expect(await charts.count()).toBe(0);
    expect(errors).toEqual([]);
  }, 900_000);
});
