// The one shape every attribution method returns, so maps from different methods, layouts and models compare.

export interface SaliencyProvenance {
  model: string;
  method: string;
  /** Integrated gradients / occlusion reference: 'zeros' | 'mean' | 'blurred'; null where none is used. */
  baseline: string | null;
  targetClass: number;
  /** Layer name for Grad-CAM variants; null otherwise. */
  layer: string | null;
  /** How the record was turned into model input (filtering, scaling), as the caller states it. */
  preprocessing: string;
  /** Chart layout for image models ('3x4+II'); null for signal models. */
  layout: string | null;
  /** SmoothGrad noise seed; null for deterministic methods without noise. */
  seed: number | null;
  /** Method parameters (steps, samples, noise level, window) so the same call reproduces the map. */
  params: Record<string, number | string>;
}

/** Attribution magnitude per lead and sample (non-negative), leads x samples row-major, record lead order. */
export interface SaliencyResult {
  map: Float32Array;
  leads: string[];
  samples: number;
  provenance: SaliencyProvenance;
}

/** The values of one lead of a map. */
export function leadRow(result: { map: Float32Array; samples: number }, lead: number): Float32Array {
  return result.map.subarray(lead * result.samples, (lead + 1) * result.samples);
}
