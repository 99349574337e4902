// Guided backpropagation (Springenberg et al. 2015): the input gradient with every ReLU's gradient
// replaced by the guided one (see withGuidedRelu).
import { withGuidedRelu } from './classifier.ts';
import type { ExplainTarget } from './explain-target.ts';
import { inputGradients, makeResult, resolveClass } from './gradients.ts';
import type { SaliencyResult } from '../../../src-shared/saliency-result.ts';

/** Guided gradient, input-shaped and signed. */
export function guidedGradient(target: ExplainTarget, targetClass: number): Float32Array {
  return withGuidedRelu(() => inputGradients(target, target.input, 1, targetClass));
}

export function guidedBackprop(target: ExplainTarget, o: { targetClass?: number } = {}): SaliencyResult {
  const targetClass = resolveClass(target, o.targetClass);
  return makeResult(target, guidedGradient(target, targetClass), { method: 'guided-backprop', targetClass });
}
