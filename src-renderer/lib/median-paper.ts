// Geometry of the median-beat view on calibrated paper: one panel per lead in vendors' 3x4 arrangement (I-III,
// aVR-aVF, V1-V3, V4-V6 as columns), each beat drawn at a true paper speed and gain, and the sample <-> pixel maps a
// boundary drag needs. Pure, so the layout is tested without a browser.
import type { LeadBoundariesMs } from '../../src-shared/api.ts';
import { signedMs } from '../../src-shared/global-boundary-reasons.ts';
import type { BoundaryName } from '../../src-shared/median-beats.ts';

export const MEDIAN_COLUMNS = [
  ['I', 'II', 'III'],
  ['aVR', 'aVL', 'aVF'],
  ['V1', 'V2', 'V3'],
  ['V4', 'V5', 'V6'],
] as const;

/** One colour per wave on every median-beat drawing: P green, QRS red, T end violet. */
export const BOUNDARY_COLOURS: Record<BoundaryName, string> = {
  pOnset: '#1a7f37',
  pOffset: '#1a7f37',
  qrsOnset: '#c0262d',
  qrsOffset: '#c0262d',
  tOffset: '#6f3fb5',
};

export interface PaperScale {
  pxPerMm: number;
  mmPerSecond: number;
  mmPerMillivolt: number;
}

export interface MedianPanel {
  lead: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Pixel row of 0 mV. */
  zeroY: number;
}

/** Panel height on paper, mm (±1.6 mV at 10 mm/mV), the share of it above 0 mV, and the gap between panels. */
const PANEL_MM = 32;
const ABOVE_ZERO = 0.58;
const GAP_MM = 2;

export const pxPerSample = (scale: PaperScale, samplingRate: number): number => (scale.mmPerSecond * scale.pxPerMm) / samplingRate;

/**
 * Panels for `leads` (names as the median beats carry them): the vendor 3x4 when all twelve standard leads are there,
 * else columns of three in the leads' order. `length` samples at `samplingRate` per panel.
 */
export function medianPanels(
  leads: readonly string[],
  length: number,
  samplingRate: number,
  scale: PaperScale,
): { panels: MedianPanel[]; width: number; height: number } {
  const standard = MEDIAN_COLUMNS.every((c) => c.every((l) => leads.includes(l)));
  const columns: string[][] = standard ? MEDIAN_COLUMNS.map((c) => [...c]) : [];
  if (!standard) for (let i = 0; i < leads.length; i += 3) columns.push(leads.slice(i, i + 3));
  const w = length * pxPerSample(scale, samplingRate);
  const h = PANEL_MM * scale.pxPerMm;
  const gap = GAP_MM * scale.pxPerMm;
  const panels = columns.flatMap((col, c) =>
    col.map((lead, r) => {
      const x = c * (w + gap),
        y = r * (h + gap);
      return { lead, x, y, width: w, height: h, zeroY: y + ABOVE_ZERO * h };
    }),
  );
  const rows = Math.max(0, ...columns.map((c) => c.length));
  return { panels, width: Math.max(0, columns.length * (w + gap) - gap), height: Math.max(0, rows * (h + gap) - gap) };
}

/** Pixel column of a boundary `offset` samples from R (R at sample `pre` of the beat). */
export function boundaryX(panel: MedianPanel, offset: number, pre: number, pxPerSamp: number): number {
  return panel.x + (pre + offset) * pxPerSamp;
}

/** The boundary offset (samples from R) under pixel column `x` of `panel`, kept inside the beat. */
export function offsetAtX(panel: MedianPanel, x: number, pre: number, length: number, pxPerSamp: number): number {
  const k = Math.round((x - panel.x) / pxPerSamp);
  return Math.max(0, Math.min(length - 1, k)) - pre;
}

/** SVG path of one beat (millivolts) in its panel; a beat sampled at another rate (a prior ECG) keeps true time. */
export function beatPath(values: ArrayLike<number>, panel: MedianPanel, scale: PaperScale, samplingRate: number, shiftSamples = 0): string {
  const dx = pxPerSample(scale, samplingRate);
  const dy = scale.mmPerMillivolt * scale.pxPerMm;
  let d = '';
  for (let k = 0; k < values.length; k++) {
    const x = panel.x + (k + shiftSamples) * dx;
    if (x < panel.x || x > panel.x + panel.width) continue;
    d += `${d ? 'L' : 'M'}${x.toFixed(1)},${(panel.zeroY - values[k] * dy).toFixed(1)}`;
  }
  return d;
}

/**
 * Where to put a boundary the delineation did not find, for the reviewer to move into place: a typical distance from
 * the QRS (P 160-60 ms before its onset, T end 300 ms after its offset), kept inside the beat.
 */
export function placedBoundary(
  boundary: BoundaryName,
  found: { qrsOnset?: number; qrsOffset?: number },
  beat: { pre: number; length: number; samplingRate: number },
): number {
  const s = (ms: number) => Math.round((ms / 1000) * beat.samplingRate);
  const on = found.qrsOnset ?? -s(50),
    off = found.qrsOffset ?? s(50);
  const at = { pOnset: on - s(160), pOffset: on - s(60), qrsOnset: on, qrsOffset: off, tOffset: off + s(300) }[boundary];
  return Math.max(-beat.pre, Math.min(beat.length - 1 - beat.pre, at));
}

/** A boundary of one lead's own, drawn as a short tick in that lead's panel. */
export interface LeadTick {
  lead: string;
  boundary: 'qrsOnset' | 'qrsOffset' | 'tOffset';
  ms: number;
  /** 0-1 where the delineation gives one (QRS); T ends carry none per lead. */
  confidence?: number;
  /** Whether the lead's QRS took part in the global QRS boundaries. */
  counted: boolean;
}

/** Below this confidence a tick is drawn faded. */
export const LOW_TICK_CONFIDENCE = 0.5;

const TICK_NAMES: Record<LeadTick['boundary'], string> = { qrsOnset: 'QRS onset', qrsOffset: 'QRS offset', tOffset: 'T end' };

/** The ticks of one lead's own boundaries (ms from R): QRS onset and offset with their confidence, T end where found. */
export function leadTicks(b: LeadBoundariesMs): LeadTick[] {
  const ticks: LeadTick[] = [
    { lead: b.lead, boundary: 'qrsOnset', ms: b.qrsOnsetMs, confidence: b.qrsOnsetConfidence, counted: b.qrsCounted },
    { lead: b.lead, boundary: 'qrsOffset', ms: b.qrsOffsetMs, confidence: b.qrsOffsetConfidence, counted: b.qrsCounted },
  ];
  if (b.tOffsetMs !== undefined) ticks.push({ lead: b.lead, boundary: 'tOffset', ms: b.tOffsetMs, counted: b.qrsCounted });
  return ticks;
}

/** The tick's tooltip: lead, boundary, ms from R, confidence (and whether the lead counted toward the global QRS). */
export function leadTickTitle(t: LeadTick): string {
  const from = `${signedMs(t.ms)} from R`;
  const confidence = t.confidence === undefined ? 'no per-lead confidence' : `confidence ${t.confidence.toFixed(2)}`;
  const counted = t.boundary === 'tOffset' ? '' : t.counted ? '; counted toward the global QRS' : '; not counted toward the global QRS';
  return `${t.lead} ${TICK_NAMES[t.boundary]} ${from}, ${confidence}${counted}`;
}

/** Pixel column of a point `ms` from R (R at sample `pre` of the beat) in `panel`. */
export function msX(panel: MedianPanel, ms: number, pre: number, samplingRate: number, pxPerSamp: number): number {
  return boundaryX(panel, (ms / 1000) * samplingRate, pre, pxPerSamp);
}
