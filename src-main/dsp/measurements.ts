// Per-record ECG measurements from R fiducials and the median-beat delineation: rate, RR statistics,
// per-lead QRS amplitudes and net deflections, per-lead wave amplitudes (Q, R, S, R', ST, T), frontal P/QRS/T
// axes, P duration / PR / QRS / QT, QTc by four formulas, Sokolow-Lyon and Cornell voltages.
import { ecgClean } from './ecg-clean.ts';
import { median, roundTo } from './wave-math.ts';
import { blankSpikes, isPaced, pacedRhythm, pulseSamples, type PacedRhythm } from './pacing-spikes.ts';
import { detectQrs } from './qrs-detector.ts';
import { medianBeat, medianBeatOfLeads, type Delineation, type MedianBeat } from './delineation.ts';
import { delineateRepeatingLeads } from './qrs-consistency.ts';
import { alignBeats } from './beat-alignment.ts';
import { withoutInconsistentP } from './p-wave-consistency.ts';
import { IRREGULAR_RR } from './p-wave.ts';
import { leadAmplitudes, netArea, type LeadAmplitudes } from './lead-amplitudes.ts';
import { correctQt, QTC_FORMULAS, type QtcFormula } from '../../src-shared/qtc.ts';
import type { LeadBoundariesMs } from '../../src-shared/api.ts';

export interface RrStats {
  count: number;
  meanMs: number;
  medianMs: number;
  sdMs: number;
  minMs: number;
  maxMs: number;
  /** Root mean square of successive differences, ms. */
  rmssdMs: number;
  /** Median |successive difference| / median RR: robust to a single ectopic beat. */
  irregularity: number;
}

export interface LeadQrs {
  /** Median over beats of max - min inside the QRS, mV. */
  peakToPeakMv: number;
  /** Median over beats of (max - level) - (level - min), level = PR-segment level, mV. */
  netDeflectionMv: number;
}

export interface EcgMeasurements {
  samplingRate: number;
  /** R fiducials (sample indices). */
  beats: number[];
  heartRateBpm: number | null;
  rr: RrStats | null;
  leads: Record<string, LeadQrs>;
  /** Frontal QRS axis, degrees (-180, 180]: from I and aVF, and least squares over I, II, aVF. */
  axis: { fromIAvf: number | null; fromIIIAvf: number | null };
  /** Boundaries of the median beat relative to R, samples; null when no beat could be delineated. */
  delineation: Delineation | null;
  /** The median beat delineated (filtered templates, one per lead in the order given), null without a whole beat. */
  medianBeat: MedianBeat | null;
  pDurationMs: number | null;
  prMs: number | null;
  qrsMs: number | null;
  qtMs: number | null;
  qtcBazettMs: number | null;
  qtcFridericiaMs: number | null;
  /** QTc by every formula (ms); null where QT or RR is not measured. */
  qtc: Record<QtcFormula, number | null>;
  /**
   * Leads left out of the global boundaries and of every amplitude-based measurement (axes, voltages): their QRS does
   * not repeat from beat to beat (noise, or an electrode off). All of them when no lead's QRS repeats.
   */
  leftOutLeads: string[];
  /** Why an interval is not measured, where the delineation gave a reason (AF: no P; flat T in all leads). */
  notMeasurable: Partial<Record<'pDuration' | 'pr' | 'qrs' | 'qt', string>>;
  /** Frontal axes (degrees) of P, QRS and T from the net areas of I, II and aVF on the median beat. */
  frontalAxes: { p: number | null; qrs: number | null; t: number | null };
  /** Per-lead wave amplitudes on the median beat, by lead name. */
  amplitudes: Record<string, LeadAmplitudes>;
  /** Sokolow-Lyon: |S V1| + max(R V5, R V6), mV; Cornell: R aVL + |S V3|, mV (null when a lead is missing). */
  sokolowLyonMv: number | null;
  cornellMv: number | null;
  /** Pacemaker spikes on the recorded leads and the share of beats they precede (the pacing rule decides from it). */
  pacing: PacedRhythm;
}

/** The median beat is a paced beat (its QRS starts after the pulse) when at least this share of the beats is paced. */
const PACED_MEDIAN_BEAT = 0.5;

export function rrStatistics(beats: ArrayLike<number>, fs: number): RrStats | null {
  if (beats.length < 3) return null;
  const rr: number[] = [];
  for (let i = 1; i < beats.length; i++) rr.push(((beats[i] - beats[i - 1]) / fs) * 1000);
  const mean = rr.reduce((a, b) => a + b, 0) / rr.length;
  const sd = Math.sqrt(rr.reduce((a, b) => a + (b - mean) ** 2, 0) / rr.length);
  const diffs: number[] = [];
  for (let i = 1; i < rr.length; i++) diffs.push(rr[i] - rr[i - 1]);
  const rmssd = diffs.length ? Math.sqrt(diffs.reduce((a, b) => a + b * b, 0) / diffs.length) : 0;
  const med = median(rr);
  return {
    count: rr.length,
    meanMs: mean,
    medianMs: med,
    sdMs: sd,
    minMs: Math.min(...rr),
    maxMs: Math.max(...rr),
    rmssdMs: rmssd,
    irregularity: diffs.length ? median(diffs.map(Math.abs)) / med : 0,
  };
}

/** Frontal axis from net deflections of I (0 deg) and aVF (+90 deg). */
export function axisFromIAvf(iNet: number, avfNet: number): number | null {
  if (iNet === 0 && avfNet === 0) return null;
  return (Math.atan2(avfNet, iNet) * 180) / Math.PI;
}

/** Frontal axis fitting net = A cos(theta - leadAngle) over I (0), II (+60), aVF (+90) by least squares. */
export function axisFromIIIAvf(iNet: number, iiNet: number, avfNet: number): number | null {
  const angles = [0, 60, 90].map((d) => (d * Math.PI) / 180);
  const y = [iNet, iiNet, avfNet];
  let scc = 0,
    sss = 0,
    scs = 0,
    syc = 0,
    sys = 0;
  for (let k = 0; k < 3; k++) {
    const c = Math.cos(angles[k]),
      s = Math.sin(angles[k]);
    scc += c * c;
    sss += s * s;
    scs += c * s;
    syc += y[k] * c;
    sys += y[k] * s;
  }
  const det = scc * sss - scs * scs;
  const a = (syc * sss - sys * scs) / det; // A cos(theta)
  const b = (sys * scc - syc * scs) / det; // A sin(theta)
  if (a === 0 && b === 0) return null;
  return (Math.atan2(b, a) * 180) / Math.PI;
}

/** QRS amplitude of each beat inside [on, off] relative to R; level taken just before onset. */
function leadQrs(x: Float32Array, beats: number[], on: number, off: number, levelAt: number): LeadQrs {
  const pp: number[] = [];
  const net: number[] = [];
  for (const b of beats) {
    const s = b + on,
      e = b + off,
      l = b + levelAt;
    if (l < 0 || s < 0 || e >= x.length) continue;
    let mn = Infinity,
      mx = -Infinity;
    for (let i = s; i <= e; i++) {
      if (x[i] < mn) mn = x[i];
      if (x[i] > mx) mx = x[i];
    }
    const level = x[l];
    pp.push(mx - mn);
    net.push(mx - level - (level - mn));
  }
  if (pp.length === 0) return { peakToPeakMv: 0, netDeflectionMv: 0 };
  return { peakToPeakMv: median(pp), netDeflectionMv: median(net) };
}

export interface MeasureOptions {
  /** R fiducials when already detected (shared between detectors). */
  beats?: ArrayLike<number>;
  /** Global boundaries corrected by a reviewer: used instead of the automatic delineation. */
  boundaries?: Delineation;
  /** Leads computed from others (limb leads from I and II): not searched for spikes, as they repeat those of I and II. */
  derivedLeads?: readonly string[];
  /** The pacemaker spikes already found on these leads and beats (a second pass on corrected boundaries reuses them). */
  pacing?: PacedRhythm;
}

/** All measurements of a record given its leads by canonical name (mV) and sampling rate. */
export function measureRecord(leads: Record<string, Float32Array>, fs: number, opts: MeasureOptions = {}): EcgMeasurements {
  const names = Object.keys(leads);
  const detected = Array.from(
    opts.beats ??
      detectQrs(
        names.map((n) => leads[n]),
        fs,
      ),
  );
  // Pacemaker pulses are blanked before filtering, and a paced beat's QRS starts after its pulse.
  const pacingFound =
    opts.pacing ??
    pacedRhythm(
      names.filter((n) => !opts.derivedLeads?.includes(n)).map((n) => [n, leads[n]]),
      fs,
      detected,
    );
  const pulses = isPaced(pacingFound) ? pulseSamples(pacingFound.spikes) : [];
  const filtered = names.map((n) => ecgClean(pulses.length ? blankSpikes(leads[n], pulses, fs) : leads[n], fs, 'measurement'));
  // R fiducials moved onto the median QRS: the median beat, the intervals and the RR statistics are taken on them.
  const beats = alignBeats(filtered, detected, fs);
  const moved = beats.length ? median(beats.map((b, i) => b - detected[i])) : 0;
  // The pulse's offset from R follows the fiducials it is measured from.
  const pacing =
    pacingFound.spikeFromR === null || moved === 0 ? pacingFound : { ...pacingFound, spikeFromR: pacingFound.spikeFromR - moved };
  const rr = rrStatistics(beats, fs);
  const heartRateBpm = rr ? 60000 / rr.medianMs : beats.length === 2 ? (60 * fs) / (beats[1] - beats[0]) : null;
  const rrSamples = rr ? (rr.medianMs / 1000) * fs : fs;
  const pre = Math.round(Math.min(0.35 * fs, 0.45 * rrSamples));
  const post = Math.round(Math.min(0.65 * fs, 0.8 * rrSamples));
  const mb = beats.length ? medianBeat(filtered, beats, pre, post) : undefined;
  const pacingSpike = pacing.pacedBeatFraction >= PACED_MEDIAN_BEAT ? (pacing.spikeFromR ?? undefined) : undefined;
  // Leads whose QRS does not repeat from beat to beat (noise, an electrode off) take no part in the global boundaries.
  const repeating = mb
    ? delineateRepeatingLeads(mb, filtered, beats, fs, { rrIrregularity: rr?.irregularity, rrMs: rr?.medianMs, pacingSpike })
    : null;
  const automatic = repeating?.delineation ?? null;
  // An irregular rhythm's P wave must be there before each beat, not only in the median beat (of the repeating leads).
  const keep = repeating?.repeats ?? [];
  const del =
    opts.boundaries ??
    (automatic && mb && rr && rr.irregularity >= IRREGULAR_RR
      ? withoutInconsistentP(
          automatic,
          filtered.filter((_, l) => keep[l]),
          beats,
          medianBeatOfLeads(mb, keep),
          fs,
        )
      : automatic);
  const ms = (s: number): number => (s / fs) * 1000;
  const on = del ? del.qrsOnset : -Math.round(0.06 * fs);
  const off = del ? del.qrsOffset : Math.round(0.06 * fs);
  const levelAt = on - Math.round(0.01 * fs);
  const perLead: Record<string, LeadQrs> = {};
  names.forEach((n, k) => {
    perLead[n] = leadQrs(filtered[k], beats, on, off, levelAt);
  });
  const leftOutLeads = repeating ? names.filter((_, l) => !repeating.repeats[l]) : [];
  const net = (n: string): number | undefined => (leftOutLeads.includes(n) ? undefined : perLead[n]?.netDeflectionMv);
  const iNet = net('I'),
    iiNet = net('II');
  const avfNet = net('aVF');
  const qrsMs = del ? ms(del.qrsOffset - del.qrsOnset) : null;
  const prMs = del && del.pOnset !== undefined ? ms(del.qrsOnset - del.pOnset) : null;
  const qtMs = del && del.tOffset !== undefined ? ms(del.tOffset - del.qrsOnset) : null;
  const rrS = rr ? rr.medianMs / 1000 : null;
  const pDurationMs = del && del.pOnset !== undefined && del.pOffset !== undefined ? ms(del.pOffset - del.pOnset) : null;
  const qtc = Object.fromEntries(QTC_FORMULAS.map((f) => [f, qtMs !== null && rrS ? correctQt(qtMs, rrS, f) : null])) as Record<
    QtcFormula,
    number | null
  >;
  const notMeasurable: EcgMeasurements['notMeasurable'] = {};
  if (!del) {
    const reason = repeating?.reason ?? 'no beat to delineate';
    notMeasurable.qt = notMeasurable.pr = notMeasurable.pDuration = reason;
    if (repeating?.reason) notMeasurable.qrs = reason;
  } else {
    if (prMs === null) notMeasurable.pr = notMeasurable.pDuration = del.notMeasurable?.p ?? 'no P wave delineated';
    if (qtMs === null) notMeasurable.qt = del.notMeasurable?.t ?? 'no T wave delineated';
  }
  const waves = mb && del ? medianBeatWaves(names, mb.templates, mb.pre, del, fs) : undefined;
  const amp = (lead: string, wave: 'rMv' | 'sMv'): number | undefined =>
    leftOutLeads.includes(lead) ? undefined : waves?.amplitudes[lead]?.[wave];
  const sV1 = amp('V1', 'sMv'),
    rV5 = amp('V5', 'rMv'),
    rV6 = amp('V6', 'rMv');
  const rAvl = amp('aVL', 'rMv'),
    sV3 = amp('V3', 'sMv');
  return {
    samplingRate: fs,
    beats,
    // The detector's "beats" in a record of noise alone are not heartbeats: no rate from them.
    heartRateBpm: repeating?.reason ? null : heartRateBpm,
    rr: repeating?.reason ? null : rr,
    leads: perLead,
    axis: {
      fromIAvf: iNet !== undefined && avfNet !== undefined && beats.length ? axisFromIAvf(iNet, avfNet) : null,
      fromIIIAvf:
        iNet !== undefined && iiNet !== undefined && avfNet !== undefined && beats.length ? axisFromIIIAvf(iNet, iiNet, avfNet) : null,
    },
    delineation: del,
    medianBeat: mb ?? null,
    pDurationMs,
    prMs,
    qrsMs,
    qtMs,
    qtcBazettMs: qtc.bazett,
    qtcFridericiaMs: qtc.fridericia,
    qtc,
    leftOutLeads,
    notMeasurable,
    frontalAxes: waves && !['I', 'II', 'aVF'].some((n) => leftOutLeads.includes(n)) ? waves.axes : { p: null, qrs: null, t: null },
    amplitudes: waves?.amplitudes ?? {},
    sokolowLyonMv: sV1 !== undefined && rV5 !== undefined && rV6 !== undefined ? roundTo(Math.abs(sV1) + Math.max(rV5, rV6), 3) : null,
    cornellMv: rAvl !== undefined && sV3 !== undefined ? roundTo(rAvl + Math.abs(sV3), 3) : null,
    pacing,
  };
}

/** Each lead's own boundaries (ms from R) of a delineation, by lead name in the order measured. */
export function leadBoundariesMs(m: EcgMeasurements): LeadBoundariesMs[] {
  const d = m.delineation;
  if (!d?.leads) return [];
  const ms = (s: number): number => Math.round((s / m.samplingRate) * 1000 * 10) / 10;
  return Object.keys(m.leads).flatMap((lead, l) => {
    const b = d.leads![l];
    if (b?.qrsOnset === undefined || b.qrsOffset === undefined) return [];
    return [
      {
        lead,
        qrsOnsetMs: ms(b.qrsOnset),
        qrsOffsetMs: ms(b.qrsOffset),
        qrsOnsetConfidence: b.qrsConfidence?.onset ?? 0,
        qrsOffsetConfidence: b.qrsConfidence?.offset ?? 0,
        qrsCounted: b.qrsCounted ?? false,
        qrsConsistency: b.qrsConsistency ?? 1,
        ...(b.leftOut ? { leftOut: true } : {}),
        ...(b.tOffset !== undefined ? { tOffsetMs: ms(b.tOffset) } : {}),
        ...(b.tAmplitudeMv !== undefined ? { tAmplitudeMv: b.tAmplitudeMv } : {}),
      },
    ];
  });
}

/** Per-lead amplitudes and the frontal P/QRS/T axes from the median-beat templates (`pre` = R's index). */
function medianBeatWaves(
  names: string[],
  templates: Float32Array[],
  pre: number,
  d: Delineation,
  fs: number,
): { amplitudes: Record<string, LeadAmplitudes>; axes: EcgMeasurements['frontalAxes'] } {
  const on = pre + d.qrsOnset,
    off = pre + d.qrsOffset;
  const amplitudes: Record<string, LeadAmplitudes> = {};
  names.forEach((n, l) => {
    const tPeak = d.leads?.[l]?.tPeak ?? d.tPeak;
    amplitudes[n] = leadAmplitudes(templates[l], on, off, d.tOffset !== undefined && tPeak !== undefined ? pre + tPeak : undefined, fs);
  });
  const axisOf = (from: number, to: number): number | null => {
    const area = (lead: string): number | undefined => {
      const l = names.indexOf(lead);
      return l < 0 ? undefined : netArea(templates[l], templates[l][Math.max(0, on)], from, to);
    };
    const i = area('I'),
      ii = area('II'),
      avf = area('aVF');
    if (i === undefined || ii === undefined || avf === undefined) return null;
    const a = axisFromIIIAvf(i, ii, avf);
    return a === null ? null : Math.round(a);
  };
  return {
    amplitudes,
    axes: {
      p: d.pOnset !== undefined && d.pOffset !== undefined ? axisOf(pre + d.pOnset, pre + d.pOffset) : null,
      qrs: axisOf(on, off),
      t: d.tOffset !== undefined ? axisOf(off, pre + d.tOffset) : null,
    },
  };
}
