import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { artifactPath, servedWorkspace } from '../helpers/browser.ts';
import { runLeadlens } from '../helpers/run-cli.ts';
import { dataPath } from '../helpers/shared-data.ts';

// Issue 14 in Chromium through `leadlens serve`: a label-error run started from the Models page, with its progress
// bar and Cancel; the Suspected label error queue says "no run" until a run finishes, then holds its records.

const poll = <T>(fn: () => T | Promise<T>, opts: { timeout?: number } = {}) => expect.poll(fn, { timeout: 20_000, ...opts });

const app = servedWorkspace((workspace) => {
  const src = dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01', '010');
  const heads = fs
    .readdirSync(src)
    .filter((f) => f.endsWith('.hea'))
    .sort()
    .slice(0, 40)
    .map((f) => path.join(src, f));
  const ingest = runLeadlens(['ingest', '--workspace', workspace, ...heads]);
  expect(ingest.status, ingest.stderr).toBe(0);
});

const rows = (page: Page) =>
  page.locator('[data-testid="worklist"] li').evaluateAll((lis) => lis.filter((li) => /JS\d{5}/.test(li.textContent ?? '')).length);
const queueButton = (page: Page) => page.locator('[data-queue="label-errors"]');
const runState = (page: Page, i: number) => page.locator('[data-testid="label-error-run"]').nth(i).getAttribute('data-state');

describe('label-error runs from the UI', () => {
  it('cancels a run, then runs one to the end and fills the Suspected label error queue', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1500, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(app.url);
    await poll(() => rows(page), { timeout: 15_000 }).toBeGreaterThanOrEqual(40);
    await poll(() => queueButton(page).textContent()).toMatch(/Suspected label error\s*no run/);
    await page.locator('[data-testid="view-models"]').click();
    await page.locator('[data-testid="label-errors-folds"]').fill('3');
    await page.locator('[data-testid="label-errors-epochs"]').fill('1');
    await page.locator('[data-testid="label-errors-start"]').click();
    await poll(() => runState(page, 0)).toBe('running');
    await poll(() => page.locator('[data-testid="label-errors-progress"]').count()).toBe(1);
    await page.locator('[data-testid="label-errors-cancel"]').click();
    await poll(() => runState(page, 0), { timeout: 120_000 }).toBe('cancelled');
    await page.locator('[data-testid="label-errors-start"]').click();
    await poll(() => runState(page, 1)).toBe('running');
    // The bar moves as folds train and the rules run.
    await poll(() => page.locator('[data-testid="label-errors-progress"]').getAttribute('value'), { timeout: 120_000 }).not.toBe('0');
    await page.screenshot({ path: artifactPath('label-errors-running.png') });
    await poll(() => runState(page, 1), { timeout: 400_000 }).toBe('finished');
    const result = (await page.locator('[data-testid="label-errors-result"]').textContent()) ?? '';
    const [, flagged, records] = /(\d+) of (\d+) records suspected/.exec(result) ?? [];
    expect(Number(records)).toBeGreaterThanOrEqual(40);
    await page.locator('[data-testid="view-records"]').click();
    await poll(() => queueButton(page).textContent()).toMatch(new RegExp(`Suspected label error\\s*${flagged}$`));
    await queueButton(page).click();
    await poll(() => rows(page)).toBe(Number(flagged));
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);
});
