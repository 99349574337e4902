// Picks the TensorFlow.js backend once at start-up, best first, and says which one runs.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core's ops come without gradients; tfjs-layers registers them all (its Node bundle carries them).
import '@tensorflow/tfjs-layers';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmGradientKernels } from './wasm-gradient-kernels.ts';

export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

export interface BackendChoice {
  name: BackendName;
  /** Why better backends were skipped, one line each (missing package, no CUDA device, ...). */
  skipped: string[];
}

const ORDER: BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];
let chosen: BackendChoice | undefined;

const firstLine = (e: unknown): string =>
  String(e instanceof Error ? e.message : e)
    .split('\n')[0]
    .trim();

function hasCudaDevice(): boolean {
  return fs.existsSync('/proc/driver/nvidia/gpus') || fs.existsSync('/dev/nvidia0');
}

/** Directory holding tfjs-backend-wasm's .wasm files: LEADLENS_WASM_DIR, else resolved from node_modules. */
export function wasmDirectory(): string {
  const fromEnv = process.env.LEADLENS_WASM_DIR;
  if (fromEnv) return fromEnv;
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
}

async function tryBackend(name: BackendName): Promise<void> {
  switch (name) {
    case 'tensorflow-gpu':
      if (!hasCudaDevice()) throw new Error('no CUDA device');
      // The native bindings register themselves under the backend name 'tensorflow'.
      await import('@tensorflow/tfjs-node-gpu' as string);
      if (!(await tf.setBackend('tensorflow'))) throw new Error('tfjs-node-gpu did not initialise');
      return;
    case 'tensorflow':
      await import('@tensorflow/tfjs-node' as string);
      if (!(await tf.setBackend('tensorflow'))) throw new Error('tfjs-node did not initialise');
      return;
    case 'wasm': {
      // Node's wasm backend runs single-threaded (the threaded build needs a browser worker); SIMD is used when present.
      setWasmPaths(wasmDirectory() + path.sep);
      if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend did not initialise');
      registerWasmGradientKernels();
      return;
    }
    case 'cpu':
      if (!(await tf.setBackend('cpu'))) throw new Error('cpu backend did not initialise');
      return;
  }
}

/**
 * Selects the best backend that loads, at most once per process. `prefer` (or LEADLENS_TF_BACKEND)
 * starts the search lower down the list, e.g. 'wasm' for reproducible tests.
 */
export async function initBackend(prefer?: BackendName): Promise<BackendChoice> {
  const wanted = prefer ?? (process.env.LEADLENS_TF_BACKEND as BackendName | undefined);
  if (chosen && (!wanted || chosen.name === wanted)) return chosen;
  const start = wanted ? ORDER.indexOf(wanted) : 0;
  if (start < 0) throw new Error(`unknown TensorFlow.js backend '${wanted}' (expected ${ORDER.join(', ')})`);
  const skipped: string[] = [];
  for (const name of ORDER.slice(start)) {
    try {
      await tryBackend(name);
      chosen = { name, skipped };
      return chosen;
    } catch (e) {
      skipped.push(`${name}: ${firstLine(e)}`);
    }
  }
  throw new Error(`no TensorFlow.js backend could start (${skipped.join('; ')})`);
}

/** The backend in use, or undefined before initBackend. */
export function activeBackend(): BackendChoice | undefined {
  return chosen;
}
