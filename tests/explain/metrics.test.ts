// Consistency, fidelity, sanity-check and localisation on a real record.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import { readWfdbRecord } from '../../src-main/formats/wfdb-record.ts';
import { leadMillivolts, type EcgRecord } from '../../src-shared/record.ts';
import { detectQrs } from '../../src-main/dsp/qrs-detector.ts';
import { delineateMedianBeat, medianBeat } from '../../src-main/dsp/delineation.ts';
import { compareAttributions, type LeadTimeAttribution } from '../../src-main/explain/consistency.ts';
import { ranks, spearman } from '../../src-shared/rank-stats.ts';
import { fidelityCurves } from '../../src-main/explain/fidelity.ts';
import { randomisationCheck, randomiseLayersModel, sanityCheck } from '../../src-main/explain/sanity-check.ts';
import { localiseAttribution, rescaleIntervals, waveIntervals } from '../../src-main/explain/localisation.ts';
import { recordWaveIntervals } from '../../src-main/explain/record-waves.ts';
import { createModel } from '../../src-main/ml/models/index.ts';
import { recordToInput } from '../../src-main/ml/input-pipeline.ts';
import { ecgClassifier, layersClassifier } from '../../src-main/explain/saliency/classifier.ts';
import { signalTarget } from '../../src-main/explain/saliency/explain-target.ts';
import { occlusion, tfSignalPredict } from '../../src-main/explain/saliency/occlusion.ts';
import { vanillaGradient } from '../../src-main/explain/saliency/vanilla-gradient.ts';
import { gradientXInput } from '../../src-main/explain/saliency/gradient-x-input.ts';
import { dataPath } from '../helpers/shared-data.ts';
import { windowSignalModel } from './geometry-models.ts';

let record: EcgRecord;
let mv: Float32Array[];
let names: string[];
const amplitudeMap = (leads: Float32Array[]): LeadTimeAttribution => {
  const T = leads[0].length;
  const map = new Float32Array(leads.length * T);
  leads.forEach((s, l) => s.forEach((v, t) => (map[l * T + t] = Math.abs(v))));
  return { map, leads: names, samples: T };
};

beforeAll(async () => {
  await tf.setBackend('cpu');
  record = await readWfdbRecord(dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01', '010', 'JS00001.hea'));
  mv = record.leads.map(leadMillivolts);
  names = record.leads.map((l) => l.name);
});

describe('rank statistics', () => {
  it('ranks ties by their average rank', () => {
    expect(Array.from(ranks([10, 20, 10, 30]))).toEqual([1.5, 3, 1.5, 4]);
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBe(1);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBe(-1);
  });
});

describe('compareAttributions', () => {
  it('gives perfect agreement for a map with itself', () => {
    const a = amplitudeMap(mv);
    const m = compareAttributions(a, a);
    expect(m.leadSpearman).toBeCloseTo(1, 10);
    expect(m.topKOverlap).toBe(1);
    expect(m.ssim).toBeCloseTo(1, 10);
    expect(m.meanTimeProfileCorrelation).toBeCloseTo(1, 10);
  });
  it('detects a map whose leads are swapped (as if a layout mislabelled them)', () => {
    const a = amplitudeMap(mv);
    const b = amplitudeMap(mv.slice().reverse());
    const m = compareAttributions(a, b);
    expect(m.leadSpearman).toBeLessThan(0.5);
    expect(m.ssim).toBeLessThan(0.8);
    expect(m.meanTimeProfileCorrelation).toBeLessThan(0.9);
  });
  it('compares different lead sets on their common leads', () => {
    const a = amplitudeMap(mv);
    const sub = [0, 1, 2, 7];
    const b: LeadTimeAttribution = { map: new Float32Array(4 * 5000), leads: sub.map((i) => names[i]), samples: 5000 };
    sub.forEach((l, r) => b.map.set(a.map.subarray(l * 5000, (l + 1) * 5000), r * 5000));
    const m = compareAttributions(a, b);
    expect(m.leads).toEqual(['I', 'II', 'III', 'V2']);
    expect(m.leadSpearman).toBeCloseTo(1, 10);
    expect(() => compareAttributions(a, { ...b, samples: 4000 })).toThrow(/equal spans/);
  });
});

describe('fidelityCurves', () => {
  it('scores the true map faithful (deletion AUC below insertion AUC) and a wrong map not', async () => {
    const model = ecgClassifier(windowSignalModel(5000, 12, 7, 1000, 1200), 'window-v2');
    const predict = tfSignalPredict(model);
    const truth = await occlusion({ modelId: model.id, predict, signals: mv, leads: names }, { targetClass: 0, window: 500, batch: 24 });
    const good = await fidelityCurves(predict, mv, truth, { targetClass: 0, steps: 10 });
    expect(good.deletion[0]).toBeGreaterThan(0);
    expect(good.deletion[10]).toBe(0);
    expect(good.deletionAuc).toBeLessThan(0.1 * good.deletion[0]);
    expect(good.insertionAuc).toBeGreaterThan(0.9 * good.deletion[0]);
    const wrong = { ...truth, map: amplitudeMap(mv.slice().reverse()).map }; // anything but V2 1000-1200 first
    const bad = await fidelityCurves(predict, mv, wrong, { targetClass: 0, steps: 10 });
    expect(bad.deletionAuc).toBeGreaterThan(good.deletionAuc);
    expect(bad.insertionAuc).toBeLessThan(good.insertionAuc);
  });
});

describe('sanityCheck', () => {
  it('passes vanilla gradient (changes with the weights) and flags a map that ignores the model', () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv1d({
          inputShape: [5000, 12],
          filters: 8,
          kernelSize: 15,
          activation: 'relu',
          kernelInitializer: tfl.initializers.glorotNormal({ seed: 1 }),
        }),
        tfl.layers.globalAveragePooling1d({}),
        tfl.layers.dense({ units: 2, kernelInitializer: tfl.initializers.glorotNormal({ seed: 2 }) }),
      ],
    });
    const target = signalTarget({ model: layersClassifier(model, 'cnn'), signals: mv, leads: names });
    const before = vanillaGradient(target, { targetClass: 0 });
    const restore = randomiseLayersModel(model, 42);
    const after = vanillaGradient(target, { targetClass: 0 });
    restore();
    const again = vanillaGradient(target, { targetClass: 0 });
    expect(Buffer.from(again.map.buffer).equals(Buffer.from(before.map.buffer))).toBe(true); // weights restored
    const vg = sanityCheck(before, after);
    expect(vg.flagged).toBe(false);
    // Gradient x input on this shallow model is dominated by |input|: it barely changes → flagged.
    const gxiBefore = gradientXInput(target, { targetClass: 0 });
    const undo = randomiseLayersModel(model, 43);
    const gxiAfter = gradientXInput(target, { targetClass: 0 });
    undo();
    const inputOnly = sanityCheck(amplitudeMap(mv), amplitudeMap(mv));
    expect(inputOnly.flagged).toBe(true);
    expect(sanityCheck(gxiBefore, gxiAfter).spearman).toBeGreaterThan(vg.spearman);
  });
});

describe('randomisationCheck (the sanity check of the audit, on a stored-model architecture)', () => {
  it('passes vanilla gradient, flags a map that ignores the weights, and restores the weights even after a failure', async () => {
    const model = createModel({ arch: 'small-cnn', channels: 12, inputShape: [5000], classes: 2, seed: 9 });
    const target = signalTarget({ model: ecgClassifier(model, 'small-cnn'), signals: mv, leads: names });
    const before = vanillaGradient(target, { targetClass: 0 });
    const vg = await randomisationCheck(model.store, 1234, before, async () => vanillaGradient(target, { targetClass: 0 }));
    expect(vg.flagged).toBe(false);
    // A constructed "method" that reads only the input: identical under any weights.
    const inputOnly = await randomisationCheck(model.store, 1234, amplitudeMap(mv), async () => amplitudeMap(mv));
    expect(inputOnly).toMatchObject({ flagged: true });
    expect(inputOnly.spearman).toBeCloseTo(1, 10);
    await expect(
      randomisationCheck(model.store, 1234, before, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const after = vanillaGradient(target, { targetClass: 0 });
    expect(Buffer.from(after.map.buffer).equals(Buffer.from(before.map.buffer))).toBe(true);
  });
});

describe('localiseAttribution', () => {
  it('finds the amplitude of JS00001 concentrated in its QRS complexes', () => {
    const r = detectQrs(mv, 500);
    expect(r.length).toBeGreaterThan(5);
    const beat = medianBeat(mv, r, 300, 400);
    expect(beat).toBeDefined();
    const w = waveIntervals(r, delineateMedianBeat(beat!, 500), 5000, [Number(r[2])]);
    const loc = localiseAttribution(amplitudeMap(mv), w);
    expect(loc.qrs.coverage).toBeGreaterThan(0.05);
    expect(loc.qrs.coverage).toBeLessThan(0.4);
    expect(loc.qrs.enrichment).toBeGreaterThan(1.3); // 1.44 measured: |amplitude| peaks in QRS but T waves and offsets carry some
    expect(loc.pacing.coverage).toBeCloseTo(11 / 5000, 10);
    // A map that is 1 inside QRS complexes only: all of it is there.
    const onlyQrs: LeadTimeAttribution = { map: new Float32Array(12 * 5000), leads: names, samples: 5000 };
    for (const [s, e] of w.qrs) for (let l = 0; l < 12; l++) onlyQrs.map.fill(1, l * 5000 + s, l * 5000 + e);
    expect(localiseAttribution(onlyQrs, w).qrs.share).toBe(1);
  });
});

describe('recordWaveIntervals + rescaleIntervals (localisation in the time base of a model input)', () => {
  it('finds JS00001 beats and, at 100 Hz, a map concentrated on its QRS complexes gets nearly all its share there', () => {
    const w = recordWaveIntervals(record)!;
    const r = detectQrs(mv, 500);
    expect(w.qrs.length).toBe(r.length);
    // The model input: resampled to 100 Hz, first 1000 samples.
    const spec = { samplingRate: 100, samples: 1000, leads: names, bandpass: null, zscore: false };
    const x = recordToInput(record, spec);
    const m = rescaleIntervals(w, 0.2, 0, 1000);
    // A "map" that is |lead II|^4 of the model input: peaks at R, so in QRS, if the intervals were rescaled right.
    const map = new Float32Array(12 * 1000);
    for (let t = 0; t < 1000; t++) map[1 * 1000 + t] = x[t * 12 + 1] ** 4;
    const loc = localiseAttribution({ map, leads: names, samples: 1000 }, m, 1);
    expect(loc.qrs.share).toBeGreaterThan(0.8);
    expect(loc.qrs.coverage).toBeLessThan(0.3);
    // Not rescaled (record samples on a 1000-sample axis): the QRS intervals land in the wrong places.
    const wrong = rescaleIntervals(w, 1, 0, 1000);
    expect(localiseAttribution({ map, leads: names, samples: 1000 }, wrong, 1).qrs.share).toBeLessThan(0.5);
  });
});
