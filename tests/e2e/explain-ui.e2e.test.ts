// Saliency from the record view in Chromium: compute maps for the open record with a stored image CNN, see the
// progress bar, cancel a run (it stops between maps), finish another, and get a warning when a map computed on
// one layout is shown on another. Real Chapman-Ningbo records; the image CNN is trained for one epoch in setup.
import { describe, expect, it } from 'vitest';
import { artifactPath, servedCopy } from '../helpers/browser.ts';
import { chapmanWorkspace, trainTinyImageCnn } from '../helpers/chapman-workspace.ts';

const poll = <T>(fn: () => T | Promise<T>, timeout = 120_000) => expect.poll(fn, { timeout, interval: 200 });

// The workspace with its trained model, copied into the served workspace's folder.
const app = servedCopy(async () => {
  const { ws, dir } = await chapmanWorkspace(12);
  await trainTinyImageCnn(ws);
  ws.close();
  return dir;
});

describe('saliency from the record view', () => {
  it('computes maps with a progress bar, cancels a run, and warns when a map is shown on another layout', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1500, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(app.url);
    await poll(() => page.locator('[data-testid="worklist"] li', { hasText: 'JS00001' }).count()).toBe(1);
    await page.locator('[data-testid="worklist"] li', { hasText: 'JS00001' }).locator('button').click();
    const panel = page.locator('[data-testid="saliency-panel"]');
    await poll(() => panel.innerText()).toMatch(/No saliency maps for this record yet/);
    await poll(() => page.locator('[data-testid="explain-model"] option').count()).toBe(1);

    // A run shows its progress bar; Cancel stops it between maps.
    await page.locator('[data-testid="explain-start"]').click();
    await page.locator('[data-testid="explain-progress"]').waitFor({ state: 'visible' });
    await page.locator('[data-testid="explain-cancel"]').click();
    await poll(() => page.locator('[data-testid="explain-state"]').innerText()).toMatch(/^Cancelled after [01] of \d+ maps/);
    expect(await page.locator('[data-testid="explain-progress"]').count()).toBe(0);

    // A full run: guided Grad-CAM in the two trained layouts, the finding stated.
    await page.locator('[data-testid="explain-start"]').click();
    await poll(async () => (await page.locator('[data-testid="explain-progress"]').getAttribute('max')) ?? '').toBe('2');
    await page.screenshot({ path: artifactPath('explain-progress.png') });
    await poll(() => page.locator('[data-testid="explain-state"]').innerText(), 300_000).toMatch(/^2 maps computed/);
    expect(await page.locator('[data-testid="explain-state"]').innerText()).toMatch(
      /Guided Grad-CAM, 3x4\+II vs 6x2: median per-lead Spearman -?\d\.\d\d \[-?\d\.\d\d, -?\d\.\d\d\] over 1 records/,
    );
    const options = page.locator('[data-testid="saliency-map"] option');
    await poll(() => options.count()).toBeGreaterThanOrEqual(3);
    const texts = await options.allInnerTexts();
    // Class names with their codes, never a bare index.
    expect(texts.slice(1).every((t) => /· (SB 426177001 \(sinus bradycardia\)|AF 164889003 \(atrial fibrillation\))$/.test(t))).toBe(true);

    // The chart shows 3x4+II: the 6x2 map gets a warning, the 3x4+II map does not.
    const sixByTwo = texts.findIndex((t) => t.includes('· 6x2 ·'));
    await page.locator('[data-testid="saliency-map"]').selectOption({ index: sixByTwo });
    await poll(() => page.locator('[data-testid="saliency-layout"]').innerText()).toMatch(/computed on the 6x2 chart/);
    await poll(() => page.locator('[data-testid="saliency-layout-warning"]').innerText()).toMatch(
      /computed on 6x2 and is drawn here on 3x4\+II/,
    );
    await page.screenshot({ path: artifactPath('explain-layout-warning.png') });
    const threeByFour = texts.findIndex((t) => t.includes('· 3x4+II ·'));
    await page.locator('[data-testid="saliency-map"]').selectOption({ index: threeByFour });
    await poll(() => page.locator('[data-testid="saliency-layout"]').innerText()).toMatch(/computed on the 3x4\+II chart/);
    expect(await page.locator('[data-testid="saliency-layout-warning"]').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 600_000);
});
