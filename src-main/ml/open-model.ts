// The one way to open a stored model: its input read into a typed spec (signal or chart), its weights loaded into
// the runtime that serves it, and one scorer (records -> class probabilities) that predict, evaluate, the training
// run's test split and the model review all go through, so their numbers come from the same runtime.
import type { Database } from 'better-sqlite3';
import type { EcgRecord } from '../../src-shared/record.ts';
import { readChartInputCard, type ChartInputCard } from '../chart/chart-input.ts';
import { readSignalImageCard, type SignalImageCard } from '../chart/signal-image-input.ts';
import { getModel, type StoredModelInfo } from '../store/model-store.ts';
import { initBackend } from './backend.ts';
import { chartInputs } from './chart-dataset.ts';
import { inputMismatch, missingLeadsReason, readInputSpec, recordToInput, type InputSpec } from './input-pipeline.ts';
import { deserializeWeights } from './model-weights.ts';
import type { EcgModel } from './models/model.ts';
import { exportModelOnnx, exportedCard } from './onnx-export.ts';
import { exportedSession, loadOnnxModel, onnxInputSpec, parseModelCard, runOnnx, runSession, type OnnxModel } from './onnx-model.ts';
import { signalImageInputs, signalImageSpec } from './signal-image-dataset.ts';
import { inputValues } from './train.ts';

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
  /**
   * Signal models: the input spec and the probabilities from inputs already made by `recordToInput` (e.g. in worker
   * threads), the same as `predict` on their records.
   */
  signal?: { spec: InputSpec; predictInputs(inputs: Float32Array[]): Promise<Float32Array> };
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
      signal: { spec, predictInputs: (inputs) => runOnnx(m.onnx, inputs) },
    };
  }
  // Every architecture's exported ONNX graph runs in onnxruntime, several times faster than tfjs-wasm.
  const model = m.model;
  const classCount = classes.length;
  const input = m.input;
  if (input.kind !== 'signal') {
    const session = await exportedSession(exportModelOnnx(model));
    const [h, w] = model.spec.inputShape;
    const toImages = (records: readonly EcgRecord[]): Float32Array => {
      const x = input.kind === 'chart' ? chartInputs(records, input.card, input.card.layouts[0]) : signalImageInputs(records, input.card);
      return inputValues(x, 0, x.length);
    };
    return {
      runtime: 'onnxruntime-node',
      classes,
      predict: (records) => runSession(session, toImages(records), [records.length, h, w, model.spec.channels], classCount),
    };
  }
  const spec = input.spec;
  const onnx = await loadOnnxModel(
    exportModelOnnx(model),
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
    signal: { spec, predictInputs: (inputs) => runOnnx(onnx, inputs) },
  };
}
