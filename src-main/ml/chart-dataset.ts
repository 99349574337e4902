// Image-model datasets: records rendered one at a time through the chart input (the renderer explain uses)
// straight into a byte-per-pixel buffer, so a training set never holds float images.
import { leadMillivolts, type EcgRecord } from '../../src-shared/record.ts';
import { cardRenderOptions, renderChartInput, type ChartInputCard, type ChartRenderOptions } from '../chart/chart-input.ts';
import { targetsFor } from './input-pipeline.ts';
import type { Dataset } from './train.ts';

/** Renders `record` as the card's input image into `out` from `offset`; a chart larger than the canvas is an error. */
function renderInto(
  out: Uint8Array,
  offset: number,
  record: EcgRecord,
  card: ChartInputCard,
  layout: string,
  render: ChartRenderOptions,
): void {
  const [h, w] = card.canvas;
  const input = renderChartInput(record, record.leads.map(leadMillivolts), render);
  if (input.height !== h || input.width !== w) {
    throw new Error(
      `record ${record.recordName}: chart ${layout} is ${input.height}x${input.width} px, larger than the model's ${h}x${w} canvas`,
    );
  }
  out.set(input.ink, offset);
}

/** Records as [n, canvas height, canvas width] ink bytes, rendered in one layout. */
export function chartInputs(records: readonly EcgRecord[], card: ChartInputCard, layout: string): Uint8Array {
  const size = card.canvas[0] * card.canvas[1];
  const x = new Uint8Array(records.length * size);
  const render = cardRenderOptions(card, layout);
  records.forEach((record, i) => renderInto(x, i * size, record, card, layout, render));
  return x;
}

/** Every record in every layout of the card (layouts mixed, record-major): n x layouts examples. */
export function chartDataset(
  items: readonly { record: EcgRecord; codes: string[] }[],
  card: ChartInputCard,
  classes: string[],
): Dataset<Uint8Array> {
  const L = card.layouts.length;
  const size = card.canvas[0] * card.canvas[1];
  const renders = card.layouts.map((layout) => cardRenderOptions(card, layout));
  const x = new Uint8Array(items.length * L * size);
  const y = new Uint8Array(items.length * L * classes.length);
  items.forEach((item, i) => {
    const targets = targetsFor(item.codes, classes);
    card.layouts.forEach((layout, k) => {
      renderInto(x, (i * L + k) * size, item.record, card, layout, renders[k]);
      y.set(targets, (i * L + k) * classes.length);
    });
  });
  return { x, y, n: items.length * L };
}
