// Functional building blocks for the ECG models: parameters live in a ParamStore, layers are plain functions.
// Tensors are channels-last: [batch, samples, channels] for 1D, [batch, height, width, channels] for 2D.
import * as tf from '@tensorflow/tfjs-core';
import { seededRandom } from '../../src-shared/seeded-random.ts';
import { batchNormReluPool, hasBatchNormReluPool } from './wasm-batch-norm-kernels.ts';

export interface ParamStore {
  /** Trainable weights by name. */
  params: Map<string, tf.Variable>;
  /** Non-trainable state (batch-norm running statistics). */
  state: Map<string, tf.Variable>;
  /** Creates the weight on first use, returns the existing one afterwards. */
  param(name: string, shape: number[], init: 'he' | 'glorot' | 'zeros' | 'ones', fanIn?: number, fanOut?: number): tf.Variable;
  stateVar(name: string, shape: number[], init: 'zeros' | 'ones'): tf.Variable;
  /** Whether the current forward pass trains (batch statistics, running-stat updates, dropout). */
  training: boolean;
}

// tfjs variable names are global; each store prefixes its own.
let storeCount = 0;

export function createParamStore(seed: number): ParamStore {
  const prefix = `m${++storeCount}/`;
  const rand = seededRandom(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const store: ParamStore = {
    params: new Map(),
    state: new Map(),
    training: false,
    param(name, shape, init, fanIn = 1, fanOut = 1) {
      const existing = store.params.get(name);
      if (existing) return existing;
      const size = shape.reduce((a, b) => a * b, 1);
      const values = new Float32Array(size);
      if (init === 'ones') values.fill(1);
      else if (init === 'he') for (let i = 0; i < size; i++) values[i] = gauss() * Math.sqrt(2 / fanIn);
      else if (init === 'glorot') {
        const limit = Math.sqrt(6 / (fanIn + fanOut));
        for (let i = 0; i < size; i++) values[i] = (rand() * 2 - 1) * limit;
      }
      const v = tf.variable(tf.tensor(values, shape), true, prefix + name);
      store.params.set(name, v);
      return v;
    },
    stateVar(name, shape, init) {
      const existing = store.state.get(name);
      if (existing) return existing;
      const v = tf.variable(init === 'ones' ? tf.ones(shape) : tf.zeros(shape), false, prefix + name);
      store.state.set(name, v);
      return v;
    },
  };
  return store;
}

export interface Conv1dOptions {
  stride?: number;
  dilation?: number;
  /** Grouped convolution: channels split into this many independent groups. */
  groups?: number;
  bias?: boolean;
}

export function conv1d(p: ParamStore, name: string, x: tf.Tensor3D, filters: number, kernel: number, o: Conv1dOptions = {}): tf.Tensor3D {
  const inCh = x.shape[2];
  const groups = o.groups ?? 1;
  if (inCh % groups !== 0 || filters % groups !== 0)
    throw new Error(`${name}: ${inCh} -> ${filters} channels do not split into ${groups} groups`);
  const gIn = inCh / groups;
  const w = p.param(`${name}/kernel`, [kernel, gIn, filters], 'he', kernel * gIn);
  const stride = o.stride ?? 1;
  const dilation = o.dilation ?? 1;
  if (dilation > 1 && stride > 1) throw new Error(`${name}: a dilated convolution must have stride 1`);
  const conv = (xi: tf.Tensor3D, wi: tf.Tensor3D): tf.Tensor3D =>
    dilation > 1 ? dilatedConv1d(xi, wi, dilation) : tf.conv1d(xi, wi, stride, 'same');
  let y: tf.Tensor3D;
  if (groups === 1) y = conv(x, w as tf.Tensor3D);
  else {
    // tfjs has no grouped convolution: run one convolution per group on its slice of channels and of filters.
    const xs = tf.split(x, groups, 2) as tf.Tensor3D[];
    const ws = tf.split(w, groups, 2) as tf.Tensor3D[];
    y = tf.concat(
      xs.map((xi, i) => conv(xi, ws[i])),
      2,
    ) as tf.Tensor3D;
  }
  if (o.bias) y = tf.add(y, p.param(`${name}/bias`, [filters], 'zeros'));
  return y;
}

/**
 * 'Same' dilated convolution as space-to-batch, plain convolution, batch-to-space: tfjs has no gradient for
 * dilated convolutions, but has them for these three.
 */
function dilatedConv1d(x: tf.Tensor3D, w: tf.Tensor3D, d: number): tf.Tensor3D {
  const [b, n, ch] = x.shape;
  const total = d * (w.shape[0] - 1);
  const left = Math.floor(total / 2);
  const extra = (d - ((n + total) % d)) % d;
  const x4 = tf.reshape(x, [b, 1, n, ch]);
  const spread = tf.spaceToBatchND(
    x4,
    [1, d],
    [
      [0, 0],
      [left, total - left + extra],
    ],
  );
  const y = tf.conv2d(spread as tf.Tensor4D, tf.expandDims(w, 0) as tf.Tensor4D, 1, 'valid');
  const back = tf.batchToSpaceND(
    y,
    [1, d],
    [
      [0, 0],
      [0, extra],
    ],
  );
  return tf.reshape(back, [b, n, w.shape[2]]);
}

/** Sum over rows of [rows, cols] as a matrix product with ones (Sum over leading axes transposes first). */
const columnSum = (x2: tf.Tensor2D): tf.Tensor2D => tf.matMul(tf.ones([1, x2.shape[0]]), x2);

/**
 * Training-mode batch normalisation as one custom-gradient op, for backends without the fused kernel (wasm has it):
 * tfjs's own batchNorm gradient tiles every statistic to the input's shape. Returns output, batch mean, variance.
 */
function batchNormTraining(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const stats: tf.Tensor[] = [];
  const ch = x.shape[x.rank - 1];
  const rows = x.size / ch;
  const op = tf.customGrad(((xIn: tf.Tensor, g: tf.Tensor, bt: tf.Tensor, save: tf.GradSaveFunc) => {
    const x2 = tf.reshape(xIn, [rows, ch]) as tf.Tensor2D;
    const mean = tf.mul(columnSum(x2), 1 / rows);
    const xc = tf.sub(x2, mean);
    const variance = tf.mul(columnSum(tf.square(xc) as tf.Tensor2D), 1 / rows);
    const invStd = tf.rsqrt(tf.add(variance, eps));
    const xhat = tf.mul(xc, invStd);
    stats.push(tf.keep(mean), tf.keep(variance));
    save([xhat, invStd, g]);
    return {
      value: tf.reshape(tf.add(tf.mul(xhat, g), bt), xIn.shape),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xh, inv, gm] = saved;
        const dy2 = tf.reshape(dy, [rows, ch]) as tf.Tensor2D;
        const dBeta = columnSum(dy2);
        const dGamma = columnSum(tf.mul(dy2, xh) as tf.Tensor2D);
        // dx = gamma * invStd * (dy - mean(dy) - xhat * mean(dy * xhat))
        const inner = tf.sub(tf.sub(dy2, tf.mul(dBeta, 1 / rows)), tf.mul(xh, tf.mul(dGamma, 1 / rows)));
        const dx = tf.reshape(tf.mul(tf.mul(gm, inv), inner), xIn.shape);
        return [dx, tf.reshape(dGamma, [ch]), tf.reshape(dBeta, [ch])];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  const y = op(x, gamma, beta);
  return [y, stats[0], stats[1]];
}

function batchNormParams(p: ParamStore, name: string, ch: number) {
  return {
    gamma: p.param(`${name}/gamma`, [ch], 'ones'),
    beta: p.param(`${name}/beta`, [ch], 'zeros'),
    runMean: p.stateVar(`${name}/mean`, [ch], 'zeros'),
    runVar: p.stateVar(`${name}/variance`, [ch], 'ones'),
  };
}

/** Momentum 0.9 (PyTorch's 0.1) with the unbiased variance; disposes the batch statistics. */
function updateRunningStats(runMean: tf.Variable, runVar: tf.Variable, mean: tf.Tensor, variance: tf.Tensor, count: number): void {
  const ch = runMean.size;
  tf.tidy(() => {
    runMean.assign(tf.add(tf.mul(runMean, 0.9), tf.mul(tf.reshape(mean, [ch]), 0.1)));
    runVar.assign(tf.add(tf.mul(runVar, 0.9), tf.mul(tf.reshape(variance, [ch]), (0.1 * count) / Math.max(count - 1, 1))));
  });
  tf.dispose([mean, variance]);
}

/** Batch normalisation over all axes but the last; running statistics with momentum 0.9 (PyTorch's 0.1). */
export function batchNorm<T extends tf.Tensor>(p: ParamStore, name: string, x: T, eps = 1e-5): T {
  const ch = x.shape[x.rank - 1];
  const { gamma, beta, runMean, runVar } = batchNormParams(p, name, ch);
  if (!p.training) return tf.batchNorm(x, runMean, runVar, beta, gamma, eps) as T;
  const [y, mean, variance] = hasBatchNormReluPool()
    ? batchNormReluPool(x, gamma, beta, { pool: 1, relu: false, eps })
    : batchNormTraining(x, gamma, beta, eps);
  updateRunningStats(runMean, runVar, mean, variance, x.size / ch);
  return y as T;
}

/** maxPool1d(relu(batchNorm(x)), pool) with the same weights, one fused kernel when training on wasm. */
export function batchNormReluMaxPool(p: ParamStore, name: string, x: tf.Tensor3D, pool: number, eps = 1e-5): tf.Tensor3D {
  const ch = x.shape[2];
  if (!p.training || !hasBatchNormReluPool()) return maxPool1d(tf.relu(batchNorm(p, name, x, eps)), pool);
  const { gamma, beta, runMean, runVar } = batchNormParams(p, name, ch);
  const [y, mean, variance] = batchNormReluPool(x, gamma, beta, { pool, relu: true, eps });
  updateRunningStats(runMean, runVar, mean, variance, x.size / ch);
  return y as tf.Tensor3D;
}

/** Group normalisation on [batch, samples, channels]: statistics per example over each group of channels. */
export function groupNorm(p: ParamStore, name: string, x: tf.Tensor3D, groups: number, eps = 1e-5): tf.Tensor3D {
  const [b, n, ch] = x.shape;
  if (ch % groups !== 0) throw new Error(`${name}: ${ch} channels do not split into ${groups} groups`);
  const gamma = p.param(`${name}/gamma`, [ch], 'ones');
  const beta = p.param(`${name}/beta`, [ch], 'zeros');
  const g = tf.reshape(x, [b, n, groups, ch / groups]);
  const { mean, variance } = tf.moments(g, [1, 3], true);
  const normed = tf.reshape(tf.div(tf.sub(g, mean), tf.sqrt(tf.add(variance, eps))), [b, n, ch]);
  return tf.add(tf.mul(normed, gamma), beta);
}

export function dense(p: ParamStore, name: string, x: tf.Tensor2D, units: number, init: 'he' | 'glorot' = 'glorot'): tf.Tensor2D {
  const inDim = x.shape[1];
  const w = p.param(`${name}/kernel`, [inDim, units], init, inDim, units);
  const b = p.param(`${name}/bias`, [units], 'zeros');
  return tf.add(tf.matMul(x, w), b);
}

/**
 * Non-overlapping max-pool over samples (trailing remainder dropped). Forward is XNNPACK's MaxPool; the gradient
 * routes dy to each window's first maximum in a plain loop, far faster than wasm's MaxPoolGrad or Equal.
 */
export function maxPool1d(x: tf.Tensor3D, size: number): tf.Tensor3D {
  const [b, n, ch] = x.shape;
  const m = Math.floor(n / size);
  const op = tf.customGrad(((xIn: tf.Tensor, save: tf.GradSaveFunc) => {
    save([xIn]);
    const y = tf.maxPool(tf.reshape(xIn, [b, 1, n, ch]) as tf.Tensor4D, [1, size], [1, size], 'valid');
    return {
      value: tf.reshape(y, [b, m, ch]),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const xv = saved[0].dataSync();
        const dv = dy.dataSync();
        const dx = new Float32Array(b * n * ch);
        for (let i = 0; i < b; i++) {
          for (let w = 0; w < m; w++) {
            const base = (i * n + w * size) * ch;
            for (let c = 0; c < ch; c++) {
              let best = base + c;
              for (let k = 1; k < size; k++) if (xv[base + k * ch + c] > xv[best]) best = base + k * ch + c;
              dx[best] = dv[(i * m + w) * ch + c];
            }
          }
        }
        return tf.tensor(dx, [b, n, ch]);
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(x) as tf.Tensor3D;
}

export const globalAvgPool1d = (x: tf.Tensor3D): tf.Tensor2D => tf.mean(x, 1) as tf.Tensor2D;

/** Squeeze-and-excitation: channel weights from the time-averaged activations. */
export function squeezeExcite(p: ParamStore, name: string, x: tf.Tensor3D, reduction = 8): tf.Tensor3D {
  const ch = x.shape[2];
  const squeezed = globalAvgPool1d(x);
  const hidden = tf.relu(dense(p, `${name}/fc1`, squeezed, Math.max(4, Math.floor(ch / reduction)), 'he'));
  const scale = tf.sigmoid(dense(p, `${name}/fc2`, hidden, ch));
  return tf.mul(x, tf.expandDims(scale, 1));
}

export function dropout<T extends tf.Tensor>(p: ParamStore, x: T, rate: number, seed: number): T {
  return p.training && rate > 0 ? (tf.dropout(x, rate, undefined, seed) as T) : x;
}
