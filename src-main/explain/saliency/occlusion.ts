// Occlusion / feature ablation over lead x time windows for any model (tfjs, ONNX, image models behind
// a renderer): each window of each lead is replaced by the baseline and the drop of the target class
// probability, |p(x) - p(x occluded)|, is spread over the window's samples (averaged where windows overlap).
import * as tf from '@tensorflow/tfjs-core';
import { inkValues, renderChartInput, type ChartRenderOptions } from '../../chart/chart-input.ts';
import { signalImageInput, type SignalImageCard } from '../../chart/signal-image-input.ts';
import { makeBaseline, type BaselineKind } from './baselines.ts';
import type { TfClassifier } from './classifier.ts';
import type { SaliencyResult } from '../../../src-shared/saliency-result.ts';

/** Class scores for a batch of records, each given as its leads (record order). */
export type PredictBatch = (batch: Float32Array[][]) => Promise<Float32Array[]>;

export interface OcclusionInput {
  modelId: string;
  predict: PredictBatch;
  /** Leads as `predict` takes them. */
  signals: readonly Float32Array[];
  leads: readonly string[];
  preprocessing?: string;
  layout?: string | null;
}

export interface OcclusionOptions {
  targetClass?: number;
  /** Window length in samples, default 250 (0.5 s at 500 Hz). */
  window?: number;
  /** Step between windows, default = window. */
  stride?: number;
  baseline?: BaselineKind;
  /** Occluded copies per predict call. */
  batch?: number;
}

export async function occlusion(input: OcclusionInput, o: OcclusionOptions = {}): Promise<SaliencyResult> {
  const L = input.signals.length;
  const T = input.signals[0].length;
  const win = Math.min(o.window ?? 250, T);
  const stride = o.stride ?? win;
  const kind = o.baseline ?? 'zeros';
  const [reference] = await input.predict([input.signals.slice()]);
  const targetClass = o.targetClass ?? reference.indexOf(Math.max(...reference));
  const fills = input.signals.map((s) => makeBaseline(kind, s, [T, 1], [0]));
  const jobs: { lead: number; start: number }[] = [];
  for (let l = 0; l < L; l++) {
    for (let start = 0; start < T; start += stride) {
      jobs.push({ lead: l, start });
      if (start + win >= T) break;
    }
  }
  const sum = new Float32Array(L * T);
  const hits = new Uint16Array(L * T);
  const chunk = o.batch ?? 16;
  for (let j = 0; j < jobs.length; j += chunk) {
    const part = jobs.slice(j, j + chunk);
    const batch = part.map(({ lead, start }) => {
      const copy = input.signals.slice();
      const occluded = input.signals[lead].slice();
      occluded.set(fills[lead].subarray(start, Math.min(T, start + win)), start);
      copy[lead] = occluded;
      return copy;
    });
    const scores = await input.predict(batch);
    part.forEach(({ lead, start }, k) => {
      const delta = Math.abs(reference[targetClass] - scores[k][targetClass]);
      for (let t = start; t < Math.min(T, start + win); t++) {
        sum[lead * T + t] += delta;
        hits[lead * T + t]++;
      }
    });
  }
  for (let i = 0; i < sum.length; i++) if (hits[i] > 0) sum[i] /= hits[i];
  return {
    map: sum,
    leads: input.leads.slice(),
    samples: T,
    provenance: {
      model: input.modelId,
      method: 'occlusion',
      baseline: kind,
      targetClass,
      layer: null,
      preprocessing: input.preprocessing ?? 'none',
      layout: input.layout ?? null,
      seed: null,
      params: { window: win, stride },
    },
  };
}

/** PredictBatch for a tfjs signal model reading [batch, samples, leads]. */
export function tfSignalPredict(model: TfClassifier): PredictBatch {
  return async (batch) => {
    const L = batch[0].length;
    const T = batch[0][0].length;
    const data = new Float32Array(batch.length * T * L);
    batch.forEach((leads, b) => {
      for (let l = 0; l < L; l++) for (let t = 0; t < T; t++) data[(b * T + t) * L + l] = leads[l][t];
    });
    return runModel(model, data, [batch.length, T, L]);
  };
}

/** PredictBatch for a tfjs image model reading the rendered chart [batch, H, W, 1] (leads in millivolts). */
export function tfChartPredict(
  model: TfClassifier,
  leads: readonly string[],
  samplingRate: number,
  render: ChartRenderOptions,
): PredictBatch {
  return async (batch) => {
    const source = { samplingRate, length: batch[0][0].length, leads: leads.map((name) => ({ name })) };
    const inputs = batch.map((mv) => renderChartInput(source, mv, render));
    const { height, width } = inputs[0];
    const data = new Float32Array(batch.length * height * width);
    inputs.forEach((input, b) => inkValues(input.ink, data, b * height * width));
    return runModel(model, data, [batch.length, height, width, 1]);
  };
}

/** PredictBatch for a tfjs image model reading signal images [batch, size, size, leads] (leads already preprocessed). */
export function tfSignalImagePredict(model: TfClassifier, card: SignalImageCard): PredictBatch {
  return async (batch) => {
    const size = card.size * card.size * card.leads.length;
    const data = new Float32Array(batch.length * size);
    batch.forEach((leads, b) => signalImageInput(leads, card, data, b * size));
    return runModel(model, data, [batch.length, card.size, card.size, card.leads.length]);
  };
}

function runModel(model: TfClassifier, data: Float32Array, shape: number[]): Float32Array[] {
  const flat = tf.tidy(() => model.forward(tf.tensor(data, shape)).dataSync() as Float32Array);
  const classes = flat.length / shape[0];
  return Array.from({ length: shape[0] }, (_, b) => flat.slice(b * classes, (b + 1) * classes));
}
