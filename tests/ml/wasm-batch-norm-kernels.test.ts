import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src-main/ml/backend.ts';
import { batchNormReluPool } from '../../src-main/ml/wasm-batch-norm-kernels.ts';
import { batchNorm, batchNormReluMaxPool, createParamStore, maxPool1d } from '../../src-main/ml/layers.ts';

// The fused wasm kernel against the same computation in plain tfjs ops on the cpu backend.
const cases = [
  { shape: [3, 40, 5], pool: 4, relu: true },
  { shape: [2, 61, 6], pool: 2, relu: true }, // trailing sample dropped by the pool
  { shape: [4, 9, 3], pool: 1, relu: true },
  { shape: [2, 7, 3], pool: 1, relu: false },
  { shape: [5, 8], pool: 1, relu: false },
  { shape: [2, 3, 4, 5], pool: 1, relu: false },
];

type Case = (typeof cases)[number];
const EPS = 1e-5;

function reference(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, c: Case): tf.Tensor {
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const { mean, variance } = tf.moments(x, axes);
  let y = tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, EPS))), gamma), beta);
  if (c.relu) y = tf.relu(y);
  if (c.pool === 1) return y;
  const [b, n, ch] = x.shape;
  const pooled = tf.maxPool(tf.reshape(y, [b, 1, n, ch]) as tf.Tensor4D, [1, c.pool], [1, c.pool], 'valid');
  return tf.reshape(pooled, [b, Math.floor(n / c.pool), ch]);
}

async function run(backend: string, c: Case) {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const ch = c.shape[c.shape.length - 1];
    // Offset and scale the input so the statistics matter; gamma has a negative entry (flips the pool's maximum).
    const x = tf.add(tf.mul(tf.randomNormal(c.shape, 0, 1, 'float32', 1), 2), 0.5);
    const gamma = tf.add(tf.randomNormal([ch], 1, 0.5, 'float32', 2), tf.mul(tf.oneHot(0, ch), -2));
    const beta = tf.randomNormal([ch], 0, 0.3, 'float32', 3);
    const f = (xx: tf.Tensor, g: tf.Tensor, bt: tf.Tensor): tf.Tensor =>
      backend === 'wasm' ? batchNormReluPool(xx, g, bt, { pool: c.pool, relu: c.relu, eps: EPS })[0] : reference(xx, g, bt, c);
    const y = f(x, gamma, beta);
    const up = tf.randomNormal(y.shape, 0, 1, 'float32', 4);
    const [dx, dGamma, dBeta] = tf.grads((xx: tf.Tensor, g: tf.Tensor, bt: tf.Tensor) => tf.sum(tf.mul(f(xx, g, bt), up)))([
      x,
      gamma,
      beta,
    ]);
    const stats =
      backend === 'wasm'
        ? batchNormReluPool(x, gamma, beta, { pool: c.pool, relu: c.relu, eps: EPS }).slice(1)
        : Object.values(
            tf.moments(
              x,
              c.shape.slice(0, -1).map((_, i) => i),
            ),
          );
    return [y, dx, dGamma, dBeta, ...stats].map((t) => ({ shape: t.shape, values: t.dataSync() as Float32Array }));
  });
}

describe('fused batch norm + ReLU + max-pool kernel on wasm', () => {
  beforeAll(async () => {
    expect((await initBackend('wasm')).name).toBe('wasm');
  });

  it.each(cases)('matches tfjs ops on cpu: output, statistics and gradients for %j', async (c) => {
    const cpu = await run('cpu', c);
    const wasm = await run('wasm', c);
    ['y', 'dx', 'dGamma', 'dBeta', 'mean', 'variance'].forEach((name, k) => {
      expect(wasm[k].shape, name).toEqual(cpu[k].shape);
      const scale = Math.max(1, ...cpu[k].values.map(Math.abs));
      cpu[k].values.forEach((v, i) => expect(Math.abs(wasm[k].values[i] - v), `${name}[${i}]`).toBeLessThan(2e-5 * scale));
    });
  });
});

describe('batch-norm layers train the same on wasm (fused) and cpu (composed)', () => {
  async function layerRun(backend: string, fused: boolean) {
    await tf.setBackend(backend);
    const p = createParamStore(3);
    p.training = true;
    const x = tf.add(tf.mul(tf.randomNormal([4, 24, 6], 0, 1, 'float32', 7), 1.5), 0.3) as tf.Tensor3D;
    const up = tf.randomNormal([4, 6, 6], 0, 1, 'float32', 8);
    const f = (): tf.Scalar =>
      tf.sum(tf.mul(fused ? batchNormReluMaxPool(p, 'bn', x, 4) : maxPool1d(tf.relu(batchNorm(p, 'bn', x)), 4), up));
    f().dispose(); // creates the weights (and updates the running statistics once)
    const { value, grads } = tf.variableGrads(f, [...p.params.values()]);
    const out = [value, ...[...p.params.values()].map((v) => grads[v.name]), ...p.state.values()].map((t) => [...t.dataSync()]);
    tf.dispose([x, up, value, ...Object.values(grads), ...p.params.values(), ...p.state.values()]);
    return out;
  }

  it('loss, gamma/beta gradients and running statistics agree', async () => {
    const cpu = await layerRun('cpu', false);
    for (const fused of [true, false]) {
      const wasm = await layerRun('wasm', fused);
      cpu.forEach((values, k) => values.forEach((v, i) => expect(Math.abs(wasm[k][i] - v)).toBeLessThan(1e-4 * Math.max(1, Math.abs(v)))));
    }
  });
});
