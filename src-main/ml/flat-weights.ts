// Model weights as one flat Float32Array, in a given name order (for passing between threads).
import * as tf from '@tensorflow/tfjs-core';

/** Copies a flat array into the named variables, in order. */
export function assignFlat(vars: Map<string, tf.Variable>, names: string[], flat: Float32Array): void {
  let at = 0;
  for (const name of names) {
    const v = vars.get(name)!;
    v.assign(tf.tensor(flat.subarray(at, at + v.size), v.shape));
    at += v.size;
  }
}

export function readFlat(vars: Map<string, tf.Variable>, names: string[]): Float32Array {
  const size = names.reduce((a, n) => a + vars.get(n)!.size, 0);
  const out = new Float32Array(size);
  let at = 0;
  for (const name of names) {
    const d = vars.get(name)!.dataSync();
    out.set(d, at);
    at += d.length;
  }
  return out;
}
