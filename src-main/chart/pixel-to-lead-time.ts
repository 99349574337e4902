// Maps an image-space saliency map back onto lead x time through the chart's sample → pixel map,
// so maps from different layouts (and from signal models) become directly comparable.
//
// Choice: a sample's saliency is the MEAN |saliency| over the pixels drawn for it — the bounding box
// of its line segment to the next sample — dilated by `radius` px (default 1 px, about the line's
// anti-aliasing reach). The mean (not the sum) keeps steep QRS segments, which cover many pixels,
// from dominating just by their length; the dilation picks up gradients next to a 1-px trace.
// A lead drawn twice (grid panel and rhythm strip) keeps the strip in a row of its own after the record's
// leads ('II (rhythm strip)'), so its share is not counted in the lead's; foldRhythmStrips sums the two
// where a per-lead map of the record is wanted. Samples not charted in the layout get 0.
import type { ChartLayout, PanelPixels } from '../../src-shared/chart/chart-layout.ts';
import { rhythmStripRow } from '../../src-shared/saliency-result.ts';

/** The map rows of a layout: the record's leads, then one row per rhythm strip. */
export function leadTimeRows(layout: ChartLayout): string[] {
  return [...layout.recordLeads, ...layout.panels.filter((p) => p.rhythm).map((p) => rhythmStripRow(p.lead))];
}

export interface LeadTimeMap {
  /** rows x samples, row-major: the record's leads in record order, then the rhythm strips (leadTimeRows). */
  map: Float32Array;
  leads: string[];
  samples: number;
}

/** Summed-area table of |values| over an H x W image, (H+1) x (W+1). */
function integralAbs(values: Float32Array, width: number, height: number): Float64Array {
  const w1 = width + 1;
  const sat = new Float64Array(w1 * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += Math.abs(values[y * width + x]);
      sat[(y + 1) * w1 + x + 1] = sat[y * w1 + x + 1] + row;
    }
  }
  return sat;
}

/** `saliency` is H x W row-major (layout.height x layout.width); `pixels` from rasteriseChart/samplePixels. */
export function pixelsToLeadTime(layout: ChartLayout, pixels: readonly PanelPixels[], saliency: Float32Array, radius = 1): LeadTimeMap {
  const { width, height } = layout;
  if (saliency.length !== width * height) {
    throw new Error(`saliency has ${saliency.length} values, chart '${layout.name}' is ${width}x${height}`);
  }
  const sat = integralAbs(saliency, width, height);
  const w1 = width + 1;
  const leads = leadTimeRows(layout);
  const samples = layout.samples;
  const map = new Float32Array(leads.length * samples);
  const row = (panel: PanelPixels['panel']): number => (panel.rhythm ? leads.indexOf(rhythmStripRow(panel.lead)) : panel.leadIndex);
  for (const { panel, xs, ys } of pixels) {
    const base = row(panel) * samples + panel.startSample;
    const n = xs.length;
    for (let i = 0; i < n; i++) {
      const j = i + 1 < n ? i + 1 : i;
      const x0 = Math.max(0, Math.min(xs[i], xs[j]) - radius);
      const x1 = Math.min(width - 1, Math.max(xs[i], xs[j]) + radius);
      const y0 = Math.max(0, Math.min(ys[i], ys[j]) - radius);
      const y1 = Math.min(height - 1, Math.max(ys[i], ys[j]) + radius);
      const sum = sat[(y1 + 1) * w1 + x1 + 1] - sat[y0 * w1 + x1 + 1] - sat[(y1 + 1) * w1 + x0] + sat[y0 * w1 + x0];
      map[base + i] += sum / ((x1 - x0 + 1) * (y1 - y0 + 1));
    }
  }
  return { map, leads, samples };
}
