import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { READERS } from '../../src-main/formats/readers.ts';
import { ingestPaths } from '../../src-main/ingest/ingest-files.ts';
import { saveModel } from '../../src-main/store/model-store.ts';
import { saveSaliency } from '../../src-main/store/saliency-store.ts';
import { openWorkspace } from '../../src-main/store/workspace.ts';
import { artifactPath, servedWorkspace } from '../helpers/browser.ts';
import { lineCentres, pdfInfo, rasterisePdf } from '../helpers/pdf-raster.ts';
import { REPO_ROOT, dataPath } from '../helpers/shared-data.ts';

// Issue 16.5 print/PDF: the print view rendered to PDF by Chromium (as Electron's printToPDF does), rasterised at
// 300 dpi with pdftoppm, and its 5 mm grid squares measured on the page, for A4 and Letter landscape.
// The demo records, a GE MUSE file (device statements) and a saliency map on JS00004 (the optional overlay).
let saliencyId = 0;
const app = servedWorkspace(async (dir) => {
  const ws = openWorkspace(dir);
  await ingestPaths(ws, [path.join(REPO_ROOT, 'resources', 'samples'), dataPath('formats', 'ge-muse-xml', 'EGM', 'muse-sinus.xml')], {
    readers: READERS,
  });
  const js4 = (ws.db.prepare("SELECT id FROM record WHERE record_name = 'JS00004'").get() as { id: number }).id;
  const modelId = saveModel(ws.db, {
    name: 'chart-cnn',
    kind: 'tfjs',
    architecture: 'image-cnn',
    hyperparameters: {},
    classes: ['426177001'],
    leadSet: ['I', 'II'],
    inputSpec: {},
    metrics: {},
    runtime: 'test',
    weights: new Uint8Array(4),
    records: [],
    labelIds: [],
  });
  const leads = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'];
  const map = new Float32Array(leads.length * 5000);
  for (let i = 0; i < 5000; i++) map[9 * 5000 + i] = Math.max(0, Math.sin(i / 80)); // heat on V4 only
  saliencyId = saveSaliency(ws.db, js4, modelId, {
    map,
    leads,
    samples: 5000,
    provenance: {
      model: String(modelId),
      method: 'grad-cam',
      baseline: null,
      targetClass: 0,
      layer: 'conv3',
      preprocessing: 'chart 2px/mm ink',
      layout: '3x4+II',
      seed: null,
      params: {},
    },
  });
  ws.close();
});
const DPI = 300;
const PX_PER_MM = DPI / 25.4;
const MAJOR: [number, number, number] = [0xe5, 0x8f, 0x8f];
const PAGE_PT = { a4: [841.89, 595.28], letter: [792, 612] } as const;

async function recordId(name: string): Promise<number> {
  const url = new URL(app.url);
  const res = await fetch(new URL('/api/records.list', url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${url.searchParams.get('token')}` },
    body: JSON.stringify({ limit: 50, offset: 0 }),
  });
  const list = (await res.json()) as { result: { records: { id: number; recordName: string }[] } };
  const r = list.result.records.find((x) => x.recordName === name);
  if (!r) throw new Error(`no record ${name} in the served workspace`);
  return r.id;
}

/** Mean pitch of consecutive line centres, and the largest deviation of any one gap from it. */
function pitch(centres: number[]): { mean: number; worst: number; lines: number } {
  const gaps = centres.slice(1).map((c, i) => c - centres[i]);
  const mean = (centres.at(-1)! - centres[0]) / gaps.length;
  return { mean, worst: Math.max(...gaps.map((g) => Math.abs(g - mean))), lines: centres.length };
}

describe('the printed 12-lead report', () => {
  for (const paper of ['a4', 'letter'] as const) {
    it(`is one ${paper} landscape page whose 5 mm grid squares measure 5 mm within 1 %`, async () => {
      const id = await recordId('JS00004');
      const url = new URL(app.url);
      url.searchParams.set('print', String(id));
      url.searchParams.set('paper', paper);
      const page = await app.browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(url.toString());
      await expect.poll(() => page.evaluate(() => document.documentElement.dataset.printReady), { timeout: 30_000 }).toBe('1');
      expect(await page.locator('[data-testid="print-record"]').innerText()).toBe('JS00004');
      expect(await page.locator('[data-testid="print-chart"]').getAttribute('data-layout')).toBe('3x4+II');
      expect(await page.locator('[data-testid="print-labels"]').innerText()).toMatch(/SB \(sinus bradycardia\)/);
      expect(await page.locator('[data-testid="print-rules"]').innerText()).toMatch(
        /SB\/Brady: HR \d+ bpm, \d+ bpm below the 60 bpm threshold/,
      );
      expect(await page.locator('[data-testid="print-measurements"]').innerText()).toMatch(/HR \d+ bpm/);
      const file = artifactPath(`print-report-${paper}.pdf`);
      fs.rmSync(file, { force: true });
      await page.emulateMedia({ media: 'print' });
      await page.pdf({ path: file, preferCSSPageSize: true, printBackground: true });
      await page.close();
      expect(errors).toEqual([]);

      const info = pdfInfo(file);
      expect(info.pages).toBe(1);
      expect(info.pageSizePt[0]).toBeCloseTo(PAGE_PT[paper][0], 0);
      expect(info.pageSizePt[1]).toBeCloseTo(PAGE_PT[paper][1], 0);

      const raster = rasterisePdf(file, DPI);
      const measured: Record<string, unknown> = { paper, dpi: DPI, expectedPxPer5Mm: 5 * PX_PER_MM };
      expect(raster.width).toBe(Math.round((PAGE_PT[paper][0] / 72) * DPI));
      for (const axis of ['x', 'y'] as const) {
        const centres = lineCentres(raster, MAJOR, axis);
        const p = pitch(centres);
        measured[axis] = p;
        // 262 mm wide (53 vertical lines every 5 mm), 100 mm tall (21 horizontal lines).
        expect(p.lines, `${paper} ${axis} lines`).toBe(axis === 'x' ? 53 : 21);
        expect(Math.abs(p.mean - 5 * PX_PER_MM) / (5 * PX_PER_MM), `${paper} ${axis}: ${p.mean} px per 5 mm`).toBeLessThan(0.01);
        // No square is off by more than a pixel's rounding either.
        expect(p.worst, `${paper} ${axis}`).toBeLessThan(1.5);
      }
      // The figures, kept beside the PDF (CI artifacts).
      fs.writeFileSync(path.join(path.dirname(file), `print-report-${paper}.grid.json`), `${JSON.stringify(measured, null, 2)}\n`);
    }, 120_000);
  }

  it('states the device statements of a vendor file, draws the saliency overlay when asked, and opens from the viewer', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const at = (search: Record<string, string>) => {
      const url = new URL(app.url);
      for (const [k, v] of Object.entries(search)) url.searchParams.set(k, v);
      return url.toString();
    };
    const ready = () => expect.poll(() => page.evaluate(() => document.documentElement.dataset.printReady), { timeout: 30_000 }).toBe('1');
    await page.goto(at({ print: String(await recordId('muse-sinus')) }));
    await ready();
    expect(await page.locator('[data-testid="print-device"]').innerText()).toMatch(/Anterior infarct, age undetermined/);
    expect(await page.locator('[data-testid="print-chart"] rect.saliency').count()).toBe(0);

    await page.evaluate(() => delete document.documentElement.dataset.printReady);
    await page.goto(at({ print: String(await recordId('JS00004')), saliency: String(saliencyId) }));
    await ready();
    const heat = await page
      .locator('[data-testid="print-chart"] rect.saliency')
      .evaluateAll((rs) => rs.map((r) => r.getAttribute('data-lead')));
    expect(heat.length).toBeGreaterThan(0);
    expect(new Set(heat)).toEqual(new Set(['V4']));
    await page.screenshot({ path: artifactPath('print-report-saliency.png'), fullPage: true });

    // From the viewer: Print… opens the print view of the open record in a new tab.
    await page.goto(app.url);
    await page.locator('[data-testid="worklist"] li', { hasText: 'JS00049' }).locator('button').click();
    await expect.poll(() => page.locator('[data-testid="record-name"]').textContent(), { timeout: 20_000 }).toBe('JS00049');
    await page.locator('[data-testid="report-paper"]').selectOption('letter');
    const [tab] = await Promise.all([page.context().waitForEvent('page'), page.locator('[data-testid="report-print"]').click()]);
    await expect.poll(() => tab.evaluate(() => document.documentElement.dataset.printReady ?? ''), { timeout: 30_000 }).toBe('1');
    expect(new URL(tab.url()).searchParams.get('paper')).toBe('letter');
    expect(await tab.locator('[data-testid="print-record"]').innerText()).toBe('JS00049');
    expect(errors).toEqual([]);
  }, 120_000);
});
