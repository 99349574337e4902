// Viewer responsiveness in headless Chromium through `leadlens serve`: frame time (pointer move to the rendered
// frame showing the new position) while drag-panning a synthetic 12-lead 24 h Holter (calibrated 10 s view from
// raw samples, and zoomed-out views from the min/max pyramid), and time from click to first paint and to the rule
// decisions when opening a 10 s record. Needs `node scripts/build.mjs` first.
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

// BENCH_VIEWER_WORKSPACE keeps the ingested Holter between runs (for before/after comparisons in one session).
const kept = process.env.BENCH_VIEWER_WORKSPACE;
const workspace = kept ?? tmp('leadlens-bench-viewer-ws-');
if (!kept || !fs.existsSync(path.join(kept, 'holter-ingested'))) {
  const dataDir = tmp('leadlens-bench-viewer-data-');
  log(`writing a ${hours} h Holter...`);
  const hea = writeHolter(dataDir, hours);
  const t0 = performance.now();
  const ingest = runLeadlens(['ingest', '--workspace', workspace, hea]);
  if (ingest.status !== 0) throw new Error(`ingest failed: ${ingest.stderr.trim()}`);
  log(`ingested in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (kept) fs.writeFileSync(path.join(kept, 'holter-ingested'), `${hours}\n`);
}

const serve = await startServe(['--workspace', workspace]);
const browser = await launchChromium();
// Never leave serve or Chromium behind, whatever fails below.
const cleanup = async () => {
  await browser.close().catch(() => undefined);
  await serve.stop();
  if (!kept) fs.rmSync(workspace, { recursive: true, force: true });
};
process.on('uncaughtException', (e) => {
  log(String(e));
  void cleanup().then(() => process.exit(1));
});
process.on('unhandledRejection', (e) => {
  log(String(e));
  void cleanup().then(() => process.exit(1));
});
const page = await browser.newPage({ viewport: { width: 1800, height: 1100 } });
// tsx keeps function names with a `__name` helper that does not exist inside the page.
await page.addInitScript('window.__name = (f) => f');
// Every signal window call is kept for the window-call figures below.
await page.addInitScript('performance.setResourceTimingBufferSize(1000000)');
await page.goto(serve.url);
await page.locator('[data-testid="worklist"] li', { hasText: 'JS00004' }).waitFor({ timeout: 60_000 });

/**
 * Click to the first frame with every lead drawn (the canvas says which leads it drew), and click to the rule
 * decisions shown in the class table (computed in the analysis pool after the paint).
 */
async function openRecord(p: Page, name: string): Promise<{ paintMs: number; rulesMs: number }> {
  await p.keyboard.press('Escape');
  await p.locator('[data-testid="ecg-chart"]').waitFor({ state: 'detached' });
  const button = p.locator('[data-testid="worklist"] li', { hasText: name }).locator('button');
  return button.evaluate(
    (b: HTMLButtonElement) =>
      new Promise<{ paintMs: number; rulesMs: number }>((resolve) => {
        const start = performance.now();
        let paintMs: number | undefined;
        b.click();
        const check = () => {
          const c = document.querySelector('[data-testid="ecg-chart"]') as HTMLCanvasElement | null;
          if (paintMs === undefined && c && c.dataset.drawnLeads) paintMs = performance.now() - start;
          const ruled = document.querySelector('[data-testid="class-row"]:not([data-rule=""])');
          if (paintMs !== undefined && ruled) resolve({ paintMs, rulesMs: performance.now() - start });
          else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      }),
  );
}

/**
 * The signal window calls since the last look, from the page's resource timing: request to last byte (server time
 * and transfer; decoding is in the frame figures) and body bytes.
 */
async function windowCalls(p: Page): Promise<{ calls: number; p50Ms: number; p95Ms: number; medianKiB: number }> {
  const entries = await p.evaluate(() => {
    const out = (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
      .filter((r) => r.name.includes('/api/records.signal'))
      .map((r) => ({ ms: r.duration, bytes: r.encodedBodySize }));
    performance.clearResourceTimings();
    return out;
  });
  const ms = entries.map((e) => e.ms);
  return {
    calls: entries.length,
    p50Ms: round(pct(ms, 50) ?? NaN),
    p95Ms: round(pct(ms, 95) ?? NaN),
    medianKiB: round(
      (pct(
        entries.map((e) => e.bytes),
        50,
      ) ?? NaN) / 1024,
    ),
  };
}

const firstPaint: number[] = [];
const rulesShown: number[] = [];
for (let round_ = 0; round_ < 3; round_++) {
  for (const name of ['JS00004', 'JS00008', 'JS00012', 'JS00036', 'JS00049']) {
    const open = await openRecord(page, name);
    firstPaint.push(open.paintMs);
    rulesShown.push(open.rulesMs);
    // Let the measurements that follow the paint finish before the next open.
    await page.locator('[data-testid="measurements"]').waitFor({ timeout: 60_000 });
  }
}
log(`first paint (ms): ${firstPaint.map((x) => x.toFixed(0)).join(' ')}`);
log(`rules shown (ms): ${rulesShown.map((x) => x.toFixed(0)).join(' ')}`);
const openCalls = await windowCalls(page);
log(`window calls while opening: ${JSON.stringify(openCalls)}`);

interface PanTrace {
  inputToFrameMs: number[];
  rafMs: number[];
  drawMs: number[];
  redraws: number;
  staleFrames: number;
  coarseFrames: number;
}

/**
 * Drags the paper 20 px per animation frame (a brisk hand pan: about half a screen a second). A frame's time is
 * what a user sees: from a pointer move to the end of the first frame whose canvas shows the position it asked for
 * (drawn view start within a sample of it, or past it), data waits included. The frame's end is taken after its
 * rendering steps (a message posted from requestAnimationFrame runs after them). Each move is dispatched at the
 * start of a frame, as Chromium dispatches real pointer moves aligned to frames.
 */
async function panFrames(p: Page, frames: number): Promise<PanTrace> {
  return p.evaluate(
    (n) =>
      new Promise<PanTrace>((resolve) => {
        const canvas = document.querySelector('[data-testid="ecg-chart"]') as HTMLCanvasElement;
        const overlay = document.querySelector('[data-testid="overlay"]') as SVGElement;
        const panel = (JSON.parse(canvas.dataset.panels!) as { width: number; startSample: number; endSample: number }[])[0];
        const samplesPerPx = (panel.endSample - panel.startSample) / panel.width;
        const start0 = Number(canvas.dataset.viewStart);
        let x = 1000;
        overlay.dispatchEvent(new PointerEvent('pointerdown', { clientX: x, clientY: 200, bubbles: true, pointerId: 1 }));
        const sent: { at: number; want: number }[] = [];
        const inputToFrameMs: number[] = [];
        const rafMs: number[] = [];
        const drawMs: number[] = [];
        let shown = 0;
        let lastRaf = 0;
        let lastStart = canvas.dataset.viewStart;
        let redraws = 0,
          staleFrames = 0,
          coarseFrames = 0;
        const channel = new MessageChannel();
        // After the frame's rendering: which moves does the canvas now show?
        channel.port1.onmessage = () => {
          const end = performance.now();
          const drawn = Number(canvas.dataset.viewStart);
          if (canvas.dataset.viewStart !== lastStart) {
            redraws++;
            drawMs.push(Number(canvas.dataset.drawMs));
            lastStart = canvas.dataset.viewStart;
          }
          while (shown < sent.length && drawn >= sent[shown].want - 1) inputToFrameMs.push(end - sent[shown++].at);
          if (shown < sent.length) staleFrames++;
          else if (canvas.dataset.exact === 'false') coarseFrames++;
          // After the last move, wait (up to 2 s) for the frame that shows it; a move never shown counts as waited until then.
          if (sent.length >= n && (shown === n || end - sent[n - 1].at > 2000)) {
            while (shown < n) inputToFrameMs.push(end - sent[shown++].at);
            overlay.dispatchEvent(new PointerEvent('pointerup', { clientX: x, clientY: 200, bubbles: true, pointerId: 1 }));
            resolve({ inputToFrameMs, rafMs, drawMs, redraws, staleFrames, coarseFrames });
          } else requestAnimationFrame(step);
        };
        const step = (now: number) => {
          if (lastRaf) rafMs.push(now - lastRaf);
          lastRaf = now;
          if (sent.length < n) {
            x -= 20;
            sent.push({ at: performance.now(), want: start0 + (1000 - x) * samplesPerPx });
            overlay.dispatchEvent(new PointerEvent('pointermove', { clientX: x, clientY: 200, bubbles: true, pointerId: 1 }));
          }
          channel.port2.postMessage(0);
        };
        requestAnimationFrame(step);
      }),
    frames,
  );
}

async function panScenario(zoomOut: number): Promise<Record<string, number>> {
  await page.keyboard.press('0');
  for (let i = 0; i < zoomOut; i++) await page.keyboard.press('-');
  await page.waitForFunction(
    (z) => (document.querySelector('[data-testid="zoom"]') as HTMLElement).innerText.includes(z === 0 ? 'no zoom' : '(zoom)'),
    zoomOut,
  );
  // Settle: the view drawn from its own data at this zoom (min/max pyramid once a screen holds more samples than
  // pixels), not a coarser stand-in.
  await page.waitForFunction(
    (z) => {
      const c = document.querySelector('[data-testid="ecg-chart"]') as HTMLCanvasElement;
      return (z === 0 ? c.dataset.bucket === '1' : Number(c.dataset.bucket) > 1) && c.dataset.exact !== 'false';
    },
    zoomOut,
    { timeout: 120_000 },
  );
  await page.waitForTimeout(500);
  const bucket = Number(await page.locator('[data-testid="ecg-chart"]').getAttribute('data-bucket'));
  await windowCalls(page);
  const r = await panFrames(page, 300);
  const calls = await windowCalls(page);
  const span = await page.locator('[data-testid="zoom"]').innerText();
  const frameMs = r.inputToFrameMs;
  log(
    `pan zoomOut=${zoomOut} (${span}, bucket ${bucket}): p50/p95 input-to-frame ${pct(frameMs, 50).toFixed(1)}/${pct(frameMs, 95).toFixed(1)} ms, ` +
      `p95 rAF interval ${pct(r.rafMs, 95).toFixed(1)} ms, p95 draw ${pct(r.drawMs, 95)?.toFixed(1)} ms, ${r.redraws} redraws, ${r.staleFrames} stale and ${r.coarseFrames} coarser frames; ` +
      `window calls ${JSON.stringify(calls)}`,
  );
  return {
    secondsPerScreen: round(10 * 2 ** zoomOut),
    bucketSize: bucket,
    frameP50Ms: round(pct(frameMs, 50)),
    frameP95Ms: round(pct(frameMs, 95)),
    frameMaxMs: round(Math.max(...frameMs)),
    rafIntervalP95Ms: round(pct(r.rafMs, 95)),
    drawP95Ms: round(pct(r.drawMs, 95) ?? NaN),
    redraws: r.redraws,
    staleFrames: r.staleFrames,
    coarserFrames: r.coarseFrames,
    moves: frameMs.length,
    windowCalls: calls.calls,
    windowCallP50Ms: calls.p50Ms,
    windowCallP95Ms: calls.p95Ms,
    windowCallMedianKiB: calls.medianKiB,
  };
}

await page.keyboard.press('Escape');
await page.locator('[data-testid="worklist"] li', { hasText: 'HOLTER' }).locator('button').click();
await page.waitForFunction(
  () => !!(document.querySelector('[data-testid="ecg-chart"]') as HTMLCanvasElement | null)?.dataset.drawnLeads,
  undefined,
  { timeout: 60_000 },
);
const pan = {
  calibrated10s: await panScenario(0),
  zoomed10min: await panScenario(6),
  zoomed2h45min: await panScenario(10),
};

await cleanup();

const result = {
  holterHours: hours,
  loadavg: os.loadavg().map(round),
  openTenSecondRecord: {
    firstPaintMedianMs: round(pct(firstPaint, 50)),
    firstPaintMaxMs: round(Math.max(...firstPaint)),
    runs: firstPaint.length,
    under200ms: Math.max(...firstPaint) < 200,
    // The first open is the one the analysis worker's start-up would fall on.
    rulesShownFirstOpenMs: round(rulesShown[0]),
    rulesShownMedianMs: round(pct(rulesShown, 50)),
    windowCalls: openCalls.calls,
    windowCallP50Ms: openCalls.p50Ms,
    windowCallP95Ms: openCalls.p95Ms,
    windowCallMedianKiB: openCalls.medianKiB,
  },
  panHolter: pan,
  panFrameP95Ms: Math.max(...Object.values(pan).map((p) => p.frameP95Ms)),
  panUnder16ms: Object.values(pan).every((p) => p.frameP95Ms < 16),
};
process.stdout.write(JSON.stringify(result) + '\n');
