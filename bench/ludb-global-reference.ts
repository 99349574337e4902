// Global reference intervals from LUDB's per-lead cardiologist annotations, as IEC 60601-2-25 defines global
// boundaries: per beat, the earliest onset and the latest offset across all 12 leads; then the median over
// the record's annotated beats, one figure per record. Compared with ours as signed differences (ours - ref).
import type { BeatAnnotation } from '../src-shared/record.ts';

export const INTERVALS = ['pDuration', 'pr', 'qrs', 'qt'] as const;
export type Interval = (typeof INTERVALS)[number];

interface Wave {
  kind: 'p' | 'N' | 't';
  on: number;
  peak: number;
  off: number;
}

/** Complete waves (onset, peak, offset) of one lead's annotation file. */
export function annotatedWaves(ann: BeatAnnotation[]): Wave[] {
  const out: Wave[] = [];
  for (let i = 0; i + 2 < ann.length; i++) {
    const [on, peak, off] = [ann[i], ann[i + 1], ann[i + 2]];
    if (on.symbol !== '(' || off.symbol !== ')') continue;
    if (peak.symbol === 'p' || peak.symbol === 'N' || peak.symbol === 't')
      out.push({ kind: peak.symbol, on: on.sample, peak: peak.sample, off: off.sample });
  }
  return out;
}

function median(v: number[]): number {
  const a = [...v].sort((x, y) => x - y);
  const m = a.length >> 1;
  return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2;
}

/**
 * Reference intervals (ms) of one record from the waves of every lead; null where no beat has that interval.
 * `trim` = 1 takes the second earliest onset / second latest offset instead: each lead was annotated on its own,
 * so the single extreme lead carries that lead's annotation jitter into the global boundary. `beatParity` keeps
 * only the even (0) or odd (1) beats, for a split-half estimate of the reference's own beat-to-beat noise.
 */
export function globalReference(
  leadWaves: Wave[][],
  fs: number,
  trim = 0,
  minLeads = { qrs: 6, pt: 3 },
  beatParity?: 0 | 1,
): Record<Interval, number | null> & { beats: number } {
  const ms = 1000 / fs;
  const gap = Math.round(0.1 * fs);
  // Beats: QRS complexes of all leads clustered by peak time (a complex is the same beat within 100 ms).
  const qrs = leadWaves
    .flat()
    .filter((w) => w.kind === 'N')
    .sort((a, b) => a.peak - b.peak);
  const beats: Wave[][] = [];
  for (const w of qrs) {
    const last = beats[beats.length - 1];
    if (last && w.peak - median(last.map((x) => x.peak)) < gap) last.push(w);
    else beats.push([w]);
  }
  const perBeat: Record<Interval, number[]> = { pDuration: [], pr: [], qrs: [], qt: [] };
  const earliest = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.min(trim, v.length - 1)];
  const latest = (v: number[]): number => [...v].sort((a, b) => b - a)[Math.min(trim, v.length - 1)];
  beats.forEach((beat, i) => {
    if (beat.length < minLeads.qrs) return; // annotated in too few leads to be a global boundary
    if (beatParity !== undefined && i % 2 !== beatParity) return;
    const on = earliest(beat.map((w) => w.on));
    const off = latest(beat.map((w) => w.off));
    const next = beats[i + 1] ? Math.min(...beats[i + 1].map((w) => w.on)) : Infinity;
    const prev = i > 0 ? Math.max(...beats[i - 1].map((w) => w.off)) : -Infinity;
    perBeat.qrs.push((off - on) * ms);
    const ts = leadWaves.flat().filter((w) => w.kind === 't' && w.on >= off - gap && w.off <= next + gap && w.peak > off && w.peak < next);
    if (ts.length >= minLeads.pt) perBeat.qt.push((latest(ts.map((w) => w.off)) - on) * ms);
    const ps = leadWaves.flat().filter((w) => w.kind === 'p' && w.peak > prev && w.peak < on && (on - w.off) * ms < 400);
    if (ps.length >= minLeads.pt) {
      const pOn = earliest(ps.map((w) => w.on));
      perBeat.pr.push((on - pOn) * ms);
      perBeat.pDuration.push((latest(ps.map((w) => w.off)) - pOn) * ms);
    }
  });
  const pick = (v: number[]): number | null => (v.length ? median(v) : null);
  return {
    beats: beats.filter((b) => b.length >= minLeads.qrs).length,
    pDuration: pick(perBeat.pDuration),
    pr: pick(perBeat.pr),
    qrs: pick(perBeat.qrs),
    qt: pick(perBeat.qt),
  };
}

export interface IntervalAgreement {
  /** Records with a reference value for this interval. */
  referenced: number;
  /** Of those, records where we measured it too. */
  measured: number;
  measuredShare: number;
  meanMs: number;
  sdMs: number;
}

/** Mean and SD of the per-record signed errors and the share measured. */
export function intervalAgreement(pairs: { ours: number | null; ref: number | null }[]): IntervalAgreement {
  const withRef = pairs.filter((p) => p.ref !== null);
  const errs = withRef.filter((p) => p.ours !== null).map((p) => p.ours! - p.ref!);
  const n = errs.length;
  const mean = n ? errs.reduce((a, b) => a + b, 0) / n : NaN;
  const sd = n ? Math.sqrt(errs.reduce((a, b) => a + (b - mean) ** 2, 0) / n) : NaN;
  const r = (x: number): number => Math.round(x * 10) / 10;
  return {
    referenced: withRef.length,
    measured: n,
    measuredShare: withRef.length ? r((100 * n) / withRef.length) / 100 : NaN,
    meanMs: r(mean),
    sdMs: r(sd),
  };
}

/** The diagnosis lines of a LUDB header ('#Rhythm: Sinus rhythm.' etc.), joined. */
export function ludbDiagnoses(comments: string): string {
  return comments
    .split('\n')
    .map((c) => c.replace(/^#/, '').trim())
    .filter((c) => c && !/^<(age|sex|diagnoses)>/.test(c))
    .join(' ');
}
