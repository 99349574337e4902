import { describe, expect, it } from 'vitest';
import { artifactPath, servedWorkspace } from '../helpers/browser.ts';

const app = servedWorkspace();

describe('walking skeleton in Chromium through serve', () => {
  it('opens the seeded worklist, opens a demo record and draws its 12 leads on the grid', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1500, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(app.url);
    const items = page.locator('[data-testid="worklist"] li');
    await expect.poll(() => items.count(), { timeout: 15_000 }).toBe(5);
    await expect.poll(() => page.locator('[data-testid="worklist"]').innerText()).toMatch(/JS00004/);

    // Keyboard: move down twice and open with Enter.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[data-testid="record-name"]').textContent()).toBe('JS00012');

    const chart = page.locator('[data-testid="ecg-chart"]');
    await expect.poll(() => chart.getAttribute('data-drawn-leads'), { timeout: 15_000 }).toBe('I,II,III,aVR,aVL,aVF,V1,V2,V3,V4,V5,V6');
    // Ink: every lead's panel holds dark trace pixels, not only the pink grid.
    const inkPerLead = await chart.evaluate((canvas: HTMLCanvasElement) => {
      const ctx = canvas.getContext('2d')!;
      const panels = JSON.parse(canvas.dataset.panels!) as {
        lead: string;
        rhythm: boolean;
        x: number;
        y: number;
        width: number;
        height: number;
      }[];
      return panels
        .filter((p) => !p.rhythm)
        .map((p) => {
          const img = ctx.getImageData(Math.round(p.x), Math.round(p.y), Math.round(p.width), Math.round(p.height)).data;
          let dark = 0;
          for (let i = 0; i < img.length; i += 4) if (img[i] < 90 && img[i + 1] < 90 && img[i + 2] < 90) dark++;
          return { lead: p.lead, dark };
        });
    });
    expect(inkPerLead).toHaveLength(12);
    for (const { lead, dark } of inkPerLead) expect(dark, lead).toBeGreaterThan(300);
    await page.screenshot({ path: artifactPath('walking-skeleton-record.png') });
    expect(errors).toEqual([]);
  });
});
