// Small 2D CNN over ECGs rendered as chart images ([batch, height, width, channels], values 0..1).
import * as tf from '@tensorflow/tfjs-core';
import { batchNorm, createParamStore, dense } from '../layers.ts';
import type { EcgModel, ModelSpec } from './model.ts';

const FILTERS = [16, 32, 64];

export function imageCnn(spec: ModelSpec): EcgModel {
  const store = createParamStore(spec.seed);
  return {
    spec,
    store,
    backbone: (x) => {
      let h = x as tf.Tensor4D;
      FILTERS.forEach((f, i) => {
        const inCh = h.shape[3];
        const w = store.param(`block${i}/conv/kernel`, [3, 3, inCh, f], 'he', 9 * inCh);
        h = tf.maxPool(tf.relu(batchNorm(store, `block${i}/bn`, tf.conv2d(h, w as tf.Tensor4D, 1, 'same'))), 2, 2, 'valid');
      });
      return tf.mean(h, [1, 2]) as tf.Tensor2D;
    },
    head: (e) => dense(store, 'head/fc', e, spec.classes),
  };
}
