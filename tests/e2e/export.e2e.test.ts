import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { servedWorkspace } from '../helpers/browser.ts';

const app = servedWorkspace();

describe('export from the UI', () => {
  it('writes the filtered records as a WFDB dataset into the folder the user names, and shows a refusal in one line', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(app.url);
    await expect.poll(() => page.locator('[data-testid="worklist"] li').count(), { timeout: 15_000 }).toBe(5);
    await page.locator('[data-testid="filter-label"]').fill('426177001');
    await page.locator('[data-testid="filter-label"]').press('Enter');
    await expect.poll(() => page.locator('[data-testid="worklist"] li').count()).toBe(2);
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-e2e-export-')), 'dataset');
    await page.locator('[data-testid="export-panel"] summary').click();
    await page.locator('[data-testid="export-folder"]').fill(out);
    await page.locator('[data-testid="export-run"]').click();
    await expect
      .poll(() => page.locator('[data-testid="export-result"]').textContent(), { timeout: 15_000 })
      .toBe(`2 records written to ${out}`);
    expect(fs.readFileSync(path.join(out, 'RECORDS'), 'utf8')).toBe('JS00004\nJS00049\n');
    expect(fs.existsSync(path.join(out, 'JS00049.dat'))).toBe(true);
    // The same folder again: it is no longer empty.
    await page.locator('[data-testid="export-run"]').click();
    await expect
      .poll(() => page.locator('[data-testid="export-panel"] [role="alert"]').textContent())
      .toMatch(/is not empty; name a new or empty folder/);
    expect(errors).toEqual([]);
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  });
});
