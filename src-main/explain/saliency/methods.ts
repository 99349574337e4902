// Method names as the CLI and the audit spell them, e.g. 'integrated-gradients:blurred', 'smoothgrad'.
import type { ExplainTarget } from './explain-target.ts';
import { BASELINES, type BaselineKind } from './baselines.ts';
import { gradCam } from './grad-cam.ts';
import { gradientXInput } from './gradient-x-input.ts';
import { guidedBackprop } from './guided-backprop.ts';
import { guidedGradCam } from './guided-grad-cam.ts';
import { integratedGradients } from './integrated-gradients.ts';
import { occlusion, type PredictBatch } from './occlusion.ts';
import type { SaliencyResult } from './saliency-result.ts';
import { smoothGrad } from './smoothgrad.ts';
import { vanillaGradient } from './vanilla-gradient.ts';

export const METHODS = [
  'vanilla-gradient', 'gradient-x-input', 'integrated-gradients', 'smoothgrad', 'grad-cam', 'guided-backprop', 'guided-grad-cam', 'occlusion',
] as const;

/** Methods that need only predictions (ONNX models too). */
export const MODEL_AGNOSTIC = new Set(['occlusion']);

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

/** Checks a method name ('name' or 'name:baseline'); returns its parts. Throws one line listing the choices. */
export function parseMethod(spec: string): { name: (typeof METHODS)[number]; baseline?: BaselineKind } {
  const [name, baseline] = spec.split(':');
  if (!(METHODS as readonly string[]).includes(name)) throw new Error(`unknown saliency method '${name}' (expected ${METHODS.join(', ')})`);
  if (baseline !== undefined && !(BASELINES as readonly string[]).includes(baseline)) {
    throw new Error(`unknown baseline '${baseline}' for ${name} (expected ${BASELINES.join(', ')})`);
  }
  return { name: name as (typeof METHODS)[number], baseline: baseline as BaselineKind | undefined };
}

export async function runMethod(spec: string, ctx: MethodContext, targetClass: number): Promise<SaliencyResult> {
  const { name, baseline } = parseMethod(spec);
  if (name === 'occlusion') {
    return occlusion(
      { modelId: ctx.modelId, predict: ctx.predict, signals: ctx.signals, leads: ctx.leads, preprocessing: ctx.preprocessing, layout: ctx.layout },
      { targetClass, baseline, window: Math.max(1, Math.round(ctx.samplingRate / 2)) },
    );
  }
  const t = ctx.target;
  if (!t) throw new Error(`${name} needs gradients; this model only supports ${[...MODEL_AGNOSTIC].join(', ')}`);
  switch (name) {
    case 'vanilla-gradient': return vanillaGradient(t, { targetClass });
    case 'gradient-x-input': return gradientXInput(t, { targetClass });
    case 'integrated-gradients': return integratedGradients(t, { targetClass, baseline });
    case 'smoothgrad': return smoothGrad(t, { targetClass });
    case 'grad-cam': return gradCam(t, { targetClass });
    case 'guided-backprop': return guidedBackprop(t, { targetClass });
    case 'guided-grad-cam': return guidedGradCam(t, { targetClass });
  }
}
