import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { READERS } from '../../src-main/formats/readers.ts';
import { ingestPaths } from '../../src-main/ingest/ingest-files.ts';
import { openWorkspace } from '../../src-main/store/workspace.ts';
import { artifactPath, servedWorkspace } from '../helpers/browser.ts';
import { samePatientMuseFiles } from '../helpers/same-patient-muse.ts';

// Serial comparison (issue 13): two GE MUSE ECGs of patient JAX01234 (the second, a year older, is a real MUSE file
// with its patient id and date set to match). The current record lists the prior one; chosen, its median beats lie
// under the current ones and every measurement and rule decision is shown now, then and changed, also after a
// boundary of the current ECG is corrected. Side by side, both ECGs' median beats stand on paper of one calibration
// under their dates; "List in worklist" narrows the worklist to the patient's records (the sample records are other patients').
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 30_000 });

const app = servedWorkspace(async (dir) => {
  const ws = openWorkspace(dir);
  const files = samePatientMuseFiles(fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-prior-')));
  const r = await ingestPaths(ws, files, { readers: READERS });
  if (r.newRecords !== 2) throw new Error(`expected 2 MUSE records, got ${JSON.stringify(r)}`);
  ws.close();
});

describe('prior ECG comparison', () => {
  it("lists the patient's prior ECG, overlays its median beats and shows the change in each measurement and decision", async () => {
    const page = await app.browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(app.url);
    await poll(() => page.locator('[data-testid="worklist"] li', { hasText: 'muse_ecg1' }).count()).toBe(1);
    await page.locator('[data-testid="worklist"] li', { hasText: 'muse_ecg1' }).locator('button').click();

    const panel = page.locator('[data-testid="prior-ecgs"]');
    await poll(() => panel.locator('h3').innerText()).toBe('Prior ECGs · patient JAX01234');
    await poll(() => panel.locator('li[data-record]').count()).toBe(1);
    expect(await panel.locator('li[data-record]').innerText()).toMatch(/^\s*2020-05-10 13:09 · muse_ecg2-prior/);
    await panel.locator('[data-testid="prior-choose"]').check();

    // The median view opens with the prior beats drawn under the current ones.
    const paper = page.locator('[data-testid="median-paper"]');
    await poll(() => paper.locator('g[data-lead="II"] path.prior').count()).toBe(1);
    expect(await paper.locator('path.prior').count()).toBe(12);
    expect(await page.locator('[data-testid="median-prior"]').innerText()).toMatch(/^grey: prior ECG #\d+$/);

    const rows = panel.locator('[data-testid="serial-measurements"] tbody tr');
    await poll(() => rows.count()).toBe(6);
    expect(await rows.evaluateAll((trs) => trs.map((t) => t.getAttribute('data-key')))).toEqual([
      'heartRateBpm',
      'prMs',
      'qrsMs',
      'qtMs',
      'qtcBazettMs',
      'axisDegrees',
    ]);
    // Both records are measured (sinus, 60 bpm): each row's change is now minus prior.
    for (const key of ['heartRateBpm', 'qtMs', 'qtcBazettMs']) {
      const cells = await rows.locator(`xpath=self::*[@data-key="${key}"]/td`).allInnerTexts();
      const [now, prior] = cells.slice(0, 2).map((c) => Number(c));
      expect(Number.isFinite(now) && Number.isFinite(prior), `${key}: ${cells.join(' | ')}`).toBe(true);
      const change = Number(await rows.locator(`xpath=self::*[@data-key="${key}"]/td[@data-change]`).getAttribute('data-change'));
      expect(Math.abs(change - (now - prior))).toBeLessThanOrEqual(1);
    }
    const hr = await rows.locator('xpath=self::*[@data-key="heartRateBpm"]/td').allInnerTexts();
    expect(Number(hr[0])).toBeCloseTo(60, -1);

    const decisions = panel.locator('[data-testid="serial-decisions"] tbody tr');
    await poll(() => decisions.count()).toBeGreaterThan(5);
    const lqt = decisions.locator('xpath=self::*[@data-detector="prolonged-qtc"]/td');
    expect(await lqt.allInnerTexts()).toEqual(['no', 'no', '']);
    expect(
      await decisions.evaluateAll((trs) => trs.every((t) => ['same', 'new', 'resolved'].includes(t.getAttribute('data-change')!))),
    ).toBe(true);
    await page.screenshot({ path: artifactPath('prior-ecg-comparison.png') });

    // A T end moved 120 ms later on the current ECG (12 x Shift+→, 5 samples each): QTc rises past 460 ms, and the
    // comparison shows a new prolonged-QTc finding against the prior ECG.
    await page.locator('[data-boundary="tOffset"]').click();
    for (let i = 0; i < 12; i++) await page.keyboard.press('Shift+ArrowRight');
    await poll(() => lqt.allInnerTexts()).toEqual(['yes', 'no', 'new']);
    // The rules are stored with the correction, so the decision can show before the new median beats arrive.
    const qtcCell = rows.locator('xpath=self::*[@data-key="qtcBazettMs"]/td[@data-change]');
    await poll(async () => Number(await qtcCell.getAttribute('data-change'))).toBeGreaterThan(100);
    const qtcChange = Number(await qtcCell.getAttribute('data-change'));
    await page.screenshot({ path: artifactPath('prior-ecg-new-finding.png') });

    // Side by side: 12 leads each, one calibration, each record under its date and time, and the change table.
    await panel.locator('[data-testid="prior-side-by-side"]').click();
    const side = page.locator('[data-testid="serial-side-by-side"]');
    await side.waitFor({ state: 'visible' });
    for (const which of ['prior', 'current']) {
      const sidePaper = side.locator(`[data-testid="side-paper-${which}"]`);
      expect(await sidePaper.locator('g[data-lead] path.trace').count()).toBe(12);
      expect(await sidePaper.locator('g[data-lead]').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-lead')))).toEqual([
        'I',
        'II',
        'III',
        'aVR',
        'aVL',
        'aVF',
        'V1',
        'V2',
        'V3',
        'V4',
        'V5',
        'V6',
      ]);
    }
    expect(await side.locator('[data-testid="side-prior-time"]').innerText()).toBe('2020-05-10 13:09');
    expect(await side.locator('[data-testid="side-current-time"]').innerText()).toMatch(/^2021-05-10 \d\d:\d\d$/);
    expect(await side.locator('[data-testid="side-calibration"]').innerText()).toMatch(/^both at 25 mm\/s · 10 mm\/mV/);
    // One calibration: the 5 mm grid squares are the same size on both papers.
    const grid = (which: string) => side.locator(`[data-testid="side-paper-${which}"] pattern`).getAttribute('width');
    expect(await grid('prior')).toBe(await grid('current'));
    const sideQtc = side.locator('[data-testid="side-measurements"] tr[data-key="qtcBazettMs"] td[data-change]');
    expect(Number(await sideQtc.getAttribute('data-change'))).toBeCloseTo(qtcChange, 0);
    expect(await side.locator('[data-testid="side-decisions"] [data-detector="prolonged-qtc"]').innerText()).toBe('prolonged-qtc new');
    await page.screenshot({ path: artifactPath('prior-ecg-side-by-side.png') });
    await side.locator('[data-testid="side-close"]').click();
    await poll(() => side.count()).toBe(0);

    // The patient's records together in the worklist, then every record again.
    const worklist = page.locator('[data-testid="worklist"] li');
    const everyone = await worklist.count();
    expect(everyone).toBeGreaterThan(2);
    await panel.locator('[data-testid="patient-worklist"]').click();
    await poll(() => page.locator('[data-testid="patient-filter"]').innerText()).toMatch(/records of patient JAX01234/);
    await poll(() => worklist.count()).toBe(2);
    expect(await worklist.allInnerTexts()).toEqual([expect.stringContaining('muse_ecg1'), expect.stringContaining('muse_ecg2-prior')]);
    await page.locator('[data-testid="patient-filter-clear"]').click();
    await poll(() => worklist.count()).toBe(everyone);
    expect(errors).toEqual([]);
  });
});
