// Small 1D CNN (~47k parameters with 12 leads): 3 x [conv k7 + batch norm + ReLU + max-pool 4/4/2], global average pool, 16-unit head.
import * as tf from '@tensorflow/tfjs-core';
import { batchNormReluMaxPool, conv1d, createParamStore, dense, globalAvgPool1d } from '../layers.ts';
import { stagedModel, type BackboneStage, type EcgModel, type ModelSpec } from './model.ts';

export const SMALL_CNN_FILTERS = [32, 64, 64];
export const SMALL_CNN_POOLS = [4, 4, 2];

export function smallCnn(spec: ModelSpec): EcgModel {
  const store = createParamStore(spec.seed);
  const stages: BackboneStage[] = SMALL_CNN_FILTERS.map((f, i) => ({
    name: `block${i}`,
    apply: (h) => batchNormReluMaxPool(store, `block${i}/bn`, conv1d(store, `block${i}/conv`, h as tf.Tensor3D, f, 7), SMALL_CNN_POOLS[i]),
  }));
  const pool = (h: tf.Tensor): tf.Tensor2D => globalAvgPool1d(h as tf.Tensor3D);
  return stagedModel(spec, store, stages, pool, (e) =>
    dense(store, 'head/fc2', tf.relu(dense(store, 'head/fc1', e, 16, 'he')), spec.classes),
  );
}
