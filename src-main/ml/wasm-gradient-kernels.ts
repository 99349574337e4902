// Gradient kernels the tfjs wasm backend lacks or runs slowly, built from kernels it has (XNNPACK Conv2D,
// Transpose, Slice, PadV2).
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { batchNormReluPoolKernels } from './wasm-batch-norm-kernels.ts';
import { dispose, run } from './wasm-kernel-calls.ts';

type Backend = tf.KernelBackend;
type Shape4 = [number, number, number, number];

/** The forward convolution's attributes, as tfjs passes them to both backprop kernels. */
interface ConvAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** The forward convolution's geometry for backprop kernel `kernel` (NHWC only). */
function forwardConvInfo(kernel: string, attrs: ConvAttrs, inputShape: Shape4, filterShape: Shape4): tf.backend_util.Conv2DInfo {
  if (attrs.dataFormat === 'NCHW') throw new Error(`wasm ${kernel} supports NHWC only`);
  return tf.backend_util.computeConv2DInfo(
    inputShape,
    filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
}

/**
 * dW[i,j,c,o] = sum over n,y,x of X[n, y*s+i-pt, x*s+j-pl, c] * dy[n,y,x,o]: a convolution whose batch is the
 * input's channels, whose channels are the batch, and whose filter is dy dilated by the stride.
 */
const conv2DBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const forward = attrs as unknown as ConvAttrs & { filterShape: Shape4 };
  const b = backend as Backend;
  const info = forwardConvInfo('Conv2DBackpropFilter', forward, x.shape as Shape4, forward.filterShape);
  const [, inH, inW] = x.shape;
  const { strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow, filterHeight: fh, filterWidth: fw } = info;
  const { top, left } = info.padInfo;
  // Pad or crop the far edges so the output is exactly fh x fw.
  let bottom = fh + (oh - 1) * sh - inH - top;
  let right = fw + (ow - 1) * sw - inW - left;
  const owned: TensorInfo[] = [];
  let xs = x;
  if (bottom < 0 || right < 0) {
    xs = run('Slice', b, { x }, { begin: [0, 0, 0, 0], size: [-1, inH + Math.min(bottom, 0), inW + Math.min(right, 0), -1] });
    owned.push(xs);
    bottom = Math.max(bottom, 0);
    right = Math.max(right, 0);
  }
  const xt = run('Transpose', b, { x: xs }, { perm: [3, 1, 2, 0] }); // [C, H, W, N]
  const dyt = run('Transpose', b, { x: dy }, { perm: [1, 2, 0, 3] }); // [oh, ow, N, O]
  owned.push(xt, dyt);
  const pads: tf.backend_util.ExplicitPadding = [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
  const conv = run(
    'Conv2D',
    b,
    { x: xt, filter: dyt },
    {
      strides: [1, 1],
      pad: pads,
      dataFormat: 'NHWC',
      dilations: [sh, sw],
    },
  ); // [C, fh, fw, O]
  owned.push(conv);
  const out = run('Transpose', b, { x: conv }, { perm: [1, 2, 0, 3] });
  dispose(b, ...owned);
  return out;
};

/**
 * The filter rotated 180 degrees with its in/out channels swapped, [fh, fw, O, C], in one JS pass: filters are
 * small, and wasm's Reverse is a slow generic loop.
 */
function flippedSwapped(b: BackendWasm, filter: TensorInfo): TensorInfo {
  const [fh, fw, c, o] = filter.shape;
  const out = b.makeOutput([fh, fw, o, c], 'float32');
  const src = b.typedArrayFromHeap(filter) as Float32Array;
  const dst = b.typedArrayFromHeap(out) as Float32Array;
  for (let i = 0; i < fh; i++) {
    for (let j = 0; j < fw; j++) {
      const from = ((fh - 1 - i) * fw + (fw - 1 - j)) * c * o;
      const to = (i * fw + j) * o * c;
      for (let ci = 0; ci < c; ci++) for (let oi = 0; oi < o; oi++) dst[to + oi * c + ci] = src[from + ci * o + oi];
    }
  }
  return out;
}

/**
 * dx = dy (zeros inserted between rows/columns for the stride) convolved with the filter rotated 180 degrees and
 * its in/out channels swapped. Replaces wasm's own Conv2DBackpropInput, a plain loop about 8x slower than XNNPACK.
 */
const conv2DBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { inputShape, ...forward } = attrs as unknown as ConvAttrs & { inputShape: Shape4 };
  const b = backend as Backend;
  const info = forwardConvInfo('Conv2DBackpropInput', forward, inputShape, filter.shape as Shape4);
  const { strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow, filterHeight: fh, filterWidth: fw } = info;
  const [n, inH, inW] = inputShape;
  const outCh = dy.shape[3];
  const owned: TensorInfo[] = [];
  let spread = dy;
  if (sh > 1 || sw > 1) {
    // [N, oh, 1, ow, 1, O] padded to [N, oh, sh, ow, sw, O] puts stride-1 zeros after each sample.
    const r = run('Reshape', b, { x: dy }, { shape: [n, oh, 1, ow, 1, outCh] });
    const padded = run(
      'PadV2',
      b,
      { x: r },
      {
        paddings: [
          [0, 0],
          [0, 0],
          [0, sh - 1],
          [0, 0],
          [0, sw - 1],
          [0, 0],
        ],
        constantValue: 0,
      },
    );
    spread = run('Reshape', b, { x: padded }, { shape: [n, oh * sh, ow * sw, outCh] });
    owned.push(r, padded, spread);
  }
  const spreadH = (oh - 1) * sh + 1;
  const spreadW = (ow - 1) * sw + 1;
  const top = fh - 1 - info.padInfo.top;
  const left = fw - 1 - info.padInfo.left;
  const bottom = inH + fh - 1 - top - spreadH;
  const right = inW + fw - 1 - left - spreadW;
  // Trailing stride zeros beyond spreadH/W are cropped by a negative far padding: slice them off first.
  const keepH = spreadH + Math.min(bottom, 0);
  const keepW = spreadW + Math.min(right, 0);
  if (top < 0 || left < 0) throw new Error('wasm Conv2DBackpropInput: padding larger than the filter is not supported');
  if (keepH !== spread.shape[1] || keepW !== spread.shape[2]) {
    const cropped = run('Slice', b, { x: spread }, { begin: [0, 0, 0, 0], size: [-1, keepH, keepW, -1] });
    owned.push(cropped);
    spread = cropped;
  }
  const swapped = flippedSwapped(b as BackendWasm, filter);
  owned.push(swapped);
  const pads = [
    [0, 0],
    [top, Math.max(bottom, 0)],
    [left, Math.max(right, 0)],
    [0, 0],
  ];
  const out = run(
    'Conv2D',
    b,
    { x: spread, filter: swapped },
    {
      strides: [1, 1],
      pad: pads,
      dataFormat: 'NHWC',
      dilations: [1, 1],
    },
  );
  dispose(b, ...owned);
  return out;
};

/**
 * The engine clones every tensor it saves for the gradient; wasm's Identity copies the data, the cpu backend's
 * only counts a reference. Tensor data is never written in place, so sharing is safe.
 */
const identity: KernelFunc = ({ inputs, backend }) => {
  const { x } = inputs as { x: TensorInfo };
  (backend as Backend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};

export const wasmGradientKernels: KernelConfig[] = [
  { kernelName: tf.Identity, backendName: 'wasm', kernelFunc: identity },
  { kernelName: tf.Conv2DBackpropFilter, backendName: 'wasm', kernelFunc: conv2DBackpropFilter },
  { kernelName: tf.Conv2DBackpropInput, backendName: 'wasm', kernelFunc: conv2DBackpropInput },
];

let registered = false;

/** Registers these and the batch-norm training kernels once (replacing wasm's slow Conv2DBackpropInput and copying Identity); safe to call again. */
export function registerWasmGradientKernels(): void {
  if (registered) return;
  for (const config of [...wasmGradientKernels, ...batchNormReluPoolKernels]) {
    if (tf.getKernel(config.kernelName, config.backendName)) tf.unregisterKernel(config.kernelName, config.backendName);
    tf.registerKernel(config);
  }
  registered = true;
}
