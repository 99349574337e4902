import * as tf from '@tensorflow/tfjs-core';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src-main/ml/backend.ts';
import { createModel } from '../../src-main/ml/models/index.ts';
import { ARCHITECTURES, type Architecture, type EcgModel, type ModelSpec } from '../../src-main/ml/models/model.ts';
import { exportModelOnnx } from '../../src-main/ml/onnx-export.ts';
import { seededRandom } from '../../src-shared/seeded-random.ts';

// Every architecture the app trains, exported and run by onnxruntime, against the same weights in tfjs.
// Weights, biases and batch-norm statistics are randomised first, so a transposed kernel, a swapped LSTM gate or a
// dropped statistic shows up as a different answer rather than hiding behind zeros and ones.
const SPECS: Record<Architecture, ModelSpec> = {
  'small-cnn': { arch: 'small-cnn', channels: 12, inputShape: [500], classes: 5, seed: 3 },
  'resnet-se': { arch: 'resnet-se', channels: 12, inputShape: [499], classes: 5, seed: 3 },
  'dilated-cnn': { arch: 'dilated-cnn', channels: 6, inputShape: [500], classes: 4, seed: 3 },
  'dilated-cnn-leadwise': { arch: 'dilated-cnn-leadwise', channels: 4, inputShape: [400], classes: 3, seed: 3 },
  crnn: { arch: 'crnn', channels: 2, inputShape: [640], classes: 4, seed: 3 },
  'image-cnn': { arch: 'image-cnn', channels: 3, inputShape: [48, 72], classes: 4, seed: 3 },
};

function randomise(model: EcgModel, seed: number): void {
  const rand = seededRandom(seed);
  for (const [name, v] of [...model.store.params, ...model.store.state]) {
    const values = Float32Array.from(v.dataSync(), (x) =>
      name.endsWith('/variance') ? 0.5 + rand() : name.endsWith('/mean') ? (rand() - 0.5) * 0.4 : x + (rand() - 0.5) * 0.2,
    );
    v.assign(tf.tensor(values, v.shape));
  }
}

/** channels-last model input [n, ...inputShape, channels] to the graph's layout. */
function graphInput(spec: ModelSpec, x: Float32Array, n: number): { dims: number[]; values: Float32Array } {
  if (spec.inputShape.length === 2) return { dims: [n, ...spec.inputShape, spec.channels], values: x };
  const [samples] = spec.inputShape;
  const c = spec.channels;
  const values = new Float32Array(x.length);
  for (let b = 0; b < n; b++)
    for (let t = 0; t < samples; t++) for (let l = 0; l < c; l++) values[(b * c + l) * samples + t] = x[(b * samples + t) * c + l];
  return { dims: [n, c, samples], values };
}

beforeAll(async () => {
  await initBackend('wasm');
});

describe('ONNX export of every architecture', () => {
  it('covers every architecture the app trains', () => {
    expect(Object.keys(SPECS).sort()).toEqual([...ARCHITECTURES].sort());
  });

  for (const arch of ARCHITECTURES) {
    it(`${arch}: onnxruntime gives tfjs's probabilities within 2e-5`, async () => {
      const spec = SPECS[arch];
      const model = createModel(spec);
      randomise(model, 17);
      model.store.training = false;
      const n = 3;
      const rand = seededRandom(5);
      const x = Float32Array.from({ length: n * spec.inputShape.reduce((a, b) => a * b, 1) * spec.channels }, () => rand() * 2 - 1);
      const ours = tf.tidy(() => tf.sigmoid(model.head(model.backbone(tf.tensor(x, [n, ...spec.inputShape, spec.channels])))).dataSync());
      const session = await ort.InferenceSession.create(exportModelOnnx(model));
      const input = graphInput(spec, x, n);
      const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input.values, input.dims) });
      const theirs = out.prob.data as Float32Array;
      expect(out.prob.dims).toEqual([n, spec.classes]);
      // Not a trivial agreement: the probabilities differ between inputs and classes.
      expect(Math.max(...ours) - Math.min(...ours)).toBeGreaterThan(0.01);
      for (let i = 0; i < ours.length; i++) expect(Math.abs(theirs[i] - ours[i])).toBeLessThan(2e-5);
    });
  }
});
