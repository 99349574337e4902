import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { artifactPath, servedWorkspace } from '../helpers/browser.ts';
import { runLeadlens } from '../helpers/run-cli.ts';
import { dataPath } from '../helpers/shared-data.ts';

// The review journeys of issue 7 in Chromium through `leadlens serve`, on the seeded demo records
// (CinC 2021 Chapman-Ningbo JS00004..JS00049) and MIT-BIH 100 ingested through the CLI.

const BRADY = '426627000';
const SB = '426177001';

/** The server measures and runs the rules when a record opens, so changes can queue behind that work. */
const poll = <T>(fn: () => T | Promise<T>, opts: { timeout?: number } = {}) => expect.poll(fn, { timeout: 20_000, ...opts });

interface Panel {
  lead: string;
  rhythm: boolean;
  x: number;
  y: number;
  width: number;
  height: number;
  startSample: number;
  endSample: number;
  baselineY: number;
}

const app = servedWorkspace((workspace) => {
  const ingest = runLeadlens(['ingest', '--workspace', workspace, dataPath('mitdb', '100.hea')]);
  expect(ingest.status, ingest.stderr).toBe(0);
});

async function newPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await app.browser.newPage({ viewport: { width: 1800, height: 1100 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(app.url);
  await poll(() => page.locator('[data-testid="worklist"] li').count(), { timeout: 15_000 }).toBe(6);
  return { page, errors };
}

async function openRecord(page: Page, name: string): Promise<void> {
  await page.locator('[data-testid="worklist"] li', { hasText: name }).locator('button').click();
  await poll(() => page.locator('[data-testid="record-name"]').textContent()).toBe(name);
  await poll(() => chartAttr(page, 'data-drawn-leads'), { timeout: 15_000 }).not.toBe('');
}

const chartAttr = (page: Page, name: string) => page.locator('[data-testid="ecg-chart"]').getAttribute(name);
const panels = async (page: Page): Promise<Panel[]> => JSON.parse((await chartAttr(page, 'data-panels')) ?? '[]');

/** Dark (trace) pixels inside each non-rhythm panel. */
function inkPerPanel(page: Page): Promise<{ lead: string; dark: number }[]> {
  return page.locator('[data-testid="ecg-chart"]').evaluate((canvas: HTMLCanvasElement) => {
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
    return ps
      .filter((p) => !p.rhythm)
      .map((p) => {
        const img = ctx.getImageData(
          Math.round(p.x * dpr),
          Math.round(p.y * dpr),
          Math.round(p.width * dpr),
          Math.round(p.height * dpr),
        ).data;
        let dark = 0;
        for (let i = 0; i < img.length; i += 4) if (img[i] < 90 && img[i + 1] < 90 && img[i + 2] < 90) dark++;
        return { lead: p.lead, dark };
      });
  });
}

describe('review UI journeys', () => {
  it('moves through the worklist by keyboard, marks a record reviewed and filters by queue', async () => {
    const { page, errors } = await newPage();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('r');
    const second = page.locator('[data-testid="worklist"] li[data-index="1"]');
    await poll(() => second.getAttribute('data-state')).toBe('reviewed');
    await poll(() => page.locator('[data-queue="reviewed"]').innerText()).toMatch(/Reviewed\s+1/);
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    const third = await page.locator('[data-testid="worklist"] li[data-index="2"] .name').innerText();
    await poll(() => page.locator('[data-testid="record-name"]').textContent()).toBe(third.split(/\s/)[0]);
    await page.locator('[data-queue="reviewed"]').click();
    await poll(() => page.locator('[data-testid="worklist"] li').count()).toBe(1);
    await page.screenshot({ path: artifactPath('review-worklist.png') });
    expect(errors).toEqual([]);
  });

  it('switches layouts and reduced lead sets, drawing exactly the chosen leads', async () => {
    const { page, errors } = await newPage();
    await openRecord(page, 'JS00004');
    expect(await chartAttr(page, 'data-layout')).toBe('3x4+II');
    const cases: [string, string, string, string][] = [
      ['6x2', '12', '6x2', 'I,II,III,aVR,aVL,aVF,V1,V2,V3,V4,V5,V6'],
      ['12x1', '12', '12x1', 'I,II,III,aVR,aVL,aVF,V1,V2,V3,V4,V5,V6'],
      ['3x4', '6', '3x2+II', 'I,II,III,aVR,aVL,aVF'],
      ['3x4', '4', '3x2+II', 'I,II,III,V2'],
      ['6x2', '3', '2x2', 'I,II,V2'],
      ['12x1', '2', '2x1', 'I,II'],
    ];
    for (const [kind, set, layout, leads] of cases) {
      await page.locator('[data-testid="layout"]').selectOption(kind);
      await page.locator('[data-testid="lead-set"]').selectOption(set);
      await poll(() => chartAttr(page, 'data-layout')).toBe(layout);
      await poll(() => chartAttr(page, 'data-drawn-leads')).toBe(leads);
      for (const { lead, dark } of await inkPerPanel(page)) expect(dark, `${layout} ${lead}`).toBeGreaterThan(200);
      await page.screenshot({ path: artifactPath(`review-layout-${layout}-${set}.png`) });
    }
    // Rhythm strip lead is selectable.
    await page.locator('[data-testid="layout"]').selectOption('3x4');
    await page.locator('[data-testid="lead-set"]').selectOption('12');
    await page.locator('[data-testid="rhythm-lead"]').selectOption('V1');
    await poll(() => chartAttr(page, 'data-layout')).toBe('3x4+V1');
    expect(errors).toEqual([]);
  });

  it('measures an RR interval with the calipers and reads the heart rate (JS00004, sinus bradycardia)', async () => {
    const { page, errors } = await newPage();
    await openRecord(page, 'JS00004');
    await poll(() => chartAttr(page, 'data-beats')).not.toBe('');
    const beats = (await chartAttr(page, 'data-beats'))!.split(',').map(Number);
    const rhythm = (await panels(page)).find((p) => p.rhythm)!;
    const pxPerSample = (Number(await chartAttr(page, 'data-mm-per-second')) * Number(await chartAttr(page, 'data-px-per-mm'))) / 500;
    await page.locator('[data-testid="calipers"]').click();
    const overlay = page.locator('[data-testid="overlay"]');
    const x = (b: number) => rhythm.x + (b - rhythm.startSample) * pxPerSample;
    await overlay.click({ position: { x: x(beats[2]), y: rhythm.baselineY } });
    await overlay.click({ position: { x: x(beats[3]), y: rhythm.baselineY } });
    const readout = page.locator('[data-testid="caliper-readout"]');
    await poll(() => readout.getAttribute('data-bpm')).not.toBe('');
    const bpm = Number(await readout.getAttribute('data-bpm'));
    const expected = (60 * 500) / (beats[3] - beats[2]);
    // One pixel is ~10 ms at 25 mm/s: the caliper reads the detector's RR within a pixel or two.
    expect(Math.abs(bpm - expected)).toBeLessThan(1.5);
    expect(bpm).toBeLessThan(60); // labelled sinus bradycardia
    expect(bpm).toBeGreaterThan(40);
    expect(await readout.innerText()).toMatch(/HR \d+ bpm/);
    await page.screenshot({ path: artifactPath('review-calipers.png') });
    expect(errors).toEqual([]);
  });

  it('shows a rule-vs-label disagreement, draws the evidence, corrects the label, and finds it with its history after a reload', async () => {
    const { page, errors } = await newPage();
    await page.locator('[data-testid="reviewer"]').fill('dr-e2e');
    await openRecord(page, 'JS00004');
    const brady = page.locator(`[data-testid="class-row"][data-code="${BRADY}"]`);
    const sb = page.locator(`[data-testid="class-row"][data-code="${SB}"]`);
    // The sinus-bradycardia rule asserts SB and Brady: on a record labelled SB it agrees on both rows (issue 16.5).
    await poll(() => brady.getAttribute('data-rule'), { timeout: 20_000 }).toBe('true');
    expect(await brady.getAttribute('data-agree')).toBe('yes');
    expect(await brady.getAttribute('data-label')).toBe('');
    expect(await sb.getAttribute('data-label')).toBe('true');
    // Without the SB label the positive rule disagrees with the labels.
    await sb.locator(`[data-toggle="${SB}"]`).click();
    await poll(() => brady.getAttribute('data-agree')).toBe('no');
    expect(await sb.getAttribute('data-agree')).toBe('no');

    await brady.locator('[data-rule-id]').click();
    await poll(() => page.locator('[data-testid="overlay"] circle.ev-beat').count()).toBeGreaterThan(5);
    expect(await page.locator('[data-testid="rule-evidence"]').innerText()).toMatch(/bradycardia/);
    await page.screenshot({ path: artifactPath('review-rule-evidence.png') });

    // Correct the label: Brady present. Undo then redo must land on the same stored state.
    await brady.locator(`[data-toggle="${BRADY}"]`).click();
    await poll(() => brady.getAttribute('data-label')).toBe('true');
    await poll(() => brady.getAttribute('data-agree')).toBe('yes');
    await page.keyboard.press('Control+z');
    await poll(() => brady.getAttribute('data-label')).toBe('false');
    await page.keyboard.press('Control+Shift+z');
    await poll(() => brady.getAttribute('data-label')).toBe('true');
    await page.locator('[data-state-button="corrected"]').click();
    await poll(() => page.locator('[data-testid="review-state"]').textContent()).toBe('corrected');
    await page.locator('[data-testid="note-input"]').fill('Rate 53 bpm: bradycardia as well as SB.');
    await page.locator('[data-testid="note-add"]').click();
    await poll(() => page.locator('[data-testid="notes"]').innerText()).toMatch(/bradycardia as well/);

    await page.reload();
    await poll(() => page.locator('[data-testid="worklist"] li').count(), { timeout: 15_000 }).toBe(6);
    expect(await page.locator('[data-testid="worklist"] li', { hasText: 'JS00004' }).getAttribute('data-state')).toBe('corrected');
    await openRecord(page, 'JS00004');
    const row = page.locator(`[data-testid="class-row"][data-code="${BRADY}"]`);
    await poll(() => row.getAttribute('data-label'), { timeout: 20_000 }).toBe('true');
    expect(await row.innerText()).toMatch(/dr-e2e/);
    const history = page.locator('[data-testid="history"]');
    const actions = await history.locator('li').evaluateAll((ls) => ls.map((l) => (l as HTMLElement).dataset.action));
    // Newest first: note, review state, label add (redo), label remove (undo), label add.
    expect(actions.slice(0, 5)).toEqual(['note.add', 'review.state', 'label.add', 'label.remove', 'label.add']);
    expect(await history.innerText()).toMatch(/dr-e2e added Brady/);
    expect(await page.locator('[data-testid="notes"]').innerText()).toMatch(/dr-e2e/);
    await page.screenshot({ path: artifactPath('review-corrected-after-reload.png') });
    expect(errors).toEqual([]);
  });

  it('annotates by number key and from the SNOMED search, and marks an interval from the calipers', async () => {
    const { page, errors } = await newPage();
    await openRecord(page, 'JS00036');
    const af = page.locator('[data-testid="class-row"][data-code="164889003"]');
    await poll(() => af.getAttribute('data-label'), { timeout: 20_000 }).toBe('true');
    // One reload per change: a label key press writes the label, then reloads once what it touched (the record's
    // labels and history, the worklist and its queue counts) and nothing else (it used to make up to 15 calls).
    const calls: string[] = [];
    let lastCallAt = Date.now();
    page.on('request', (r) => {
      const m = /^\/api\/(.+)$/.exec(new URL(r.url()).pathname);
      if (m) {
        calls.push(m[1]);
        lastCallAt = Date.now();
      }
    });
    const quiet = () => poll(() => Date.now() - lastCallAt, { timeout: 30_000 }).toBeGreaterThan(1500);
    await page.locator('[data-testid="measurements"]').waitFor();
    await quiet();
    calls.length = 0;
    await page.keyboard.press('2'); // default key 2: AF
    await poll(() => af.getAttribute('data-label')).toBe('false');
    await quiet();
    expect(calls.sort()).toEqual(['audit.list', 'labels.set', 'records.get', 'records.list', 'worklist.queues']);
    await page.keyboard.press('/');
    await page.keyboard.type('atrial flut');
    await poll(() => page.locator('[data-testid="vocabulary-hits"] li').first().innerText()).toMatch(/^AFL atrial flutter/);
    await page.keyboard.press('Enter');
    await poll(() => page.locator('[data-testid="class-row"][data-code="164890007"]').getAttribute('data-label')).toBe('true');
    // Interval: two caliper clicks on lead II's rhythm strip, annotated as AFL on that lead.
    await page.locator('[data-testid="calipers"]').click();
    const rhythm = (await panels(page)).find((p) => p.rhythm)!;
    await page.locator('[data-testid="overlay"]').click({ position: { x: rhythm.x + 100, y: rhythm.baselineY } });
    await page.locator('[data-testid="overlay"]').click({ position: { x: rhythm.x + 400, y: rhythm.baselineY } });
    await page.locator('[data-testid="interval-lead"]').click();
    await poll(() => page.locator('[data-testid="intervals"]').innerText()).toMatch(/AFL .* II/);
    await poll(() => page.locator('[data-testid="overlay"] rect.interval').count()).toBeGreaterThan(0);
    await page.screenshot({ path: artifactPath('review-annotation.png') });
    expect(errors).toEqual([]);
  });

  it('draws a 30 min MIT-BIH record from the min/max pyramid when zoomed out, pans in time, and shows the filter warning', async () => {
    const { page, errors } = await newPage();
    await openRecord(page, '100');
    expect(await chartAttr(page, 'data-drawn-leads')).toBe('MLII,V5');
    // The first frame may come from the coarse overview; the exact samples follow.
    await poll(() => chartAttr(page, 'data-bucket')).toBe('1');
    await page.locator('[data-filter="bandpass"]').check();
    await poll(() => page.locator('[data-testid="filter-warning"]').isVisible()).toBe(true);
    // The filtered window (float32 millivolts from the server) is what is drawn.
    await poll(() => chartAttr(page, 'data-filters')).toBe('bandpass');
    for (const { lead, dark } of await inkPerPanel(page)) expect(dark, `filtered ${lead}`).toBeGreaterThan(200);
    await page.locator('[data-filter="bandpass"]').uncheck();
    await page.locator('[data-testid="overlay"]').click({ position: { x: 5, y: 5 } });
    for (let i = 0; i < 8; i++) await page.keyboard.press('-');
    await poll(async () => Number(await chartAttr(page, 'data-bucket'))).toBeGreaterThan(1);
    await poll(() => page.locator('[data-testid="zoom"]').innerText()).toMatch(/0\.0–1805\.6 s/);
    for (const { lead, dark } of await inkPerPanel(page)) expect(dark, lead).toBeGreaterThan(500);
    await page.keyboard.press('0');
    await poll(() => chartAttr(page, 'data-bucket')).toBe('1');
    const before = Number(await chartAttr(page, 'data-view-start'));
    await page.keyboard.press('Shift+ArrowRight');
    await poll(async () => Number(await chartAttr(page, 'data-view-start'))).toBe(before + 3600);
    await page.screenshot({ path: artifactPath('review-mitdb-100.png') });
    expect(errors).toEqual([]);
  });

  it('drag-pans a 30 min record and ends on the exact samples of the new position', async () => {
    const { page, errors } = await newPage();
    await openRecord(page, '100');
    await poll(() => chartAttr(page, 'data-exact')).toBe('true');
    const start = Number(await chartAttr(page, 'data-view-start'));
    const pxPerSecond = Number(await chartAttr(page, 'data-px-per-mm')) * Number(await chartAttr(page, 'data-mm-per-second'));
    // Four quick hand drags across the paper, about 40 s on: well past what was fetched ahead at open.
    const box = (await page.locator('[data-testid="overlay"]').boundingBox())!;
    const dx = box.width - 20;
    for (let i = 0; i < 4; i++) {
      await page.mouse.move(box.x + box.width - 10, box.y + 20);
      await page.mouse.down();
      await page.mouse.move(box.x + 10, box.y + 20, { steps: 10 });
      await page.mouse.up();
    }
    const want = start + ((4 * dx) / pxPerSecond) * 360;
    // Each drag starts from a whole sample, so allow a sample of rounding per drag.
    await poll(async () => Math.abs(Number(await chartAttr(page, 'data-view-start')) - want)).toBeLessThanOrEqual(4);
    await poll(() => chartAttr(page, 'data-exact')).toBe('true');
    expect(await chartAttr(page, 'data-bucket')).toBe('1');
    // Every sample of the drawn view, as the server has it, is inked where the chart geometry puts it;
    // the same samples half a second off are not (so the check tells a shifted trace apart).
    const inked = await page.locator('[data-testid="ecg-chart"]').evaluate(async (canvas: HTMLCanvasElement) => {
      const call = async (method: string, params: unknown) => {
        const res = await fetch(`/api/${method}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${sessionStorage.getItem('leadlens-token')}` },
          body: JSON.stringify(params),
        });
        if (!(res.headers.get('content-type') ?? '').startsWith('application/octet-stream')) return (await res.json()).result;
        // Samples come as bytes; read the wire form here independently of the app's decoder: 'LLB1', the header's
        // length, the JSON header, then the sections from the next 8-byte boundary.
        const buf = await res.arrayBuffer();
        const headerBytes = new DataView(buf).getUint32(4, true);
        const { result, sections } = JSON.parse(new TextDecoder().decode(new Uint8Array(buf, 8, headerBytes)));
        const dataStart = Math.ceil((8 + headerBytes) / 8) * 8;
        for (const lead of result.leads) {
          const s = sections[lead.values.$section];
          lead.values = new Int16Array(buf, dataStart + s.byteOffset, s.length);
        }
        return result;
      };
      const viewStart = Number(canvas.dataset.viewStart);
      const pxPerSample = (Number(canvas.dataset.pxPerMm) * Number(canvas.dataset.mmPerSecond)) / 360;
      const pxPerMv = Number(canvas.dataset.pxPerMm) * Number(canvas.dataset.mmPerMv);
      const ps = JSON.parse(canvas.dataset.panels!) as {
        lead: string;
        x: number;
        startSample: number;
        endSample: number;
        baselineY: number;
      }[];
      const { records } = await call('records.list', { offset: 0, limit: 10, search: '100' });
      const id = records.find((r: { recordName: string }) => r.recordName === '100').id;
      const margin = 360;
      const w = await call('records.signal', {
        id,
        start: viewStart - margin,
        end: viewStart + Math.max(...ps.map((p) => p.endSample)) + margin,
        maxPoints: 1_000_000,
      });
      const ctx = canvas.getContext('2d')!;
      const dpr = canvas.width / canvas.clientWidth;
      const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
      const dark = (x: number, y: number) => {
        for (let dy = -1; dy <= 1; dy++) {
          const i = 4 * (Math.round((y + dy) * dpr) * canvas.width + Math.round(x * dpr));
          if (img.data[i] < 90 && img.data[i + 1] < 90 && img.data[i + 2] < 90) return true;
        }
        return false;
      };
      /** Share of the panels' samples inked where they belong, with the samples taken `shift` samples off. */
      const share = (shift: number) => {
        let hit = 0,
          all = 0;
        for (const p of ps) {
          const lead = w.leads.find((l: { name: string }) => l.name === p.lead);
          const at = (i: number) => lead.values[i] as number;
          // Skip the label and the panel's edges, where neighbouring strokes and text can ink any row.
          for (let s = p.startSample + 40; s < p.endSample - 2; s += 7) {
            const mv = (at(viewStart - w.start + s + shift) - lead.baseline) / lead.gain;
            all++;
            if (dark(p.x + (s - p.startSample) * pxPerSample, p.baselineY - mv * pxPerMv)) hit++;
          }
        }
        return hit / all;
      };
      return { exact: share(0), shifted: share(180) };
    });
    expect(inked.exact).toBeGreaterThan(0.97);
    expect(inked.shifted).toBeLessThan(0.8);
    await page.screenshot({ path: artifactPath('review-panned-exact.png') });
    expect(errors).toEqual([]);
  });

  it('keeps the grid calibrated: at 25 mm/s and 10 mm/mV, 1 s spans 25 mm and 1 mV spans 10 mm on the configured screen', async () => {
    const { page, errors } = await newPage();
    await page.locator('[data-testid="open-settings"]').click();
    await page.locator('[data-testid="px-per-mm"]').fill('5');
    await page.locator('[data-testid="save-settings"]').click();
    await poll(() => page.locator('[data-testid="settings"]').count()).toBe(0);
    await openRecord(page, 'JS00008');
    // Calibrated, not fitted to the window: the chart scrolls instead.
    await page.locator('[data-testid="fit-chart"]').uncheck();
    await poll(() => page.locator('[data-testid="chart-scale"]').getAttribute('data-scale')).toBe('1');
    expect(await chartAttr(page, 'data-px-per-mm')).toBe('5');
    const measured = await page.locator('[data-testid="ecg-chart"]').evaluate((canvas: HTMLCanvasElement) => {
      const ctx = canvas.getContext('2d')!;
      const dpr = canvas.width / canvas.clientWidth;
      const ps = JSON.parse(canvas.dataset.panels!) as {
        rhythm: boolean;
        x: number;
        y: number;
        width: number;
        height: number;
        baselineY: number;
      }[];
      const rect = canvas.getBoundingClientRect();
      const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
      const px = (x: number, y: number) => {
        const i = 4 * (y * canvas.width + x);
        return [img.data[i], img.data[i + 1], img.data[i + 2]];
      };
      const isMajor = (c: number[]) => Math.abs(c[0] - 0xe5) < 12 && Math.abs(c[1] - 0x8f) < 25 && Math.abs(c[2] - 0x8f) < 25;
      const isDark = (c: number[]) => c[0] < 90 && c[1] < 90 && c[2] < 90;
      // Major (5 mm) grid lines along a row 1 mm below the top of the first panel, in CSS pixels.
      const y = Math.round((ps[0].y + 7) * dpr);
      const majors: number[] = [];
      for (let x = 0; x < canvas.width; x++) if (isMajor(px(x, y)) && !isMajor(px(x - 1, y))) majors.push(x / dpr);
      // Calibration pulse of the first row (left margin): dark pixels' extent.
      let top = Infinity,
        bottom = -Infinity,
        left = Infinity,
        right = -Infinity;
      const p0 = ps[0];
      for (let yy = Math.round(p0.y * dpr); yy < Math.round((p0.y + p0.height) * dpr); yy++) {
        for (let x = 0; x < Math.round(p0.x * dpr); x++) {
          if (!isDark(px(x, yy))) continue;
          top = Math.min(top, yy);
          bottom = Math.max(bottom, yy);
          if (yy < (p0.baselineY - 20) * dpr) {
            left = Math.min(left, x);
            right = Math.max(right, x);
          }
        }
      }
      return {
        majors,
        pulseHeight: (bottom - top) / dpr,
        pulseTopWidth: (right - left) / dpr,
        cssWidth: rect.width,
        width: canvas.clientWidth,
      };
    });
    const spacings = measured.majors.slice(1).map((x, i) => x - measured.majors[i]);
    expect(spacings.length).toBeGreaterThan(40);
    for (const s of spacings) expect(Math.abs(s - 25)).toBeLessThanOrEqual(1); // 5 mm at 5 px/mm
    const mean = (measured.majors.at(-1)! - measured.majors[0]) / spacings.length;
    expect(Math.abs(mean - 25)).toBeLessThan(0.1);
    // 1 mV pulse: 10 mm = 50 px tall; its 200 ms top: 5 mm = 25 px wide, i.e. 1 s spans 125 px = 25 mm.
    expect(Math.abs(measured.pulseHeight - 50)).toBeLessThanOrEqual(2);
    expect(Math.abs(measured.pulseTopWidth * 5 - 125)).toBeLessThanOrEqual(6);
    // 10 s strip at 25 mm/s: 250 mm = 1250 px plus the 10 mm margin.
    const rhythm = (await panels(page)).find((p) => p.rhythm)!;
    expect(rhythm.width).toBeCloseTo(1250, 0);
    await page.screenshot({ path: artifactPath('review-grid-calibration.png') });
    expect(errors).toEqual([]);
  });
});
