// AdamW (decoupled weight decay) with the AMSGrad variant, over a set of tfjs variables.
import * as tf from '@tensorflow/tfjs-core';

export interface AdamWOptions {
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
  amsgrad?: boolean;
  /** Names of variables not decayed (biases, normalisation scales). */
  noDecay?: (name: string) => boolean;
}

export interface AdamW {
  /** Applies one update with learning rate `lr`; grads keyed like `vars`. */
  step(vars: Map<string, tf.Variable>, grads: Record<string, tf.Tensor>, lr: number): void;
  dispose(): void;
}

export function createAdamW(o: AdamWOptions = {}): AdamW {
  const { beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 1e-2, amsgrad = true } = o;
  const noDecay = o.noDecay ?? ((name: string) => /(bias|beta|gamma)$/.test(name));
  const slots = new Map<string, { m: tf.Variable; v: tf.Variable; vMax: tf.Variable }>();
  let t = 0;
  return {
    step(vars, grads, lr) {
      t++;
      const bc1 = 1 - beta1 ** t;
      const bc2 = 1 - beta2 ** t;
      tf.tidy(() => {
        for (const [name, variable] of vars) {
          const g = grads[name];
          if (!g) continue;
          let s = slots.get(name);
          if (!s) {
            s = { m: tf.variable(tf.zerosLike(variable), false), v: tf.variable(tf.zerosLike(variable), false), vMax: tf.variable(tf.zerosLike(variable), false) };
            slots.set(name, s);
          }
          s.m.assign(tf.add(tf.mul(s.m, beta1), tf.mul(g, 1 - beta1)));
          s.v.assign(tf.add(tf.mul(s.v, beta2), tf.mul(tf.square(g), 1 - beta2)));
          let vHat: tf.Tensor = s.v;
          if (amsgrad) {
            s.vMax.assign(tf.maximum(s.vMax, s.v));
            vHat = s.vMax;
          }
          const update = tf.div(tf.div(s.m, bc1), tf.add(tf.sqrt(tf.div(vHat, bc2)), eps));
          const decayed = weightDecay > 0 && !noDecay(name) ? tf.mul(variable, 1 - lr * weightDecay) : variable;
          variable.assign(tf.sub(decayed, tf.mul(update, lr)));
        }
      });
    },
    dispose() {
      for (const s of slots.values()) {
        s.m.dispose();
        s.v.dispose();
        s.vMax.dispose();
      }
      slots.clear();
    },
  };
}

export interface FlatAdamWState {
  m: Float32Array;
  v: Float32Array;
  vMax: Float32Array;
  t: number;
}

export const createFlatAdamWState = (size: number): FlatAdamWState => ({ m: new Float32Array(size), v: new Float32Array(size), vMax: new Float32Array(size), t: 0 });

/**
 * The same AdamW/AMSGrad update on flat arrays in plain JS (one loop instead of ~10 kernels per weight), for the
 * data-parallel trainer. `decay[i]` is 0 for weights excluded from weight decay, else 1.
 */
export function adamwStepFlat(w: Float32Array, g: Float32Array, s: FlatAdamWState, lr: number, decay: Uint8Array, o: AdamWOptions = {}): void {
  const { beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 1e-2, amsgrad = true } = o;
  s.t++;
  const bc1 = 1 - beta1 ** s.t;
  const bc2 = 1 - beta2 ** s.t;
  for (let i = 0; i < w.length; i++) {
    s.m[i] = beta1 * s.m[i] + (1 - beta1) * g[i];
    s.v[i] = beta2 * s.v[i] + (1 - beta2) * g[i] * g[i];
    let vHat = s.v[i];
    if (amsgrad) vHat = s.vMax[i] = Math.max(s.vMax[i], s.v[i]);
    const decayed = decay[i] ? w[i] * (1 - lr * weightDecay) : w[i];
    w[i] = decayed - (lr * (s.m[i] / bc1)) / (Math.sqrt(vHat / bc2) + eps);
  }
}
