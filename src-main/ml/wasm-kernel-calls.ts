// Calling the wasm backend's own kernels from inside another kernel (no engine bookkeeping, no tape).
import * as tf from '@tensorflow/tfjs-core';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';

export function run(name: string, backend: tf.KernelBackend, inputs: Record<string, TensorInfo>, attrs: object = {}): TensorInfo {
  const kernel = tf.getKernel(name, 'wasm');
  if (!kernel) throw new Error(`wasm backend has no ${name} kernel`);
  return kernel.kernelFunc({ inputs, backend, attrs: attrs as NamedAttrMap }) as TensorInfo;
}

export const dispose = (backend: tf.KernelBackend, ...infos: TensorInfo[]): void => {
  for (const info of infos) backend.disposeData(info.dataId);
};
