// SmoothGrad (Smilkov et al. 2017): the gradient averaged over noisy copies of the input.
// Noise comes from a seeded generator, so the same seed reproduces the map exactly.
import { seededRandom } from '../../../src-shared/seeded-random.ts';
import type { ExplainTarget } from './explain-target.ts';
import { gradientsOf, makeResult, resolveClass } from './gradients.ts';
import type { SaliencyResult } from '../../../src-shared/saliency-result.ts';

export interface SmoothGradOptions {
  targetClass?: number;
  /** Noisy copies, default 16. */
  samples?: number;
  /** Noise sd as a fraction of the input's range, default 0.15. */
  noise?: number;
  seed?: number;
  batch?: number;
}

/** Standard normal deviates (Box-Muller) from a uniform source. */
export function gaussianSource(uniform: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

export function smoothGrad(target: ExplainTarget, o: SmoothGradOptions = {}): SaliencyResult {
  const targetClass = resolveClass(target, o.targetClass);
  const samples = o.samples ?? 16;
  const noise = o.noise ?? 0.15;
  const seed = o.seed ?? 0;
  const x = target.input;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of x) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const sd = noise * (hi - lo || 1);
  const normal = gaussianSource(seededRandom(seed));
  const total = new Float32Array(x.length);
  gradientsOf(
    target,
    samples,
    o.batch ?? 8,
    (_i, into) => {
      for (let j = 0; j < x.length; j++) into[j] = x[j] + sd * normal();
    },
    targetClass,
    (_i, g) => {
      for (let j = 0; j < g.length; j++) total[j] += g[j] / samples;
    },
  );
  return makeResult(target, total, { method: 'smoothgrad', targetClass, seed, params: { samples, noise } });
}
