// Deterministic rasteriser for chart layouts: integer Bresenham lines on an 8-bit image, no canvas,
// so it runs the same in tests, workers and the CLI, and image models see exactly what the geometry says.
import { samplePixels, type ChartLayout, type PanelPixels } from '../../src-shared/chart/chart-layout.ts';

export interface ChartImage {
  width: number;
  height: number;
  /** 1 = gray, 3 = RGB. */
  channels: 1 | 3;
  /** Row-major pixels; white paper is 255. */
  data: Uint8Array;
}

export interface RasterOptions {
  /** Draw the 1 mm / 5 mm grid. Default true. */
  grid?: boolean;
  /** RGB with the usual red paper grid instead of gray. Default false. */
  rgb?: boolean;
  /** Draw the calibration pulses. Default true. */
  calibration?: boolean;
}

type Colour = readonly [number, number, number];
const INK: Colour = [0, 0, 0];
const GRAY_MINOR: Colour = [225, 225, 225];
const GRAY_MAJOR: Colour = [190, 190, 190];
const RED_MINOR: Colour = [255, 214, 214];
const RED_MAJOR: Colour = [240, 150, 150];

function setPixel(img: ChartImage, x: number, y: number, c: Colour): void {
  if (x < 0 || y < 0 || x >= img.width || y >= img.height) return;
  const i = (y * img.width + x) * img.channels;
  if (img.channels === 1) img.data[i] = c[0];
  else {
    img.data[i] = c[0];
    img.data[i + 1] = c[1];
    img.data[i + 2] = c[2];
  }
}

/** Bresenham line between integer pixels, both ends included. */
export function drawLine(img: ChartImage, x0: number, y0: number, x1: number, y1: number, c: Colour = INK): void {
  const dx = Math.abs(x1 - x0);
  const dy = -Math.abs(y1 - y0);
  const sx = x0 < x1 ? 1 : -1;
  const sy = y0 < y1 ? 1 : -1;
  let err = dx + dy;
  for (;;) {
    setPixel(img, x0, y0, c);
    if (x0 === x1 && y0 === y1) return;
    const e2 = 2 * err;
    if (e2 >= dy) {
      err += dy;
      x0 += sx;
    }
    if (e2 <= dx) {
      err += dx;
      y0 += sy;
    }
  }
}

function drawGrid(img: ChartImage, layout: ChartLayout, rgb: boolean): void {
  const minor = rgb ? RED_MINOR : GRAY_MINOR;
  const major = rgb ? RED_MAJOR : GRAY_MAJOR;
  const mm = layout.pxPerMm;
  // Minor lines first so major lines win where they coincide.
  for (const [step, colour] of [
    [1, minor],
    [5, major],
  ] as const) {
    for (let k = 0; k * step * mm < img.width; k++) {
      const x = Math.round(k * step * mm);
      for (let y = 0; y < img.height; y++) setPixel(img, x, y, colour);
    }
    for (let k = 0; k * step * mm < img.height; k++) {
      const y = Math.round(k * step * mm);
      for (let x = 0; x < img.width; x++) setPixel(img, x, y, colour);
    }
  }
}

/** Draws the traces of already mapped samples (consecutive samples joined by lines). */
export function drawTraces(img: ChartImage, pixels: readonly PanelPixels[]): void {
  for (const { xs, ys } of pixels) {
    if (xs.length === 1) setPixel(img, xs[0], ys[0], INK);
    for (let i = 1; i < xs.length; i++) drawLine(img, xs[i - 1], ys[i - 1], xs[i], ys[i]);
  }
}

/**
 * Renders a record's leads (millivolts, record lead order) in a layout. Returns the image and the
 * sample → pixel map it was drawn from.
 */
export function rasteriseChart(
  layout: ChartLayout,
  millivolts: readonly Float32Array[],
  options: RasterOptions = {},
): { image: ChartImage; pixels: PanelPixels[] } {
  const channels = options.rgb ? 3 : 1;
  const image: ChartImage = {
    width: layout.width,
    height: layout.height,
    channels,
    data: new Uint8Array(layout.width * layout.height * channels).fill(255),
  };
  if (options.grid ?? true) drawGrid(image, layout, channels === 3);
  if (options.calibration ?? true) {
    for (const line of layout.calibration) {
      for (let i = 1; i < line.length; i++) {
        drawLine(image, Math.round(line[i - 1].x), Math.round(line[i - 1].y), Math.round(line[i].x), Math.round(line[i].y));
      }
    }
  }
  const pixels = samplePixels(layout, millivolts);
  drawTraces(image, pixels);
  return { image, pixels };
}
