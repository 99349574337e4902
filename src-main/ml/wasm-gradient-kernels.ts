// Gradient kernels the tfjs wasm backend lacks, built from kernels it has (XNNPACK Conv2D, Transpose, Slice).
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';

type Backend = tf.KernelBackend;

function run(name: string, backend: Backend, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap): TensorInfo {
  const kernel = tf.getKernel(name, 'wasm');
  if (!kernel) throw new Error(`wasm backend has no ${name} kernel`);
  return kernel.kernelFunc({ inputs, backend, attrs }) as TensorInfo;
}

const dispose = (backend: Backend, ...infos: TensorInfo[]): void => {
  for (const info of infos) backend.disposeData(info.dataId);
};

/**
 * dW[i,j,c,o] = sum over n,y,x of X[n, y*s+i-pt, x*s+j-pl, c] * dy[n,y,x,o]: a convolution whose batch is the
 * input's channels, whose channels are the batch, and whose filter is dy dilated by the stride.
 */
const conv2DBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as {
    strides: [number, number] | number;
    pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
    dataFormat: 'NHWC' | 'NCHW';
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    filterShape: [number, number, number, number];
  };
  if (dataFormat === 'NCHW') throw new Error('wasm Conv2DBackpropFilter supports NHWC only');
  const b = backend as Backend;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
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
  const pads: tf.backend_util.ExplicitPadding = [[0, 0], [top, bottom], [left, right], [0, 0]];
  const conv = run('Conv2D', b, { x: xt, filter: dyt }, {
    strides: [1, 1], pad: pads, dataFormat: 'NHWC', dilations: [sh, sw],
  } as unknown as NamedAttrMap); // [C, fh, fw, O]
  owned.push(conv);
  const out = run('Transpose', b, { x: conv }, { perm: [1, 2, 0, 3] });
  dispose(b, ...owned);
  return out;
};

export const wasmGradientKernels: KernelConfig[] = [
  { kernelName: tf.Conv2DBackpropFilter, backendName: 'wasm', kernelFunc: conv2DBackpropFilter },
];

/** Registers the missing kernels once; safe to call again. */
export function registerWasmGradientKernels(): void {
  for (const config of wasmGradientKernels) {
    if (!tf.getKernel(config.kernelName, config.backendName)) tf.registerKernel(config);
  }
}
