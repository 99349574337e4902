// Per-record ECG measurements from R fiducials and the median-beat delineation: rate, RR statistics,
// per-lead QRS amplitudes and net deflections, frontal axis, PR / QRS / QT / QTc.
import { ecgClean } from './ecg-clean.ts';
import { detectQrs } from './qrs-detector.ts';
import { delineateMedianBeat, medianBeat, type Delineation } from './delineation.ts';

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
  prMs: number | null;
  qrsMs: number | null;
  qtMs: number | null;
  qtcBazettMs: number | null;
  qtcFridericiaMs: number | null;
}

function median(values: number[]): number {
  const a = [...values].sort((p, q) => p - q);
  const m = a.length >> 1;
  return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2;
}

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
}

/** All measurements of a record given its leads by canonical name (mV) and sampling rate. */
export function measureRecord(leads: Record<string, Float32Array>, fs: number, opts: MeasureOptions = {}): EcgMeasurements {
  const names = Object.keys(leads);
  const filtered = names.map((n) => ecgClean(leads[n], fs, 'measurement'));
  const beats = Array.from(
    opts.beats ??
      detectQrs(
        names.map((n) => leads[n]),
        fs,
      ),
  );
  const rr = rrStatistics(beats, fs);
  const heartRateBpm = rr ? 60000 / rr.medianMs : beats.length === 2 ? (60 * fs) / (beats[1] - beats[0]) : null;
  const rrSamples = rr ? (rr.medianMs / 1000) * fs : fs;
  const pre = Math.round(Math.min(0.35 * fs, 0.45 * rrSamples));
  const post = Math.round(Math.min(0.65 * fs, 0.8 * rrSamples));
  const mb = beats.length ? medianBeat(filtered, beats, pre, post) : undefined;
  const del = opts.boundaries ?? (mb ? delineateMedianBeat(mb, fs) : null);
  const ms = (s: number): number => (s / fs) * 1000;
  const on = del ? del.qrsOnset : -Math.round(0.06 * fs);
  const off = del ? del.qrsOffset : Math.round(0.06 * fs);
  const levelAt = on - Math.round(0.01 * fs);
  const perLead: Record<string, LeadQrs> = {};
  names.forEach((n, k) => {
    perLead[n] = leadQrs(filtered[k], beats, on, off, levelAt);
  });
  const net = (n: string): number | undefined => perLead[n]?.netDeflectionMv;
  const iNet = net('I'),
    iiNet = net('II');
  const avfNet = net('aVF');
  const qrsMs = del ? ms(del.qrsOffset - del.qrsOnset) : null;
  const prMs = del && del.pOnset !== undefined ? ms(del.qrsOnset - del.pOnset) : null;
  const qtMs = del && del.tOffset !== undefined ? ms(del.tOffset - del.qrsOnset) : null;
  const rrS = rr ? rr.medianMs / 1000 : null;
  return {
    samplingRate: fs,
    beats,
    heartRateBpm,
    rr,
    leads: perLead,
    axis: {
      fromIAvf: iNet !== undefined && avfNet !== undefined && beats.length ? axisFromIAvf(iNet, avfNet) : null,
      fromIIIAvf:
        iNet !== undefined && iiNet !== undefined && avfNet !== undefined && beats.length ? axisFromIIIAvf(iNet, iiNet, avfNet) : null,
    },
    delineation: del,
    prMs,
    qrsMs,
    qtMs,
    qtcBazettMs: qtMs !== null && rrS ? qtMs / Math.sqrt(rrS) : null,
    qtcFridericiaMs: qtMs !== null && rrS ? qtMs / Math.cbrt(rrS) : null,
  };
}
