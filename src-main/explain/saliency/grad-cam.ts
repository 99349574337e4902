// Grad-CAM (Selvaraju et al. 2017) on a chosen layer: ReLU(sum_k w_k A_k) with w_k the spatial mean of
// d score / d A_k, upsampled (linear, separable) to the input. A layer output [1, t, k] gives a 1D map
// over time, broadcast over leads (it has no lead axis); [1, t, l, k] gives time x lead (or H x W for images).
import * as tf from '@tensorflow/tfjs-core';
import { classScore, type ExplainTarget } from './explain-target.ts';
import { makeResult, resolveClass } from './gradients.ts';
import type { SaliencyResult } from '../../../src-shared/saliency-result.ts';

export interface GradCamOptions {
  targetClass?: number;
  /** Layer name; default the model's last spatial layer. */
  layer?: string;
}

/** Linear resize of a row-major array with `from` dims to `to` dims (pixel centres aligned). */
export function resizeLinear(data: Float32Array, from: readonly number[], to: readonly number[]): Float32Array {
  let cur = data;
  const shape = from.slice();
  for (let axis = 0; axis < from.length; axis++) {
    const n = shape[axis];
    const m = to[axis];
    if (n === m) continue;
    const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    const outer = cur.length / (n * inner);
    const out = new Float32Array(outer * m * inner);
    for (let i = 0; i < m; i++) {
      const src = Math.min(n - 1, Math.max(0, ((i + 0.5) * n) / m - 0.5));
      const i0 = Math.floor(src);
      const i1 = Math.min(n - 1, i0 + 1);
      const f = src - i0;
      for (let o = 0; o < outer; o++) {
        const a = o * n * inner;
        const b = o * m * inner + i * inner;
        for (let j = 0; j < inner; j++) out[b + j] = (1 - f) * cur[a + i0 * inner + j] + f * cur[a + i1 * inner + j];
      }
    }
    cur = out;
    shape[axis] = m;
  }
  return cur;
}

/** Grad-CAM as an input-shaped array (spatial map broadcast over the trailing input axes), plus the layer used. */
export function gradCamInput(target: ExplainTarget, targetClass: number, layerName?: string): { cam: Float32Array; layer: string } {
  const layer = layerName ?? target.model.layers[0];
  if (layer === undefined) throw new Error(`model ${target.model.id} exposes no layer for Grad-CAM`);
  const { features, fromFeatures } = target.model.split(layer);
  const { camValues, camShape } = tf.tidy(() => {
    const acts = features(tf.tensor(target.input, [1, ...target.inputShape]));
    const grads = tf.grad((a: tf.Tensor) => classScore(fromFeatures(a), targetClass))(acts);
    const spatial = acts.shape.slice(1, -1).map((_, i) => i + 1);
    const weights = tf.mean(grads, spatial, true);
    const cam = tf.relu(tf.sum(tf.mul(acts, weights), -1));
    return { camValues: cam.dataSync() as Float32Array, camShape: cam.shape.slice(1) };
  });
  if (camShape.length > target.inputShape.length) throw new Error(`layer ${layer} output has more spatial axes than the input`);
  const up = resizeLinear(camValues, camShape, target.inputShape.slice(0, camShape.length));
  const repeat = target.inputShape.slice(camShape.length).reduce((a, b) => a * b, 1);
  const cam = new Float32Array(target.input.length);
  for (let i = 0; i < up.length; i++) cam.fill(up[i], i * repeat, (i + 1) * repeat);
  return { cam, layer };
}

export function gradCam(target: ExplainTarget, o: GradCamOptions = {}): SaliencyResult {
  const targetClass = resolveClass(target, o.targetClass);
  const { cam, layer } = gradCamInput(target, targetClass, o.layer);
  return makeResult(target, cam, { method: 'grad-cam', targetClass, layer });
}
