// ECG chart geometry on standard paper: where each lead panel sits and the exact pixel of every
// plotted sample. Pure and deterministic so main (rasteriser, saliency mapping) and the renderer
// (on-screen drawing) produce identical layouts.

import { LEAD_SETS, isLeadSetSize } from '../lead-sets.ts';
import { STANDARD_LEADS } from '../record.ts';

/** Named layouts: 'RxC' grid filled column by column with the lead set, plus '+LEAD' full-length rhythm strips. */
export const NAMED_LAYOUTS = ['3x4+II', '6x2', '12x1', '6x1', '2x2', '3x1', '2x1'] as const;

export interface ChartOptions {
  /** 'RxC' or 'RxC+LEAD' (e.g. '3x4+II', '6x2', '12x1', '2x2'). */
  layout: string;
  /** Reduced lead set size (12/6/4/3/2) or explicit lead names, in grid order. Default 12. */
  leads?: number | readonly string[];
  /** Replaces the rhythm strip lead(s) named in the layout. */
  rhythmLeads?: readonly string[];
  /** Resolution; 1 px/mm gives a 260 x 110 px 3x4 chart. Default 4. */
  pxPerMm?: number;
  /** Paper speed, default 25 mm/s. */
  mmPerSecond?: number;
  /** Gain, default 10 mm/mV. */
  mmPerMillivolt?: number;
  /** Charted duration; default min(10 s, record). */
  seconds?: number;
  /** Row height; default 25 mm (grids with up to 4 rows incl. rhythm strips), 20 mm (more rows). */
  rowHeightMm?: number;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LeadPanel {
  lead: string;
  /** Index of the lead in the record's lead list. */
  leadIndex: number;
  /** Pixel box of the panel (the trace may overshoot it vertically, as on paper). */
  box: Box;
  /** First plotted sample and one past the last. */
  startSample: number;
  endSample: number;
  /** Pixel row of 0 mV. */
  baselineY: number;
  rhythm: boolean;
}

export interface ChartLayout {
  name: string;
  width: number;
  height: number;
  pxPerMm: number;
  mmPerSecond: number;
  mmPerMillivolt: number;
  samplingRate: number;
  /** Samples charted per lead (the rhythm strip's span). */
  samples: number;
  /** Record lead names, in record order (index space of `leadIndex`). */
  recordLeads: string[];
  panels: LeadPanel[];
  /** One 1 mV x 200 ms calibration pulse per row, as a polyline of pixel points. */
  calibration: { x: number; y: number }[][];
  /** Paper area the grid covers. */
  paper: Box;
}

/** Record shape the layout needs (an EcgRecord fits). */
export interface ChartSource {
  samplingRate: number;
  length: number;
  leads: readonly { name: string }[];
}

const MARGIN_MM = 10; // left margin holding the calibration pulse
const CAL_MS = 200;

function parseLayout(name: string): { rows: number; cols: number; rhythm: string[] } {
  const m = /^(\d+)x(\d+)((?:\+[A-Za-z0-9]+)*)$/.exec(name);
  if (!m) throw new Error(`chart layout '${name}' is not of the form RxC or RxC+LEAD`);
  const rows = Number(m[1]);
  const cols = Number(m[2]);
  if (rows < 1 || cols < 1) throw new Error(`chart layout '${name}' needs at least one row and column`);
  return { rows, cols, rhythm: m[3] ? m[3].slice(1).split('+') : [] };
}

function leadSet(leads: ChartOptions['leads']): readonly string[] {
  if (leads === undefined) return STANDARD_LEADS;
  if (typeof leads === 'number') {
    const set = isLeadSetSize(leads) ? LEAD_SETS[leads] : undefined;
    if (!set) throw new Error(`no ${leads}-lead set (expected one of ${Object.keys(LEAD_SETS).join(', ')})`);
    return set;
  }
  return leads;
}

/** Lays out a record's leads as a chart. Throws when a charted lead is missing from the record. */
export function layoutChart(source: ChartSource, options: ChartOptions): ChartLayout {
  const { rows, cols, rhythm: namedRhythm } = parseLayout(options.layout);
  const pxPerMm = options.pxPerMm ?? 4;
  const mmPerSecond = options.mmPerSecond ?? 25;
  const mmPerMillivolt = options.mmPerMillivolt ?? 10;
  const fs = source.samplingRate;
  const seconds = Math.min(options.seconds ?? 10, source.length / fs);
  const samples = Math.floor(seconds * fs);
  if (samples < cols) throw new Error(`record too short to chart (${source.length} samples)`);
  const gridLeads = leadSet(options.leads);
  if (gridLeads.length > rows * cols) {
    throw new Error(`chart layout '${options.layout}' has ${rows * cols} cells for ${gridLeads.length} leads`);
  }
  const rhythmLeads = options.rhythmLeads ?? namedRhythm;
  const recordLeads = source.leads.map((l) => l.name);
  const indexOf = (lead: string): number => {
    const i = recordLeads.indexOf(lead);
    if (i < 0) throw new Error(`chart layout '${options.layout}': record has no lead ${lead}`);
    return i;
  };
  const totalRows = rows + rhythmLeads.length;
  const rowHeightMm = options.rowHeightMm ?? (totalRows <= 4 ? 25 : 20);
  const rowH = rowHeightMm * pxPerMm;
  const colSamples = Math.floor(samples / cols);
  const colW = (colSamples / fs) * mmPerSecond * pxPerMm;
  const stripW = (samples / fs) * mmPerSecond * pxPerMm;
  const left = MARGIN_MM * pxPerMm;
  const width = Math.ceil(left + Math.max(stripW, colW * cols) + 2 * pxPerMm);
  const height = Math.ceil(totalRows * rowH);

  const panels: LeadPanel[] = [];
  gridLeads.forEach((lead, k) => {
    const col = Math.floor(k / rows);
    const row = k % rows;
    panels.push({
      lead,
      leadIndex: indexOf(lead),
      rhythm: false,
      box: { x: left + col * colW, y: row * rowH, width: colW, height: rowH },
      startSample: col * colSamples,
      endSample: (col + 1) * colSamples,
      baselineY: row * rowH + rowH / 2,
    });
  });
  rhythmLeads.forEach((lead, k) => {
    const row = rows + k;
    panels.push({
      lead,
      leadIndex: indexOf(lead),
      rhythm: true,
      box: { x: left, y: row * rowH, width: stripW, height: rowH },
      startSample: 0,
      endSample: samples,
      baselineY: row * rowH + rowH / 2,
    });
  });

  const calW = (CAL_MS / 1000) * mmPerSecond * pxPerMm;
  const calH = mmPerMillivolt * pxPerMm;
  const calibration = Array.from({ length: totalRows }, (_, r) => {
    const y0 = r * rowH + rowH / 2;
    const x0 = 3 * pxPerMm;
    return [
      { x: x0 - pxPerMm, y: y0 },
      { x: x0, y: y0 },
      { x: x0, y: y0 - calH },
      { x: x0 + calW, y: y0 - calH },
      { x: x0 + calW, y: y0 },
      { x: x0 + calW + pxPerMm, y: y0 },
    ];
  });

  return {
    name: options.layout,
    width,
    height,
    pxPerMm,
    mmPerSecond,
    mmPerMillivolt,
    samplingRate: fs,
    samples,
    recordLeads,
    panels,
    calibration,
    paper: { x: 0, y: 0, width, height },
  };
}

/** Pixel column of a sample in a panel (continuous; the rasteriser rounds it). */
export function sampleX(layout: ChartLayout, panel: LeadPanel, index: number): number {
  return panel.box.x + ((index - panel.startSample) / layout.samplingRate) * layout.mmPerSecond * layout.pxPerMm;
}

/** Pixel row of a value in millivolts in a panel (continuous). */
export function valueY(layout: ChartLayout, panel: LeadPanel, millivolts: number): number {
  return panel.baselineY - millivolts * layout.mmPerMillivolt * layout.pxPerMm;
}

/** Integer pixels of every plotted sample of one panel: xs[i], ys[i] for sample startSample + i. */
export interface PanelPixels {
  panel: LeadPanel;
  xs: Int32Array;
  ys: Int32Array;
}

/**
 * The exact sample → pixel map: for every panel, the pixel each plotted sample is drawn at
 * (rounded, clamped to the image). `millivolts[leadIndex]` is the lead's signal.
 */
export function samplePixels(layout: ChartLayout, millivolts: readonly Float32Array[]): PanelPixels[] {
  return layout.panels.map((panel) => {
    const n = panel.endSample - panel.startSample;
    const xs = new Int32Array(n);
    const ys = new Int32Array(n);
    const signal = millivolts[panel.leadIndex];
    if (!signal) throw new Error(`chart: no signal for lead ${panel.lead} (index ${panel.leadIndex})`);
    for (let i = 0; i < n; i++) {
      const s = panel.startSample + i;
      const v = signal[s];
      xs[i] = clamp(Math.round(sampleX(layout, panel, s)), 0, layout.width - 1);
      ys[i] = clamp(Math.round(valueY(layout, panel, Number.isFinite(v) ? v : 0)), 0, layout.height - 1);
    }
    return { panel, xs, ys };
  });
}

const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);
