// The few ONNX protobuf messages LeadLens writes (field numbers from onnx.proto), hand-encoded: no protobuf
// dependency for a format we only ever write.
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

export const concatBytes = (parts: Bytes[]): Bytes => {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
};
const key = (field: number, wire: number): number[] => varint((field << 3) | wire);
const fInt = (field: number, v: number): Bytes => Uint8Array.from([...key(field, 0), ...varint(v)]);
const fBytes = (field: number, b: Bytes): Bytes => concatBytes([Uint8Array.from([...key(field, 2), ...varint(b.length)]), b]);
const fStr = (field: number, s: string): Bytes => fBytes(field, new TextEncoder().encode(s));
const fFloat = (field: number, v: number): Bytes => {
  const b = new Uint8Array(5);
  b[0] = (field << 3) | 5;
  new DataView(b.buffer).setFloat32(1, v, true);
  return b;
};
const fPackedInts = (field: number, vs: readonly number[]): Bytes => fBytes(field, Uint8Array.from(vs.flatMap((v) => varint(v))));

/** A node attribute: an int, a float, a string or a list of ints. */
export type OnnxAttribute = { name: string } & ({ i: number } | { ints: readonly number[] } | { f: number } | { s: string });

function attribute(a: OnnxAttribute): Bytes {
  if ('i' in a) return concatBytes([fStr(1, a.name), fInt(20, 2), fInt(3, a.i)]);
  if ('f' in a) return concatBytes([fStr(1, a.name), fInt(20, 1), fFloat(2, a.f)]);
  if ('s' in a) return concatBytes([fStr(1, a.name), fInt(20, 3), fStr(4, a.s)]);
  return concatBytes([fStr(1, a.name), fInt(20, 7), fPackedInts(8, a.ints)]);
}

export const nodeProto = (op: string, inputs: readonly string[], outputs: readonly string[], attrs: readonly OnnxAttribute[]): Bytes =>
  concatBytes([
    ...inputs.map((s) => fStr(1, s)),
    ...outputs.map((s) => fStr(2, s)),
    fStr(3, outputs[0]),
    fStr(4, op),
    ...attrs.map((a) => fBytes(5, attribute(a))),
  ]);

/** A float32 (data type 1) or int64 (data type 7) initializer. */
export function tensorProto(name: string, dims: readonly number[], values: Float32Array | BigInt64Array): Bytes {
  const raw = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  return concatBytes([fPackedInts(1, dims), fInt(2, values instanceof Float32Array ? 1 : 7), fStr(8, name), fBytes(9, raw)]);
}

/** A float32 tensor's name and shape; string dimensions are symbolic (e.g. 'batch'). */
export function valueInfoProto(name: string, dims: ReadonlyArray<number | string>): Bytes {
  const shape = concatBytes(dims.map((d) => fBytes(1, typeof d === 'number' ? fInt(1, d) : fStr(2, d))));
  return concatBytes([fStr(1, name), fBytes(2, fBytes(1, concatBytes([fInt(1, 1), fBytes(2, shape)])))]);
}

export interface OnnxGraphParts {
  name: string;
  nodes: Bytes[];
  initializers: Bytes[];
  input: Bytes;
  output: Bytes;
}

/** ModelProto bytes: ir_version 7, producer 'leadlens', the graph, default-domain opset 13. */
export function modelProto(g: OnnxGraphParts): Bytes {
  const graph = concatBytes([
    ...g.nodes.map((n) => fBytes(1, n)),
    fStr(2, g.name),
    ...g.initializers.map((t) => fBytes(5, t)),
    fBytes(11, g.input),
    fBytes(12, g.output),
  ]);
  return concatBytes([fInt(1, 7), fStr(2, 'leadlens'), fBytes(7, graph), fBytes(8, concatBytes([fStr(1, ''), fInt(2, 13)]))]);
}
