import type { ChartLayout } from '../../src-shared/chart/chart-layout.ts';

export const PAPER = { background: '#fffafa', minor: '#f6c9c9', major: '#e58f8f', trace: '#111111', label: '#333333' };

/** ECG paper: 1 mm minor and 5 mm major grid over the whole chart. */
export function drawGrid(ctx: CanvasRenderingContext2D, layout: ChartLayout): void {
  const { width, height, pxPerMm } = layout;
  ctx.fillStyle = PAPER.background;
  ctx.fillRect(0, 0, width, height);
  for (const [step, color, lw] of [
    [pxPerMm, PAPER.minor, 0.5],
    [5 * pxPerMm, PAPER.major, 1],
  ] as const) {
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

function drawCalibration(ctx: CanvasRenderingContext2D, layout: ChartLayout): void {
  for (const pulse of layout.calibration) {
    ctx.beginPath();
    pulse.forEach((p, i) => (i === 0 ? ctx.moveTo(p.x, p.y) : ctx.lineTo(p.x, p.y)));
    ctx.stroke();
  }
}

/**
 * Adds a trace to the path a pixel column at a time. Points come as (x, y at entry, y at exit); within one column
 * a polyline through them covers exactly the span from their lowest to highest y, so only the first entry, that
 * span and the last exit are kept: a few vertices per column however many samples it holds, the same pixels inked.
 */
function columnPath(ctx: CanvasRenderingContext2D): { add(x: number, enter: number, exit: number): void; stroke(): void } {
  let col = NaN,
    first = 0,
    lo = 0,
    hi = 0,
    last = 0;
  const flush = (nextX: number, nextY: number): void => {
    if (Number.isNaN(col)) {
      if (!Number.isNaN(nextX)) ctx.moveTo(nextX, nextY);
      return;
    }
    ctx.lineTo(col, first);
    if (lo !== hi) {
      ctx.lineTo(col, lo);
      ctx.lineTo(col, hi);
    }
    ctx.lineTo(col, last);
  };
  ctx.beginPath();
  return {
    add(x, enter, exit) {
      if (x !== col) {
        flush(x, enter);
        col = x;
        first = enter;
        lo = Math.min(enter, exit);
        hi = Math.max(enter, exit);
      } else {
        lo = Math.min(lo, enter, exit);
        hi = Math.max(hi, enter, exit);
      }
      last = exit;
    },
    stroke() {
      flush(NaN, 0);
      ctx.stroke();
    },
  };
}

/** Calibration pulses, lead labels and every lead's trace; samples at the integer pixels of the shared chart geometry. */
export function drawTraces(ctx: CanvasRenderingContext2D, layout: ChartLayout, millivolts: Float32Array[]): string[] {
  ctx.strokeStyle = PAPER.trace;
  // About 1/3 mm, in whole pixels: crisp, and at common screen calibrations a one-pixel line, which software
  // rasterisers stroke several times faster than a fractional width (most of a pan frame's cost otherwise).
  ctx.lineWidth = Math.max(1, Math.round(layout.pxPerMm / 3));
  // An odd width centred on a pixel's middle fills whole pixels instead of greying two half-covered ones.
  const mid = ctx.lineWidth % 2 ? 0.5 : 0;
  // Bevel, not round: the same look at a trace's width, and far cheaper for the rasteriser on thousands of joins.
  ctx.lineJoin = 'bevel';
  drawCalibration(ctx, layout);
  const drawn: string[] = [];
  ctx.font = `${Math.round(3.5 * layout.pxPerMm)}px sans-serif`;
  const pxPerSample = (layout.mmPerSecond * layout.pxPerMm) / layout.samplingRate;
  const pxPerMv = layout.mmPerMillivolt * layout.pxPerMm;
  const xMax = layout.width - 1,
    yMax = layout.height - 1;
  for (const panel of layout.panels) {
    const v = millivolts[panel.leadIndex];
    if (!v) throw new Error(`chart: no signal for lead ${panel.lead} (index ${panel.leadIndex})`);
    const path = columnPath(ctx);
    for (let s = panel.startSample; s < panel.endSample; s++) {
      // As samplePixels: rounded, clamped to the image, non-finite values at the baseline.
      const x = Math.min(xMax, Math.max(0, Math.round(panel.box.x + (s - panel.startSample) * pxPerSample)));
      const mv = Number.isFinite(v[s]) ? v[s] : 0;
      const y = Math.min(yMax, Math.max(0, Math.round(panel.baselineY - mv * pxPerMv)));
      path.add(x + mid, y + mid, y + mid);
    }
    path.stroke();
    ctx.fillStyle = PAPER.label;
    ctx.fillText(panel.lead, panel.box.x + layout.pxPerMm, panel.box.y + 4 * layout.pxPerMm);
    if (!panel.rhythm) drawn.push(panel.lead);
  }
  return drawn;
}

/**
 * Traces from (min, max) bucket pairs, each bucket at its pixel column, so a 24 h record costs a few vertices per
 * column. `pairs[leadIndex]` starts at record sample `blockStart`; the layout's samples are relative to `viewStart`.
 */
export function drawMinMaxTraces(
  ctx: CanvasRenderingContext2D,
  layout: ChartLayout,
  pairs: Float32Array[],
  bucket: number,
  blockStart: number,
  viewStart: number,
): string[] {
  ctx.strokeStyle = PAPER.trace;
  ctx.lineWidth = 1;
  ctx.lineJoin = 'bevel';
  drawCalibration(ctx, layout);
  const drawn: string[] = [];
  ctx.font = `${Math.round(3.5 * layout.pxPerMm)}px sans-serif`;
  const pxPerSample = (layout.mmPerSecond * layout.pxPerMm) / layout.samplingRate;
  const pxPerMv = layout.mmPerMillivolt * layout.pxPerMm;
  for (const panel of layout.panels) {
    const v = pairs[panel.leadIndex];
    const first = Math.max(0, Math.floor((viewStart + panel.startSample - blockStart) / bucket));
    const last = Math.min(v.length / 2, Math.ceil((viewStart + panel.endSample - blockStart) / bucket));
    const path = columnPath(ctx);
    for (let j = first; j < last; j++) {
      // Mid-pixel, as the one-pixel trace of raw samples.
      const x = Math.round(panel.box.x + (blockStart + j * bucket - viewStart - panel.startSample) * pxPerSample) + 0.5;
      path.add(x, panel.baselineY - v[2 * j] * pxPerMv, panel.baselineY - v[2 * j + 1] * pxPerMv);
    }
    path.stroke();
    ctx.fillStyle = PAPER.label;
    ctx.fillText(panel.lead, panel.box.x + layout.pxPerMm, panel.box.y + 4 * layout.pxPerMm);
    if (!panel.rhythm) drawn.push(panel.lead);
  }
  return drawn;
}
