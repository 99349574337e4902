// Architecture name to builder.
import * as tf from '@tensorflow/tfjs-core';
import { crnn } from './crnn-head.ts';
import { dilatedCnn, dilatedCnnLeadwise } from './dilated-cnn.ts';
import { imageCnn } from './image-cnn.ts';
import { ARCHITECTURES } from './model.ts';
import type { Architecture, EcgModel, ModelSpec } from './model.ts';
import { resnetSe } from './resnet-se.ts';
import { smallCnn } from './small-cnn.ts';

const BUILDERS: Record<Architecture, (spec: ModelSpec) => EcgModel> = {
  'small-cnn': smallCnn,
  'resnet-se': resnetSe,
  'dilated-cnn': dilatedCnn,
  'dilated-cnn-leadwise': dilatedCnnLeadwise,
  crnn,
  'image-cnn': imageCnn,
};

export function isArchitecture(name: string): name is Architecture {
  return (ARCHITECTURES as readonly string[]).includes(name);
}

/** Builds the model and creates all its weights by running one forward pass on zeros. */
export function createModel(spec: ModelSpec): EcgModel {
  if (!isArchitecture(spec.arch)) throw new Error(`unknown architecture '${spec.arch}' (expected ${ARCHITECTURES.join(', ')})`);
  const model = BUILDERS[spec.arch](spec);
  tf.tidy(() => {
    model.head(model.backbone(tf.zeros([1, ...spec.inputShape, spec.channels])));
  });
  return model;
}

export function parameterCount(model: EcgModel): number {
  let n = 0;
  for (const v of model.store.params.values()) n += v.size;
  return n;
}
