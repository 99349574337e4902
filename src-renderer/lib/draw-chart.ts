import { samplePixels, type ChartLayout } from '../../src-shared/chart/chart-layout.ts';

export const PAPER = { background: '#fffafa', minor: '#f6c9c9', major: '#e58f8f', trace: '#111111', label: '#333333' };

/** ECG paper: 1 mm minor and 5 mm major grid over the whole chart. */
export function drawGrid(ctx: CanvasRenderingContext2D, layout: ChartLayout): void {
  const { width, height, pxPerMm } = layout;
  ctx.fillStyle = PAPER.background;
  ctx.fillRect(0, 0, width, height);
  for (const [step, color, lw] of [[pxPerMm, PAPER.minor, 0.5], [5 * pxPerMm, PAPER.major, 1]] as const) {
    ctx.beginPath();
    ctx.strokeStyle = color;
    ctx.lineWidth = lw;
    for (let x = 0; x <= width; x += step) {
      ctx.moveTo(Math.round(x) + 0.5, 0);
      ctx.lineTo(Math.round(x) + 0.5, height);
    }
    for (let y = 0; y <= height; y += step) {
      ctx.moveTo(0, Math.round(y) + 0.5);
      ctx.lineTo(width, Math.round(y) + 0.5);
    }
    ctx.stroke();
  }
}

/** Calibration pulses, lead labels and every lead's trace, drawn from the shared chart geometry. */
export function drawTraces(ctx: CanvasRenderingContext2D, layout: ChartLayout, millivolts: Float32Array[]): string[] {
  ctx.strokeStyle = PAPER.trace;
  ctx.lineWidth = Math.max(1, layout.pxPerMm / 3);
  ctx.lineJoin = 'round';
  for (const pulse of layout.calibration) {
    ctx.beginPath();
    pulse.forEach((p, i) => (i === 0 ? ctx.moveTo(p.x, p.y) : ctx.lineTo(p.x, p.y)));
    ctx.stroke();
  }
  const drawn: string[] = [];
  ctx.font = `${Math.round(3.5 * layout.pxPerMm)}px sans-serif`;
  for (const { panel, xs, ys } of samplePixels(layout, millivolts)) {
    ctx.beginPath();
    for (let i = 0; i < xs.length; i++) (i === 0 ? ctx.moveTo(xs[i], ys[i]) : ctx.lineTo(xs[i], ys[i]));
    ctx.stroke();
    ctx.fillStyle = PAPER.label;
    ctx.fillText(panel.lead, panel.box.x + layout.pxPerMm, panel.box.y + 4 * layout.pxPerMm);
    if (!panel.rhythm) drawn.push(panel.lead);
  }
  return drawn;
}

/**
 * Traces from (min, max) bucket pairs: two vertices per bucket, so a 24 h record costs a few vertices per
 * pixel column. `pairs[leadIndex]` starts at record sample `cacheStart`; the layout's samples are relative to `viewStart`.
 */
export function drawMinMaxTraces(ctx: CanvasRenderingContext2D, layout: ChartLayout, pairs: Float32Array[], bucket: number, cacheStart: number, viewStart: number): string[] {
  ctx.strokeStyle = PAPER.trace;
  ctx.lineWidth = 1;
  for (const pulse of layout.calibration) {
    ctx.beginPath();
    pulse.forEach((p, i) => (i === 0 ? ctx.moveTo(p.x, p.y) : ctx.lineTo(p.x, p.y)));
    ctx.stroke();
  }
  const drawn: string[] = [];
  ctx.font = `${Math.round(3.5 * layout.pxPerMm)}px sans-serif`;
  const pxPerSample = (layout.mmPerSecond * layout.pxPerMm) / layout.samplingRate;
  const pxPerMv = layout.mmPerMillivolt * layout.pxPerMm;
  for (const panel of layout.panels) {
    const v = pairs[panel.leadIndex];
    const first = Math.max(0, Math.floor((viewStart + panel.startSample - cacheStart) / bucket));
    const last = Math.min(v.length / 2, Math.ceil((viewStart + panel.endSample - cacheStart) / bucket));
    ctx.beginPath();
    for (let j = first; j < last; j++) {
      const x = panel.box.x + (cacheStart + j * bucket - viewStart - panel.startSample) * pxPerSample;
      const lo = panel.baselineY - v[2 * j] * pxPerMv;
      const hi = panel.baselineY - v[2 * j + 1] * pxPerMv;
      if (j === first) ctx.moveTo(x, lo);
      else ctx.lineTo(x, lo);
      ctx.lineTo(x, hi);
    }
    ctx.stroke();
    ctx.fillStyle = PAPER.label;
    ctx.fillText(panel.lead, panel.box.x + layout.pxPerMm, panel.box.y + 4 * layout.pxPerMm);
    if (!panel.rhythm) drawn.push(panel.lead);
  }
  return drawn;
}
