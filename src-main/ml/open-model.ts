// The one way to open a stored model: its input read into a typed spec (signal or chart), its weights loaded into
// the runtime that serves it, and one scorer (records -> class probabilities) that predict, evaluate, the training
// run's test split and the model review all go through, so their numbers come from the same runtime.
import type { Database } from 'better-sqlite3';
import type { EcgRecord } from '../../src-shared/record.ts';
import { readChartInputCard, type ChartInputCard } from '../chart/chart-input.ts';
import { readSignalImageCard, type SignalImageCard } from '../chart/signal-image-input.ts';
import { getModel, type StoredModelInfo } from '../store/model-store.ts';
import { activeBackend, initBackend } from './backend.ts';
import { chartInputs } from './chart-dataset.ts';
import { inputMismatch, missingLeadsReason, readInputSpec, recordToInput, type InputSpec } from './input-pipeline.ts';
import { deserializeWeights } from './model-weights.ts';
import type { EcgModel } from './models/model.ts';
import { exportSmallCnnOnnx, exportedCard } from './onnx-export.ts';
import { loadOnnxModel, onnxInputSpec, parseModelCard, runOnnx, type OnnxModel } from './onnx-model.ts';
import { signalImageInputs, signalImageSpec } from './signal-image-dataset.ts';
import { predictProbabilities } from './train.ts';

export interface SignalInput {
  kind: 'signal';
  spec: InputSpec;
}
export interface ChartInput {
  kind: 'chart';
  card: ChartInputCard;
}
export interface SignalImageInput {
  kind: 'signal-image';
  card: SignalImageCard;
}
/**
 * What a model reads: the record's signals through the input pipeline, the record rendered as a chart, or its leads
 * turned into signal images (GAF, MTF, recurrence plot) stacked as channels.
 */
export type ModelInput = SignalInput | ChartInput | SignalImageInput;

/** A model ready to run: LeadLens-trained (tfjs) or imported (ONNX, which always reads signals). */
export type RuntimeModel =
  | { kind: 'tfjs'; classes: string[]; input: ModelInput; model: EcgModel }
  | { kind: 'onnx'; classes: string[]; input: SignalInput; onnx: OnnxModel };

export type OpenedModel = RuntimeModel & { info: StoredModelInfo; weights: Uint8Array };

/** Image models are the architecture that reads images (charts or signal images); everything else reads signals. */
export const readsImages = (architecture: string): boolean => architecture === 'image-cnn';

/** The stored input (JSON) of a LeadLens-trained model, typed. Image models stored before signal images read charts. */
export function readModelInput(architecture: string, stored: Record<string, unknown>, where: string): ModelInput {
  if (!readsImages(architecture)) return { kind: 'signal', spec: readInputSpec(stored, where) };
  return stored.kind === 'signal-image'
    ? { kind: 'signal-image', card: readSignalImageCard(stored, where) }
    : { kind: 'chart', card: readChartInputCard(stored) };
}

/** The input spec stored with a model: its card or the signal spec (ONNX models store their model card). */
export const storedInput = (input: ModelInput): InputSpec | ChartInputCard | SignalImageCard =>
  input.kind === 'signal' ? input.spec : input.card;

/** Opens stored model `id`; throws one line when it does not exist or its weights or card do not load. */
export async function openModel(db: Database, id: number): Promise<OpenedModel> {
  const { weights, ...info } = getModel(db, id);
  const where = `model ${id}`;
  if (info.kind === 'onnx') {
    const onnx = await loadOnnxModel(weights, parseModelCard(info.inputSpec, `${where} card`));
    return { kind: 'onnx', info, weights, classes: info.classes, input: { kind: 'signal', spec: onnxInputSpec(onnx.card) }, onnx };
  }
  await initBackend();
  const model = deserializeWeights(weights, where);
  return { kind: 'tfjs', info, weights, classes: info.classes, input: readModelInput(info.architecture, info.inputSpec, where), model };
}

/** Why `record` cannot be scored by a model reading `input` (e.g. the leads it lacks), or undefined when it can. */
export function recordMismatch(record: EcgRecord, input: ModelInput): string | undefined {
  if (input.kind === 'chart') return missingLeadsReason(record, input.card.leads);
  return inputMismatch(record, input.kind === 'signal-image' ? signalImageSpec(input.card) : input.spec);
}

export interface ModelScorer {
  /** The runtime the probabilities come from. */
  runtime: string;
  classes: string[];
  /** Class probabilities, records x classes. */
  predict(records: readonly EcgRecord[]): Promise<Float32Array>;
}

/** How a model scores records. Image models trained on several layouts predict from their first. */
export async function modelScorer(m: RuntimeModel): Promise<ModelScorer> {
  const classes = m.classes;
  if (m.kind === 'onnx') {
    const spec = m.input.spec;
    return {
      runtime: 'onnxruntime-node',
      classes,
      predict: (records) =>
        runOnnx(
          m.onnx,
          records.map((r) => recordToInput(r, spec)),
        ),
    };
  }
  await initBackend();
  const model = m.model;
  const runtime = activeBackend()?.name ?? 'unknown';
  const input = m.input;
  if (input.kind === 'chart') {
    return {
      runtime,
      classes,
      predict: async (records) => predictProbabilities(model, chartInputs(records, input.card, input.card.layouts[0]), records.length),
    };
  }
  if (input.kind === 'signal-image') {
    return {
      runtime,
      classes,
      predict: async (records) => predictProbabilities(model, signalImageInputs(records, input.card), records.length),
    };
  }
  const spec = input.spec;
  if (model.spec.arch === 'small-cnn') {
    // The exported ONNX graph in onnxruntime runs several times faster than tfjs-wasm.
    const onnx = await loadOnnxModel(
      exportSmallCnnOnnx(model),
      exportedCard(model, classes, spec.samplingRate, spec.leads, { zscore: spec.zscore !== false, bandpass: spec.bandpass ?? null }),
    );
    return {
      runtime: 'onnxruntime-node',
      classes,
      predict: (records) =>
        runOnnx(
          onnx,
          records.map((r) => recordToInput(r, spec)),
        ),
    };
  }
  return {
    runtime,
    classes,
    predict: async (records) => {
      const size = spec.samples * spec.leads.length;
      const x = new Float32Array(records.length * size);
      records.forEach((r, i) => x.set(recordToInput(r, spec), i * size));
      return predictProbabilities(model, x, records.length);
    },
  };
}
