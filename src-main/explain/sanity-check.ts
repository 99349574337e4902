// Model-parameter randomisation test (Adebayo et al. 2018): a saliency method that explains the model
// must change when the model's weights are replaced by random ones. A map that stays similar
// (rank correlation or SSIM above the thresholds) is flagged as insensitive to the model.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { seededRandom } from '../../src-shared/seeded-random.ts';
import type { ParamStore } from '../ml/layers.ts';
import { compareAttributions, type LeadTimeAttribution } from './consistency.ts';
import { spearman } from '../../src-shared/rank-stats.ts';
import { gaussianSource } from './saliency/smoothgrad.ts';

export interface SanityResult {
  /** Spearman correlation of the two maps over all lead x time bins. */
  spearman: number;
  ssim: number;
  /** True when the map barely changed under randomisation. */
  flagged: boolean;
}

/** Random normal values with each tensor's own standard deviation (or 0.05 for constant tensors). */
function randomLike(t: tf.Tensor, normal: () => number): tf.Tensor {
  const v = t.dataSync();
  let m = 0;
  for (const x of v) m += x;
  m /= v.length;
  let s = 0;
  for (const x of v) s += (x - m) * (x - m);
  const sd = Math.sqrt(s / v.length) || 0.05;
  return tf.tensor(
    Float32Array.from(v, () => sd * normal()),
    t.shape,
  );
}

/** Randomises every weight of a layers model; returns a function restoring the original weights. */
export function randomiseLayersModel(model: tfl.LayersModel, seed: number): () => void {
  const original = model.getWeights().map((w) => w.clone());
  const normal = gaussianSource(seededRandom(seed));
  const random = original.map((w) => randomLike(w, normal));
  model.setWeights(random);
  random.forEach((w) => w.dispose());
  return () => {
    model.setWeights(original);
    original.forEach((w) => w.dispose());
  };
}

/** Randomises the trainable parameters of the ML engine's ParamStore; returns a restore function. */
export function randomiseParamStore(store: ParamStore, seed: number): () => void {
  const normal = gaussianSource(seededRandom(seed));
  const saved = new Map<string, tf.Tensor>();
  for (const [name, v] of store.params) {
    saved.set(name, v.clone());
    const r = randomLike(v, normal);
    v.assign(r);
    r.dispose();
  }
  return () => {
    for (const [name, v] of store.params) {
      const s = saved.get(name);
      if (s) {
        v.assign(s);
        s.dispose();
      }
    }
  };
}

/** Above either of these the map counts as unchanged by randomisation. */
export const SANITY_THRESHOLDS = { spearman: 0.5, ssim: 0.8 } as const;

export function sanityCheck(
  original: LeadTimeAttribution,
  randomised: LeadTimeAttribution,
  o: { maxSpearman?: number; maxSsim?: number; bin?: number } = {},
): SanityResult {
  const bin = o.bin ?? 25;
  const bins = (a: LeadTimeAttribution): Float64Array => {
    const nb = Math.ceil(a.samples / bin);
    const out = new Float64Array(a.leads.length * nb);
    for (let l = 0; l < a.leads.length; l++) {
      for (let t = 0; t < a.samples; t++) out[l * nb + Math.floor(t / bin)] += Math.abs(a.map[l * a.samples + t]);
    }
    return out;
  };
  const rho = spearman(bins(original), bins(randomised));
  const s = compareAttributions(original, randomised, { bin }).ssim;
  return {
    spearman: rho,
    ssim: s,
    flagged: rho > (o.maxSpearman ?? SANITY_THRESHOLDS.spearman) || s > (o.maxSsim ?? SANITY_THRESHOLDS.ssim),
  };
}

/**
 * The randomisation test on one map: `remake` explains again (same record, class and method) while
 * the model's trainable weights are replaced by seeded random ones; the weights are restored even when it throws.
 */
export async function randomisationCheck(
  store: ParamStore,
  seed: number,
  original: LeadTimeAttribution,
  remake: () => Promise<LeadTimeAttribution>,
): Promise<SanityResult> {
  const restore = randomiseParamStore(store, seed);
  let randomised: LeadTimeAttribution;
  try {
    randomised = await remake();
  } finally {
    restore();
  }
  return sanityCheck(original, randomised);
}
