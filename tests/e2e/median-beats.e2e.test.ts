import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { READERS } from '../../src-main/formats/readers.ts';
import { ingestPaths } from '../../src-main/ingest/ingest-files.ts';
import { openWorkspace } from '../../src-main/store/workspace.ts';
import { artifactPath, servedWorkspace } from '../helpers/browser.ts';
import { NEAR_QTC_LIMIT_AECG } from '../helpers/same-patient-muse.ts';

// The median-beat view (issue 13): the FDA aECG example of subject 2 measures a QTc just over the 460 ms limit of the
// prolonged-QTc rule; a cardiologist drags the T end earlier, and QTc, the measurements panel and the rule decision
// follow. The correction is stored with author and time, listed in the history, and undone.
const LQT = '111975006';
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 30_000 });

const app = servedWorkspace(async (dir) => {
  const ws = openWorkspace(dir);
  const r = await ingestPaths(ws, [NEAR_QTC_LIMIT_AECG], { readers: READERS });
  if (r.newRecords !== 1) throw new Error(`expected the aECG record, got ${JSON.stringify(r)}`);
  ws.close();
});

const qtc = async (page: Page) =>
  Number((await page.locator('[data-testid="median-measurements"] [data-key="qtcBazettMs"] [data-value]').innerText()).replace(/ ms$/, ''));
const tEnd = async (page: Page) => Number(await page.locator('[data-boundary="tOffset"]').getAttribute('data-offset'));

describe('median beats with a draggable T end', () => {
  it('a dragged T end changes QTc and the prolonged-QTc decision, is stored in the history, and is undone', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(app.url);
    await page.locator('[data-testid="reviewer"]').fill('dr-qt');
    await poll(() => page.locator('[data-testid="worklist"] li', { hasText: 'subject2' }).count()).toBe(1);
    await page.locator('[data-testid="worklist"] li', { hasText: 'subject2' }).locator('button').click();
    const lqt = page.locator(`[data-testid="class-row"][data-code="${LQT}"]`);
    await poll(() => lqt.getAttribute('data-rule')).toBe('true');

    await page.locator('[data-testid="median-toggle"]').click();
    const paper = page.locator('[data-testid="median-paper"]');
    await poll(() => paper.locator('g[data-lead]').count()).toBe(12);
    expect(await paper.locator('g[data-lead]').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-lead')))).toEqual([
      'I',
      'II',
      'III',
      'aVR',
      'aVL',
      'aVF',
      'V1',
      'V2',
      'V3',
      'V4',
      'V5',
      'V6',
    ]);
    const before = await qtc(page);
    expect(before).toBeGreaterThan(460);
    const autoEnd = await tEnd(page);
    await page.screenshot({ path: artifactPath('median-beats-before.png') });

    // Drag lead II's T-end line 10 px to the left (at 50 mm/s about 26 samples, 50 ms).
    const grip = paper.locator('g[data-lead="II"] [data-grip="tOffset"]');
    const box = (await grip.boundingBox())!;
    const x = box.x + box.width / 2,
      y = box.y + box.height / 2;
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x - 5, y, { steps: 3 });
    await page.mouse.move(x - 10, y, { steps: 3 });
    await page.mouse.up();
    await poll(() => page.locator('[data-testid="history"] li[data-action="boundary.correct"]').count()).toBe(1);
    await poll(() => qtc(page)).toBeLessThan(460);
    const dragged = await tEnd(page);
    expect(dragged).toBeLessThan(autoEnd - 10);
    expect(await page.locator('[data-testid="median-measurements"] [data-key="qtcBazettMs"] [data-automatic]').innerText()).toBe(
      `(auto ${before} ms)`,
    );
    // The rule panel and the measurements under the chart follow the corrected T end.
    await poll(() => lqt.getAttribute('data-rule')).toBe('false');
    await poll(() => page.locator('[data-testid="measurements"]').innerText()).toMatch(
      new RegExp(`QTc( \\(Bazett\\))? ${await qtc(page)} ms`),
    );
    const entry = page.locator('[data-testid="history"] li[data-action="boundary.correct"]').first();
    expect(await entry.innerText()).toMatch(/dr-qt T end automatic → \+\d+ ms/);
    await page.screenshot({ path: artifactPath('median-beats-dragged.png') });

    // Keyboard: the selected T end moves one sample per arrow key, stored once it rests.
    await page.locator('[data-boundary="tOffset"]').click();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await poll(() => tEnd(page)).toBe(dragged + 2);
    await poll(() => page.locator('[data-testid="history"] li[data-action="boundary.correct"]').count()).toBe(2);
    expect(await page.locator('[data-testid="zoom"]').innerText()).toMatch(/0\.0–/); // the arrows did not pan the chart

    // Undo both moves: the automatic T end is back, so are QTc and the decision; the history keeps every step.
    await page.keyboard.press('Control+z');
    await poll(() => tEnd(page)).toBe(dragged);
    await page.keyboard.press('Control+z');
    await poll(() => tEnd(page)).toBe(autoEnd);
    await poll(() => qtc(page)).toBe(before);
    await poll(() => lqt.getAttribute('data-rule')).toBe('true');
    await poll(() => page.locator('[data-testid="history"] li[data-action="boundary.revert"]').count()).toBe(1);
    expect(await page.locator('[data-testid="history"] li[data-action^="boundary."]').count()).toBe(4);
    expect(errors).toEqual([]);
  });
});
