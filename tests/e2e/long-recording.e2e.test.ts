import { describe, expect, it } from 'vitest';
import { READERS } from '../../src-main/formats/readers.ts';
import { ingestPaths } from '../../src-main/ingest/ingest-files.ts';
import { openWorkspace } from '../../src-main/store/workspace.ts';
import { artifactPath, servedWorkspace } from '../helpers/browser.ts';
import { dataPath } from '../helpers/shared-data.ts';

// MIT-BIH record 100 (30 min, 2 leads MLII and V5) opened in Chromium: the selectors name its own leads and the
// stored reference beat annotations are drawn with their symbols.
const app = servedWorkspace(async (dir) => {
  const ws = openWorkspace(dir);
  const r = await ingestPaths(ws, [dataPath('mitdb', '100.hea')], { readers: READERS });
  if (r.newRecords !== 1) throw new Error(`expected MIT-BIH 100 stored, got ${JSON.stringify(r)}`);
  ws.close();
});

describe('a long 2-lead recording in the viewer', () => {
  it('offers layouts of its 2 leads and a lead count of 2, and draws its reference beats with their symbols; go-to-time moves the view', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(app.url);
    const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 20_000 });
    const row = page.locator('[data-testid="worklist"] li', { hasText: /\b100\b/ });
    await poll(() => row.count()).toBeGreaterThan(0);
    await row.first().locator('button').click();
    const layout = page.locator('[data-testid="layout"]');
    await poll(() => layout.count()).toBe(1);
    expect(await layout.locator('option').allInnerTexts()).toEqual(['2x1', '1x2']);
    // A rhythm strip of one of its own leads makes the first layout 2 rows plus that strip.
    await page.locator('[data-testid="rhythm-lead"]').selectOption('MLII');
    await poll(() => layout.locator('option').allInnerTexts()).toEqual(['2x1 + MLII', '1x2', '2x1']);
    const leads = page.locator('[data-testid="lead-set"]');
    expect(await leads.locator('option').allInnerTexts()).toEqual(['2']);
    expect(await leads.isDisabled()).toBe(true);
    expect(await leads.getAttribute('title')).toContain('MLII, V5');
    // The stored reference beats (2,274 for record 100) are drawn with their symbols on each of the 3 panels: in the
    // first 10 s the rhythm mark "(N", normal beats and one atrial premature beat A, drawn as ectopic.
    const symbols = page.locator('[data-testid="beat-symbol"]');
    await poll(() => symbols.count()).toBeGreaterThan(20);
    expect(new Set(await symbols.allTextContents())).toEqual(new Set(['(N', 'N', 'A']));
    expect(await page.locator('[data-testid="beat-symbol"].ectopic').allTextContents()).toEqual(['A', 'A', 'A']);
    // Go to 00:15:00: the view moves there and the beats of that span are drawn.
    const zoom = page.locator('[data-testid="zoom"]');
    await page.locator('[data-testid="go-to-time"]').fill('00:15:00');
    await page.locator('[data-testid="go-to-time"]').press('Enter');
    await poll(() => zoom.innerText()).toMatch(/900\.0–910\.0 s/);
    await poll(() => symbols.count()).toBeGreaterThan(20);
    await page.locator('[data-testid="go-to-time"]').fill('99:00:00');
    await page.locator('[data-testid="go-to-time"]').press('Enter');
    await poll(() => page.locator('[data-testid="go-to-error"]').innerText()).toMatch(/past the end/);
    expect(await zoom.innerText()).toMatch(/900\.0–910\.0 s/);
    // The time axis under the chart follows the view: from 15:00 at a round step through 15:09 (record 100 has no base
    // time, so no clock row).
    const ticks = page.locator('[data-testid="time-tick"]');
    await poll(() => ticks.allTextContents()).toContain('15:00');
    const labels = await ticks.allTextContents();
    expect(labels[0]).toBe('15:00');
    expect(labels.length).toBeGreaterThanOrEqual(3);
    expect(labels.every((l) => /^15:0\d$/.test(l))).toBe(true);
    expect(await page.locator('[data-testid="clock-tick"]').count()).toBe(0);
    await page.screenshot({ path: artifactPath('long-recording-selectors.png') });
    expect(errors).toEqual([]);
  });

  it('draws an overview of the whole record whose click moves the view, and a beat list whose V beat centres the view on it', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(app.url);
    const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 20_000 });
    const row = page.locator('[data-testid="worklist"] li', { hasText: /\b100\b/ });
    await poll(() => row.count()).toBeGreaterThan(0);
    await row.first().locator('button').click();
    const zoom = page.locator('[data-testid="zoom"]');
    const viewStart = async () => Number(/· ([\d.]+)–/.exec(await zoom.innerText())?.[1]);
    await poll(() => zoom.innerText()).toMatch(/0\.0–10\.0 s/);
    // The overview's heart-rate trend comes from the 2,273 reference beats; its view box sits at the start.
    const overview = page.locator('[data-testid="overview"]');
    await poll(() => page.locator('[data-testid="overview-trend"]').count()).toBe(1);
    // Under it, the MLII min/max envelope: one vertical stroke per column with signal (600 over the 30 minutes).
    const envelope = page.locator('[data-testid="overview-envelope"]');
    await poll(() => envelope.count()).toBe(1);
    expect(((await envelope.getAttribute('d')) ?? '').match(/M/g)?.length).toBe(600);
    const box = (await overview.boundingBox())!;
    expect(Number(await page.locator('[data-testid="overview-view"]').getAttribute('x'))).toBeLessThan(1);
    // A click at three quarters of the strip centres the 10 s view on ~22:34 (1354.5 s of 1806 s).
    await overview.click({ position: { x: box.width * 0.75, y: 10 } });
    await poll(viewStart).toBeGreaterThan(1340);
    expect(await viewStart()).toBeLessThan(1360);
    expect(Number(await page.locator('[data-testid="overview-view"]').getAttribute('x'))).toBeGreaterThan(box.width * 0.7);
    // The beat list filtered to V lists record 100's single premature ventricular beat; clicking it centres the view on it.
    const list = page.locator('[data-testid="beat-list"]');
    await poll(() => list.locator('[data-testid="beat-filter"] option').allInnerTexts()).toContain('V (1)');
    await list.locator('[data-testid="beat-filter"]').selectOption('V');
    const rows = list.locator('[data-testid="beat-row"]');
    await poll(() => rows.count()).toBe(1);
    const [mm, ss] = (await rows.first().locator('.t').innerText()).split(':').map(Number);
    const beatSec = mm * 60 + ss;
    await rows.first().click();
    await poll(async () => Math.abs((await viewStart()) + 5 - beatSec)).toBeLessThan(0.2);
    await poll(() => page.locator('[data-testid="beat-symbol"].ectopic', { hasText: 'V' }).count()).toBeGreaterThan(0);
    // '[' goes back to the previous ectopic beat (an A before the V), ']' forward to the V again; the record stays open.
    await page.locator('body').press('[');
    await poll(viewStart).toBeLessThan(beatSec - 5.2);
    await page.locator('body').press(']');
    await poll(async () => Math.abs((await viewStart()) + 5 - beatSec)).toBeLessThan(0.2);
    expect(await page.locator('[data-testid="record-name"]').innerText()).toBe('100');
    // Enter on the focused row goes to its beat as a click does.
    await page.locator('body').press('[');
    await poll(viewStart).toBeLessThan(beatSec - 5.2);
    await rows.first().focus();
    await rows.first().press('Enter');
    await poll(async () => Math.abs((await viewStart()) + 5 - beatSec)).toBeLessThan(0.2);
    await page.screenshot({ path: artifactPath('long-recording-overview.png') });
    expect(errors).toEqual([]);
  });
});
