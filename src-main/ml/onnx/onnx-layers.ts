// ONNX counterparts of ml/layers.ts at inference (running batch-norm statistics, no dropout), on channels-first
// tensors. Each takes the weight names the model's layer used and reads shapes from the stored weights.
import type { OnnxGraph } from './onnx-graph.ts';

/** [k, cinPerGroup, cout] (the model's conv1d kernel) to ONNX Conv's [cout, cinPerGroup, k]. */
function conv1dKernel(values: Float32Array, [k, cin, cout]: number[]): Float32Array {
  const out = new Float32Array(values.length);
  for (let t = 0; t < k; t++)
    for (let i = 0; i < cin; i++) for (let o = 0; o < cout; o++) out[(o * cin + i) * k + t] = values[(t * cin + i) * cout + o];
  return out;
}

/** [kh, kw, cin, cout] (the model's conv2d kernel) to ONNX Conv's [cout, cin, kh, kw]. */
function conv2dKernel(values: Float32Array, [kh, kw, cin, cout]: number[]): Float32Array {
  const out = new Float32Array(values.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < cin; i++)
        for (let o = 0; o < cout; o++) out[((o * cin + i) * kh + y) * kw + x] = values[((y * kw + x) * cin + i) * cout + o];
  return out;
}

export interface Conv1dAttributes {
  stride?: number;
  dilation?: number;
  groups?: number;
  bias?: boolean;
}

/** conv1d with 'same' padding as the model computes it (TensorFlow's: any odd pad goes to the end). */
export function conv1d(g: OnnxGraph, name: string, x: string, o: Conv1dAttributes = {}): string {
  const w = g.weight(`${name}/kernel`);
  const [k, , cout] = w.shape;
  const dilation = o.dilation ?? 1;
  const inputs = [x, g.floats([cout, w.shape[1], k], conv1dKernel(w.values, w.shape))];
  if (o.bias) inputs.push(g.floats([cout], g.weight(`${name}/bias`).values));
  const span = dilation * (k - 1);
  const padding =
    (o.stride ?? 1) > 1
      ? [{ name: 'auto_pad', s: 'SAME_UPPER' }]
      : [{ name: 'pads', ints: [Math.floor(span / 2), span - Math.floor(span / 2)] }];
  return g.op('Conv', inputs, [
    { name: 'kernel_shape', ints: [k] },
    { name: 'strides', ints: [o.stride ?? 1] },
    { name: 'dilations', ints: [dilation] },
    { name: 'group', i: o.groups ?? 1 },
    ...padding,
  ]);
}

/** conv2d, stride 1, 'same' padding, no bias (image-cnn's). */
export function conv2dSame(g: OnnxGraph, name: string, x: string): string {
  const w = g.weight(`${name}/kernel`);
  const [kh, kw, cin, cout] = w.shape;
  const pads = [Math.floor((kh - 1) / 2), Math.floor((kw - 1) / 2), kh - 1 - Math.floor((kh - 1) / 2), kw - 1 - Math.floor((kw - 1) / 2)];
  return g.op(
    'Conv',
    [x, g.floats([cout, cin, kh, kw], conv2dKernel(w.values, w.shape))],
    [
      { name: 'kernel_shape', ints: [kh, kw] },
      { name: 'pads', ints: pads },
    ],
  );
}

export function batchNorm(g: OnnxGraph, name: string, x: string, eps = 1e-5): string {
  const stat = (s: string): string => {
    const w = g.weight(`${name}/${s}`);
    return g.floats(w.shape, w.values);
  };
  return g.op('BatchNormalization', [x, stat('gamma'), stat('beta'), stat('mean'), stat('variance')], [{ name: 'epsilon', f: eps }]);
}

export const relu = (g: OnnxGraph, x: string): string => g.op('Relu', [x]);

/** Non-overlapping max-pool over samples (or over h and w), trailing remainder dropped. */
export const maxPool = (g: OnnxGraph, x: string, size: number, spatialDims = 1): string =>
  g.op(
    'MaxPool',
    [x],
    [
      { name: 'kernel_shape', ints: Array(spatialDims).fill(size) },
      { name: 'strides', ints: Array(spatialDims).fill(size) },
    ],
  );

/** Mean over every axis after the channels: [batch, channels, ...] to [batch, channels]. */
export const globalAveragePool = (g: OnnxGraph, x: string): string => g.op('Flatten', [g.op('GlobalAveragePool', [x])]);

/** x [batch, in] times the model's dense kernel [in, out] plus bias. */
export function dense(g: OnnxGraph, name: string, x: string): string {
  const w = g.weight(`${name}/kernel`);
  const b = g.weight(`${name}/bias`);
  return g.op('Gemm', [x, g.floats(w.shape, w.values), g.floats(b.shape, b.values)]);
}

/** Squeeze-and-excitation on [batch, channels, samples]. */
export function squeezeExcite(g: OnnxGraph, name: string, x: string): string {
  const hidden = relu(g, dense(g, `${name}/fc1`, globalAveragePool(g, x)));
  const scale = g.op('Sigmoid', [dense(g, `${name}/fc2`, hidden)]);
  return g.op('Mul', [x, g.op('Unsqueeze', [scale, g.ints([2])])]);
}

/** Group normalisation: statistics per example over each group of channels and all samples. */
export function groupNorm(g: OnnxGraph, name: string, x: string, groups: number, eps = 1e-5): string {
  const gamma = g.weight(`${name}/gamma`);
  const beta = g.weight(`${name}/beta`);
  const ch = gamma.shape[0];
  // Channels-first, a group's channels and samples are contiguous: [batch, groups, channels/groups * samples].
  const grouped = g.op('Reshape', [x, g.ints([0, groups, -1])]);
  const centred = g.op('Sub', [grouped, g.op('ReduceMean', [grouped], [{ name: 'axes', ints: [2] }])]);
  const variance = g.op('ReduceMean', [g.op('Mul', [centred, centred])], [{ name: 'axes', ints: [2] }]);
  const normed = g.op('Div', [centred, g.op('Sqrt', [g.op('Add', [variance, g.floats([], Float32Array.of(eps))])])]);
  const back = g.op('Reshape', [normed, g.op('Shape', [x])]);
  return g.op('Add', [g.op('Mul', [back, g.floats([ch, 1], gamma.values)]), g.floats([ch, 1], beta.values)]);
}

/**
 * Bidirectional LSTM over [batch, features, steps] to [batch, 2 * units, steps], forward states first.
 * The model's gates are [input, forget, cell, output] with 1 added to the forget gate's pre-activation;
 * ONNX's are [input, output, forget, cell], so the blocks are reordered and the 1 folded into the bias.
 */
export function bidirectionalLstm(g: OnnxGraph, forward: string, backward: string, x: string): string {
  const directions = [forward, backward].map((name) => ({
    wx: g.weight(`${name}/wx`),
    wh: g.weight(`${name}/wh`),
    bias: g.weight(`${name}/bias`),
  }));
  const units = directions[0].wh.shape[0];
  const features = directions[0].wx.shape[0];
  const onnxOrder = [0, 3, 1, 2]; // ONNX gate k comes from the model's gate onnxOrder[k]
  const W = new Float32Array(2 * 4 * units * features);
  const R = new Float32Array(2 * 4 * units * units);
  const B = new Float32Array(2 * 8 * units);
  directions.forEach(({ wx, wh, bias }, d) => {
    onnxOrder.forEach((from, to) => {
      for (let u = 0; u < units; u++) {
        const row = to * units + u;
        const col = from * units + u;
        for (let f = 0; f < features; f++) W[(d * 4 * units + row) * features + f] = wx.values[f * 4 * units + col];
        for (let h = 0; h < units; h++) R[(d * 4 * units + row) * units + h] = wh.values[h * 4 * units + col];
        B[d * 8 * units + row] = bias.values[col] + (from === 1 ? 1 : 0);
      }
    });
  });
  const steps = g.op('Transpose', [x], [{ name: 'perm', ints: [2, 0, 1] }]); // [steps, batch, features]
  const y = g.op(
    'LSTM',
    [steps, g.floats([2, 4 * units, features], W), g.floats([2, 4 * units, units], R), g.floats([2, 8 * units], B)],
    [
      { name: 'direction', s: 'bidirectional' },
      { name: 'hidden_size', i: units },
    ],
  ); // [steps, 2, batch, units]
  const batchFirst = g.op('Transpose', [y], [{ name: 'perm', ints: [2, 1, 3, 0] }]); // [batch, 2, units, steps]
  return g.op('Reshape', [batchFirst, g.ints([0, 2 * units, -1])]);
}
