// Wave boundaries (P, QRS, T) of a record's median beat. Beats are aligned on their R fiducial and a
// sample-wise median across beats gives one clean template per lead. Global boundaries follow IEC 60601-2-25
// (earliest QRS onset, latest QRS offset and T end across leads): QRS from the multi-lead slope magnitude
// (qrs-boundaries.ts), T end lead by lead by the trapezium method, the latest of the agreeing leads (t-wave-end.ts), P from the multi-lead
// deflection before QRS (p-wave.ts). Boundaries are relative to R, in samples.

import { msToSamples, roundTo, spatialVelocity } from './wave-math.ts';
import { globalTEnd } from './t-wave-end.ts';
import { qrsBoundaries } from './qrs-boundaries.ts';
import { globalFromLeads, leadQrsBoundaries } from './lead-qrs-boundaries.ts';
import { pWave } from './p-wave.ts';
import { SPIKE_BLANK_MS } from './pacing-spikes.ts';

export interface MedianBeat {
  /** Samples before R in each template. */
  pre: number;
  /** Template length. */
  length: number;
  /** One template per input lead (same order). */
  templates: Float32Array[];
  /** Beats that contributed (fully inside the record). */
  beatsUsed: number[];
}

/** Why a wave was not delineated, where a cardiologist would also decline to measure it. */
export interface NotMeasurable {
  p?: string;
  t?: string;
}

/** One lead's own boundaries (relative to R, samples), beside the global ones. */
export interface LeadBoundaries {
  /** The lead's own QRS onset / offset on its own slope, with a 0-1 confidence each. */
  qrsOnset?: number;
  qrsOffset?: number;
  qrsConfidence?: { onset: number; offset: number };
  /** Whether the lead's QRS was steep enough to take part in the global QRS boundaries. */
  qrsCounted?: boolean;
  /** 0-1: how alike the lead's beats are over the QRS (leadQrsConsistency in src-main/dsp/qrs-consistency.ts). */
  qrsConsistency?: number;
  /** Left out of every global boundary: its QRS does not repeat from beat to beat (noise, or an electrode off). */
  leftOut?: boolean;
  tPeak?: number;
  tOffset?: number;
  /** T-wave amplitude against the PR-segment level, mV. */
  tAmplitudeMv?: number;
}

export interface Delineation {
  /** Offsets from R in samples; undefined where that boundary was not found. */
  qrsOnset: number;
  qrsOffset: number;
  pOnset?: number;
  pOffset?: number;
  tPeak?: number;
  tOffset?: number;
  /** 0-1 per global boundary (absent on reviewer-corrected boundaries). */
  confidence?: { qrsOnset: number; qrsOffset: number; p?: number; tOffset?: number };
  notMeasurable?: NotMeasurable;
  /** Per-lead boundaries in the order of the templates. */
  leads?: LeadBoundaries[];
}

/** What the delineation needs to know about the rhythm around the median beat. */
export interface RhythmContext {
  /** RR irregularity (median |successive difference| / median RR); P is not sought when it is high. */
  rrIrregularity?: number;
  /** Median RR (ms): the T peak is sought no later than T_PEAK_RR_SHARE of it after R, short of the next P wave. */
  rrMs?: number;
  /** Offset from R (samples, negative before it) of a paced rhythm's pacemaker pulse (blanked from the templates). */
  pacingSpike?: number;
}

/**
 * Latest T peak as a share of RR. The template reaches 0.8 RR after R, where the next beat's P wave (or an atrial
 * spike) can outgrow a small T; a T peak lies near 0.4 RR even at 150 bpm or with a long QT.
 */
const T_PEAK_RR_SHARE = 0.66;

/** The median beat of the leads `keep` marks (in the order of the templates). */
export function medianBeatOfLeads(beat: MedianBeat, keep: readonly boolean[]): MedianBeat {
  return { ...beat, templates: beat.templates.filter((_, l) => keep[l]) };
}

/** Sample-wise median of beats aligned on R; window `pre` before and `post` after R. */
export function medianBeat(leads: Float32Array[], beats: ArrayLike<number>, pre: number, post: number): MedianBeat | undefined {
  const n = leads[0]?.length ?? 0;
  const used: number[] = [];
  for (let i = 0; i < beats.length; i++) if (beats[i] - pre >= 0 && beats[i] + post < n) used.push(beats[i]);
  if (used.length === 0) return undefined;
  const length = pre + post + 1;
  const col = new Float64Array(used.length);
  const templates = leads.map((x) => {
    const t = new Float32Array(length);
    for (let k = 0; k < length; k++) {
      for (let b = 0; b < used.length; b++) col[b] = x[used[b] - pre + k];
      col.sort();
      const m = used.length >> 1;
      t[k] = used.length % 2 ? col[m] : (col[m - 1] + col[m]) / 2;
    }
    return t;
  });
  return { pre, length, templates, beatsUsed: used };
}

/** Delineates a median beat sampled at `fs` (the template length bounds the T-wave search). */
export function delineateMedianBeat(beat: MedianBeat, fs: number, rhythm: RhythmContext = {}): Delineation {
  const ms = (v: number): number => msToSamples(v, fs);
  const v = spatialVelocity(beat.templates, fs, 12);
  const r = beat.pre;
  const last = beat.length - 1;
  const spatial = qrsBoundaries(v, r, fs);
  const perLead = leadQrsBoundaries(beat.templates, r, fs);
  const fromLeads = globalFromLeads(perLead) ?? spatial;
  // Earlier onset / later offset of the two: the summed slope rises only once enough leads move, while leads
  // moving early (or late) on their own, once three agree, still mark the global boundary.
  const qrs = {
    onset: Math.min(spatial.onset, fromLeads.onset),
    offset: Math.max(spatial.offset, fromLeads.offset),
    onsetConfidence: fromLeads.onset < spatial.onset ? fromLeads.onsetConfidence : spatial.onsetConfidence,
    offsetConfidence: fromLeads.offset > spatial.offset ? fromLeads.offsetConfidence : spatial.offsetConfidence,
  };
  // A paced QRS cannot start before its pacemaker pulse ends (the pulse itself was blanked from the templates, but
  // the slope walk can still run back over the blanked stretch into the pulse).
  if (rhythm.pacingSpike !== undefined) {
    const pulseEnd = r + rhythm.pacingSpike + ms(SPIKE_BLANK_MS.after);
    if (pulseEnd > qrs.onset && pulseEnd < qrs.offset) qrs.onset = pulseEnd;
  }
  const out: Delineation = {
    qrsOnset: qrs.onset - r,
    qrsOffset: qrs.offset - r,
    confidence: { qrsOnset: roundTo(qrs.onsetConfidence, 2), qrsOffset: roundTo(qrs.offsetConfidence, 2) },
  };
  const notMeasurable: NotMeasurable = {};
  // Each lead's PR-segment level (just before QRS onset) is its isoelectric reference.
  const levels = beat.templates.map((t) => t[Math.max(0, qrs.onset - ms(10))]);
  // T peak sought from 60 ms after QRS end (past the ST segment's start) to the end of the template, or short of
  // the next beat's P wave when the RR is known.
  const tFrom = Math.min(last, qrs.offset + ms(60));
  const tTo = rhythm.rrMs ? Math.max(tFrom, Math.min(last - ms(10), r + ms(T_PEAK_RR_SHARE * rhythm.rrMs))) : last - ms(10);
  const tEnd = globalTEnd(beat.templates, levels, tFrom, tTo, fs);
  if (tEnd.end !== undefined) {
    out.tPeak = tEnd.peak! - r;
    out.tOffset = tEnd.end - r;
    out.confidence!.tOffset = roundTo(tEnd.confidence, 2);
  } else notMeasurable.t = tEnd.reason;
  out.leads = perLead.map((q, l) => {
    const w = tEnd.leads[l];
    return {
      qrsOnset: q.onset - r,
      qrsOffset: q.offset - r,
      qrsConfidence: { onset: q.onsetConfidence, offset: q.offsetConfidence },
      qrsCounted: q.counted,
      ...(w ? { tPeak: w.peak - r, tAmplitudeMv: Math.round(w.amplitudeMv * 1000) / 1000 } : {}),
      ...(w?.end !== undefined ? { tOffset: w.end - r } : {}),
    };
  });
  const p = pWave(beat.templates, qrs.onset, fs, rhythm.rrIrregularity);
  if ('reason' in p) notMeasurable.p = p.reason;
  else {
    out.pOnset = p.onset - r;
    out.pOffset = p.offset - r;
    out.confidence!.p = roundTo(p.confidence, 2);
  }
  if (notMeasurable.p || notMeasurable.t) out.notMeasurable = notMeasurable;
  return out;
}
