// CRNN: a convolutional front end, then a bidirectional LSTM, squeeze-and-excitation and an MLP head.
import * as tf from '@tensorflow/tfjs-core';
import { batchNorm, conv1d, createParamStore, dense, globalAvgPool1d, maxPool1d, squeezeExcite } from '../layers.ts';
import type { ParamStore } from '../layers.ts';
import { stagedModel, type BackboneStage, type EcgModel, type ModelSpec } from './model.ts';

const UNITS = 32;

/** One LSTM direction over [batch, steps, features]; returns all hidden states [batch, steps, units]. */
function lstm(p: ParamStore, name: string, x: tf.Tensor3D, units: number, reverse: boolean): tf.Tensor3D {
  const [b, steps, feat] = x.shape;
  const wx = p.param(`${name}/wx`, [feat, 4 * units], 'glorot', feat, 4 * units);
  const wh = p.param(`${name}/wh`, [units, 4 * units], 'glorot', units, 4 * units);
  // Forget-gate bias starts at 1 so early training keeps memory.
  const bias = p.param(`${name}/bias`, [4 * units], 'zeros');
  const xw = tf.reshape(tf.add(tf.matMul(tf.reshape(x, [b * steps, feat]), wx), bias), [b, steps, 4 * units]);
  const gatesByStep = tf.unstack(xw, 1) as tf.Tensor2D[];
  let h: tf.Tensor2D = tf.zeros([b, units]);
  let c: tf.Tensor2D = tf.zeros([b, units]);
  const out: tf.Tensor2D[] = new Array(steps);
  for (let k = 0; k < steps; k++) {
    const t = reverse ? steps - 1 - k : k;
    const z = tf.add(gatesByStep[t], tf.matMul(h, wh));
    const [i, f, g, o] = tf.split(z, 4, 1) as tf.Tensor2D[];
    c = tf.add(tf.mul(tf.sigmoid(tf.add(f, 1)), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
    h = tf.mul(tf.sigmoid(o), tf.tanh(c));
    out[t] = h;
  }
  return tf.stack(out, 1) as tf.Tensor3D;
}

export function crnn(spec: ModelSpec): EcgModel {
  const store = createParamStore(spec.seed);
  const stages: BackboneStage[] = [
    ...[32, 64, 64].map((f, i) => ({
      name: `conv${i}`,
      apply: (h: tf.Tensor) =>
        maxPool1d(tf.relu(batchNorm(store, `conv${i}/bn`, conv1d(store, `conv${i}/conv`, h as tf.Tensor3D, f, 7))), 4),
    })),
    {
      name: 'lstm',
      apply: (h) =>
        tf.concat([lstm(store, 'lstm/fwd', h as tf.Tensor3D, UNITS, false), lstm(store, 'lstm/bwd', h as tf.Tensor3D, UNITS, true)], 2),
    },
    { name: 'se', apply: (h) => squeezeExcite(store, 'se', h as tf.Tensor3D) },
  ];
  const pool = (h: tf.Tensor): tf.Tensor2D => globalAvgPool1d(h as tf.Tensor3D);
  return stagedModel(spec, store, stages, pool, (e) =>
    dense(store, 'head/fc2', tf.relu(dense(store, 'head/fc1', e, 32, 'he')), spec.classes),
  );
}
