// Builds an ONNX inference graph from a trained model's weights, layer by layer, mirroring ml/layers.ts.
// The graph is channels-first (ONNX's convention): [batch, channels, samples] for 1D, [batch, channels, h, w] for 2D;
// the model's tensors are channels-last, so weights are transposed on the way in.
import type { EcgModel } from '../models/model.ts';
import { modelProto, nodeProto, tensorProto, valueInfoProto, type OnnxAttribute } from './onnx-protobuf.ts';

export interface GraphTensor {
  name: string;
  /** Numbers are fixed sizes, strings symbolic ones (e.g. 'batch'). */
  dims: ReadonlyArray<number | string>;
}

export interface OnnxGraph {
  /** Adds a node and returns the name of its first output. */
  op(op: string, inputs: readonly string[], attrs?: readonly OnnxAttribute[], outputCount?: number): string;
  /** A float32 initializer; returns its name. */
  floats(dims: readonly number[], values: Float32Array): string;
  /** An int64 initializer (shapes, axes); returns its name. */
  ints(values: readonly number[]): string;
  /** The model's weight `name` (a parameter or batch-norm statistic) with its shape. */
  weight(name: string): { shape: number[]; values: Float32Array };
  /** The model bytes, with `result` (a node output) exposed as the graph output `output.name`. */
  bytes(input: GraphTensor, result: string, output: GraphTensor): Uint8Array;
}

export function createOnnxGraph(model: EcgModel, graphName: string): OnnxGraph {
  const nodes: Uint8Array[] = [];
  const initializers: Uint8Array[] = [];
  let count = 0;
  const fresh = (stem: string): string => `${stem}_${++count}`;
  return {
    op(op, inputs, attrs = [], outputCount = 1) {
      const out = fresh(op.toLowerCase());
      const outputs = Array.from({ length: outputCount }, (_, k) => (k === 0 ? out : `${out}_${k}`));
      nodes.push(nodeProto(op, inputs, outputs, attrs));
      return out;
    },
    floats(dims, values) {
      const name = fresh('w');
      initializers.push(tensorProto(name, dims, values));
      return name;
    },
    ints(values) {
      const name = fresh('i');
      initializers.push(tensorProto(name, [values.length], BigInt64Array.from(values.map((v) => BigInt(v)))));
      return name;
    },
    weight(name) {
      const v = model.store.params.get(name) ?? model.store.state.get(name);
      if (!v) throw new Error(`ONNX export of ${model.spec.arch}: the model has no weight '${name}'`);
      return { shape: v.shape, values: v.dataSync() as Float32Array };
    },
    bytes(input, result, output) {
      nodes.push(nodeProto('Identity', [result], [output.name], []));
      return modelProto({
        name: graphName,
        nodes,
        initializers,
        input: valueInfoProto(input.name, input.dims),
        output: valueInfoProto(output.name, output.dims),
      });
    },
  };
}
