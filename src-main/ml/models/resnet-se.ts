// 1D ResNet with squeeze-and-excitation blocks (ResNet-NC-SE style): stem kernel 17, four stages.
import * as tf from '@tensorflow/tfjs-core';
import { batchNorm, conv1d, createParamStore, dense, dropout, globalAvgPool1d, maxPool1d, squeezeExcite } from '../layers.ts';
import type { ParamStore } from '../layers.ts';
import { stagedModel, type BackboneStage, type EcgModel, type ModelSpec } from './model.ts';

export const RESNET_SE_STAGES = [32, 64, 96, 128];

function residualBlock(p: ParamStore, name: string, x: tf.Tensor3D, filters: number, stride: number): tf.Tensor3D {
  let h = tf.relu(batchNorm(p, `${name}/bn1`, conv1d(p, `${name}/conv1`, x, filters, 9, { stride })));
  h = batchNorm(p, `${name}/bn2`, conv1d(p, `${name}/conv2`, h, filters, 9));
  h = squeezeExcite(p, `${name}/se`, h);
  const shortcut: tf.Tensor3D =
    stride !== 1 || x.shape[2] !== filters ? batchNorm(p, `${name}/bn_sc`, conv1d(p, `${name}/conv_sc`, x, filters, 1, { stride })) : x;
  return tf.relu(tf.add(h, shortcut)) as tf.Tensor3D;
}

export function resnetSe(spec: ModelSpec): EcgModel {
  const store = createParamStore(spec.seed);
  const stages: BackboneStage[] = [
    {
      name: 'stem',
      apply: (x) =>
        maxPool1d(
          tf.relu(batchNorm(store, 'stem/bn', conv1d(store, 'stem/conv', x as tf.Tensor3D, RESNET_SE_STAGES[0], 17, { stride: 2 }))),
          2,
        ),
    },
    ...RESNET_SE_STAGES.map((f, i) => ({
      name: `stage${i}`,
      apply: (h: tf.Tensor) => residualBlock(store, `stage${i}`, h as tf.Tensor3D, f, i === 0 ? 1 : 2),
    })),
  ];
  const pool = (h: tf.Tensor): tf.Tensor2D => globalAvgPool1d(h as tf.Tensor3D);
  return stagedModel(spec, store, stages, pool, (e) => dense(store, 'head/fc', dropout(store, e, 0.2, spec.seed), spec.classes));
}
