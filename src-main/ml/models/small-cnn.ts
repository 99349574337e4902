// Small 1D CNN (~47k parameters with 12 leads): 3 x [conv k7 + batch norm + ReLU + max-pool 4/4/2], global average pool, 16-unit head.
import * as tf from '@tensorflow/tfjs-core';
import { batchNorm, conv1d, createParamStore, dense, globalAvgPool1d, maxPool1d } from '../layers.ts';
import type { EcgModel, ModelSpec } from './model.ts';

export const SMALL_CNN_FILTERS = [32, 64, 64];
export const SMALL_CNN_POOLS = [4, 4, 2];

export function smallCnn(spec: ModelSpec): EcgModel {
  const store = createParamStore(spec.seed);
  const model: EcgModel = {
    spec,
    store,
    backbone: (x) => {
      let h = x as tf.Tensor3D;
      SMALL_CNN_FILTERS.forEach((f, i) => {
        h = maxPool1d(tf.relu(batchNorm(store, `block${i}/bn`, conv1d(store, `block${i}/conv`, h, f, 7))), SMALL_CNN_POOLS[i]);
      });
      return globalAvgPool1d(h);
    },
    head: (e) => dense(store, 'head/fc2', tf.relu(dense(store, 'head/fc1', e, 16, 'he')), spec.classes),
  };
  return model;
}
