// Method names as the CLI and the audit spell them, e.g. 'integrated-gradients:blurred', 'smoothgrad',
// 'grad-cam@block1' (Grad-CAM variants on a named layer; default the model's last spatial layer).
import type { ExplainTarget } from './explain-target.ts';
import { BASELINES, type BaselineKind } from './baselines.ts';
import { gradCam } from './grad-cam.ts';
import { gradientXInput } from './gradient-x-input.ts';
import { guidedBackprop } from './guided-backprop.ts';
import { guidedGradCam } from './guided-grad-cam.ts';
import { integratedGradients } from './integrated-gradients.ts';
import { occlusion, type PredictBatch } from './occlusion.ts';
import type { SaliencyResult } from '../../../src-shared/saliency-result.ts';
import { smoothGrad } from './smoothgrad.ts';
import { vanillaGradient } from './vanilla-gradient.ts';

export const METHODS = [
  'vanilla-gradient',
  'gradient-x-input',
  'integrated-gradients',
  'smoothgrad',
  'grad-cam',
  'guided-backprop',
  'guided-grad-cam',
  'occlusion',
] as const;

/** Methods that need only predictions (ONNX models too). */
export const MODEL_AGNOSTIC = new Set(['occlusion']);

/** Methods that read a chosen layer ('grad-cam@block1'). */
export const LAYERED = new Set(['grad-cam', 'guided-grad-cam']);

export interface MethodContext {
  /** Gradient methods; absent for models without gradients (ONNX). */
  target?: ExplainTarget;
  /** Occlusion: predictions on lead arrays like `signals`. */
  predict: PredictBatch;
  signals: readonly Float32Array[];
  leads: readonly string[];
  modelId: string;
  preprocessing: string;
  layout: string | null;
  /** Samples per second of `signals` (sets the occlusion window to 0.5 s). */
  samplingRate: number;
}

export interface MethodSpec {
  name: (typeof METHODS)[number];
  baseline?: BaselineKind;
  /** Grad-CAM layer. */
  layer?: string;
}

/** Checks a method spec ('name', 'name:baseline' or 'name@layer'); returns its parts. Throws one line listing the choices. */
export function parseMethod(spec: string): MethodSpec {
  const [head, layer] = spec.split('@');
  const [name, baseline] = head.split(':');
  if (!(METHODS as readonly string[]).includes(name)) throw new Error(`unknown saliency method '${name}' (expected ${METHODS.join(', ')})`);
  if (baseline !== undefined && !(BASELINES as readonly string[]).includes(baseline)) {
    throw new Error(`unknown baseline '${baseline}' for ${name} (expected ${BASELINES.join(', ')})`);
  }
  if (layer !== undefined && !LAYERED.has(name))
    throw new Error(`${name} takes no layer ('@${layer}'); only ${[...LAYERED].join(', ')} do`);
  if (layer === '') throw new Error(`${spec}: empty layer name after '@'`);
  return { name: name as MethodSpec['name'], baseline: baseline as BaselineKind | undefined, layer };
}

export async function runMethod(spec: string, ctx: MethodContext, targetClass: number): Promise<SaliencyResult> {
  const { name, baseline, layer } = parseMethod(spec);
  if (name === 'occlusion') {
    return occlusion(
      {
        modelId: ctx.modelId,
        predict: ctx.predict,
        signals: ctx.signals,
        leads: ctx.leads,
        preprocessing: ctx.preprocessing,
        layout: ctx.layout,
      },
      { targetClass, baseline, window: Math.max(1, Math.round(ctx.samplingRate / 2)) },
    );
  }
  const t = ctx.target;
  if (!t) throw new Error(`${name} needs gradients; this model only supports ${[...MODEL_AGNOSTIC].join(', ')}`);
  switch (name) {
    case 'vanilla-gradient':
      return vanillaGradient(t, { targetClass });
    case 'gradient-x-input':
      return gradientXInput(t, { targetClass });
    case 'integrated-gradients':
      return integratedGradients(t, { targetClass, baseline });
    case 'smoothgrad':
      return smoothGrad(t, { targetClass });
    case 'grad-cam':
      return gradCam(t, { targetClass, layer });
    case 'guided-backprop':
      return guidedBackprop(t, { targetClass });
    case 'guided-grad-cam':
      return guidedGradCam(t, { targetClass, layer });
  }
}
