// Training-mode batch normalisation, optionally followed by ReLU and a non-overlapping max-pool over samples, as
// one wasm kernel and one gradient kernel. tfjs composes the same from ~40 small ops (broadcasts, statistics as
// matrix products, masks), which dominated a training step. Here every dense pass is one XNNPACK SIMD kernel:
// column means are an average pool over all rows, per-channel affine (+ ReLU) is a 1x1 depthwise convolution with
// bias; only the max-pool routing of the gradient, which no wasm kernel does fast, is a JS loop over the heap.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { dispose, run } from './wasm-kernel-calls.ts';

export const BATCH_NORM_RELU_POOL = 'LeadLensBatchNormReluPool';
const BATCH_NORM_RELU_POOL_GRAD = 'LeadLensBatchNormReluPoolGrad';

export interface BatchNormReluPoolAttrs {
  /** Pool window over the second-last axis (1: none); a trailing remainder is dropped, as tf.maxPool 'valid'. */
  pool: number;
  relu: boolean;
  eps: number;
}

/** x viewed as [outer, n, ch]: pooling runs along n; statistics cover every row. */
function layout(shape: number[], pool: number): { outer: number; n: number; ch: number; m: number; rows: number } {
  const ch = shape[shape.length - 1];
  const n = pool > 1 ? shape[shape.length - 2] : 1;
  const rows = shape.reduce((a, b) => a * b, 1) / ch;
  return { outer: rows / n, n, ch, m: Math.floor(n / pool), rows };
}

function vector(b: BackendWasm, values: ArrayLike<number>, shape = [values.length]): TensorInfo {
  const info = b.makeOutput(shape, 'float32');
  (b.typedArrayFromHeap(info) as Float32Array).set(values);
  return info;
}

const heap = (b: BackendWasm, info: TensorInfo): Float32Array => b.typedArrayFromHeap(info) as Float32Array;

/** Mean over rows of x4 = [1, 1, rows, ch], as [1, 1, 1, ch]. */
const columnMean = (b: BackendWasm, x4: TensorInfo): TensorInfo => {
  const rows = x4.shape[2];
  return run('AvgPool', b, { x: x4 }, { filterSize: [1, rows], strides: [1, rows], pad: 'valid' });
};

/** x4 * scale + shift per channel (then ReLU), one XNNPACK pass. */
function perChannel(b: BackendWasm, x4: TensorInfo, scale: ArrayLike<number>, shift: ArrayLike<number>, relu: boolean): TensorInfo {
  const ch = scale.length;
  const filter = vector(b, scale, [1, 1, ch, 1]);
  const bias = vector(b, shift);
  const out = run(
    'FusedDepthwiseConv2D',
    b,
    { x: x4, filter, bias },
    {
      strides: [1, 1],
      pad: 'valid',
      dilations: [1, 1],
      dataFormat: 'NHWC',
      activation: relu ? 'relu' : 'linear',
    },
  );
  dispose(b, filter, bias);
  return out;
}

/** Per-channel 1/sqrt(var + eps) and gamma times it, in float64, identically forward and back. */
function invStdAndScale(gamma: Float32Array, variance: Float32Array, eps: number): { invStd: Float64Array; scale: Float64Array } {
  const invStd = new Float64Array(gamma.length);
  const scale = new Float64Array(gamma.length);
  for (let c = 0; c < gamma.length; c++) {
    invStd[c] = 1 / Math.sqrt(variance[c] + eps);
    scale[c] = gamma[c] * invStd[c];
  }
  return { invStd, scale };
}

/** Outputs: pooled activations, batch mean, biased batch variance, and the activations before pooling (for the gradient). */
const forward: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, gamma, beta } = inputs as { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo };
  const { pool, relu, eps } = attrs as unknown as BatchNormReluPoolAttrs;
  const b = backend as BackendWasm;
  const { outer, n, ch, m, rows } = layout(x.shape, pool);
  const flat = run('Reshape', b, { x }, { shape: [1, 1, rows, ch] });
  const mean4 = columnMean(b, flat);
  const centred = perChannel(
    b,
    flat,
    new Float32Array(ch).fill(1),
    heap(b, mean4).map((v) => -v),
    false,
  );
  const squares = run('Square', b, { x: centred });
  const variance4 = columnMean(b, squares);
  // Views only after the allocations above: growing the wasm heap detaches earlier ones.
  const mean = heap(b, mean4);
  const { scale } = invStdAndScale(heap(b, gamma), heap(b, variance4), eps);
  const betaV = heap(b, beta);
  const shift = Float64Array.from(scale, (s, c) => betaV[c] - mean[c] * s);
  const x4 = run('Reshape', b, { x }, { shape: [outer, 1, n, ch] });
  const act4 = perChannel(b, x4, scale, shift, relu);
  const act = run('Reshape', b, { x: act4 }, { shape: x.shape });
  let y: TensorInfo;
  if (pool > 1) {
    const pooled = run('MaxPool', b, { x: act4 }, { filterSize: [1, pool], strides: [1, pool], pad: 'valid' });
    y = run('Reshape', b, { x: pooled }, { shape: [...x.shape.slice(0, -2), m, ch] });
    dispose(b, pooled);
  } else y = run('Reshape', b, { x: act4 }, { shape: x.shape });
  const meanOut = run('Reshape', b, { x: mean4 }, { shape: [ch] });
  const varianceOut = run('Reshape', b, { x: variance4 }, { shape: [ch] });
  dispose(b, flat, mean4, centred, squares, variance4, x4, act4);
  return [y, meanOut, varianceOut, act];
};

interface Routing {
  act: Float32Array;
  pooled: Float32Array;
  dy: Float32Array;
  x: Float32Array;
  mean: Float32Array;
  scale: Float64Array;
  invStd: Float64Array;
  routed: Float32Array;
  dBeta: Float64Array;
  dGamma: Float64Array;
}

/**
 * dy to each window's first maximum of act if it passed the ReLU, scaled by gamma * invStd into routed (which
 * holds zeros), with the sums for dbeta and dgamma. The pooled maximum is one of the window's values exactly, so
 * the first equal one is the first maximum; windows the ReLU zeroed are skipped unread.
 */
function route(r: Routing, outer: number, n: number, ch: number, pool: number, relu: boolean): void {
  const { act, pooled, dy, x, mean, scale, invStd, routed, dBeta, dGamma } = r;
  const m = Math.floor(n / pool);
  for (let o = 0; o < outer; o++) {
    for (let w = 0; w < m; w++) {
      const first = (o * n + w * pool) * ch;
      const out = (o * m + w) * ch;
      for (let c = 0; c < ch; c++) {
        const best = pooled[out + c];
        if (relu && !(best > 0)) continue;
        let i = first + c;
        for (let k = 1; k < pool && act[i] !== best; k++) i += ch;
        if (act[i] !== best) continue; // NaN
        const g = dy[out + c];
        routed[i] = g * scale[c];
        dBeta[c] += g;
        dGamma[c] += g * (x[i] - mean[c]) * invStd[c];
      }
    }
  }
}

/**
 * dy reaches each window's first maximum when it passed the ReLU (g, see route; dense without pooling); then
 * dx = gamma * invStd * (g - mean(g) - xhat * mean(g * xhat)), dgamma = sum(g * xhat), dbeta = sum(g).
 */
const backward: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, x, gamma, y, mean, variance, act } = inputs as Record<'dy' | 'x' | 'gamma' | 'y' | 'mean' | 'variance' | 'act', TensorInfo>;
  const { pool, relu, eps } = attrs as unknown as BatchNormReluPoolAttrs;
  const b = backend as BackendWasm;
  const { outer, n, ch, rows } = layout(x.shape, pool);
  const { invStd, scale } = invStdAndScale(heap(b, gamma), heap(b, variance), eps);
  const meanV = heap(b, mean).slice();
  const dBeta = new Float64Array(ch);
  const dGamma = new Float64Array(ch);
  let routedInfo: TensorInfo; // [outer, 1, n, ch]: scale * g, the first term of dx
  if (pool > 1) {
    routedInfo = b.makeOutput([outer, 1, n, ch], 'float32');
    const routed = heap(b, routedInfo);
    routed.fill(0);
    route(
      { act: heap(b, act), pooled: heap(b, y), dy: heap(b, dy), x: heap(b, x), mean: meanV, scale, invStd, routed, dBeta, dGamma },
      outer,
      n,
      ch,
      pool,
      relu,
    );
  } else {
    // Dense g: the sums as column means of g and g * (x - mean), all in wasm.
    const flat = (t: TensorInfo): TensorInfo => run('Reshape', b, { x: t }, { shape: [1, 1, rows, ch] });
    const dyFlat = flat(dy);
    const actFlat = flat(act);
    const mask = relu ? run('Step', b, { x: actFlat }, { alpha: 0 }) : undefined;
    const g = mask ? run('Multiply', b, { a: dyFlat, b: mask }) : dyFlat;
    const xFlat = flat(x);
    const centred = perChannel(
      b,
      xFlat,
      new Float32Array(ch).fill(1),
      meanV.map((v) => -v),
      false,
    );
    const gx = run('Multiply', b, { a: g, b: centred });
    const gMean = columnMean(b, g);
    const gxMean = columnMean(b, gx);
    const gm = heap(b, gMean);
    const gxm = heap(b, gxMean);
    for (let c = 0; c < ch; c++) {
      dBeta[c] = gm[c] * rows;
      dGamma[c] = gxm[c] * rows * invStd[c];
    }
    const routedFlat = perChannel(b, g, scale, new Float32Array(ch), false);
    routedInfo = run('Reshape', b, { x: routedFlat }, { shape: [outer, 1, n, ch] });
    dispose(b, dyFlat, actFlat, ...(mask ? [mask, g] : []), xFlat, centred, gx, gMean, gxMean, routedFlat);
  }
  // The rest of dx is affine in x per channel: x * A + B.
  const a = Float64Array.from(scale, (s, c) => (-s * invStd[c] * dGamma[c]) / rows);
  const bias = Float64Array.from(scale, (s, c) => (-s * dBeta[c]) / rows - a[c] * meanV[c]);
  const dGammaInfo = vector(b, dGamma);
  const dBetaInfo = vector(b, dBeta);
  const x4 = run('Reshape', b, { x }, { shape: [outer, 1, n, ch] });
  const rest = perChannel(b, x4, a, bias, false);
  const dx4 = run('Add', b, { a: routedInfo, b: rest });
  const dx = run('Reshape', b, { x: dx4 }, { shape: x.shape });
  dispose(b, routedInfo, x4, rest, dx4);
  return [dx, dGammaInfo, dBetaInfo];
};

/** The forward kernel's outputs: pooled activations and the batch mean and (biased) variance per channel. */
export function batchNormReluPool(
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  attrs: BatchNormReluPoolAttrs,
): [tf.Tensor, tf.Tensor1D, tf.Tensor1D] {
  const [y, mean, variance, act] = tf
    .engine()
    .runKernel(BATCH_NORM_RELU_POOL, { x, gamma, beta }, attrs as unknown as NamedAttrMap) as unknown as tf.Tensor[];
  // Disposing the handle is safe: the tape keeps its own reference for the gradient.
  act.dispose();
  return [y, mean as tf.Tensor1D, variance as tf.Tensor1D];
}

/** Whether the active backend runs batchNormReluPool (only wasm; other backends compose tfjs ops). */
export const hasBatchNormReluPool = (): boolean => tf.getKernel(BATCH_NORM_RELU_POOL, tf.getBackend()) !== undefined;

export const batchNormReluPoolKernels: KernelConfig[] = [
  { kernelName: BATCH_NORM_RELU_POOL, backendName: 'wasm', kernelFunc: forward },
  { kernelName: BATCH_NORM_RELU_POOL_GRAD, backendName: 'wasm', kernelFunc: backward },
];

// Only the pooled output carries a gradient; mean and variance feed the running statistics.
tf.registerGradient({
  kernelName: BATCH_NORM_RELU_POOL,
  inputsToSave: ['x', 'gamma'],
  outputsToSave: [true, true, true, true],
  gradFunc: (dys, saved, attrs) => {
    const [x, gamma, y, mean, variance, act] = saved;
    const dy = Array.isArray(dys) ? dys[0] : dys;
    const [dx, dGamma, dBeta] = tf
      .engine()
      .runKernel(BATCH_NORM_RELU_POOL_GRAD, { dy, x, gamma, y, mean, variance, act }, attrs) as tf.Tensor[];
    return { x: () => dx, gamma: () => dGamma, beta: () => dBeta };
  },
});
