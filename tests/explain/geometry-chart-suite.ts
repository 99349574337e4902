// THE geometry test, chart half (image models on rendered charts; the signal half is geometry-signal.test.ts): models whose output depends on lead V2 in one time window only must get every
// method's saliency on V2 and that window after mapping back — for signal models directly and for an
// image model reading the rendered chart in every layout. The image model's mask is placed from paper
// arithmetic written out here (not from layoutChart), so a layout that puts V2 in the wrong panel or
// column, or a sample → pixel map off by a panel, fails.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { readWfdbRecord } from '../../src-main/formats/wfdb-record.ts';
import { leadMillivolts, type EcgRecord } from '../../src-shared/record.ts';
import { chartTarget, type ExplainTarget } from '../../src-main/explain/saliency/explain-target.ts';
import { layersClassifier } from '../../src-main/explain/saliency/classifier.ts';
import { vanillaGradient } from '../../src-main/explain/saliency/vanilla-gradient.ts';
import { gradientXInput } from '../../src-main/explain/saliency/gradient-x-input.ts';
import { integratedGradients } from '../../src-main/explain/saliency/integrated-gradients.ts';
import { smoothGrad } from '../../src-main/explain/saliency/smoothgrad.ts';
import { gradCam } from '../../src-main/explain/saliency/grad-cam.ts';
import { guidedBackprop } from '../../src-main/explain/saliency/guided-backprop.ts';
import { guidedGradCam } from '../../src-main/explain/saliency/guided-grad-cam.ts';
import { occlusion, tfChartPredict } from '../../src-main/explain/saliency/occlusion.ts';
import type { SaliencyResult } from '../../src-shared/saliency-result.ts';
import { dataPath } from '../helpers/shared-data.ts';
import { windowImageModel } from './geometry-models.ts';

const V2 = 7;
let record: EcgRecord;
let mv: Float32Array[];

/** Share of the map's mass on `lead`, and on that lead within [start - tol, end + tol). */
function placement(r: SaliencyResult, lead: number, start: number, end: number, tol: number) {
  let total = 0;
  let onLead = 0;
  let inWindow = 0;
  for (let l = 0; l < r.leads.length; l++) {
    for (let t = 0; t < r.samples; t++) {
      const v = r.map[l * r.samples + t];
      total += v;
      if (l === lead) {
        onLead += v;
        if (t >= start - tol && t < end + tol) inWindow += v;
      }
    }
  }
  return { total, lead: onLead / total, window: inWindow / total };
}

type Method = (t: ExplainTarget) => SaliencyResult;
const GRADIENT_METHODS: Record<string, Method> = {
  'vanilla-gradient': (t) => vanillaGradient(t, { targetClass: 0 }),
  'gradient-x-input': (t) => gradientXInput(t, { targetClass: 0 }),
  'integrated-gradients/zeros': (t) => integratedGradients(t, { targetClass: 0, baseline: 'zeros', steps: 8 }),
  'integrated-gradients/mean': (t) => integratedGradients(t, { targetClass: 0, baseline: 'mean', steps: 8 }),
  'integrated-gradients/blurred': (t) => integratedGradients(t, { targetClass: 0, baseline: 'blurred', steps: 8 }),
  smoothgrad: (t) => smoothGrad(t, { targetClass: 0, samples: 8, seed: 7 }),
  'grad-cam': (t) => gradCam(t, { targetClass: 0 }),
  'guided-backprop': (t) => guidedBackprop(t, { targetClass: 0 }),
  'guided-grad-cam': (t) => guidedGradCam(t, { targetClass: 0 }),
};

// Paper arithmetic, independent of layoutChart: 25 mm/s, 10 mm left margin, row height 25 mm for
// charts of up to 4 rows (incl. rhythm strips) and 20 mm otherwise; grid cells filled column-major.
const PX_PER_MM = 1; // small images keep the cpu backend fast; a panel is still 62 x 25 px
const LAYOUTS: { layout: string; leads?: number; row: number; col: number; cols: number; rowMm: number }[] = [
  { layout: '3x4+II', row: 1, col: 2, cols: 4, rowMm: 25 }, // I aVR V1 V4 / II aVL V2 V5 / III aVF V3 V6 / II
  { layout: '6x2', row: 1, col: 1, cols: 2, rowMm: 20 }, // limb leads left, V1-V6 right
  { layout: '12x1', row: 7, col: 0, cols: 1, rowMm: 20 },
  { layout: '2x2', leads: 4, row: 1, col: 1, cols: 2, rowMm: 25 }, // I III / II V2
];

/** Defines the chart geometry tests for the named layouts (split over two files to keep each short). */
export function chartGeometrySuite(names: string[]): void {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    record = await readWfdbRecord(dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01', '010', 'JS00001.hea'));
    mv = record.leads.map(leadMillivolts);
  });
  describe.each(LAYOUTS.filter((l) => names.includes(l.layout)))(
    'image model reading V2 in the $layout chart',
    ({ layout, leads, row, col, cols, rowMm }) => {
      const colSamples = 5000 / cols;
      const start = col * colSamples + 250; // 0.5 s into V2's column, 0.4 s long
      const end = start + 200;
      const mmX = (s: number): number => 10 + (s / 500) * 25; // columns follow time, so x depends on the sample only
      const box = {
        x0: Math.round(mmX(start) * PX_PER_MM),
        x1: Math.round(mmX(end) * PX_PER_MM),
        y0: Math.round(row * rowMm * PX_PER_MM),
        y1: Math.round((row + 1) * rowMm * PX_PER_MM),
      };
      let target: ReturnType<typeof chartTarget>;
      beforeAll(() => {
        const probe = chartTarget({
          model: layersClassifier(windowImageModel(1, 1, { x0: 0, x1: 0, y0: 0, y1: 0 })),
          millivolts: mv,
          leads: record.leads.map((l) => l.name),
          samplingRate: 500,
          chart: { layout, leads, pxPerMm: PX_PER_MM },
        });
        const [h, w] = probe.inputShape;
        target = { ...probe, model: layersClassifier(windowImageModel(h, w, box), `window-image-${layout}`) };
      });
      for (const [name, method] of Object.entries(GRADIENT_METHODS)) {
        it(`${name} maps back onto V2 in the window`, () => {
          const r = method(target);
          const p = placement(r, V2, start, end, 50);
          expect(p.total).toBeGreaterThan(0);
          expect(p.lead).toBeGreaterThan(0.9);
          expect(p.window).toBeGreaterThan(0.9);
          expect(r.provenance.layout).toBe(layout);
        });
      }
      it('occlusion (re-rendering each occluded copy) maps onto V2 in the window', async () => {
        const names = record.leads.map((l) => l.name);
        const r = await occlusion(
          {
            modelId: target.model.id,
            predict: tfChartPredict(target.model, names, 500, { chart: { layout, leads, pxPerMm: PX_PER_MM } }),
            signals: mv,
            leads: names,
            layout,
          },
          { targetClass: 0, window: 500, batch: 40 },
        );
        // Neighbouring rows' traces can cross V2's band on paper (tall V1/V3 complexes), and occluding them
        // really changes what the model reads; so: the strongest cell is V2 in the window, and most mass is there.
        const peak = r.map.indexOf(Math.max(...r.map));
        expect(Math.floor(peak / r.samples)).toBe(V2);
        expect(Math.abs((peak % r.samples) - (start + end) / 2)).toBeLessThan(500);
        const p = placement(r, V2, start, end, 500);
        expect(p.lead).toBeGreaterThan(0.6);
        expect(p.window).toBeGreaterThan(0.6);
      });
    },
  );
}
