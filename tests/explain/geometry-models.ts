// Fixed-weight models whose class-0 score depends on one lead and time window only, for the geometry test.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { EcgModel } from '../../src-main/ml/models/model.ts';

/**
 * Signal model in the ML engine's functional style: features = [relu(m ⊙ x), relu(-m ⊙ x)] over
 * [samples, leads, 2] (a lead-preserving "conv" layer), pooled by sum; class 0 = sum |x| inside the mask,
 * class 1 = 0. Its one stage 'features' is the layer Grad-CAM reads.
 */
export function windowSignalModel(samples: number, leads: number, lead: number, start: number, end: number) {
  const m = new Float32Array(samples * leads);
  for (let t = start; t < end; t++) m[t * leads + lead] = 1;
  const mask = tf.keep(tf.tensor(m, [1, samples, leads, 1]));
  const features = (x: tf.Tensor): tf.Tensor => {
    const masked = tf.mul(tf.reshape(x, [x.shape[0], samples, leads, 1]), mask);
    return tf.relu(tf.concat([masked, tf.neg(masked)], 3));
  };
  const pool = (a: tf.Tensor): tf.Tensor2D => tf.sum(a, [1, 2]) as tf.Tensor2D;
  const head = (e: tf.Tensor2D): tf.Tensor2D => tf.stack([tf.sum(e, 1), tf.zeros([e.shape[0]])], 1) as tf.Tensor2D;
  const model: EcgModel = {
    spec: { arch: 'small-cnn', channels: leads, inputShape: [samples], classes: 2, seed: 0 },
    store: undefined as unknown as EcgModel['store'],
    backbone: (x: tf.Tensor) => pool(features(x)),
    head,
    stages: [{ name: 'features', apply: features }],
    pool,
  };
  return model;
}

/** Multiplies its input by a fixed mask (a tfjs-layers layer, so the image model is a plain layer chain). */
class FixedMask extends tfl.layers.Layer {
  static className = 'FixedMask';
  constructor(private readonly mask: tf.Tensor) {
    super({});
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.mul(Array.isArray(inputs) ? inputs[0] : inputs, this.mask);
  }
}

/**
 * Image model (tfjs-layers chain) over [h, w, 1] ink: mask → conv2d 1x1 (+1, -1, fused relu) → global
 * average pool → dense: class 0 = mean of the masked ink, class 1 = 0.
 */
export function windowImageModel(height: number, width: number, box: { x0: number; x1: number; y0: number; y1: number }): tfl.LayersModel {
  const m = new Float32Array(height * width);
  for (let y = box.y0; y < box.y1; y++) for (let x = box.x0; x < box.x1; x++) m[y * width + x] = 1;
  const input = tfl.input({ shape: [height, width, 1] });
  const masked = new FixedMask(tf.keep(tf.tensor(m, [1, height, width, 1]))).apply(input) as tfl.SymbolicTensor;
  const conv = tfl.layers
    .conv2d({
      filters: 2,
      kernelSize: 1,
      activation: 'relu',
      name: 'conv',
      weights: [tf.tensor([1, -1], [1, 1, 1, 2]), tf.zeros([2])],
    })
    .apply(masked) as tfl.SymbolicTensor;
  const pooled = tfl.layers.globalAveragePooling2d({}).apply(conv) as tfl.SymbolicTensor;
  const out = tfl.layers
    .dense({
      units: 2,
      weights: [
        tf.tensor([
          [1, 0],
          [1, 0],
        ]),
        tf.zeros([2]),
      ],
    })
    .apply(pooled) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: out, name: 'window-image' });
}
