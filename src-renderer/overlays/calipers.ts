// Calipers: two points clicked on traces, read as a time, a voltage and the heart rate of that RR.
import type { LeadPanel } from '../../src-shared/chart/chart-layout.ts';

export interface CaliperPoint {
  /** Record sample (fractional: where the click fell). */
  sample: number;
  millivolts: number;
  lead: string;
  /** Clicked on a rhythm strip: its lead also has a short panel, and the mark belongs where the click was. */
  rhythm?: boolean;
}

export interface CaliperReading {
  ms: number;
  mv: number;
  bpm: number;
}

/** A third click starts a new pair. */
export function addCaliperPoint(points: readonly CaliperPoint[], p: CaliperPoint): CaliperPoint[] {
  return points.length >= 2 ? [p] : [...points, p];
}

export function caliperReading(points: readonly CaliperPoint[], samplingRate: number): CaliperReading | undefined {
  if (points.length < 2) return undefined;
  const [a, b] = points;
  const ms = (Math.abs(b.sample - a.sample) / samplingRate) * 1000;
  return { ms, mv: b.millivolts - a.millivolts, bpm: ms > 0 ? 60_000 / ms : 0 };
}

/** The record span [start, end) between the two points, whole samples, for an interval annotation. */
export function caliperSpan(points: readonly CaliperPoint[]): { start: number; end: number; lead: string } | undefined {
  if (points.length < 2) return undefined;
  const [a, b] = points;
  return { start: Math.round(Math.min(a.sample, b.sample)), end: Math.round(Math.max(a.sample, b.sample)) + 1, lead: a.lead };
}

/** The panel a caliper point is drawn on: its lead's rhythm strip or short panel, as clicked. */
export function caliperPanels(panels: readonly LeadPanel[], p: CaliperPoint): LeadPanel[] {
  return panels.filter((panel) => panel.lead === p.lead && panel.rhythm === (p.rhythm ?? false));
}
