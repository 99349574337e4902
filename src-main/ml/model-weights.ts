// LeadLens model weights as bytes (what the workspace stores and the training worker sends back).
import * as tf from '@tensorflow/tfjs-core';
import { createModel } from './models/index.ts';
import type { EcgModel, ModelSpec } from './models/model.ts';

const MAGIC = 'LLW1';

/** LeadLens weights: 'LLW1', uint32 header length, JSON header {spec, tensors}, then float32 data. */
export function serializeWeights(model: EcgModel): Uint8Array {
  const tensors: Array<{ name: string; kind: 'param' | 'state'; shape: number[]; offset: number }> = [];
  const chunks: Float32Array[] = [];
  let offset = 0;
  for (const [kind, map] of [
    ['param', model.store.params],
    ['state', model.store.state],
  ] as const) {
    for (const [name, v] of map) {
      tensors.push({ name, kind, shape: v.shape, offset });
      const data = v.dataSync() as Float32Array;
      chunks.push(data);
      offset += data.length;
    }
  }
  const header = new TextEncoder().encode(JSON.stringify({ spec: model.spec, tensors }));
  const pad = (4 - ((8 + header.length) % 4)) % 4;
  const out = new Uint8Array(8 + header.length + pad + offset * 4);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(4, header.length + pad, true);
  out.set(header, 8);
  out.fill(0x20, 8 + header.length, 8 + header.length + pad);
  const floats = new Float32Array(out.buffer, 8 + header.length + pad, offset);
  chunks.reduce((at, c) => (floats.set(c, at), at + c.length), 0);
  return out;
}

export function deserializeWeights(bytes: Uint8Array, where = 'model weights'): EcgModel {
  if (bytes.length < 8 || new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC) throw new Error(`${where}: not LeadLens model weights`);
  const buf = bytes.slice().buffer;
  const headerLen = new DataView(buf).getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buf, 8, headerLen))) as {
    spec: ModelSpec;
    tensors: Array<{ name: string; kind: 'param' | 'state'; shape: number[]; offset: number }>;
  };
  const floats = new Float32Array(buf, 8 + headerLen);
  const model = createModel(header.spec);
  for (const t of header.tensors) {
    const v = (t.kind === 'param' ? model.store.params : model.store.state).get(t.name);
    if (!v) throw new Error(`${where}: weight ${t.name} does not belong to a ${header.spec.arch}`);
    if (v.shape.join('x') !== t.shape.join('x'))
      throw new Error(`${where}: weight ${t.name} has shape ${t.shape.join('x')}, the architecture needs ${v.shape.join('x')}`);
    v.assign(tf.tensor(floats.subarray(t.offset, t.offset + v.size), v.shape));
  }
  return model;
}
