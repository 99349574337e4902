// THE geometry test (signal models; the chart half is geometry-chart.test.ts): models whose output depends on lead V2 in one time window only must get every
// method's saliency on V2 and that window after mapping back — for signal models directly and for an
// image model reading the rendered chart in every layout. The image model's mask is placed from paper
// arithmetic written out here (not from layoutChart), so a layout that puts V2 in the wrong panel or
// column, or a sample → pixel map off by a panel, fails.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { readWfdbRecord } from '../../src-main/formats/wfdb-record.ts';
import { leadMillivolts, type EcgRecord } from '../../src-shared/record.ts';
import { signalTarget, type ExplainTarget } from '../../src-main/explain/saliency/explain-target.ts';
import { ecgClassifier } from '../../src-main/explain/saliency/classifier.ts';
import { vanillaGradient } from '../../src-main/explain/saliency/vanilla-gradient.ts';
import { gradientXInput } from '../../src-main/explain/saliency/gradient-x-input.ts';
import { integratedGradients } from '../../src-main/explain/saliency/integrated-gradients.ts';
import { smoothGrad } from '../../src-main/explain/saliency/smoothgrad.ts';
import { gradCam } from '../../src-main/explain/saliency/grad-cam.ts';
import { guidedBackprop } from '../../src-main/explain/saliency/guided-backprop.ts';
import { guidedGradCam } from '../../src-main/explain/saliency/guided-grad-cam.ts';
import { occlusion, tfSignalPredict } from '../../src-main/explain/saliency/occlusion.ts';
import type { SaliencyResult } from '../../src-shared/saliency-result.ts';
import { dataPath } from '../helpers/shared-data.ts';
import { windowSignalModel } from './geometry-models.ts';

const V2 = 7;
let record: EcgRecord;
let mv: Float32Array[];

beforeAll(async () => {
  await tf.setBackend('cpu');
  record = await readWfdbRecord(dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01', '010', 'JS00001.hea'));
  mv = record.leads.map(leadMillivolts);
});

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

describe('signal model reading V2 samples 1000-1200', () => {
  const start = 1000;
  const end = 1200;
  const target = (): ExplainTarget => {
    const model = windowSignalModel(record.length, 12, V2, start, end);
    return signalTarget({ model: ecgClassifier(model, 'window-v2'), signals: mv, leads: record.leads.map((l) => l.name) });
  };
  for (const [name, method] of Object.entries(GRADIENT_METHODS)) {
    it(`${name} puts the saliency on V2 1000-1200`, () => {
      const r = method(target());
      const p = placement(r, V2, start, end, 0);
      expect(p.total).toBeGreaterThan(0);
      expect(p.lead).toBeGreaterThan(0.99);
      expect(p.window).toBeGreaterThan(0.99);
      expect(r.provenance.model).toBe('window-v2');
      expect(r.provenance.targetClass).toBe(0);
    });
  }
  it('occlusion puts the saliency on V2 around 1000-1200', async () => {
    const model = ecgClassifier(windowSignalModel(record.length, 12, V2, start, end), 'window-v2');
    const r = await occlusion(
      { modelId: model.id, predict: tfSignalPredict(model), signals: mv, leads: record.leads.map((l) => l.name) },
      { targetClass: 0, window: 500, batch: 40 },
    );
    const p = placement(r, V2, start, end, 300); // the 500-sample window from 1000 reaches 1500
    expect(p.lead).toBe(1);
    expect(p.window).toBe(1);
  });
  it('is reproducible: the same seed gives the same SmoothGrad map, another seed a different one', () => {
    const a = smoothGrad(target(), { targetClass: 0, samples: 4, seed: 3 });
    const b = smoothGrad(target(), { targetClass: 0, samples: 4, seed: 3 });
    const c = smoothGrad(target(), { targetClass: 0, samples: 4, seed: 4 });
    expect(Buffer.from(a.map.buffer).equals(Buffer.from(b.map.buffer))).toBe(true);
    expect(Buffer.from(a.map.buffer).equals(Buffer.from(c.map.buffer))).toBe(false);
  });
});
