// Guided Grad-CAM: guided backprop ⊙ upsampled Grad-CAM, fine detail gated by the class-discriminative map.
import type { ExplainTarget } from './explain-target.ts';
import { gradCamInput, type GradCamOptions } from './grad-cam.ts';
import { guidedGradient } from './guided-backprop.ts';
import { makeResult, resolveClass } from './gradients.ts';
import type { SaliencyResult } from '../../../src-shared/saliency-result.ts';

export function guidedGradCam(target: ExplainTarget, o: GradCamOptions = {}): SaliencyResult {
  const targetClass = resolveClass(target, o.targetClass);
  const { cam, layer } = gradCamInput(target, targetClass, o.layer);
  const g = guidedGradient(target, targetClass);
  for (let i = 0; i < g.length; i++) g[i] *= cam[i];
  return makeResult(target, g, { method: 'guided-grad-cam', targetClass, layer });
}
