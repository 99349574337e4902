import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src-main/ml/backend.ts';

// Each case: input [N,H,W,C], filter [fh,fw,C,O], stride, padding; gradients on wasm must match the cpu backend.
const cases: Array<{
  x: [number, number, number, number];
  f: [number, number, number, number];
  s: number | [number, number];
  pad: 'same' | 'valid';
}> = [
  { x: [3, 1, 50, 4], f: [1, 7, 4, 5], s: 1, pad: 'same' },
  { x: [2, 1, 61, 3], f: [1, 7, 3, 6], s: 2, pad: 'same' },
  { x: [2, 1, 64, 3], f: [1, 17, 3, 4], s: [1, 2], pad: 'same' },
  { x: [2, 1, 40, 2], f: [1, 5, 2, 3], s: 3, pad: 'valid' },
  { x: [2, 9, 11, 3], f: [3, 3, 3, 4], s: 2, pad: 'same' },
  { x: [2, 8, 10, 2], f: [3, 2, 2, 3], s: [2, 1], pad: 'valid' },
];

function seeded(shape: number[], seed: number): tf.Tensor {
  return tf.randomNormal(shape, 0, 1, 'float32', seed);
}

async function grads(backend: string, c: (typeof cases)[number]): Promise<{ dw: Float32Array; dx: Float32Array }> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const x = seeded(c.x, 1) as tf.Tensor4D;
    const w = seeded(c.f, 2) as tf.Tensor4D;
    const y0 = tf.conv2d(x, w, c.s, c.pad);
    const up = seeded(y0.shape, 3);
    const g = tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, c.s, c.pad), up)));
    const [dx, dw] = g([x, w]);
    return { dw: dw.dataSync() as Float32Array, dx: dx.dataSync() as Float32Array };
  });
}

describe('wasm gradient kernels', () => {
  beforeAll(async () => {
    const choice = await initBackend('wasm');
    expect(choice.name).toBe('wasm');
  });

  it.each(cases)('conv2d filter and input gradients match cpu for %j', async (c) => {
    const cpu = await grads('cpu', c);
    const wasm = await grads('wasm', c);
    expect(wasm.dw.length).toBe(cpu.dw.length);
    const scale = Math.max(...cpu.dw.map(Math.abs));
    expect(scale).toBeGreaterThan(0.1);
    for (let i = 0; i < cpu.dw.length; i++) expect(Math.abs(wasm.dw[i] - cpu.dw[i])).toBeLessThan(1e-4 * scale + 1e-4);
    for (let i = 0; i < cpu.dx.length; i++)
      expect(Math.abs(wasm.dx[i] - cpu.dx[i])).toBeLessThan(1e-4 * Math.max(...cpu.dx.map(Math.abs)) + 1e-4);
  });

  it('conv1d (conv2d underneath) trains on wasm: one SGD step lowers the loss', async () => {
    await tf.setBackend('wasm');
    const x = seeded([4, 100, 3], 5) as tf.Tensor3D;
    const target = seeded([4, 100, 2], 6);
    const w = tf.variable(tf.mul(seeded([7, 3, 2], 7), 0.1));
    const loss = (): tf.Scalar => tf.mean(tf.square(tf.sub(tf.conv1d(x, w as tf.Tensor3D, 1, 'same'), target)));
    const before = loss().dataSync()[0];
    const { grads: g } = tf.variableGrads(loss, [w]);
    w.assign(tf.sub(w, tf.mul(g[w.name], 0.5)));
    expect(loss().dataSync()[0]).toBeLessThan(before);
  });
});
