// ECG paper and traces as SVG path data in mm (the chart laid out at 1 px/mm): the print view's SVG is sized in mm,
// so 1 mm on the page is 1 mm of grid and 25 mm/s, 10 mm/mV hold exactly on paper.
import type { ChartLayout } from '../../src-shared/chart/chart-layout.ts';

const r2 = (v: number) => Math.round(v * 100) / 100;

/** Grid lines every `stepMm` over the chart, as one path; `skipEvery` leaves out every n-th line (drawn by the major grid). */
export function gridPath(layout: ChartLayout, stepMm: number, skipEvery = 0): string {
  const { width, height } = layout;
  const parts: string[] = [];
  for (let i = 0; i * stepMm <= width + 1e-9; i++) if (!skipEvery || i % skipEvery) parts.push(`M${r2(i * stepMm)} 0V${r2(height)}`);
  for (let i = 0; i * stepMm <= height + 1e-9; i++) if (!skipEvery || i % skipEvery) parts.push(`M0 ${r2(i * stepMm)}H${r2(width)}`);
  return parts.join('');
}

/** One panel's trace from the record's millivolts (`mv` starts at the chart's first sample). */
export function tracePath(layout: ChartLayout, panelIndex: number, mv: Float32Array): string {
  const panel = layout.panels[panelIndex];
  const mmPerSample = (layout.mmPerSecond * layout.pxPerMm) / layout.samplingRate;
  const mmPerMv = layout.mmPerMillivolt * layout.pxPerMm;
  const parts: string[] = [];
  for (let s = panel.startSample; s < Math.min(panel.endSample, mv.length); s++) {
    const v = Number.isFinite(mv[s]) ? mv[s] : 0;
    parts.push(
      `${s === panel.startSample ? 'M' : 'L'}${r2(panel.box.x + (s - panel.startSample) * mmPerSample)} ${r2(panel.baselineY - v * mmPerMv)}`,
    );
  }
  return parts.join('');
}

/** The calibration pulses, one per row. */
export const calibrationPath = (layout: ChartLayout): string =>
  layout.calibration.map((pulse) => pulse.map((p, i) => `${i ? 'L' : 'M'}${r2(p.x)} ${r2(p.y)}`).join('')).join('');

/** At most `n` entries, and how many were left out (said on the page, never dropped in silence). */
export function firstOf<T>(list: readonly T[], n: number): { shown: T[]; more: number } {
  return { shown: list.slice(0, n), more: Math.max(0, list.length - n) };
}
