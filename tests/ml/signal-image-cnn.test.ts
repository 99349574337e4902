// `leadlens train --arch image-cnn --input gaf|mtf|rp`: the image CNN on signal images (each lead one channel), its
// card on the stored model, and predict, eval and explain reading records through the same card (openModel).
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chapmanWorkspace, topLabelCodes } from '../helpers/chapman-workspace.ts';
import { testCliContext } from '../helpers/run-cli.ts';
import type { Workspace } from '../../src-main/store/workspace.ts';
import { getRecordSignal } from '../../src-main/store/record-store.ts';
import { UsageError, type CliContext } from '../../src-main/cli/command.ts';
import { command as train } from '../../src-main/cli/commands/train.ts';
import { command as predict } from '../../src-main/cli/commands/predict.ts';
import { command as evaluate } from '../../src-main/cli/commands/eval.ts';
import { command as explain } from '../../src-main/cli/commands/explain.ts';
import { getModel } from '../../src-main/store/model-store.ts';
import { predictionsFor } from '../../src-main/store/prediction-store.ts';
import { loadSaliency } from '../../src-main/store/saliency-store.ts';
import { deserializeWeights } from '../../src-main/ml/model-weights.ts';
import { modelScorer, openModel } from '../../src-main/ml/open-model.ts';
import { signalImageInputs, signalImageLeads, signalImageSpec } from '../../src-main/ml/signal-image-dataset.ts';
import { predictProbabilities } from '../../src-main/ml/train.ts';
import { leadImage } from '../../src-main/chart/signal-image-input.ts';
import type { ExplainSummary } from '../../src-main/workspace/explain-records.ts';

let ws: Workspace;
let dir: string;
let classes: string[];
const logs: string[] = [];
const ctx = (): CliContext =>
  testCliContext(
    () => ws,
    (line) => logs.push(line),
  );
const run = (cmd: typeof train, options: Record<string, string | boolean>): Promise<unknown> =>
  cmd.run({ positionals: [], options }, ctx());

beforeAll(async () => {
  ({ ws, dir } = await chapmanWorkspace(12));
  classes = topLabelCodes(ws.db, 2);
});

afterAll(() => {
  ws.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe.each(['gaf', 'mtf', 'rp'] as const)('image CNN on %s signal images', (input) => {
  let modelId: number;

  it('trains and stores the input kind, image size, leads and channel stacking on the card', async () => {
    const r = (await run(train, {
      arch: 'image-cnn',
      input,
      'image-size': '16',
      leads: '2',
      epochs: '1',
      seed: '7',
      classes: classes.join(','),
    })) as { modelId: number; split: { train: number; validation: number; test: number } };
    modelId = r.modelId;
    expect(r.split.train + r.split.validation + r.split.test).toBe(12);
    const m = getModel(ws.db, modelId);
    expect(m.inputSpec).toMatchObject({
      kind: 'signal-image',
      transform: input,
      size: 16,
      leads: ['I', 'II'],
      channels: 'one-lead-per-channel',
      signal: { samplingRate: 100, samples: 1000, zscore: true },
    });
    expect(m.name).toBe(`image-cnn 2-lead ${input} 16px`);
    const spec = deserializeWeights(m.weights).spec;
    expect(spec.inputShape).toEqual([16, 16]);
    expect(spec.channels).toBe(2);
    const opened = await openModel(ws.db, modelId);
    expect(opened.input.kind).toBe('signal-image');
  });

  it("predict reads records through the card: the stored probabilities are the model on the card's images", async () => {
    const r = (await run(predict, { model: String(modelId), record: '3' })) as { records: number };
    expect(r.records).toBe(1);
    const rows = predictionsFor(ws.db, modelId, 3);
    expect(rows.map((p) => p.classCode).sort()).toEqual([...classes].sort());
    const opened = await openModel(ws.db, modelId);
    if (opened.kind !== 'tfjs' || opened.input.kind !== 'signal-image') throw new Error('expected a tfjs signal-image model');
    const record = getRecordSignal(ws.db, 3)!;
    const x = signalImageInputs([record], opened.input.card);
    // Channel l at pixel p is lead l's image under the card's transform.
    const leads = signalImageLeads(record, signalImageSpec(opened.input.card));
    const ii = leadImage(leads[1], opened.input.card).image;
    for (let p = 0; p < 256; p += 17) expect(x[p * 2 + 1]).toBeCloseTo(ii[p], 6);
    const direct = predictProbabilities(opened.model, x, 1);
    // The scorer runs the model's exported graph in onnxruntime: the same probabilities to float32 rounding.
    const scorer = await modelScorer(opened);
    expect(scorer.runtime).toBe('onnxruntime-node');
    const scored = await scorer.predict([record]);
    for (const p of rows) expect(p.probability).toBeCloseTo(direct[classes.indexOf(p.classCode)], 5);
    scored.forEach((p, i) => expect(Math.abs(p - direct[i])).toBeLessThan(1e-5));
  });

  it('eval reports per-class TP/FN/FP/TN that add up to the scored records', async () => {
    logs.length = 0;
    const e = (await run(evaluate, { model: String(modelId) })) as {
      records: number;
      perClass: Record<string, { tp: number; fn: number; fp: number; tn: number }>;
    };
    for (const code of classes) {
      const c = e.perClass[code];
      expect(c.tp + c.fn + c.fp + c.tn).toBe(e.records);
      expect(logs.some((l) => l.startsWith(code) && l.includes(` ${c.tp} `) && l.includes(`${c.tn}`))).toBe(true);
    }
    expect(logs.some((l) => /TP\s+FN\s+FP\s+TN/.test(l))).toBe(true);
  });

  it('explain maps the image-space gradient back onto lead x time of the model input', async () => {
    const s = (await run(explain, {
      model: String(modelId),
      record: '2',
      method: 'vanilla-gradient',
      fidelity: '0',
      sanity: '0',
    })) as ExplainSummary;
    expect(s.maps).toBe(1);
    const id = ws.db.prepare('SELECT id FROM saliency_map WHERE model_id = ? AND record_id = 2').pluck().get(modelId) as number;
    const map = loadSaliency(ws.db, id);
    expect(map.leads).toEqual(['I', 'II']);
    expect(map.samples).toBe(1000);
    for (let l = 0; l < 2; l++) expect(map.map.subarray(l * 1000, (l + 1) * 1000).some((v) => v > 0)).toBe(true);
  });
});

describe('train --input: usage', () => {
  it('refuses an unknown input, --layout with a signal image, --image-size with charts and --input for signal models', async () => {
    await expect(run(train, { arch: 'image-cnn', input: 'wavelet' })).rejects.toThrow(UsageError);
    await expect(run(train, { arch: 'image-cnn', input: 'gaf', layout: '3x4+II' })).rejects.toThrow(
      /--layout and --px-per-mm apply to --arch image-cnn --input chart only/,
    );
    await expect(run(train, { arch: 'image-cnn', layout: '3x4+II', 'image-size': '32' })).rejects.toThrow(
      /--image-size applies to signal images/,
    );
    await expect(run(train, { arch: 'small-cnn', input: 'rp' })).rejects.toThrow(/apply to --arch image-cnn only/);
    await expect(run(train, { arch: 'small-cnn', workers: '0' })).rejects.toThrow(/--workers needs a positive integer/);
  });
});
