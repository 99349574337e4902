// Exports a trained model of any architecture to ONNX, so inference runs in onnxruntime at native speed and the
// model leaves LeadLens in a form PyTorch-side tools read. Signal graphs take [batch, leads, samples] (PyTorch
// layout); image graphs take the model's own [batch, height, width, channels]. Both output probabilities.
import type { EcgModel } from './models/model.ts';
import { RESNET_SE_STAGES } from './models/resnet-se.ts';
import { SMALL_CNN_FILTERS, SMALL_CNN_POOLS } from './models/small-cnn.ts';
import { createOnnxGraph, type OnnxGraph } from './onnx/onnx-graph.ts';
import {
  batchNorm,
  bidirectionalLstm,
  conv1d,
  conv2dSame,
  dense,
  globalAveragePool,
  groupNorm,
  maxPool,
  relu,
  squeezeExcite,
} from './onnx/onnx-layers.ts';
import type { ModelCard } from './onnx-model.ts';

/** Backbone and head of each architecture, on the graph's input; returns the logits. Mirrors ml/models/. */
const EMITTERS: Record<EcgModel['spec']['arch'], (g: OnnxGraph, x: string, model: EcgModel) => string> = {
  'small-cnn': (g, x) => {
    let h = x;
    SMALL_CNN_FILTERS.forEach((_, i) => {
      h = maxPool(g, relu(g, batchNorm(g, `block${i}/bn`, conv1d(g, `block${i}/conv`, h))), SMALL_CNN_POOLS[i]);
    });
    return dense(g, 'head/fc2', relu(g, dense(g, 'head/fc1', globalAveragePool(g, h))));
  },
  'resnet-se': (g, x, model) => {
    let h = maxPool(g, relu(g, batchNorm(g, 'stem/bn', conv1d(g, 'stem/conv', x, { stride: 2 }))), 2);
    RESNET_SE_STAGES.forEach((_, i) => {
      const name = `stage${i}`;
      const stride = i === 0 ? 1 : 2;
      let y = relu(g, batchNorm(g, `${name}/bn1`, conv1d(g, `${name}/conv1`, h, { stride })));
      y = squeezeExcite(g, `${name}/se`, batchNorm(g, `${name}/bn2`, conv1d(g, `${name}/conv2`, y)));
      const shortcut = model.store.params.has(`${name}/conv_sc/kernel`)
        ? batchNorm(g, `${name}/bn_sc`, conv1d(g, `${name}/conv_sc`, h, { stride }))
        : h;
      h = relu(g, g.op('Add', [y, shortcut]));
    });
    return dense(g, 'head/fc', globalAveragePool(g, h));
  },
  'dilated-cnn': (g, x, model) => dilatedCnn(g, x, model, false),
  'dilated-cnn-leadwise': (g, x, model) => dilatedCnn(g, x, model, true),
  crnn: (g, x) => {
    let h = x;
    for (let i = 0; i < 3; i++) h = maxPool(g, relu(g, batchNorm(g, `conv${i}/bn`, conv1d(g, `conv${i}/conv`, h))), 4);
    h = squeezeExcite(g, 'se', bidirectionalLstm(g, 'lstm/fwd', 'lstm/bwd', h));
    return dense(g, 'head/fc2', relu(g, dense(g, 'head/fc1', globalAveragePool(g, h))));
  },
  'image-cnn': (g, x, model) => {
    let h = g.op('Transpose', [x], [{ name: 'perm', ints: [0, 3, 1, 2] }]); // the model's NHWC to ONNX's NCHW
    for (let i = 0; model.store.params.has(`block${i}/conv/kernel`); i++)
      h = maxPool(g, relu(g, batchNorm(g, `block${i}/bn`, conv2dSame(g, `block${i}/conv`, h))), 2, 2);
    return dense(g, 'head/fc', globalAveragePool(g, h));
  },
};

function dilatedCnn(g: OnnxGraph, x: string, model: EcgModel, leadwise: boolean): string {
  const groups = leadwise ? model.spec.channels : 1;
  let h = x;
  for (let i = 0; model.store.params.has(`block${i}/d1/conv/kernel`); i++) {
    const branches = [1, 2, 4].map((d) => {
      const conv = conv1d(g, `block${i}/d${d}/conv`, h, { dilation: d, groups });
      const normName = `block${i}/d${d}/norm`;
      return relu(g, leadwise ? groupNorm(g, normName, conv, groups) : batchNorm(g, normName, conv));
    });
    h = maxPool(g, g.op('Concat', branches, [{ name: 'axis', i: 1 }]), 4);
  }
  if (leadwise) h = relu(g, batchNorm(g, 'mix/bn', conv1d(g, 'mix/conv', h)));
  return dense(g, 'head/fc', globalAveragePool(g, h));
}

/** Whether a model reads images ([batch, h, w, c]) rather than signals. */
const isImageModel = (model: EcgModel): boolean => model.spec.inputShape.length === 2;

/** ONNX bytes of a trained model at inference (batch norm with running statistics, no dropout, sigmoid outputs). */
export function exportModelOnnx(model: EcgModel): Uint8Array {
  const { spec } = model;
  const g = createOnnxGraph(model, `leadlens-${spec.arch}`);
  const input = isImageModel(model)
    ? { name: 'image', dims: ['batch', spec.inputShape[0], spec.inputShape[1], spec.channels] }
    : { name: 'ecg', dims: ['batch', spec.channels, spec.inputShape[0]] };
  const prob = g.op('Sigmoid', [EMITTERS[spec.arch](g, input.name, model)]);
  return g.bytes(input, prob, { name: 'prob', dims: ['batch', spec.classes] });
}

/** The model card matching an exported signal model. */
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

/** The card of an exported image model: what its images are made of (chart or signal images) and their shape. */
export interface ExportedImageCard {
  name: string;
  classes: string[];
  /** How a record becomes the image: the chart or signal-image card the model was trained with. */
  input: { kind: 'chart' | 'signal-image' } & object;
  /** [height, width, channels]; values 0..1. */
  imageShape: [number, number, number];
  layout: 'images-nhwc';
  output: 'probabilities';
}

export function exportedImageCard(model: EcgModel, classes: string[], input: ExportedImageCard['input']): ExportedImageCard {
  const [h, w] = model.spec.inputShape;
  return {
    name: `leadlens ${model.spec.arch}`,
    classes,
    input,
    imageShape: [h, w, model.spec.channels],
    layout: 'images-nhwc',
    output: 'probabilities',
  };
}
