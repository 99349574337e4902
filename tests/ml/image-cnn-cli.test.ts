// `leadlens train --arch image-cnn --layout ...`: the image CNN trains on records rendered as charts, its card
// keeps the rendering, and predict and explain render records through the same chart input.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chapmanWorkspace } from '../helpers/chapman-workspace.ts';
import { testCliContext } from '../helpers/run-cli.ts';
import type { Workspace } from '../../src-main/store/workspace.ts';
import { getRecordSignal } from '../../src-main/store/record-store.ts';
import type { CliContext } from '../../src-main/cli/command.ts';
import { command as train } from '../../src-main/cli/commands/train.ts';
import { command as predict } from '../../src-main/cli/commands/predict.ts';
import { command as explain } from '../../src-main/cli/commands/explain.ts';
import { getModel } from '../../src-main/store/model-store.ts';
import { deserializeWeights } from '../../src-main/ml/model-weights.ts';
import { predictionsFor } from '../../src-main/store/prediction-store.ts';
import { chartInputs } from '../../src-main/ml/chart-dataset.ts';
import { cardRenderOptions, readChartInputCard } from '../../src-main/chart/chart-input.ts';
import { chartTarget } from '../../src-main/explain/saliency/explain-target.ts';
import { ecgClassifier } from '../../src-main/explain/saliency/classifier.ts';
import { loadSaliency } from '../../src-main/store/saliency-store.ts';
import { initBackend } from '../../src-main/ml/backend.ts';
import { leadMillivolts } from '../../src-shared/record.ts';
import type { ExplainSummary } from '../../src-main/workspace/explain-records.ts';

let ws: Workspace;
let dir: string;
const ctx = (): CliContext => testCliContext(() => ws);
const run = (cmd: typeof train, options: Record<string, string | boolean>): Promise<unknown> =>
  cmd.run({ positionals: [], options }, ctx());

beforeAll(async () => {
  ({ ws, dir } = await chapmanWorkspace(14));
});

afterAll(() => {
  ws.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('image CNN from the CLI', () => {
  let modelId: number;
  const LAYOUTS = ['3x4+II', '6x2'];

  it('trains on charts in the given layouts (mixed) and stores a card with layouts, resolution and ink', async () => {
    // The two most frequent labels of these records as classes.
    const classes = ws.db
      .prepare("SELECT code FROM label WHERE is_current = 1 AND vocabulary = 'SNOMED' GROUP BY code ORDER BY COUNT(*) DESC, code LIMIT 2")
      .pluck()
      .all() as string[];
    const r = (await run(train, {
      arch: 'image-cnn',
      layout: LAYOUTS.join(','),
      'px-per-mm': '1',
      epochs: '2',
      classes: classes.join(','),
    })) as { modelId: number; split: { train: number; validation: number; test: number }; bestEpoch: number };
    modelId = r.modelId;
    expect(r.split.train + r.split.validation + r.split.test).toBe(14);
    expect(r.bestEpoch).toBeGreaterThanOrEqual(1);
    const m = getModel(ws.db, modelId);
    const card = readChartInputCard(m.inputSpec);
    expect(m.inputSpec).toMatchObject({ kind: 'chart', layouts: LAYOUTS, pxPerMm: 1, ink: 'gray', grid: true, calibration: true });
    // 3x4+II at 1 px/mm is 110 px high (4 rows of 25 mm + rounding), 6x2 is 6 rows of 20 mm: the canvas is the larger.
    expect(card.canvas[0]).toBe(120);
    expect(deserializeWeights(m.weights).spec.inputShape).toEqual(card.canvas);
    expect(m.classes).toEqual(classes);
  });

  it('explain renders exactly the input the model trained on (one renderer, padded to the canvas)', async () => {
    await initBackend();
    const m = getModel(ws.db, modelId);
    const card = readChartInputCard(m.inputSpec);
    const record = getRecordSignal(ws.db, 1)!;
    const trained = chartInputs([record], card, '3x4+II');
    const { chart, raster, canvas } = cardRenderOptions(card, '3x4+II');
    const target = chartTarget({
      model: ecgClassifier(deserializeWeights(m.weights), 'm'),
      millivolts: record.leads.map(leadMillivolts),
      leads: record.leads.map((l) => l.name),
      samplingRate: record.samplingRate,
      chart,
      raster,
      canvas,
    });
    expect(target.inputShape).toEqual([...card.canvas, 1]);
    expect(target.input.length).toBe(trained.length);
    let maxDiff = 0;
    for (let i = 0; i < trained.length; i++) maxDiff = Math.max(maxDiff, Math.abs(target.input[i] - trained[i] / 255));
    expect(maxDiff).toBeLessThan(1e-6);
    expect(trained.some((v) => v === 255)).toBe(true);
  });

  it('predict gives class probabilities for a record', async () => {
    const r = (await run(predict, { model: String(modelId), record: '3' })) as { records: number };
    expect(r.records).toBe(1);
    const rows = predictionsFor(ws.db, modelId, 3);
    expect(rows).toHaveLength(2);
    for (const p of rows) {
      expect(p.probability).toBeGreaterThan(0);
      expect(p.probability).toBeLessThan(1);
    }
  });

  it('explain maps image-space saliency back onto lead x time, in trained and untrained layouts', async () => {
    const s = (await run(explain, {
      model: String(modelId),
      record: '2',
      method: 'vanilla-gradient',
      layouts: '3x4+II,12x1',
      fidelity: '0',
      sanity: '0',
    })) as ExplainSummary;
    expect(s.maps).toBe(2);
    const rows = ws.db.prepare('SELECT id, layout FROM saliency_map WHERE model_id = ? AND record_id = 2 ORDER BY layout').all(modelId) as {
      id: number;
      layout: string;
    }[];
    expect(rows.map((r) => r.layout)).toEqual(['12x1', '3x4+II']);
    const layoutOf = (id: number) => rows.find((r) => r.id === id)!.layout;
    for (const { id } of rows) {
      const map = loadSaliency(ws.db, id);
      // 3x4+II keeps its rhythm strip as a 13th row, apart from the grid's II.
      expect(map.leads).toEqual(layoutOf(id) === '3x4+II' ? [...map.leads.slice(0, 12), 'II (rhythm strip)'] : map.leads.slice(0, 12));
      expect(map.samples).toBe(5000);
      // Every lead (and the strip) is drawn somewhere in both layouts, so each gets attribution.
      for (let l = 0; l < map.leads.length; l++) expect(map.map.subarray(l * 5000, (l + 1) * 5000).some((v) => v > 0)).toBe(true);
    }
    expect(s.spearmanByMethod?.['vanilla-gradient']?.n).toBe(1);
  });

  it('a single-record report fills sanity_spearman for every map and names the target class by code', async () => {
    const report = path.join(dir, 'single-record-report');
    const s = (await run(explain, {
      model: String(modelId),
      record: '4',
      method: 'gradient-x-input',
      fidelity: '0',
      report,
    })) as ExplainSummary;
    expect(s.records).toBe(1);
    const [header, ...rows] = fs.readFileSync(path.join(report, 'maps.csv'), 'utf8').trim().split('\n');
    const col = (name: string): number => header.split(',').indexOf(name);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      const cells = row.split(',');
      expect(cells[col('empty')]).toBe('');
      expect(Number.isFinite(Number.parseFloat(cells[col('sanity_spearman')]))).toBe(true);
      expect(/^\d{6,}$/.test(cells[col('target_class')])).toBe(true);
    }
  });

  it('explain without --layouts draws the record in the layouts the model trained on', async () => {
    const s = (await run(explain, {
      model: String(modelId),
      record: '3',
      method: 'gradient-x-input',
      fidelity: '0',
      sanity: '0',
    })) as ExplainSummary;
    expect(s.maps).toBe(2);
    const layouts = ws.db
      .prepare('SELECT layout FROM saliency_map WHERE model_id = ? AND record_id = 3 ORDER BY layout')
      .pluck()
      .all(modelId);
    expect(layouts).toEqual(['3x4+II', '6x2']);
  });
});
