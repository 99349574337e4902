// Image-model datasets: records rendered one at a time through the chart input (the renderer explain uses)
// into a byte-per-pixel buffer, so a training set never holds float images.
import { leadMillivolts, type EcgRecord } from '../../src-shared/record.ts';
import { cardRenderOptions, renderChartInput, type ChartInputCard } from '../explain/chart-input.ts';
import { targetsFor } from './input-pipeline.ts';
import type { Dataset } from './train.ts';

/** A stored model's input spec is a chart card when the model reads rendered charts. */
export const isChartCard = (spec: object): spec is ChartInputCard => (spec as { kind?: string }).kind === 'chart';

/** Records as [n, canvas height, canvas width] ink bytes, rendered in one layout. */
export function chartInputs(records: readonly EcgRecord[], card: ChartInputCard, layout: string): Uint8Array {
  const [h, w] = card.canvas;
  const x = new Uint8Array(records.length * h * w);
  const render = cardRenderOptions(card, layout);
  records.forEach((record, i) => {
    const input = renderChartInput(record, record.leads.map(leadMillivolts), render);
    if (input.height !== h || input.width !== w) {
      throw new Error(`record ${record.recordName}: chart ${layout} is ${input.height}x${input.width} px, larger than the model's ${h}x${w} canvas`);
    }
    x.set(input.ink, i * h * w);
  });
  return x;
}

/** Every record in every layout of the card (layouts mixed, record-major): n x layouts examples. */
export function chartDataset(items: readonly { record: EcgRecord; codes: string[] }[], card: ChartInputCard, classes: string[]): Dataset<Uint8Array> {
  const L = card.layouts.length;
  const size = card.canvas[0] * card.canvas[1];
  const x = new Uint8Array(items.length * L * size);
  const y = new Uint8Array(items.length * L * classes.length);
  items.forEach((item, i) => {
    const targets = targetsFor(item.codes, classes);
    card.layouts.forEach((layout, k) => {
      x.set(chartInputs([item.record], card, layout), (i * L + k) * size);
      y.set(targets, (i * L + k) * classes.length);
    });
  });
  return { x, y, n: items.length * L };
}
