// T-wave end by the tangent method, lead by lead: after the T peak, the tangent at the steepest slope back toward
// the isoelectric level crosses that level at the T end. Leads whose T wave is too small to carry a tangent
// are left out; the global end is the median of the remaining leads' ends plus a fitted margin rather than the
// single latest end, which one noisy lead would decide (the standard's "latest in any lead", made robust).
import { argmax, msToSamples, quantile } from './wave-math.ts';

/** A lead's T wave must reach this far from the isoelectric level (mV) to be delineated. */
export const MIN_T_AMPLITUDE_MV = 0.05;
/** Quantile of the leads' T ends taken as the global T end (before the margin). */
const GLOBAL_QUANTILE = 0.5;
/** Leads whose T wave is smaller than this share of the largest lead's are left out (their tangent is unstable). */
const RELATIVE_AMPLITUDE = 0.3;
/**
 * The tangent crosses the isoelectric line before the T wave visibly ends; LUDB's cardiologists mark the last
 * visible movement in any lead. Fitted on LUDB 1-100 (the tangent median sits ~40 ms before that mark).
 */
export const T_END_MARGIN_MS = 20;

export interface LeadTWave {
  /** Template sample of the T peak (largest deviation from the isoelectric level). */
  peak: number;
  /** Template sample where the tangent crosses the isoelectric level; undefined when the T wave is too flat. */
  end?: number;
  amplitudeMv: number;
}

/** T peak and end of one lead's template, searching [from, to]; `level` is the lead's isoelectric level. */
export function leadTWave(t: Float32Array, level: number, from: number, to: number, fs: number): LeadTWave {
  let peak = from;
  for (let k = from; k <= to; k++) if (Math.abs(t[k] - level) > Math.abs(t[peak] - level)) peak = k;
  const amplitudeMv = t[peak] - level;
  if (Math.abs(amplitudeMv) < MIN_T_AMPLITUDE_MV) return { peak, amplitudeMv };
  const end = tangentEnd(t, level, peak, Math.sign(amplitudeMv), fs);
  return end === undefined ? { peak, amplitudeMv } : { peak, end, amplitudeMv };
}

/** Where the tangent at the steepest slope back toward `level` after `peak` crosses it (within 150 ms). */
function tangentEnd(t: Float32Array, level: number, peak: number, sign: number, fs: number): number | undefined {
  const h = Math.max(1, msToSamples(4, fs));
  const stop = Math.min(t.length - 1 - h, peak + msToSamples(150, fs));
  let steep = -1;
  let steepSlope = 0;
  for (let k = peak + h; k <= stop; k++) {
    const slope = (t[k + h] - t[k - h]) / (2 * h);
    if (-sign * slope > steepSlope) {
      steepSlope = -sign * slope;
      steep = k;
    }
  }
  if (steep < 0) return undefined;
  const end = steep + (t[steep] - level) / (sign * steepSlope);
  if (!Number.isFinite(end) || end <= peak || end >= t.length) return undefined;
  return Math.round(end);
}

export interface GlobalTEnd {
  end?: number;
  /** Template sample of the T peak in the lead with the largest T wave. */
  peak?: number;
  /** 0-1: agreement of the leads' ends (1 when they lie within 10 ms of each other) and how many leads carried one. */
  confidence: number;
  leads: LeadTWave[];
  /** Why no T end was given. */
  reason?: string;
}

/** Global T end from every lead's tangent end. */
export function globalTEnd(templates: Float32Array[], levels: number[], from: number, to: number, fs: number): GlobalTEnd {
  if (to - from < msToSamples(60, fs)) return { confidence: 0, leads: [], reason: 'no room for a T wave before the next beat' };
  const leads = templates.map((t, l) => leadTWave(t, levels[l], from, to, fs));
  const maxAmp = Math.max(...leads.map((w) => Math.abs(w.amplitudeMv)));
  const ends = leads.filter((w) => w.end !== undefined && Math.abs(w.amplitudeMv) >= RELATIVE_AMPLITUDE * maxAmp).map((w) => w.end!);
  if (ends.length === 0) return { confidence: 0, leads, reason: 'flat T wave in all leads' };
  const biggest = argmax(
    leads.map((w) => Math.abs(w.amplitudeMv)),
    0,
    leads.length - 1,
  );
  const end = Math.min(templates[0].length - 1, Math.round(quantile(ends, GLOBAL_QUANTILE)) + msToSamples(T_END_MARGIN_MS, fs));
  const spread = (quantile(ends, 0.9) - quantile(ends, 0.1)) / fs;
  const agreement = Math.max(0, Math.min(1, 1 - (spread - 0.01) / 0.08));
  return { end, peak: leads[biggest].peak, confidence: agreement * Math.min(1, ends.length / 4), leads };
}
