// Shared pieces of the gradient methods: d(class score)/d(input) for a batch, and result assembly.
import * as tf from '@tensorflow/tfjs-core';
import { classScore, predictedClass, type ExplainTarget } from './explain-target.ts';
import type { SaliencyProvenance, SaliencyResult } from '../../../src-shared/saliency-result.ts';

/** Gradient of the target class score w.r.t. each input in `batch` (n inputs of inputShape, concatenated). */
export function inputGradients(target: ExplainTarget, batch: Float32Array, n: number, targetClass: number): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor(batch, [n, ...target.inputShape]);
    const g = tf.grad((xi: tf.Tensor) => classScore(target.model.forward(xi), targetClass))(x);
    return g.dataSync() as Float32Array;
  });
}

/** Sum over chunks of at most `chunk` inputs, generated on demand, of their gradients (each input's own gradient). */
export function gradientsOf(
  target: ExplainTarget,
  count: number,
  chunk: number,
  make: (i: number, into: Float32Array) => void,
  targetClass: number,
  each: (i: number, grad: Float32Array) => void,
): void {
  const size = target.input.length;
  for (let start = 0; start < count; start += chunk) {
    const n = Math.min(chunk, count - start);
    const batch = new Float32Array(n * size);
    for (let k = 0; k < n; k++) make(start + k, batch.subarray(k * size, (k + 1) * size));
    const g = inputGradients(target, batch, n, targetClass);
    for (let k = 0; k < n; k++) each(start + k, g.subarray(k * size, (k + 1) * size));
  }
}

export const resolveClass = (target: ExplainTarget, targetClass?: number): number => targetClass ?? predictedClass(target);

export function makeResult(
  target: ExplainTarget,
  attribution: Float32Array,
  p: Pick<SaliencyProvenance, 'method' | 'targetClass'> & Partial<SaliencyProvenance>,
): SaliencyResult {
  return {
    map: target.toLeadTime(attribution),
    leads: target.leads.slice(),
    samples: target.samples,
    provenance: {
      model: target.model.id,
      baseline: null,
      layer: null,
      preprocessing: target.preprocessing,
      layout: target.layout,
      seed: null,
      params: {},
      ...p,
    },
  };
}
