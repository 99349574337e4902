// Viewer responsiveness in headless Chromium through `leadlens serve`: frame time while drag-panning a synthetic
// 12-lead 24 h Holter (calibrated 10 s view from raw samples, and zoomed-out views from the min/max pyramid),
// and time from click to first paint when opening a 10 s record. Needs `node scripts/build.mjs` first.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium } from '../tests/helpers/browser.ts';
import { runLeadlens, startServe } from '../tests/helpers/run-cli.ts';
import { writeHolter } from './holter-wfdb.ts';

const log = (s: string) => process.stderr.write(s + '\n');
const hours = Number(process.env.BENCH_HOLTER_HOURS ?? 24);
const tmp = (p: string) => fs.mkdtempSync(path.join(os.tmpdir(), p));
const pct = (xs: number[], p: number) => {
  const a = [...xs].sort((x, y) => x - y);
  return a[Math.min(a.length - 1, Math.floor((p / 100) * a.length))];
};
const round = (x: number) => Math.round(x * 100) / 100;

const dataDir = tmp('leadlens-bench-viewer-data-');
const workspace = tmp('leadlens-bench-viewer-ws-');
log(`writing a ${hours} h Holter...`);
const hea = writeHolter(dataDir, hours);
const t0 = performance.now();
const ingest = runLeadlens(['ingest', '--workspace', workspace, hea]);
if (ingest.status !== 0) throw new Error(`ingest failed: ${ingest.stderr.trim()}`);
log(`ingested in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
fs.rmSync(dataDir, { recursive: true, force: true });

const serve = await startServe(['--workspace', workspace]);
const browser = await launchChromium();
// Never leave serve or Chromium behind, whatever fails below.
const cleanup = async () => {
  await browser.close().catch(() => undefined);
  await serve.stop();
  fs.rmSync(workspace, { recursive: true, force: true });
};
process.on('uncaughtException', (e) => { log(String(e)); void cleanup().then(() => process.exit(1)); });
process.on('unhandledRejection', (e) => { log(String(e)); void cleanup().then(() => process.exit(1)); });
const page = await browser.newPage({ viewport: { width: 1800, height: 1100 } });
// tsx keeps function names with a `__name` helper that does not exist inside the page.
await page.addInitScript('window.__name = (f) => f');
await page.goto(serve.url);
await page.locator('[data-testid="worklist"] li', { hasText: 'JS00004' }).waitFor({ timeout: 60_000 });

/** Click to the first frame with every lead drawn (the canvas says which leads it drew). */
async function openToFirstPaint(p: Page, name: string): Promise<number> {
  await p.keyboard.press('Escape');
  await p.locator('[data-testid="ecg-chart"]').waitFor({ state: 'detached' });
  const button = p.locator('[data-testid="worklist"] li', { hasText: name }).locator('button');
  return button.evaluate((b: HTMLButtonElement) => new Promise<number>((resolve) => {
    const start = performance.now();
    b.click();
    const check = () => {
      const c = document.querySelector('[data-testid="ecg-chart"]') as HTMLCanvasElement | null;
      if (c && c.dataset.drawnLeads) resolve(performance.now() - start);
      else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  }));
}

const firstPaint: number[] = [];
for (let round_ = 0; round_ < 3; round_++) {
  for (const name of ['JS00004', 'JS00008', 'JS00012', 'JS00036', 'JS00049']) {
    firstPaint.push(await openToFirstPaint(page, name));
    // Let the measurements and rules that follow the paint finish before the next open.
    await page.locator('[data-testid="measurements"]').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="class-row"]').first().waitFor({ timeout: 60_000 });
  }
}
log(`first paint (ms): ${firstPaint.map((x) => x.toFixed(0)).join(' ')}`);

/**
 * Drags the paper 20 px per animation frame (a brisk hand pan: about half a screen a second), recording every frame
 * interval and every redraw's cost.
 */
async function panFrames(p: Page, frames: number): Promise<{ frameMs: number[]; drawMs: number[]; redraws: number }> {
  return p.evaluate((n) => new Promise<{ frameMs: number[]; drawMs: number[]; redraws: number }>((resolve) => {
    const canvas = () => document.querySelector('[data-testid="ecg-chart"]') as HTMLCanvasElement;
    const overlay = document.querySelector('[data-testid="overlay"]') as SVGElement;
    let x = 1000;
    overlay.dispatchEvent(new PointerEvent('pointerdown', { clientX: x, clientY: 200, bubbles: true, pointerId: 1 }));
    const frameMs: number[] = [];
    const drawMs: number[] = [];
    let last = performance.now();
    let lastStart = canvas().dataset.viewStart;
    let redraws = 0;
    const step = (now: number) => {
      frameMs.push(now - last);
      last = now;
      const c = canvas();
      if (c.dataset.viewStart !== lastStart) {
        redraws++;
        drawMs.push(Number(c.dataset.drawMs));
        lastStart = c.dataset.viewStart;
      }
      if (frameMs.length >= n) {
        overlay.dispatchEvent(new PointerEvent('pointerup', { clientX: x, clientY: 200, bubbles: true, pointerId: 1 }));
        return resolve({ frameMs: frameMs.slice(1), drawMs, redraws });
      }
      x -= 20;
      overlay.dispatchEvent(new PointerEvent('pointermove', { clientX: x, clientY: 200, bubbles: true, pointerId: 1 }));
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  }), frames);
}

async function panScenario(zoomOut: number): Promise<Record<string, number>> {
  await page.keyboard.press('0');
  for (let i = 0; i < zoomOut; i++) await page.keyboard.press('-');
  await page.waitForFunction((z) => (document.querySelector('[data-testid="zoom"]') as HTMLElement).innerText.includes(z === 0 ? 'calibrated' : 'zoom'), zoomOut);
  // Settle: the view drawn from data at this zoom (min/max pyramid once a screen holds more samples than pixels).
  await page.waitForFunction((z) => {
    const c = document.querySelector('[data-testid="ecg-chart"]') as HTMLCanvasElement;
    return z === 0 ? c.dataset.bucket === '1' : Number(c.dataset.bucket) > 1;
  }, zoomOut, { timeout: 120_000 });
  await page.waitForTimeout(500);
  const r = await panFrames(page, 300);
  const bucket = Number(await page.locator('[data-testid="ecg-chart"]').getAttribute('data-bucket'));
  const span = await page.locator('[data-testid="zoom"]').innerText();
  log(`pan zoomOut=${zoomOut} (${span}, bucket ${bucket}): p95 frame ${pct(r.frameMs, 95).toFixed(1)} ms, p95 draw ${pct(r.drawMs, 95)?.toFixed(1)} ms, ${r.redraws} redraws`);
  return {
    secondsPerScreen: round((10 * 2 ** zoomOut)), bucketSize: bucket,
    frameP50Ms: round(pct(r.frameMs, 50)), frameP95Ms: round(pct(r.frameMs, 95)), frameMaxMs: round(Math.max(...r.frameMs)),
    drawP95Ms: round(pct(r.drawMs, 95) ?? NaN), redraws: r.redraws, frames: r.frameMs.length,
  };
}

await page.keyboard.press('Escape');
await page.locator('[data-testid="worklist"] li', { hasText: 'HOLTER' }).locator('button').click();
await page.waitForFunction(() => !!(document.querySelector('[data-testid="ecg-chart"]') as HTMLCanvasElement | null)?.dataset.drawnLeads, undefined, { timeout: 60_000 });
const pan = {
  calibrated10s: await panScenario(0),
  zoomed10min: await panScenario(6),
  zoomed2h45min: await panScenario(10),
};

await cleanup();

const result = {
  holterHours: hours,
  loadavg: os.loadavg().map(round),
  openTenSecondRecord: { firstPaintMedianMs: round(pct(firstPaint, 50)), firstPaintMaxMs: round(Math.max(...firstPaint)), runs: firstPaint.length, under200ms: Math.max(...firstPaint) < 200 },
  panHolter: pan,
  panFrameP95Ms: Math.max(...Object.values(pan).map((p) => p.frameP95Ms)),
  panUnder16ms: Object.values(pan).every((p) => p.frameP95Ms < 16),
};
process.stdout.write(JSON.stringify(result) + '\n');
