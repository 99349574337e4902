// Multi-branch dilated CNN; the lead-wise variant keeps leads apart (grouped convolutions, one group per lead,
// group normalisation) until a final mixing convolution.
import * as tf from '@tensorflow/tfjs-core';
import { batchNorm, conv1d, createParamStore, dense, globalAvgPool1d, groupNorm, maxPool1d } from '../layers.ts';
import type { ParamStore } from '../layers.ts';
import { stagedModel, type BackboneStage, type EcgModel, type ModelSpec } from './model.ts';

const DILATIONS = [1, 2, 4];

function norm(p: ParamStore, name: string, x: tf.Tensor3D, groups: number | undefined): tf.Tensor3D {
  return groups ? groupNorm(p, name, x, groups) : batchNorm(p, name, x);
}

/** Parallel branches with growing dilation, concatenated along channels. */
function dilatedBlock(p: ParamStore, name: string, x: tf.Tensor3D, perBranch: number, groups: number | undefined): tf.Tensor3D {
  const branches = DILATIONS.map((d) =>
    tf.relu(norm(p, `${name}/d${d}/norm`, conv1d(p, `${name}/d${d}/conv`, x, perBranch, 5, { dilation: d, groups }), groups)),
  );
  return tf.concat(branches, 2) as tf.Tensor3D;
}

function build(spec: ModelSpec, leadwise: boolean): EcgModel {
  const store = createParamStore(spec.seed);
  const groups = leadwise ? spec.channels : undefined;
  // Per-branch filters must split evenly into one group per lead.
  const width = (base: number): number => (leadwise ? spec.channels * Math.max(1, Math.round(base / spec.channels)) : base);
  const stages: BackboneStage[] = [16, 32, 32].map((base, i) => ({
    name: `block${i}`,
    apply: (h) => maxPool1d(dilatedBlock(store, `block${i}`, h as tf.Tensor3D, width(base), groups), 4),
  }));
  if (leadwise)
    stages.push({ name: 'mix', apply: (h) => tf.relu(batchNorm(store, 'mix/bn', conv1d(store, 'mix/conv', h as tf.Tensor3D, 64, 1))) });
  const pool = (h: tf.Tensor): tf.Tensor2D => globalAvgPool1d(h as tf.Tensor3D);
  return stagedModel(spec, store, stages, pool, (e) => dense(store, 'head/fc', e, spec.classes));
}

export const dilatedCnn = (spec: ModelSpec): EcgModel => build(spec, false);
export const dilatedCnnLeadwise = (spec: ModelSpec): EcgModel => build(spec, true);
