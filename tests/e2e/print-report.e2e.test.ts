import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { artifactPath, servedWorkspace } from '../helpers/browser.ts';
import { lineCentres, pdfInfo, rasterisePdf } from '../helpers/pdf-raster.ts';

// Issue 16.5 print/PDF: the print view rendered to PDF by Chromium (as Electron's printToPDF does), rasterised at
// 300 dpi with pdftoppm, and its 5 mm grid squares measured on the page, for A4 and Letter landscape.
const app = servedWorkspace();
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
});
