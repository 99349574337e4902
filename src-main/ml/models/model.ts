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
}

export const HEAD_PREFIX = 'head/';
