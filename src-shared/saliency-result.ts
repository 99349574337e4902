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

// A lead drawn twice on a chart (its grid panel and a full-length rhythm strip, as II in 3x4+II) keeps the strip's
// saliency in a row of its own, so the strip's share is not counted in the lead's.
const STRIP_SUFFIX = ' (rhythm strip)';

/** The map row name of a rhythm strip of `lead`: 'II (rhythm strip)'. */
export const rhythmStripRow = (lead: string): string => `${lead}${STRIP_SUFFIX}`;

/** The lead a rhythm strip row draws, or null for an ordinary lead row. */
export function rhythmStripLead(row: string): string | null {
  return row.endsWith(STRIP_SUFFIX) ? row.slice(0, -STRIP_SUFFIX.length) : null;
}

/**
 * The map with its rhythm strip rows added into their leads' rows (the per-lead map of the record, as a layout without
 * the strip would give it), except the strip rows named in `keep`. Returns `result` itself when there is nothing to fold.
 */
export function foldRhythmStrips<T extends { map: Float32Array; leads: string[]; samples: number }>(
  result: T,
  keep: readonly string[] = [],
): T {
  const folded = result.leads.filter((row) => {
    const lead = rhythmStripLead(row);
    return lead !== null && !keep.includes(row) && result.leads.includes(lead);
  });
  if (folded.length === 0) return result;
  const { samples } = result;
  const leads = result.leads.filter((row) => !folded.includes(row));
  const map = new Float32Array(leads.length * samples);
  leads.forEach((row, l) => map.set(leadRow(result, result.leads.indexOf(row)), l * samples));
  for (const row of folded) {
    const into = leads.indexOf(rhythmStripLead(row)!) * samples;
    const from = leadRow(result, result.leads.indexOf(row));
    for (let t = 0; t < samples; t++) map[into + t] += from[t];
  }
  return { ...result, map, leads };
}
