// T-wave end, lead by lead, by the trapezium method (Vázquez-Seisdedos et al., 2011): on the T wave's final limb,
// from the point of steepest slope xm to a point xr past the wave, the end is the point xi that maximises the area
// of the trapezium (xm, xi, xr) under the limb. It lands where the limb levels off, whatever level the signal
// settles at: no isoelectric level is needed, so a depressed PR segment, a TP segment above it or an overshoot after
// an inverted T (where a tangent to the PR level crosses it mid-limb) do not move it.
// The final limb: the T wave is the largest rise or fall after the ST segment; limbs that follow it without a pause
// (the descent of an upright T, the second lobe of a biphasic one, once back) end it, while a wave after a flat stretch (the
// next P) does not, nor does a small one (a flutter wave, a U wave). The global end is the latest lead end among the leads that agree: the densest
// window of lead ends, so that a few leads caught on flutter waves or a U wave cannot decide it.
import { msToSamples, quantile } from './wave-math.ts';

/** A lead's T wave must rise or fall this much (mV) to be delineated. */
export const MIN_T_AMPLITUDE_MV = 0.05;
/** Leads whose T wave is smaller than this share of the largest lead's are left out (their end is unstable). */
const RELATIVE_AMPLITUDE = 0.3;
/** Half-width of the slope estimate: wide enough to ride over flutter and fibrillation waves on the T. */
const SLOPE_HALF_WIDTH_MS = 10;
/** A limb starts where the slope exceeds this share of the steepest slope in the search window. */
const LIMB_SLOPE_SHARE = 0.15;
/** A limb following the largest one ends the T wave if its rise or fall is at least this share of the largest. */
const FINAL_LIMB_SHARE = 0.45;
/**
 * A T wave comes back toward the baseline: a final limb that moves away from the PR level (the ascent of an upright T
 * whose descent is smaller, onto a raised TP segment) or ends farther than NOT_BACK_SHARE of the T wave's size from
 * it (the trough of a biphasic T) is followed by the next limb if that one is at least RETURN_LIMB_SHARE of the size.
 */
const NOT_BACK_SHARE = 0.5;
/**
 * A final limb crossing the baseline to end beyond this share of the size is the first half of a biphasic T's second
 * lobe, whose return ends the wave, if that return ends with room to spare before the search end (at a fast rate, a
 * trace that stays below the baseline until the next P wave is not a second lobe).
 */
const SECOND_LOBE_SHARE = 0.25;
const RETURN_LIMB_SHARE = 0.2;
/** Limbs of one wave follow each other within this pause; a longer flat stretch separates two waves. */
const LIMB_GAP_MS = 30;
/** The trapezium's far corner xr lies this far after the steepest point of the final limb. */
const TRAPEZIUM_MS = 100;
/** The final limb may run this far past the latest T peak allowed. */
const PAST_PEAK_MS = 150;
/** Lead ends within this window agree; the window holding the most leads gives the global end (its latest). */
const AGREEMENT_WINDOW_MS = 80;

export interface LeadTWave {
  /** Template sample of the T peak: the turning point where the final limb starts. */
  peak: number;
  /** Template sample of the T end; undefined when the T wave is too flat. */
  end?: number;
  /** T-wave amplitude at the peak against the isoelectric (PR-segment) level, mV. */
  amplitudeMv: number;
  /** The T wave's largest rise or fall, mV: its size, independent of the isoelectric level. */
  sizeMv: number;
  /** No end because the template stops before the T wave levels off (the next beat comes too soon). */
  cutOff?: true;
}

/** A run of samples whose slope keeps one sign and is steep enough. */
interface Limb {
  start: number;
  end: number;
  sign: number;
  sizeMv: number;
}

/** Centred slope over ±h samples (mV per sample). */
function slopeOf(t: Float32Array, h: number): Float64Array {
  const d = new Float64Array(t.length);
  for (let k = h; k < t.length - h; k++) d[k] = (t[k + h] - t[k - h]) / (2 * h);
  return d;
}

/** Limbs of t within [from, to]: they start where |slope| reaches LIMB_SLOPE_SHARE of the steepest. */
function limbsOf(t: Float32Array, d: Float64Array, from: number, to: number): Limb[] {
  let steepest = 0;
  for (let k = from; k <= to; k++) steepest = Math.max(steepest, Math.abs(d[k]));
  const startAt = LIMB_SLOPE_SHARE * steepest;
  // Once started, a limb runs on through a shallower stretch of the same sign.
  const keepAt = 0.3 * startAt;
  const limbs: Limb[] = [];
  for (let k = from; k <= to; k++) {
    const sign = Math.sign(d[k]);
    if (sign === 0 || Math.abs(d[k]) < startAt) continue;
    let j = k;
    while (j + 1 <= to && Math.sign(d[j + 1]) === sign && Math.abs(d[j + 1]) >= keepAt) j++;
    limbs.push({ start: k, end: j, sign, sizeMv: Math.abs(t[j] - t[k]) });
    k = j;
  }
  return limbs;
}

/**
 * The T wave's final limb: the largest limb, or one following it without a pause that is large enough, each starting
 * by `to` (the latest T peak); the limb that brings the wave back to the baseline may start after it.
 */
function finalLimb(t: Float32Array, limbs: Limb[], level: number, gap: number, to: number, searchEnd: number): Limb {
  let big = 0;
  for (let i = 1; i < limbs.length && limbs[i].start <= to; i++) if (limbs[i].sizeMv > limbs[big].sizeMv) big = i;
  let last = big;
  for (let i = big + 1; i < limbs.length && limbs[i].start <= to && limbs[i].start - limbs[i - 1].end <= gap; i++)
    if (limbs[i].sizeMv >= FINAL_LIMB_SHARE * limbs[big].sizeMv) last = i;
  const f = limbs[last];
  const next = limbs[last + 1];
  const size = limbs[big].sizeMv;
  const away = Math.abs(t[f.end] - level);
  const crosses =
    Math.sign(t[f.start] - level) !== Math.sign(t[f.end] - level) &&
    away > SECOND_LOBE_SHARE * size &&
    !!next &&
    next.end + gap < searchEnd;
  const notBack = away > Math.abs(t[f.start] - level) || away > NOT_BACK_SHARE * size || crosses;
  if (next && notBack && next.start - f.end <= gap && next.sizeMv >= RETURN_LIMB_SHARE * size) return next;
  return f;
}

/** Trapezium end of a limb of `sign` whose steepest point is xm, with the far corner at xr. */
function trapeziumEnd(t: Float32Array, xm: number, xr: number, sign: number): number {
  let best = xm;
  let bestArea = -Infinity;
  for (let xi = xm; xi <= xr; xi++) {
    const area = sign * (t[xi] - t[xm]) * (2 * xr - xi - xm);
    if (area > bestArea) {
      bestArea = area;
      best = xi;
    }
  }
  return best;
}

/**
 * T peak and end of one lead's template; the T wave starts after `from` and peaks no later than `to`.
 * `level` (the lead's PR-segment level) only tells whether a limb moves away from the baseline.
 */
export function leadTWave(t: Float32Array, level: number, from: number, to: number, fs: number): LeadTWave {
  const h = Math.max(1, msToSamples(SLOPE_HALF_WIDTH_MS, fs));
  const d = slopeOf(t, h);
  const searchEnd = Math.min(t.length - 1 - h, to + msToSamples(PAST_PEAK_MS, fs));
  // The T wave's largest limb starts by `to`; the limbs ending it may run on past it.
  const limbs = searchEnd > from ? limbsOf(t, d, from, searchEnd) : [];
  if (limbs.length === 0 || limbs[0].start > to) return { peak: from, amplitudeMv: t[from] - level, sizeMv: 0 };
  const sizeMv = Math.max(...limbs.filter((l) => l.start <= to).map((l) => l.sizeMv));
  const f = finalLimb(t, limbs, level, msToSamples(LIMB_GAP_MS, fs), to, searchEnd);
  // The limb starts once its slope is steep; the peak is the turning point just before it.
  let peak = f.start;
  while (peak > from && f.sign * (t[peak - 1] - t[peak]) <= 0) peak--;
  const amplitudeMv = t[peak] - level;
  if (sizeMv < MIN_T_AMPLITUDE_MV) return { peak, amplitudeMv, sizeMv };
  let xm = f.start;
  for (let k = f.start; k <= f.end; k++) if (Math.abs(d[k]) > Math.abs(d[xm])) xm = k;
  const xr = Math.min(t.length - 1, xm + msToSamples(TRAPEZIUM_MS, fs));
  if (xr <= xm + 1) return { peak, amplitudeMv, sizeMv };
  const end = trapeziumEnd(t, xm, xr, f.sign);
  // An end on the template's last slope estimate is where the window cut the limb off, not where the wave levelled.
  if (end >= t.length - 1 - 2 * h) return { peak, amplitudeMv, sizeMv, cutOff: true };
  return { peak, end, amplitudeMv, sizeMv };
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

/** Global T end from every lead's end: the latest end in the densest AGREEMENT_WINDOW_MS of lead ends. */
export function globalTEnd(templates: Float32Array[], levels: number[], from: number, to: number, fs: number): GlobalTEnd {
  if (to - from < msToSamples(60, fs)) return { confidence: 0, leads: [], reason: 'no room for a T wave before the next beat' };
  const leads = templates.map((t, l) => leadTWave(t, levels[l], from, to, fs));
  const maxSize = Math.max(...leads.map((w) => w.sizeMv));
  const counted = leads.filter((w) => w.end !== undefined && w.sizeMv >= RELATIVE_AMPLITUDE * maxSize);
  if (counted.length === 0) {
    const cutOff = leads.some((w) => w.cutOff && w.sizeMv >= RELATIVE_AMPLITUDE * maxSize);
    return { confidence: 0, leads, reason: cutOff ? 'the T wave runs into the next beat' : 'flat T wave in all leads' };
  }
  const ends = counted.map((w) => w.end!).sort((a, b) => a - b);
  const window = msToSamples(AGREEMENT_WINDOW_MS, fs);
  let agreeing: number[] = [];
  for (let i = 0; i < ends.length; i++) {
    const inWindow = ends.filter((e) => e >= ends[i] && e <= ends[i] + window);
    if (inWindow.length > agreeing.length) agreeing = inWindow;
  }
  const biggest = counted.reduce((a, b) => (b.sizeMv > a.sizeMv ? b : a));
  const end = agreeing[agreeing.length - 1];
  const spread = (quantile(agreeing, 0.9) - quantile(agreeing, 0.1)) / fs;
  const agreement = Math.max(0, Math.min(1, 1 - (spread - 0.01) / 0.08));
  const confidence = agreement * Math.min(1, agreeing.length / 4) * (agreeing.length / ends.length);
  return { end, peak: biggest.peak, confidence, leads };
}
