import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { READERS } from '../../src-main/formats/readers.ts';
import { saveSaliency } from '../../src-main/store/saliency-store.ts';
import { ingestPaths } from '../../src-main/ingest/ingest-files.ts';
import { saveModel } from '../../src-main/store/model-store.ts';
import { savePredictions } from '../../src-main/store/prediction-store.ts';
import { openWorkspace } from '../../src-main/store/workspace.ts';
import { artifactPath, servedWorkspace } from '../helpers/browser.ts';
import { REPO_ROOT } from '../helpers/shared-data.ts';

// Model review and the saliency comparison in Chromium, on the demo records with a model's predictions and two
// saliency maps (layouts 3x4+II and 12x1) stored the way the ML and explainability engines store them.
const SB = '426177001';
const AF = '164889003';
const ids: Record<string, number> = {};
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 20_000 });

const app = servedWorkspace(async (dir) => {
  const ws = openWorkspace(dir);
  await ingestPaths(ws, [path.join(REPO_ROOT, 'resources', 'samples')], { readers: READERS });
  for (const r of ws.db.prepare('SELECT id, record_name FROM record').all() as { id: number; record_name: string }[])
    ids[r.record_name] = r.id;
  const modelId = saveModel(ws.db, {
    name: 'chart-cnn',
    kind: 'tfjs',
    architecture: 'image-cnn',
    hyperparameters: {},
    classes: [SB, AF],
    leadSet: ['I', 'II'],
    inputSpec: {},
    metrics: {},
    runtime: 'test',
    weights: new Uint8Array(4),
    records: [],
    labelIds: [],
  });
  const p = (name: string, code: string, probability: number) => ({
    recordId: ids[name],
    classCode: code,
    probability,
    predicted: probability >= 0.5,
  });
  savePredictions(ws.db, modelId, [
    p('JS00004', SB, 0.9),
    p('JS00008', SB, 0.2),
    p('JS00012', SB, 0.6),
    p('JS00036', SB, 0.1),
    p('JS00049', SB, 0.45),
    p('JS00004', AF, 0.1),
    p('JS00008', AF, 0.3),
    p('JS00012', AF, 0.2),
    p('JS00036', AF, 0.95),
    p('JS00049', AF, 0.05),
  ]);
  const leads = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'];
  const samples = 5000;
  const map = (hotLead: number, shift: number) => {
    const m = new Float32Array(leads.length * samples);
    for (let l = 0; l < leads.length; l++)
      for (let i = 0; i < samples; i++) m[l * samples + i] = (l === hotLead ? 1 : 0.1) * Math.max(0, Math.sin((i + shift) / 80));
    return m;
  };
  const prov = (layout: string) => ({
    model: String(modelId),
    method: 'grad-cam',
    baseline: null,
    targetClass: 1,
    layer: 'conv3',
    preprocessing: 'chart 2px/mm ink',
    layout,
    seed: null,
    params: {},
  });
  saveSaliency(ws.db, ids.JS00036, modelId, { map: map(1, 0), leads, samples, provenance: prov('3x4+II') });
  saveSaliency(ws.db, ids.JS00036, modelId, { map: map(1, 40), leads, samples, provenance: prov('12x1') });
  ws.close();
});

describe('model review and saliency comparison', () => {
  it('shows per-class metrics, a confusion matrix whose cells open their records, ROC/PR and reliability plots', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(app.url);
    await page.locator('[data-testid="view-models"]').click();
    const table = page.locator('[data-testid="metrics-table"]');
    await poll(() => table.locator('tbody tr').count()).toBe(2);
    expect(await table.locator(`tr[data-code="${SB}"]`).innerText()).toMatch(/SB\s+5\s+2\s+1\s+1\s+1\s+2\s+0\.500\s+0\.833/);
    await table.locator(`tr[data-code="${SB}"]`).click();
    expect(await page.locator('[data-cell="fp"]').innerText()).toBe('FP 1');
    expect(await page.locator('[data-testid="curve-ROC"] path.curve').getAttribute('d')).toMatch(/^M/);
    expect(await page.locator('[data-testid="curve-PR"] path.curve').getAttribute('d')).toMatch(/^M/);
    expect(await page.locator('[data-testid="reliability"] circle').count()).toBeGreaterThan(2);
    // The false positive is JS00012 (SB predicted at 0.6, labelled sinus tachycardia): the cell opens it.
    await page.locator('[data-cell="fp"]').click();
    await page.locator('[data-testid="cell-records"] button').first().click();
    await poll(() => page.locator('[data-testid="record-name"]').textContent()).toBe('JS00012');
    const sbRow = page.locator(`[data-testid="class-row"][data-code="${SB}"]`);
    await poll(async () => (await sbRow.locator('[data-model]').getAttribute('data-model')) ?? '').toMatch(/chart-cnn:0\.600:true/);
    expect(await sbRow.getAttribute('data-agree')).toBe('no');
    await page.screenshot({ path: artifactPath('models-open-from-confusion.png') });
    expect(errors).toEqual([]);
  });

  it('draws a saliency overlay with lead importance and compares the maps of two layouts', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1800, height: 1100 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(app.url);
    await page.locator('[data-testid="worklist"] li', { hasText: 'JS00036' }).locator('button').click();
    const select = page.locator('[data-testid="saliency-map"]');
    await poll(() => select.locator('option').count()).toBe(3);
    await select.selectOption({ index: 1 });
    await poll(() => page.locator('[data-testid="overlay"] rect.saliency').count()).toBeGreaterThan(10);
    // Lead II holds most of the attribution: its bar leads, and the heat sits on lead II's panels.
    const bars = await page.locator('[data-testid="lead-importance"] .bar').allInnerTexts();
    expect(bars[1]).toMatch(/^II\s+48%/); // weight 1 against 11 x 0.1
    const heatLeads = new Set(
      await page.locator('[data-testid="overlay"] rect.saliency').evaluateAll((rs) => rs.map((r) => (r as SVGElement).dataset.lead)),
    );
    expect(heatLeads.has('II')).toBe(true);
    await page.locator('[data-testid="saliency-compare"]').selectOption({ index: 1 });
    const comparison = page.locator('[data-testid="saliency-comparison"]');
    await poll(() => comparison.innerText()).toMatch(/top-3 overlap 1\.00/);
    expect(await comparison.innerText()).toMatch(/lead rank ρ 1\.00/);
    expect(await comparison.locator('svg.heat').count()).toBe(2);
    expect(await comparison.innerText()).toMatch(/3x4\+II[\s\S]*12x1/);
    await page.screenshot({ path: artifactPath('saliency-comparison.png') });
    expect(errors).toEqual([]);
  });
});
