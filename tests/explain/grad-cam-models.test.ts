// Grad-CAM on the ML engine's own architectures: every backbone stage is a layer Grad-CAM can read,
// splitting there leaves the model's output unchanged, and (for the architectures whose untrained
// layers keep zero input at zero: convolutions without bias, batch norm at its initial statistics)
// a burst on one lead in one window gets a Grad-CAM no farther from it than the layer's receptive
// field after upsampling to the input (a misaligned or reversed upsampling fails).
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src-main/ml/backend.ts';
import { createModel } from '../../src-main/ml/models/index.ts';
import { ARCHITECTURES, type Architecture } from '../../src-main/ml/models/model.ts';
import { ecgClassifier } from '../../src-main/explain/saliency/classifier.ts';
import { chartTarget, signalTarget } from '../../src-main/explain/saliency/explain-target.ts';
import { gradCam } from '../../src-main/explain/saliency/grad-cam.ts';
import { guidedGradCam } from '../../src-main/explain/saliency/guided-grad-cam.ts';

const T = 1000;
const LEADS = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'];
const STAGES: Record<Architecture, string[]> = {
  'small-cnn': ['block0', 'block1', 'block2'],
  'resnet-se': ['stem', 'stage0', 'stage1', 'stage2', 'stage3'],
  'dilated-cnn': ['block0', 'block1', 'block2'],
  'dilated-cnn-leadwise': ['block0', 'block1', 'block2', 'mix'],
  crnn: ['conv0', 'conv1', 'conv2', 'lstm', 'se'],
  'image-cnn': ['block0', 'block1', 'block2'],
};

/** Zero everywhere but a 100-sample burst (a few cycles of a sine) on V2 from sample 600. */
function burst(): Float32Array[] {
  const signals = LEADS.map(() => new Float32Array(T));
  for (let t = 600; t < 700; t++) signals[7][t] = 2 * Math.sin((2 * Math.PI * (t - 600)) / 25);
  return signals;
}

beforeAll(async () => {
  await initBackend('cpu');
});

describe('Grad-CAM layers of the stored architectures', () => {
  for (const arch of ARCHITECTURES) {
    it(`${arch}: stages ${STAGES[arch].join(', ')} are layers, and splitting at each keeps the output`, () => {
      const image = arch === 'image-cnn';
      const model = createModel({ arch, channels: image ? 1 : 12, inputShape: image ? [48, 64] : [T], classes: 2, seed: 11 });
      const c = ecgClassifier(model, arch);
      expect(c.layers).toEqual(STAGES[arch].slice().reverse());
      const x = tf.tensor(
        Float32Array.from({ length: image ? 48 * 64 : T * 12 }, (_, i) => Math.sin(i * 0.37)),
        image ? [1, 48, 64, 1] : [1, T, 12],
      );
      const whole = c.forward(x).dataSync();
      for (const layer of c.layers) {
        const { features, fromFeatures } = c.split(layer);
        const split = fromFeatures(features(x)).dataSync();
        for (let k = 0; k < whole.length; k++) expect(split[k]).toBeCloseTo(whole[k], 4);
      }
      expect(() => c.split('nope')).toThrow(`model ${arch} has no layer 'nope' (layers: ${c.layers.join(', ')})`);
    });
  }

  // Half-width (samples) of the input a stage's output step can see, plus one step for the block it covers and
  // one for the linear upsampling: sum of (kernel - 1) / 2 x dilation x input stride over convolutions,
  // (pool - 1) x input stride over pools, then 2 x the stage's stride.
  const REACH: Record<string, Record<string, number>> = {
    'small-cnn': { block0: 3 + 3 + 2 * 4, block1: 6 + 3 * 4 + 3 * 4 + 2 * 16, block2: 30 + 3 * 16 + 1 * 16 + 2 * 32 },
    'resnet-se': { stem: 8 + 1 * 2 + 2 * 4, stage0: 10 + 2 * 4 * 4 + 2 * 4 },
    'dilated-cnn': { block0: 8 + 3 + 2 * 4, block1: 11 + 8 * 4 + 3 * 4 + 2 * 16 },
  };
  for (const [arch, reach] of Object.entries(REACH)) {
    it(`${arch}: Grad-CAM of a V2 burst at 600-700 stays within each layer's reach of it, and records the layer`, () => {
      // Seed 5: every layer listed has a class whose (untrained) CAM is positive somewhere.
      const model = createModel({ arch: arch as Architecture, channels: 12, inputShape: [T], classes: 2, seed: 5 });
      const target = signalTarget({ model: ecgClassifier(model, arch), signals: burst(), leads: LEADS });
      for (const [layer, r] of Object.entries(reach)) {
        // Untrained weights: a class's CAM may be all negative (ReLU → 0); take the class with mass.
        const cam = [0, 1].map((k) => gradCam(target, { targetClass: k, layer })).find((m) => m.map.some((v) => v > 0));
        expect(cam, `${arch} ${layer}: no class with a positive Grad-CAM`).toBeDefined();
        expect(cam!.provenance).toMatchObject({ method: 'grad-cam', layer });
        // Lead I's row (a 1D CAM is the same on every lead): zero beyond the reach, since zero input stays zero.
        const support = Array.from(cam!.map.subarray(0, T).entries())
          .filter(([, v]) => v > 0)
          .map(([t]) => t);
        expect(support[0]).toBeGreaterThanOrEqual(600 - r);
        expect(support[support.length - 1]).toBeLessThan(700 + r);
      }
    });
  }

  it('guided Grad-CAM is zero wherever Grad-CAM on the same layer is (the CAM gates the guided gradient)', () => {
    const model = createModel({ arch: 'small-cnn', channels: 12, inputShape: [T], classes: 2, seed: 5 });
    const target = signalTarget({ model: ecgClassifier(model, 'small-cnn'), signals: burst(), leads: LEADS });
    const k = [0, 1].find((c) => gradCam(target, { targetClass: c, layer: 'block1' }).map.some((v) => v > 0))!;
    const cam = gradCam(target, { targetClass: k, layer: 'block1' });
    const guided = guidedGradCam(target, { targetClass: k, layer: 'block1' });
    expect(guided.provenance).toMatchObject({ method: 'guided-grad-cam', layer: 'block1' });
    expect(guided.map.some((v) => v > 0)).toBe(true);
    for (let i = 0; i < guided.map.length; i++) if (cam.map[i] === 0) expect(guided.map[i]).toBe(0);
  });

  it('image-cnn: Grad-CAM on a rendered chart maps back to lead x time', () => {
    // The image CNN pools globally: its weights fit any chart size.
    const model = createModel({ arch: 'image-cnn', channels: 1, inputShape: [1, 1], classes: 2, seed: 5 });
    const mv = burst().map((s) => s.map((v) => v / 2));
    const target = chartTarget({
      model: ecgClassifier(model, 'image'),
      millivolts: mv,
      leads: LEADS,
      samplingRate: 100,
      chart: { layout: '12x1', pxPerMm: 1 },
    });
    const r = gradCam(target, { targetClass: 0, layer: 'block1' });
    expect([r.leads.length, r.samples]).toEqual([12, T]);
    expect(r.provenance).toMatchObject({ layer: 'block1', layout: '12x1' });
    expect(r.map.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
  });
});
