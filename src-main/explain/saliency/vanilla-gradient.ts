// |d score / d input| (Simonyan et al. 2014).
import type { ExplainTarget } from './explain-target.ts';
import { inputGradients, makeResult, resolveClass } from './gradients.ts';
import type { SaliencyResult } from '../../../src-shared/saliency-result.ts';

export function vanillaGradient(target: ExplainTarget, o: { targetClass?: number } = {}): SaliencyResult {
  const targetClass = resolveClass(target, o.targetClass);
  const g = inputGradients(target, target.input, 1, targetClass);
  return makeResult(target, g, { method: 'vanilla-gradient', targetClass });
}
