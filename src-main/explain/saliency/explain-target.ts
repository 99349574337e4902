// What a gradient method explains: a tfjs model, the record as that model's input, and the way back
// from an input-shaped attribution to lead x time. Signal models read [1, samples, leads];
// image models read the rendered chart as [1, height, width, 1] ink intensity.
import * as tf from '@tensorflow/tfjs-core';
import type { TfClassifier } from './classifier.ts';
import type { ChartLayout, ChartOptions, PanelPixels } from '../../../src-shared/chart/chart-layout.ts';
import type { RasterOptions } from '../../chart/chart-raster.ts';
import { cropToChart, inkValues, renderChartInput } from '../../chart/chart-input.ts';
import { leadTimeRows, pixelsToLeadTime } from '../../chart/pixel-to-lead-time.ts';
import { signalImageAttributionToTime, signalImageInput, type SignalImageCard } from '../../chart/signal-image-input.ts';

export interface ExplainTarget {
  model: TfClassifier;
  preprocessing: string;
  layout: string | null;
  leads: string[];
  samples: number;
  /** Model input without the batch axis. */
  inputShape: number[];
  /** The record as model input, batch axis omitted. */
  input: Float32Array;
  /** Smoothing axes for the 'blurred' baseline and the noise scale: spatial axes of inputShape. */
  spatialAxes: number[];
  /** Input-shaped attribution → non-negative lead x time map. */
  toLeadTime(attribution: Float32Array): Float32Array;
}

export interface SignalTargetOptions {
  model: TfClassifier;
  /** Leads as the model reads them (already preprocessed), in record order. */
  signals: readonly Float32Array[];
  leads: readonly string[];
  preprocessing?: string;
}

/** A model reading [samples, leads] directly. */
export function signalTarget(o: SignalTargetOptions): ExplainTarget {
  const L = o.signals.length;
  const T = o.signals[0]?.length ?? 0;
  if (L === 0 || o.signals.some((s) => s.length !== T)) throw new Error('signal target: leads must be non-empty and of equal length');
  const input = new Float32Array(T * L);
  for (let l = 0; l < L; l++) for (let t = 0; t < T; t++) input[t * L + l] = o.signals[l][t];
  return {
    model: o.model,
    preprocessing: o.preprocessing ?? 'none',
    layout: null,
    leads: o.leads.slice(),
    samples: T,
    inputShape: [T, L],
    input,
    spatialAxes: [0],
    toLeadTime(a) {
      const map = new Float32Array(L * T);
      for (let t = 0; t < T; t++) for (let l = 0; l < L; l++) map[l * T + t] = Math.abs(a[t * L + l]);
      return map;
    },
  };
}

export interface ChartTargetOptions {
  model: TfClassifier;
  /** Leads in millivolts, record order. */
  millivolts: readonly Float32Array[];
  leads: readonly string[];
  samplingRate: number;
  chart: ChartOptions;
  raster?: RasterOptions;
  /** The image model's input [height, width] (charts are padded to it). */
  canvas?: readonly [number, number];
  /** Neighbourhood radius (px) for mapping pixels back to samples. */
  radius?: number;
}

/** Renders the chart the way the image model was trained on it; mapping back goes through the sample → pixel map. */
export function chartTarget(o: ChartTargetOptions): ExplainTarget & { chart: ChartLayout; pixels: PanelPixels[] } {
  const source = { samplingRate: o.samplingRate, length: o.millivolts[0].length, leads: o.leads.map((name) => ({ name })) };
  const input = renderChartInput(source, o.millivolts, { chart: o.chart, raster: o.raster, canvas: o.canvas });
  const { chart, pixels } = input;
  return {
    model: o.model,
    preprocessing: `chart ${chart.pxPerMm}px/mm ink`,
    layout: chart.name,
    // The record's leads, then the rhythm strips as rows of their own ('II (rhythm strip)').
    leads: leadTimeRows(chart),
    samples: chart.samples,
    inputShape: [input.height, input.width, 1],
    input: inkValues(input.ink),
    spatialAxes: [0, 1],
    chart,
    pixels,
    toLeadTime: (a) => pixelsToLeadTime(chart, pixels, cropToChart(a, input), o.radius ?? 1).map,
  };
}

/**
 * A model reading the leads as signal images stacked as channels [size, size, leads]; an attribution goes back to
 * lead x time through each channel's row and column marginals (the pixel (i, j) involves time points i and j).
 */
export function signalImageTarget(o: {
  model: TfClassifier;
  signals: readonly Float32Array[];
  card: SignalImageCard;
  preprocessing: string;
}): ExplainTarget {
  const { card } = o;
  return {
    model: o.model,
    preprocessing: o.preprocessing,
    layout: null,
    leads: card.leads.slice(),
    samples: card.signal.samples,
    inputShape: [card.size, card.size, card.leads.length],
    input: signalImageInput(o.signals, card),
    spatialAxes: [0, 1],
    toLeadTime: (a) => signalImageAttributionToTime(a, card),
  };
}

/** Sum over the batch of output[:, targetClass], the scalar a gradient method differentiates. */
export function classScore(scores: tf.Tensor, targetClass: number): tf.Scalar {
  return tf.sum(tf.slice(scores, [0, targetClass], [scores.shape[0], 1]));
}

/** The model's predicted class for the target input (argmax). */
export function predictedClass(target: ExplainTarget): number {
  return tf.tidy(() => {
    const out = target.model.forward(tf.tensor(target.input, [1, ...target.inputShape]));
    return tf.argMax(out, 1).dataSync()[0];
  });
}

/** Input as a batch-1 tensor. */
export const inputTensor = (target: ExplainTarget): tf.Tensor => tf.tensor(target.input, [1, ...target.inputShape]);
