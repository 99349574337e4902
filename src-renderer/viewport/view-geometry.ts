import { sampleX, type ChartLayout, type LeadPanel } from '../../src-shared/chart/chart-layout.ts';

/** What every overlay draws against: the chart as drawn and the record sample at its left edge. */
export interface ViewGeometry {
  chart: ChartLayout;
  drawnStart: number;
}

export interface SpanRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export const pxPerSample = (chart: ChartLayout): number => (chart.mmPerSecond * chart.pxPerMm) / chart.samplingRate;

/** Pixel column of a record sample in a panel; undefined when the panel does not show it. */
export function recordSampleX(view: ViewGeometry, panel: LeadPanel, sample: number): number | undefined {
  const rel = sample - view.drawnStart;
  if (rel < panel.startSample || rel >= panel.endSample) return undefined;
  return sampleX(view.chart, panel, rel);
}

/** The part of the record span [start, end) a panel shows, over the panel's full height; undefined when none. */
export function recordSpanRect(view: ViewGeometry, panel: LeadPanel, start: number, end: number): SpanRect | undefined {
  const a = Math.max(start - view.drawnStart, panel.startSample);
  const b = Math.min(end - view.drawnStart, panel.endSample);
  return b > a
    ? { x: sampleX(view.chart, panel, a), y: panel.box.y, w: (b - a) * pxPerSample(view.chart), h: panel.box.height }
    : undefined;
}
