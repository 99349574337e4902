import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { artifactPath, servedWorkspace } from '../helpers/browser.ts';
import { runLeadlens } from '../helpers/run-cli.ts';
import { chapmanFiles } from '../helpers/chapman-workspace.ts';

// Issue 16.2: in the New queue, accepting a record took it out of the list while the cursor kept its index, so the
// next `j` jumped over a record and half a queue went unreviewed. A reviewer walks a queue of 20+ records with accept,
// second opinion and skip; every record must be opened exactly once, in queue order.

const poll = <T>(fn: () => T | Promise<T>, opts: { timeout?: number } = {}) => expect.poll(fn, { timeout: 20_000, ...opts });

const app = servedWorkspace((workspace) => {
  const ingest = runLeadlens(['ingest', '--workspace', workspace, ...chapmanFiles(20, { headersOnly: true })]);
  expect(ingest.status, ingest.stderr).toBe(0);
});

const recordName = (page: Page) => page.locator('[data-testid="record-name"]').textContent();
const rowNames = (page: Page) =>
  page.locator('[data-testid="worklist"] li').evaluateAll((lis) => lis.map((li) => (li.textContent ?? '').match(/JS\d{5}/)?.[0] ?? ''));

describe('the annotator keeps its place in a filtered queue', () => {
  it('accept / second opinion / skip through the New queue visits every record exactly once, in order', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1500, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(app.url);
    await poll(() => page.locator('[data-testid="worklist"] li').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(20);
    await page.locator('[data-queue="new"]').click();
    await poll(() => page.locator('[data-queue="new"]').getAttribute('class')).toMatch(/active/);
    const queue = await rowNames(page);
    expect(queue.length).toBeGreaterThanOrEqual(20);
    expect(new Set(queue).size).toBe(queue.length);

    await page.keyboard.press('Enter');
    const visited: string[] = [];
    const actions = ['a', 'o', 'j', 'a', 'a', 'j', 'o'];
    for (let i = 0; visited.length < queue.length; i++) {
      await poll(() => recordName(page)).not.toBe(visited.at(-1) ?? '');
      const name = (await recordName(page)) ?? '';
      visited.push(name);
      if (visited.length === queue.length) break;
      // Let the record load before acting on it (the key acts on the open record).
      await poll(() => page.locator('[data-testid="ecg-chart"]').getAttribute('data-drawn-leads'), { timeout: 15_000 }).not.toBe('');
      await page.keyboard.press(actions[i % actions.length]);
    }
    expect(visited).toEqual(queue);
    // What stayed in New is exactly what was skipped with j.
    const skipped = queue.filter((_, i) => actions[i % actions.length] === 'j' && i < queue.length - 1);
    await poll(() => rowNames(page)).toEqual(queue.filter((n, i) => skipped.includes(n) || i === queue.length - 1));
    await page.screenshot({ path: artifactPath('queue-cursor-walk.png') });
    expect(errors).toEqual([]);
  }, 240_000);
});
