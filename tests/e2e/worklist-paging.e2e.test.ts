// A worklist longer than one page: rows arrive a page at a time, by keyboard near the end or by "Show more".
import { describe, expect, it } from 'vitest';
import { storeRecord } from '../../src-main/store/record-store.ts';
import { openWorkspace } from '../../src-main/store/workspace.ts';
import { servedWorkspace } from '../helpers/browser.ts';
import { syntheticRecord } from '../helpers/synthetic-record.ts';

const RECORDS = 1100;
const app = servedWorkspace((dir) => {
  const ws = openWorkspace(dir);
  ws.db.transaction(() => {
    for (let i = 1; i <= RECORDS; i++) {
      const rec = syntheticRecord({ seed: i, length: 500, name: `PAGE${String(i).padStart(4, '0')}` });
      rec.leads[0].digital[0] = i; // distinct content, so no two are deduplicated into one record
      storeRecord(ws.db, rec, { path: `/in/${rec.recordName}.hea`, format: rec.format });
    }
  })();
  ws.close();
});

describe('worklist paging', () => {
  it('shows the first page, loads the next by keyboard near its end and the rest with Show more', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(app.url);
    const count = page.locator('[data-testid="worklist-count"]');
    const rows = page.locator('[data-testid="worklist"] li[data-record-id]');
    await expect.poll(() => count.textContent(), { timeout: 15_000 }).toMatch(/^500 of (\d+)$/);
    const total = Number(/of (\d+)/.exec((await count.textContent())!)![1]);
    expect(total).toBeGreaterThanOrEqual(RECORDS);

    for (let i = 0; i < 485; i++) await page.keyboard.press('j');
    await expect.poll(() => count.textContent()).toBe(`1000 of ${total}`);
    expect(await page.locator('[data-testid="worklist"] li.cursor').getAttribute('data-index')).toBe('485');

    await page.locator('[data-testid="worklist-more"]').click();
    await expect.poll(() => count.textContent()).toBe(`${total} of ${total}`);
    expect(await page.locator('[data-testid="worklist-more"]').count()).toBe(0);
    const ids = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-record-id')));
    expect(new Set(ids).size).toBe(total);
  });
});
