// The Lead sets panel in Chromium: small CNNs trained on 12, 6 and 2 leads (one epoch each, in setup) score and explain
// the open record side by side; the panel shows each class's probability per lead set with its change against 12
// leads, the saliency share per lead for each lead set, and names the lead sets (4, 3) with no stored model.
import { describe, expect, it } from 'vitest';
import { trainInWorkspace } from '../../src-main/workspace/train-model.ts';
import { artifactPath, servedCopy } from '../helpers/browser.ts';
import { chapmanWorkspace } from '../helpers/chapman-workspace.ts';

const poll = <T>(fn: () => T | Promise<T>, timeout = 120_000) => expect.poll(fn, { timeout, interval: 200 });

const app = servedCopy(async () => {
  const { ws, dir } = await chapmanWorkspace(16);
  for (const leads of [12, 6, 2])
    await trainInWorkspace(ws, { arch: 'small-cnn', leads, classes: ['426177001', '164889003'], epochs: 1, seed: 3 });
  ws.close();
  return dir;
});

describe('Lead sets panel', () => {
  it('shows per-class probabilities and saliency shares per lead set and names the missing lead sets', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1500, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(app.url);
    await poll(() => page.locator('[data-testid="worklist"] li', { hasText: 'JS00001' }).count()).toBe(1);
    await page.locator('[data-testid="worklist"] li', { hasText: 'JS00001' }).locator('button').click();
    const panel = page.locator('[data-testid="lead-set-panel"]');
    await poll(() => panel.locator('[data-testid="lead-set-arch"] option').allInnerTexts()).toEqual(['small-cnn']);
    await panel.locator('[data-testid="lead-set-compare"]').click();

    // Probabilities: one column per stored lead set, one row per class (abbreviation and SNOMED code).
    const table = panel.locator('[data-testid="lead-set-table"]');
    await poll(() => table.locator('thead th').allInnerTexts(), 300_000).toEqual(['class', '12 leads', '6 leads', '2 leads']);
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBe(2);
    expect((await rows.allInnerTexts()).map((t) => t.split('\t')[0].trim()).sort()).toEqual(['AF 164889003', 'SB 426177001']);
    for (const row of await rows.all()) {
      const cells = await row.locator('td').allInnerTexts();
      expect(cells[1]).toMatch(/^\d+%$/);
      // The reduced lead sets state their change against 12 leads.
      for (const c of cells.slice(2)) expect(c).toMatch(/^\d+%[+-]?\d+$/);
    }

    // Saliency share per lead for each lead set: 12 leads over its 12 leads, 2 leads over I and II only.
    const shares = panel.locator('[data-testid="lead-set-shares"] tr');
    expect(await shares.count()).toBe(3);
    const byLeadSet = (await shares.allInnerTexts()).map((t) => t.split('\t').map((c) => c.trim()));
    expect(byLeadSet.map((r) => r[0])).toEqual(['12 leads', '6 leads', '2 leads']);
    expect(byLeadSet[0][1].split(' · ')).toHaveLength(12);
    expect(byLeadSet[1][1].split(' · ')).toHaveLength(6);
    expect(byLeadSet[2][1]).toMatch(/^I \d+% · II \d+%$/);
    const twoLead = byLeadSet[2][1].match(/\d+/g)!.map(Number);
    expect(Math.abs(twoLead[0] + twoLead[1] - 100)).toBeLessThanOrEqual(1);

    // The lead sets asked for without a stored model are named.
    expect(await panel.locator('[data-testid="lead-set-missing"]').innerText()).toBe('No stored small-cnn model for 4, 3 leads.');
    expect(await panel.locator('.finding').count()).toBeGreaterThan(0);
    await page.screenshot({ path: artifactPath('lead-set-panel.png') });
    expect(errors).toEqual([]);
  }, 600_000);
});
