// What every architecture provides: a backbone to embeddings and a head to class logits, over one ParamStore.
import type * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from '../layers.ts';

export const ARCHITECTURES = ['small-cnn', 'resnet-se', 'dilated-cnn', 'dilated-cnn-leadwise', 'crnn', 'image-cnn'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

export interface ModelSpec {
  arch: Architecture;
  /** Input channels: leads for signal models, colour channels for image-cnn. */
  channels: number;
  /** Input samples per lead (signal models) or [height, width] (image-cnn). */
  inputShape: number[];
  classes: number;
  seed: number;
}

export interface EcgModel {
  spec: ModelSpec;
  store: ParamStore;
  /** [batch, samples, leads] (or [batch, h, w, c] for images) to embeddings [batch, d]. */
  backbone(x: tf.Tensor): tf.Tensor2D;
  /** Embeddings to logits [batch, classes]; its weights are named under `head/`. */
  head(embedding: tf.Tensor2D): tf.Tensor2D;
  /**
   * The backbone as named stages with spatial outputs [batch, ...spatial, channels], then `pool` to embeddings:
   * backbone(x) = pool(stages in order). Lets explainability read and differentiate a chosen stage (Grad-CAM).
   */
  stages?: BackboneStage[];
  pool?(activations: tf.Tensor): tf.Tensor2D;
}

export interface BackboneStage {
  name: string;
  apply(h: tf.Tensor): tf.Tensor;
}

/** Applies stages [from, to) in order. */
export function runStages(stages: readonly BackboneStage[], x: tf.Tensor, from = 0, to = stages.length): tf.Tensor {
  let h = x;
  for (let i = from; i < to; i++) h = stages[i].apply(h);
  return h;
}

export const HEAD_PREFIX = 'head/';

/** The model every architecture ends in: its stages and pool as the backbone, then its head. */
export function stagedModel(
  spec: ModelSpec,
  store: ParamStore,
  stages: BackboneStage[],
  pool: (h: tf.Tensor) => tf.Tensor2D,
  head: (e: tf.Tensor2D) => tf.Tensor2D,
): EcgModel {
  return { spec, store, stages, pool, backbone: (x) => pool(runStages(stages, x)), head };
}
