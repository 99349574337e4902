// Exports a trained small CNN to ONNX (hand-encoded protobuf) so inference runs in onnxruntime at native speed.
// The exported graph takes [batch, leads, samples] (PyTorch layout) and outputs probabilities.
import type { EcgModel } from './models/model.ts';
import { SMALL_CNN_FILTERS, SMALL_CNN_POOLS } from './models/small-cnn.ts';
import type { ModelCard } from './onnx-model.ts';

// --- minimal protobuf writer (varints, length-delimited fields, packed repeated ints)
type Bytes = Uint8Array;

function varint(n: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return out;
}

const concat = (parts: Bytes[]): Bytes => {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
};
const key = (field: number, wire: number): number[] => varint((field << 3) | wire);
const fInt = (field: number, v: number): Bytes => Uint8Array.from([...key(field, 0), ...varint(v)]);
const fBytes = (field: number, b: Bytes): Bytes => concat([Uint8Array.from([...key(field, 2), ...varint(b.length)]), b]);
const fStr = (field: number, s: string): Bytes => fBytes(field, new TextEncoder().encode(s));
const fFloat = (field: number, v: number): Bytes => {
  const b = new Uint8Array(5);
  b[0] = (field << 3) | 5;
  new DataView(b.buffer).setFloat32(1, v, true);
  return b;
};
const fPackedInts = (field: number, vs: number[]): Bytes => fBytes(field, Uint8Array.from(vs.flatMap((v) => varint(v))));

// --- ONNX messages (field numbers from onnx.proto)
type Attr = { name: string } & ({ i: number } | { ints: number[] } | { f: number });
function attribute(a: Attr): Bytes {
  if ('i' in a) return concat([fStr(1, a.name), fInt(20, 2), fInt(3, a.i)]);
  if ('f' in a) return concat([fStr(1, a.name), fInt(20, 1), fFloat(2, a.f)]);
  return concat([fStr(1, a.name), fInt(20, 7), fPackedInts(8, a.ints)]);
}
const node = (op: string, inputs: string[], outputs: string[], attrs: Attr[] = []): Bytes =>
  concat([
    ...inputs.map((s) => fStr(1, s)),
    ...outputs.map((s) => fStr(2, s)),
    fStr(3, outputs[0]),
    fStr(4, op),
    ...attrs.map((a) => fBytes(5, attribute(a))),
  ]);
const initializer = (name: string, dims: number[], data: Float32Array): Bytes =>
  concat([fPackedInts(1, dims), fInt(2, 1), fStr(8, name), fBytes(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength))]);
function valueInfo(name: string, dims: Array<number | string>): Bytes {
  const shape = concat(dims.map((d) => fBytes(1, typeof d === 'number' ? fInt(1, d) : fStr(2, d))));
  return concat([fStr(1, name), fBytes(2, fBytes(1, concat([fInt(1, 1), fBytes(2, shape)])))]);
}

/** [k, cin, cout] (tfjs conv1d) to [cout, cin, k] (ONNX Conv). */
function convWeight(w: Float32Array, k: number, cin: number, cout: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let t = 0; t < k; t++)
    for (let i = 0; i < cin; i++) for (let o = 0; o < cout; o++) out[(o * cin + i) * k + t] = w[(t * cin + i) * cout + o];
  return out;
}

/** ONNX bytes of a small-cnn model (inference graph: batch norm with running statistics, sigmoid outputs). */
export function exportSmallCnnOnnx(model: EcgModel): Uint8Array {
  if (model.spec.arch !== 'small-cnn') throw new Error(`ONNX export supports small-cnn only, not ${model.spec.arch}`);
  const get = (name: string): Float32Array => {
    const v = model.store.params.get(name) ?? model.store.state.get(name);
    if (!v) throw new Error(`ONNX export: model has no weight ${name}`);
    return v.dataSync() as Float32Array;
  };
  const nodes: Bytes[] = [];
  const inits: Bytes[] = [];
  let h = 'ecg';
  let cin = model.spec.channels;
  SMALL_CNN_FILTERS.forEach((f, i) => {
    const b = `block${i}`;
    inits.push(initializer(`${b}.w`, [f, cin, 7], convWeight(get(`${b}/conv/kernel`), 7, cin, f)));
    for (const s of ['gamma', 'beta', 'mean', 'variance']) inits.push(initializer(`${b}.${s}`, [f], get(`${b}/bn/${s}`)));
    nodes.push(
      node(
        'Conv',
        [h, `${b}.w`],
        [`${b}.conv`],
        [
          { name: 'kernel_shape', ints: [7] },
          { name: 'pads', ints: [3, 3] },
        ],
      ),
    );
    nodes.push(
      node(
        'BatchNormalization',
        [`${b}.conv`, `${b}.gamma`, `${b}.beta`, `${b}.mean`, `${b}.variance`],
        [`${b}.bn`],
        [{ name: 'epsilon', f: 1e-5 }],
      ),
    );
    nodes.push(node('Relu', [`${b}.bn`], [`${b}.relu`]));
    nodes.push(
      node(
        'MaxPool',
        [`${b}.relu`],
        [`${b}.pool`],
        [
          { name: 'kernel_shape', ints: [SMALL_CNN_POOLS[i]] },
          { name: 'strides', ints: [SMALL_CNN_POOLS[i]] },
        ],
      ),
    );
    h = `${b}.pool`;
    cin = f;
  });
  nodes.push(node('GlobalAveragePool', [h], ['gap']));
  nodes.push(node('Flatten', ['gap'], ['embedding']));
  const fc1 = get('head/fc1/kernel');
  const fc2 = get('head/fc2/kernel');
  inits.push(initializer('fc1.w', [cin, 16], fc1), initializer('fc1.b', [16], get('head/fc1/bias')));
  inits.push(initializer('fc2.w', [16, model.spec.classes], fc2), initializer('fc2.b', [model.spec.classes], get('head/fc2/bias')));
  nodes.push(node('Gemm', ['embedding', 'fc1.w', 'fc1.b'], ['fc1']));
  nodes.push(node('Relu', ['fc1'], ['fc1.relu']));
  nodes.push(node('Gemm', ['fc1.relu', 'fc2.w', 'fc2.b'], ['logits']));
  nodes.push(node('Sigmoid', ['logits'], ['prob']));
  const graph = concat([
    ...nodes.map((n) => fBytes(1, n)),
    fStr(2, 'leadlens-small-cnn'),
    ...inits.map((t) => fBytes(5, t)),
    fBytes(11, valueInfo('ecg', ['batch', model.spec.channels, model.spec.inputShape[0]])),
    fBytes(12, valueInfo('prob', ['batch', model.spec.classes])),
  ]);
  // ir_version 7, producer 'leadlens', graph, opset 13.
  return concat([fInt(1, 7), fStr(2, 'leadlens'), fBytes(7, graph), fBytes(8, concat([fStr(1, ''), fInt(2, 13)]))]);
}

/** The model card matching an exported small CNN. */
export function exportedCard(
  model: EcgModel,
  classes: string[],
  samplingRate: number,
  leads: string[],
  normalisation: ModelCard['normalisation'],
): ModelCard {
  return {
    name: `leadlens ${model.spec.arch}`,
    classes,
    samplingRate,
    inputLength: model.spec.inputShape[0],
    leads,
    layout: 'leads-first',
    output: 'probabilities',
    normalisation,
  };
}
