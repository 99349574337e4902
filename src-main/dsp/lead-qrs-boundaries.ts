// QRS onset and offset in each lead of a median beat, and the global QRS boundaries derived from them as
// IEC 60601-2-25 defines them (earliest onset / latest offset in any lead), made robust against a noisy lead:
// a lead's boundary counts only when other leads reach it too, so the global onset is the AGREEING_LEADS-th
// earliest onset of the leads that carry a QRS, and the offset the AGREEING_LEADS-th latest.
// Each lead is walked with the same valley rule as the multi-lead slope (qrs-boundaries.ts) on its own slope.
import { qrsBoundaries, type QrsBoundaries } from './qrs-boundaries.ts';
import { roundTo, spatialVelocity } from './wave-math.ts';

/**
 * A global boundary needs this many leads at or beyond it. Two were not enough: the limb leads are combinations of
 * two signals, so one noisy electrode moves two or three of them at once (and on Chapman's 800 records the second
 * earliest / latest lead raised prolonged-QRS false positives from 12 to 23, the third from 12 to 15).
 */
export const AGREEING_LEADS = 3;
/** A lead whose steepest QRS slope is below this share of the steepest lead's is left out of the global rule. */
const MIN_RELATIVE_SLOPE = 0.25;

export interface LeadQrsBoundaries {
  /** Template samples. */
  onset: number;
  offset: number;
  /** 0-1: sharpness of the lead's own slope at each boundary, scaled by the lead's share of the steepest lead's slope. */
  onsetConfidence: number;
  offsetConfidence: number;
  /** Whether the lead's QRS is steep enough to take part in the global boundaries. */
  counted: boolean;
}

/** Per-lead QRS boundaries around R at `r` (template sample indices). */
export function leadQrsBoundaries(templates: Float32Array[], r: number, fs: number): LeadQrsBoundaries[] {
  const velocities = templates.map((t) => spatialVelocity([t], fs, 12));
  const steepest = velocities.map((v) => peakNear(v, r, fs));
  const top = Math.max(...steepest, 1e-9);
  return velocities.map((v, l) => {
    const b = qrsBoundaries(v, r, fs);
    const share = steepest[l] / top;
    return {
      onset: b.onset,
      offset: b.offset,
      onsetConfidence: roundTo(b.onsetConfidence * Math.min(1, share / 0.5), 2),
      offsetConfidence: roundTo(b.offsetConfidence * Math.min(1, share / 0.5), 2),
      counted: share >= MIN_RELATIVE_SLOPE,
    };
  });
}

function peakNear(v: Float64Array, r: number, fs: number): number {
  const h = Math.round(0.06 * fs);
  let m = 0;
  for (let k = Math.max(0, r - h); k <= Math.min(v.length - 1, r + h); k++) m = Math.max(m, v[k]);
  return m;
}

/**
 * Global onset/offset from the per-lead ones: the AGREEING_LEADS-th earliest onset and latest offset among the
 * counted leads (one or two leads cannot move a global boundary on their own). With fewer counted leads, the
 * latest onset / earliest offset of those there are.
 */
export function globalFromLeads(leads: LeadQrsBoundaries[]): QrsBoundaries | undefined {
  const counted = leads.filter((l) => l.counted);
  if (counted.length === 0) return undefined;
  const nth = Math.min(AGREEING_LEADS - 1, counted.length - 1);
  const byOnset = [...counted].sort((a, b) => a.onset - b.onset);
  const byOffset = [...counted].sort((a, b) => b.offset - a.offset);
  return {
    onset: byOnset[nth].onset,
    offset: byOffset[nth].offset,
    onsetConfidence: byOnset[nth].onsetConfidence,
    offsetConfidence: byOffset[nth].offsetConfidence,
  };
}
