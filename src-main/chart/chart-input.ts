// An image model's input: the record rendered as a gray chart by the deterministic rasteriser, as ink
// (paper 0, trace 255), padded right and bottom to the model's canvas so several layouts share one input
// size. Training, predict and explain all render through `renderChartInput`, so the model sees the same
// pixels everywhere, and the sample → pixel map it returns takes image-space saliency back to lead x time.
import {
  layoutChart,
  type ChartLayout,
  type ChartOptions,
  type ChartSource,
  type PanelPixels,
} from '../../src-shared/chart/chart-layout.ts';
import { LEAD_SETS, isLeadSetSize } from '../../src-shared/lead-sets.ts';
import { STANDARD_LEADS } from '../../src-shared/record.ts';
import { rasteriseChart, type RasterOptions } from './chart-raster.ts';

/** The rendering part of an image model's card (stored as its input spec). */
export interface ChartInputCard {
  kind: 'chart';
  /** Layouts the model was trained on; predict uses the first. */
  layouts: string[];
  pxPerMm: number;
  /** Charted lead names, in grid order. */
  leads: string[];
  /** Gray ink on a gray 1/5 mm grid with calibration pulses (the rasteriser's defaults). */
  ink: 'gray';
  grid: boolean;
  calibration: boolean;
  mmPerSecond: number;
  mmPerMillivolt: number;
  /** Charted duration (s); shorter records give a smaller chart, padded. */
  seconds: number;
  /** [height, width] every chart is padded to: the largest training layout. */
  canvas: [number, number];
}

export interface ChartRenderOptions {
  chart: ChartOptions;
  raster?: RasterOptions;
  /** Pad to at least this [height, width]. */
  canvas?: readonly [number, number];
}

export interface ChartInput {
  /** height x width ink, 0 (paper) .. 255 (trace): a byte per pixel keeps training sets small. */
  ink: Uint8Array;
  height: number;
  width: number;
  chart: ChartLayout;
  pixels: PanelPixels[];
}

/** Renders leads (millivolts, in `source.leads` order) as an image model's input. */
export function renderChartInput(source: ChartSource, millivolts: readonly Float32Array[], o: ChartRenderOptions): ChartInput {
  const chart = layoutChart(source, o.chart);
  const { image, pixels } = rasteriseChart(chart, millivolts, { ...o.raster, rgb: false });
  const height = Math.max(chart.height, o.canvas?.[0] ?? 0);
  const width = Math.max(chart.width, o.canvas?.[1] ?? 0);
  const ink = new Uint8Array(height * width);
  for (let y = 0; y < chart.height; y++) {
    for (let x = 0; x < chart.width; x++) ink[y * width + x] = 255 - image.data[y * chart.width + x];
  }
  return { ink, height, width, chart, pixels };
}

/** Ink as model input values in [0, 1], written into `out` from `offset` (a new array when none is given). */
export function inkValues(ink: Uint8Array, out = new Float32Array(ink.length), offset = 0): Float32Array {
  for (let i = 0; i < ink.length; i++) out[offset + i] = ink[i] / 255;
  return out;
}

/** An input-shaped (padded) attribution cropped back to the chart, row-major chart.height x chart.width. */
export function cropToChart(attribution: Float32Array, input: Pick<ChartInput, 'width' | 'chart'>): Float32Array {
  const { chart, width } = input;
  if (width === chart.width) return attribution.subarray(0, chart.height * chart.width);
  const out = new Float32Array(chart.height * chart.width);
  for (let y = 0; y < chart.height; y++) out.set(attribution.subarray(y * width, y * width + chart.width), y * chart.width);
  return out;
}

/** A 10 s 12-lead record shape: layouts are sized and validated on it. */
const TEMPLATE: ChartSource = { samplingRate: 500, length: 5000, leads: STANDARD_LEADS.map((name) => ({ name })) };

/** The card of an image model trained on `layouts`; throws one line for a bad layout, resolution or lead set. */
export function chartInputCard(layouts: readonly string[], pxPerMm: number, leadCount = 12): ChartInputCard {
  if (layouts.length === 0) throw new Error('image models need at least one chart layout (e.g. 3x4+II)');
  if (!(pxPerMm > 0 && pxPerMm <= 8)) throw new Error(`--px-per-mm must be in (0, 8], got ${pxPerMm}`);
  if (!isLeadSetSize(leadCount)) throw new Error(`no ${leadCount}-lead set`);
  const card: ChartInputCard = {
    kind: 'chart',
    layouts: [...layouts],
    pxPerMm,
    leads: [...LEAD_SETS[leadCount]],
    ink: 'gray',
    grid: true,
    calibration: true,
    mmPerSecond: 25,
    mmPerMillivolt: 10,
    seconds: 10,
    canvas: [0, 0],
  };
  const sizes = layouts.map((layout) => layoutChart(TEMPLATE, cardRenderOptions(card, layout).chart));
  return { ...card, canvas: [Math.max(...sizes.map((c) => c.height)), Math.max(...sizes.map((c) => c.width))] };
}

/** The card stored with an image model; models stored before cards carried only pxPerMm (and canvas). */
export function readChartInputCard(spec: Record<string, unknown>): ChartInputCard {
  const s = spec as Partial<ChartInputCard>;
  return {
    kind: 'chart',
    layouts: s.layouts ?? [],
    pxPerMm: Number(s.pxPerMm ?? 2),
    leads: s.leads ?? [...STANDARD_LEADS],
    ink: 'gray',
    grid: s.grid ?? true,
    calibration: s.calibration ?? true,
    mmPerSecond: s.mmPerSecond ?? 25,
    mmPerMillivolt: s.mmPerMillivolt ?? 10,
    seconds: s.seconds ?? 10,
    canvas: s.canvas ?? [0, 0],
  };
}

/** How a card renders a record in one layout. */
export function cardRenderOptions(card: ChartInputCard, layout: string): ChartRenderOptions {
  return {
    chart: {
      layout,
      pxPerMm: card.pxPerMm,
      leads: card.leads,
      mmPerSecond: card.mmPerSecond,
      mmPerMillivolt: card.mmPerMillivolt,
      seconds: card.seconds,
    },
    raster: { grid: card.grid, calibration: card.calibration },
    canvas: card.canvas,
  };
}
