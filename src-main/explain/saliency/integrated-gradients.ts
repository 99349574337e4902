// Integrated gradients (Sundararajan et al. 2017): (x - x') ⊙ mean gradient along the straight path
// from the baseline x' to x, midpoint Riemann sum with `steps` points.
import type { ExplainTarget } from './explain-target.ts';
import { makeBaseline, type BaselineKind } from './baselines.ts';
import { gradientsOf, makeResult, resolveClass } from './gradients.ts';
import type { SaliencyResult } from '../../../src-shared/saliency-result.ts';

export interface IntegratedGradientsOptions {
  targetClass?: number;
  baseline?: BaselineKind;
  steps?: number;
  /** Inputs per gradient batch (memory bound for large chart images). */
  batch?: number;
}

export function integratedGradients(target: ExplainTarget, o: IntegratedGradientsOptions = {}): SaliencyResult {
  const targetClass = resolveClass(target, o.targetClass);
  const kind = o.baseline ?? 'zeros';
  const steps = o.steps ?? 32;
  const x = target.input;
  const base = makeBaseline(kind, x, target.inputShape, target.spatialAxes);
  const total = new Float32Array(x.length);
  gradientsOf(
    target,
    steps,
    o.batch ?? 8,
    (i, into) => {
      const alpha = (i + 0.5) / steps;
      for (let j = 0; j < x.length; j++) into[j] = base[j] + alpha * (x[j] - base[j]);
    },
    targetClass,
    (_i, g) => {
      for (let j = 0; j < g.length; j++) total[j] += g[j];
    },
  );
  for (let j = 0; j < x.length; j++) total[j] = ((x[j] - base[j]) * total[j]) / steps;
  return makeResult(target, total, { method: 'integrated-gradients', targetClass, baseline: kind, params: { steps } });
}
