// Small 2D CNN over ECGs rendered as chart images ([batch, height, width, channels], values 0..1).
import * as tf from '@tensorflow/tfjs-core';
import { batchNorm, createParamStore, dense } from '../layers.ts';
import { stagedModel, type BackboneStage, type EcgModel, type ModelSpec } from './model.ts';

const FILTERS = [16, 32, 64];

export function imageCnn(spec: ModelSpec): EcgModel {
  const store = createParamStore(spec.seed);
  const stages: BackboneStage[] = FILTERS.map((f, i) => ({
    name: `block${i}`,
    apply: (x) => {
      const h = x as tf.Tensor4D;
      const inCh = h.shape[3];
      const w = store.param(`block${i}/conv/kernel`, [3, 3, inCh, f], 'he', 9 * inCh);
      return tf.maxPool(tf.relu(batchNorm(store, `block${i}/bn`, tf.conv2d(h, w as tf.Tensor4D, 1, 'same'))), 2, 2, 'valid');
    },
  }));
  const pool = (h: tf.Tensor): tf.Tensor2D => tf.mean(h, [1, 2]) as tf.Tensor2D;
  return stagedModel(spec, store, stages, pool, (e) => dense(store, 'head/fc', e, spec.classes));
}
