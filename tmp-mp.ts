import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from './src-main/ml/backend.ts';
import { maxPool1d } from './src-main/ml/layers.ts';
await initBackend('wasm');
for (const be of ['wasm','cpu']) {
await tf.setBackend(be);
const x = tf.randomNormal([2, 43, 3], 0, 1, 'float32', 10) as tf.Tensor3D;
const up = tf.randomNormal([2, 10, 3], 0, 1, 'float32', 11);
const ours = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(maxPool1d(xx as tf.Tensor3D, 4), up)))(x).dataSync();
const ref = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(tf.reshape(tf.maxPool(tf.reshape(xx, [2, 1, 43, 3]) as tf.Tensor4D, [1, 4], [1, 4], 'valid'), [2, 10, 3]), up)))(x).dataSync();
const bad = []; for (let i=0;i<ref.length;i++) if (ours[i]!==ref[i]) bad.push([i, ours[i], ref[i]]);
console.log(be, bad.length, bad.slice(0,4));
}
