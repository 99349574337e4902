import { describe, expect, it } from 'vitest';
import { READERS } from '../../src-main/formats/readers.ts';
import { ingestPaths } from '../../src-main/ingest/ingest-files.ts';
import { openWorkspace } from '../../src-main/store/workspace.ts';
import { servedWorkspace } from '../helpers/browser.ts';
import { dataPath } from '../helpers/shared-data.ts';

// Opening a record draws its trace first: until the canvas shows the leads, the page asks only for what the trace
// and the toolbar need; the analysis, the rules and the side panels' calls follow the paint. The analysis and the
// rules are held back below until the trace has been seen, so the trace cannot have waited for them.
const app = servedWorkspace(async (dir) => {
  const ws = openWorkspace(dir);
  const r = await ingestPaths(ws, [dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01', '010', 'JS00004.hea')], { readers: READERS });
  if (r.newRecords !== 1) throw new Error(`expected 1 record, got ${JSON.stringify(r)}`);
  ws.close();
});

/** What the first paint may wait for: the record, its notes, intervals and history (the session), and its samples. */
const BEFORE_PAINT = new Set(['records.get', 'notes.list', 'intervals.list', 'audit.list', 'records.signal']);

// Each API call as the page makes it, with whether the chart had drawn its leads by then (a string: the page cannot
// run the test's transpiled functions).
const LOG_CALLS = `
  window.apiCalls = [];
  const pageFetch = window.fetch.bind(window);
  window.fetch = (input, init) => {
    const m = /\\/api\\/([\\w.]+)/.exec(String(input instanceof Request ? input.url : input));
    const chart = document.querySelector('[data-testid="ecg-chart"]');
    if (m) window.apiCalls.push({ method: m[1], drawn: !!(chart && chart.dataset.drawnLeads) });
    return pageFetch(input, init);
  };
`;

describe('first paint of a record', () => {
  it('draws the trace before the analysis, the rules and the side panels are asked for', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(LOG_CALLS);
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const heldCalls: string[] = [];
    for (const method of ['records.analysis', 'rules.forRecord']) {
      await page.route(`**/api/${method}`, async (route) => {
        heldCalls.push(method);
        await held;
        await route.continue();
      });
    }
    await page.goto(app.url);
    const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 20_000 });
    const row = page.locator('[data-testid="worklist"] li', { hasText: 'JS00004' });
    await poll(() => row.count()).toBe(1);

    await page.evaluate(() => ((window as unknown as { apiCalls: unknown[] }).apiCalls.length = 0));
    await row.locator('button').click();
    const chart = page.locator('[data-testid="ecg-chart"]');
    await poll(() => chart.getAttribute('data-drawn-leads')).toBe('I,II,III,aVR,aVL,aVF,V1,V2,V3,V4,V5,V6');
    // Asked for after the paint, and still unanswered: no measurements yet, the trace is there regardless.
    await poll(() => [...heldCalls].sort()).toEqual(['records.analysis', 'rules.forRecord']);
    expect(await page.locator('[data-testid="measurements"]').count()).toBe(0);
    // The side panels mount after the paint.
    await poll(() => page.locator('[data-testid="prior-ecgs"]').count()).toBe(1);

    const calls = await page.evaluate(() => (window as unknown as { apiCalls: { method: string; drawn: boolean }[] }).apiCalls);
    const beforePaint = calls.filter((c) => !c.drawn).map((c) => c.method);
    expect(beforePaint).toContain('records.signal');
    expect(beforePaint.filter((m) => !BEFORE_PAINT.has(m))).toEqual([]);
    const afterPaint = new Set(calls.filter((c) => c.drawn).map((c) => c.method));
    for (const m of ['records.analysis', 'rules.forRecord', 'predictions.forRecord', 'records.ofPatient', 'tags.forRecord'])
      expect(afterPaint.has(m), m).toBe(true);

    // Once the held calls are answered, the view fills in as before.
    release();
    await poll(() => page.locator('[data-testid="measurements"]').count()).toBe(1);
    await poll(() => page.locator('[data-testid="class-row"]').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="measurements"]').innerText()).toMatch(/HR \d+ bpm/);
    expect(errors).toEqual([]);
  });
});
