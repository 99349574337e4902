import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { READERS } from '../../src-main/formats/readers.ts';
import { ingestPaths } from '../../src-main/ingest/ingest-files.ts';
import { saveModel } from '../../src-main/store/model-store.ts';
import { savePredictions } from '../../src-main/store/prediction-store.ts';
import { openWorkspace } from '../../src-main/store/workspace.ts';
import { artifactPath, servedWorkspace } from '../helpers/browser.ts';
import { REPO_ROOT } from '../helpers/shared-data.ts';

// Issue 13 "the chart fits the window" and issue 16.5 (a cardiologist's details) in Chromium at a laptop's 1400 x 900,
// on the demo records with two models' predictions stored.
const SB = '426177001';
const BRADY = '426627000';
const models: Record<string, number> = {};
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 20_000 });

const app = servedWorkspace(async (dir) => {
  const ws = openWorkspace(dir);
  await ingestPaths(ws, [path.join(REPO_ROOT, 'resources', 'samples')], { readers: READERS });
  const js4 = (ws.db.prepare("SELECT id FROM record WHERE record_name = 'JS00004'").get() as { id: number }).id;
  for (const [name, p] of [
    ['chart-cnn', 0.91],
    ['signal-resnet', 0.34],
  ] as const) {
    models[name] = saveModel(ws.db, {
      name,
      kind: 'tfjs',
      architecture: 'image-cnn',
      hyperparameters: {},
      classes: [SB],
      leadSet: ['I', 'II'],
      inputSpec: {},
      metrics: {},
      runtime: 'test',
      weights: new Uint8Array(4),
      records: [],
      labelIds: [],
    });
    savePredictions(ws.db, models[name], [{ recordId: js4, classCode: SB, probability: p, predicted: p >= 0.5 }]);
  }
  ws.close();
});

async function openRecord(name: string): Promise<{ page: Page; errors: string[] }> {
  const page = await app.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(app.url);
  await poll(() => page.locator('[data-testid="worklist"] li', { hasText: name }).count()).toBe(1);
  await page.locator('[data-testid="worklist"] li', { hasText: name }).locator('button').click();
  await poll(() => page.locator('[data-testid="record-name"]').textContent()).toBe(name);
  await poll(() => page.locator('[data-testid="ecg-chart"]').getAttribute('data-drawn-leads')).not.toBe('');
  return { page, errors };
}

interface Panel {
  lead: string;
  rhythm: boolean;
  x: number;
  y: number;
  width: number;
  height: number;
}
const panels = async (page: Page): Promise<Panel[]> =>
  JSON.parse((await page.locator('[data-testid="ecg-chart"]').getAttribute('data-panels')) ?? '[]');

describe('a cardiologist at 1400 x 900', () => {
  it('sees all four columns of the 3x4 + rhythm chart, V4-V6 included, with the scale stated', async () => {
    const { page, errors } = await openRecord('JS00008');
    await poll(() => page.locator('[data-testid="chart-scale"]').getAttribute('data-scale')).not.toBe('1');
    const scale = Number(await page.locator('[data-testid="chart-scale"]').getAttribute('data-scale'));
    expect(scale).toBeGreaterThan(0.5);
    expect(scale).toBeLessThan(1);
    expect(await page.locator('[data-testid="chart-scale"]').innerText()).toBe(
      `scaled ×${scale.toFixed(2)} to fit: 25 mm/s, 10 mm/mV paper shown at ${Number((25 * scale).toFixed(1))} mm/s, ` +
        `${Number((10 * scale).toFixed(1))} mm/mV on screen`,
    );
    const chart = page.locator('[data-testid="ecg-chart"]');
    await poll(async () => Number(await chart.getAttribute('data-px-per-mm'))).toBeCloseTo((96 / 25.4) * scale, 6);
    // The paper keeps 25 mm/s and 10 mm/mV on its own grid.
    expect(await chart.getAttribute('data-mm-per-second')).toBe('25');
    expect(await chart.getAttribute('data-mm-per-mv')).toBe('10');
    const box = (await chart.boundingBox())!;
    const ps = await panels(page);
    for (const lead of ['V4', 'V5', 'V6']) {
      const p = ps.find((q) => q.lead === lead && !q.rhythm)!;
      // The whole panel (its label at the top left, its trace across it) lies inside the 1400 x 900 viewport.
      expect(box.x + p.x).toBeGreaterThanOrEqual(0);
      expect(box.x + p.x + p.width).toBeLessThanOrEqual(1400);
      expect(box.y + p.y + p.height).toBeLessThanOrEqual(900);
    }
    // Ink where V4-V6 are drawn: label text and trace pixels in each panel, seen on the page's own screenshot.
    const inked = await chart.evaluate(
      (canvas: HTMLCanvasElement, leads: string[]) => {
        const ctx = canvas.getContext('2d')!;
        const dpr = canvas.width / canvas.clientWidth;
        const ps = JSON.parse(canvas.dataset.panels!) as {
          lead: string;
          rhythm: boolean;
          x: number;
          y: number;
          width: number;
          height: number;
        }[];
        return leads.map((lead) => {
          const p = ps.find((q) => q.lead === lead && !q.rhythm)!;
          const img = ctx.getImageData(Math.round(p.x * dpr), Math.round(p.y * dpr), Math.round(p.width * dpr), Math.round(p.height * dpr));
          let dark = 0;
          for (let i = 0; i < img.data.length; i += 4) if (img.data[i] < 90 && img.data[i + 1] < 90 && img.data[i + 2] < 90) dark++;
          return dark;
        });
      },
      ['V4', 'V5', 'V6'],
    );
    for (const dark of inked) expect(dark).toBeGreaterThan(200);
    // Nothing scrolls sideways: the chart's right edge is inside the paper area.
    expect(box.x + box.width).toBeLessThanOrEqual(1400);
    await page.screenshot({ path: artifactPath('chart-fit-1400x900.png') });
    expect(errors).toEqual([]);
  });

  it('puts a caliper click on the rhythm strip on the rhythm strip, not on the short lead II panel above it', async () => {
    const { page, errors } = await openRecord('JS00008');
    await page.locator('[data-testid="calipers"]').click();
    const strip = (await panels(page)).find((p) => p.rhythm)!;
    const overlay = page.locator('[data-testid="overlay"]');
    // A point in the strip's first quarter: the same time as the short lead II panel (column 1) shows.
    await overlay.click({ position: { x: strip.x + strip.width * 0.1, y: strip.y + strip.height / 2 } });
    const mark = page.locator('[data-testid="caliper-mark"]').first();
    await poll(() => page.locator('[data-testid="caliper-mark"]').count()).toBe(1);
    expect(Number(await mark.getAttribute('y1'))).toBeCloseTo(strip.y, 3);
    expect(Number(await mark.getAttribute('y2'))).toBeCloseTo(strip.y + strip.height, 3);
    await overlay.click({ position: { x: strip.x + strip.width * 0.2, y: strip.y + strip.height / 2 } });
    await poll(() => page.locator('[data-testid="caliper-mark"]').count()).toBe(2);
    for (const y1 of await page.locator('[data-testid="caliper-mark"]').evaluateAll((ls) => ls.map((l) => l.getAttribute('y1'))))
      expect(Number(y1)).toBeCloseTo(strip.y, 3);
    expect(errors).toEqual([]);
  });

  it('shows two models in named columns, SB and Brady agreeing with the rule, and the rule score in words', async () => {
    const { page, errors } = await openRecord('JS00004');
    const table = page.locator('[data-testid="class-table"]');
    const sb = table.locator(`[data-testid="class-row"][data-code="${SB}"]`);
    await poll(() => sb.locator('[data-model-id]').count()).toBe(2);
    expect(await table.locator('th[data-model-column]').allInnerTexts()).toEqual([
      `chart-cnn #${models['chart-cnn']}`,
      `signal-resnet #${models['signal-resnet']}`,
    ]);
    expect(await sb.locator(`[data-model-id="${models['chart-cnn']}"]`).innerText()).toBe('0.91 ▲');
    expect(await sb.locator(`[data-model-id="${models['signal-resnet']}"]`).innerText()).toBe('0.34');
    // The record is labelled SB only; the sinus-bradycardia rule (SB and Brady) is positive and agrees on both rows.
    const brady = table.locator(`[data-testid="class-row"][data-code="${BRADY}"]`);
    await poll(() => brady.getAttribute('data-rule')).toBe('true');
    expect(await brady.getAttribute('data-agree')).toBe('yes');
    expect(await sb.getAttribute('data-rule')).toBe('true');
    // SB row: the rule agrees, chart-cnn agrees, signal-resnet (0.34, below its threshold) disagrees.
    expect(await sb.getAttribute('data-agree')).toBe('no');
    const why = await brady.locator('[data-testid="rule-score"]').innerText();
    expect(why).toMatch(/^HR (\d+) bpm, (\d+) bpm below the 60 bpm threshold$/);
    const [, hr, below] = /^HR (\d+) bpm, (\d+) bpm below/.exec(why)!;
    expect(Number(hr) + Number(below)).toBeGreaterThanOrEqual(59);
    expect(Number(hr) + Number(below)).toBeLessThanOrEqual(61);
    for (const t of await table.locator('[data-testid="rule-score"]').allInnerTexts()) expect(t).not.toMatch(/^[-−]?\d+\.\d+$|[-−]0\.00/);
    await page.screenshot({ path: artifactPath('class-table-two-models.png') });
    expect(errors).toEqual([]);
  });
});
