// Shared by the rate rules: whether the RR series is regular enough to call the rhythm sinus-like.
import type { RrStats } from '../dsp/measurements.ts';

/** Median |successive RR difference| / median RR above which the rhythm counts as irregular (see atrial-fibrillation.ts). */
export const IRREGULARITY_THRESHOLD = 0.08;

export function isRegular(rr: RrStats | null): boolean {
  return rr !== null && rr.irregularity <= IRREGULARITY_THRESHOLD;
}
