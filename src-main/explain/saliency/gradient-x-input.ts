// |gradient ⊙ input| (Shrikumar et al. 2016): the first-order contribution of each input value.
import type { ExplainTarget } from './explain-target.ts';
import { inputGradients, makeResult, resolveClass } from './gradients.ts';
import type { SaliencyResult } from '../../../src-shared/saliency-result.ts';

export function gradientXInput(target: ExplainTarget, o: { targetClass?: number } = {}): SaliencyResult {
  const targetClass = resolveClass(target, o.targetClass);
  const g = inputGradients(target, target.input, 1, targetClass);
  for (let i = 0; i < g.length; i++) g[i] *= target.input[i];
  return makeResult(target, g, { method: 'gradient-x-input', targetClass });
}
