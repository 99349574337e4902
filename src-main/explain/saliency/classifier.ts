// The model side of a gradient method: a differentiable forward pass plus the split points Grad-CAM
// needs. Adapters cover tfjs-layers models (linear layer chains) and the ML engine's EcgModel.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { runStages, type EcgModel } from '../../ml/models/model.ts';

export interface FeatureSplit {
  /** Input [batch, ...] → activations [batch, ...spatial, channels]. */
  features(x: tf.Tensor): tf.Tensor;
  /** Activations → class scores [batch, classes]. */
  fromFeatures(a: tf.Tensor): tf.Tensor;
}

export interface TfClassifier {
  id: string;
  /** Input [batch, ...inputShape] → class scores [batch, classes]; every ReLU a plain tf.relu (no fused kernels). */
  forward(x: tf.Tensor): tf.Tensor;
  /** Layer names Grad-CAM can use, default (last spatial layer) first; empty when the model exposes none. */
  layers: string[];
  split(layer: string): FeatureSplit;
}

type Layer = tfl.layers.Layer;
const LINEAR = { apply: (x: tf.Tensor) => x, getClassName: () => 'linear' };

/** Applies a layer with a fused ReLU activation as layer(linear) then tf.relu, so the Relu gradient can be overridden. */
function applyUnfused(layer: Layer, x: tf.Tensor): tf.Tensor {
  const holder = layer as unknown as { activation?: { getClassName(): string } | null };
  const act = holder.activation;
  if (!act || act.getClassName().toLowerCase() !== 'relu' || layer.getClassName() === 'Activation') {
    return layer.apply(x) as tf.Tensor;
  }
  holder.activation = LINEAR;
  try {
    return tf.relu(layer.apply(x) as tf.Tensor);
  } finally {
    holder.activation = act;
  }
}

/** A tfjs-layers model whose layers form a single chain (tf.sequential or a linear functional model). */
export function layersClassifier(model: tfl.LayersModel, id = model.name): TfClassifier {
  const chain = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  for (const layer of chain) {
    if (layer.inboundNodes.some((n) => n.inboundLayers.length > 1)) {
      throw new Error(
        `model ${id}: layer ${layer.name} merges several inputs; only layer chains can be explained by gradient methods here`,
      );
    }
  }
  const run = (x: tf.Tensor, from: number, to: number): tf.Tensor => {
    let h = x;
    for (let i = from; i < to; i++) h = applyUnfused(chain[i], h);
    return h;
  };
  const spatial = chain
    .map((l, i) => ({ l, i }))
    .filter(({ l }) => Array.isArray(l.outputShape) && !Array.isArray(l.outputShape[0]) && l.outputShape.length >= 3)
    .reverse();
  return {
    id,
    forward: (x) => run(x, 0, chain.length),
    layers: spatial.map(({ l }) => l.name),
    split(name) {
      const k = chain.findIndex((l) => l.name === name);
      if (k < 0) throw new Error(`model ${id} has no layer '${name}' (layers: ${chain.map((l) => l.name).join(', ')})`);
      return { features: (x) => run(x, 0, k + 1), fromFeatures: (a) => run(a, k + 1, chain.length) };
    },
  };
}

/**
 * The ML engine's functional model. Grad-CAM reads a named backbone stage (`model.stages`, last first);
 * a model without stages exposes no layer.
 */
export function ecgClassifier(model: EcgModel, id: string): TfClassifier {
  const { stages, pool } = model;
  const names = stages && pool ? stages.map((s) => s.name).reverse() : [];
  return {
    id,
    forward: (x) => model.head(model.backbone(x)),
    layers: names,
    split(name) {
      const k = stages && pool ? stages.findIndex((s) => s.name === name) : -1;
      if (k < 0) {
        throw new Error(
          names.length
            ? `model ${id} has no layer '${name}' (layers: ${names.join(', ')})`
            : `model ${id} (${model.spec.arch}) exposes no feature layer for Grad-CAM`,
        );
      }
      return { features: (x) => runStages(stages!, x, 0, k + 1), fromFeatures: (a) => model.head(pool!(runStages(stages!, a, k + 1))) };
    },
  };
}

/**
 * Runs `fn` with the Relu gradient replaced by the guided one (Springenberg et al. 2015): gradient passes
 * only where the ReLU input and the incoming gradient are both positive. Restored afterwards.
 */
export function withGuidedRelu<T>(fn: () => T): T {
  const original = tf.getGradient('Relu');
  tf.unregisterGradient('Relu');
  tf.registerGradient({
    kernelName: 'Relu',
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => {
      const d = dy as tf.Tensor;
      return { x: () => tf.mul(tf.mul(d, tf.step(saved[0])), tf.step(d)) };
    },
  });
  try {
    return fn();
  } finally {
    tf.unregisterGradient('Relu');
    tf.registerGradient(original);
  }
}
