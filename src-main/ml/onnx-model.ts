// ONNX models trained elsewhere (e.g. PyTorch), run with onnxruntime-node on the CPU, described by a model card.
import fs from 'node:fs';
import * as ort from 'onnxruntime-node';
import type { EcgRecord } from '../../src-shared/record.ts';
import { canonicalLeadName } from '../../src-shared/record.ts';
import { recordToInput } from './input-pipeline.ts';
import type { InputSpec } from './input-pipeline.ts';

/** The JSON card beside an .onnx file. */
export interface ModelCard {
  name?: string;
  /** Output class codes (SNOMED CT), in output order. */
  classes: string[];
  samplingRate: number;
  /** Samples per lead the graph takes. */
  inputLength: number;
  /** Lead order of the input channels. */
  leads: string[];
  /** 'leads-first' = [batch, leads, samples] (PyTorch Conv1d); 'samples-first' = [batch, samples, leads]. */
  layout: 'leads-first' | 'samples-first';
  /** Whether the graph ends in a sigmoid ('probabilities') or gives logits. */
  output: 'probabilities' | 'logits';
  normalisation: { zscore: boolean; bandpass: { lowHz: number; highHz: number } | null };
  /** Graph input name when the graph has more than one input. */
  inputName?: string;
}

export interface OnnxModel {
  card: ModelCard;
  session: ort.InferenceSession;
  inputName: string;
  outputName: string;
}

function fail(where: string, what: string): never {
  throw new Error(`${where}: ${what}`);
}

/** Checks the card's fields; returns it typed. */
export function parseModelCard(json: unknown, where: string): ModelCard {
  const c = json as Partial<ModelCard> | null;
  if (!c || typeof c !== 'object') fail(where, 'model card is not a JSON object');
  if (!Array.isArray(c.classes) || c.classes.length === 0 || !c.classes.every((x) => typeof x === 'string'))
    fail(where, "'classes' must be a non-empty list of class codes");
  if (!(typeof c.samplingRate === 'number' && c.samplingRate > 0)) fail(where, "'samplingRate' must be a positive number (Hz)");
  if (!(Number.isInteger(c.inputLength) && (c.inputLength as number) > 0))
    fail(where, "'inputLength' must be a positive integer (samples)");
  if (!Array.isArray(c.leads) || c.leads.length === 0) fail(where, "'leads' must list the input lead order");
  if (c.layout !== 'leads-first' && c.layout !== 'samples-first') fail(where, "'layout' must be 'leads-first' or 'samples-first'");
  if (c.output !== 'probabilities' && c.output !== 'logits') fail(where, "'output' must be 'probabilities' or 'logits'");
  if (!c.normalisation || typeof c.normalisation.zscore !== 'boolean')
    fail(where, "'normalisation' must give zscore (true/false) and bandpass ({lowHz, highHz} or null)");
  return { ...c, leads: c.leads.map(canonicalLeadName) } as ModelCard;
}

const dimMatches = (dim: number | string | undefined, want: number): boolean => typeof dim !== 'number' || dim === want || dim < 0;

/** Opens the model and checks that card and graph agree (input rank and sizes, output class count). */
export async function loadOnnxModel(modelFile: string | Uint8Array, cardOrPath: ModelCard | string): Promise<OnnxModel> {
  const modelPath = typeof modelFile === 'string' ? modelFile : 'ONNX model';
  const cardWhere = typeof cardOrPath === 'string' ? cardOrPath : `${modelPath} card`;
  let card: ModelCard;
  if (typeof cardOrPath === 'string') {
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(cardOrPath, 'utf8'));
    } catch (e) {
      fail(cardWhere, `cannot read the model card (${e instanceof Error ? e.message.split('\n')[0] : e})`);
    }
    card = parseModelCard(raw, cardWhere);
  } else card = parseModelCard(cardOrPath, cardWhere);
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(modelFile as string, { executionProviders: ['cpu'], graphOptimizationLevel: 'all' });
  } catch (e) {
    fail(modelPath, `not a loadable ONNX model (${e instanceof Error ? e.message.split('\n')[0] : e})`);
  }
  const inputName =
    card.inputName ??
    (session.inputNames.length === 1
      ? session.inputNames[0]
      : fail(modelPath, `graph has inputs ${session.inputNames.join(', ')}; the card must name one in 'inputName'`));
  const input = session.inputMetadata.find((m) => m.name === inputName);
  if (!input) fail(modelPath, `graph has no input '${inputName}' (has ${session.inputNames.join(', ')})`);
  if (input.isTensor) {
    const shape = input.shape;
    const [leadsAxis, samplesAxis] = card.layout === 'leads-first' ? [1, 2] : [2, 1];
    if (shape.length !== 3)
      fail(
        modelPath,
        `input '${inputName}' has rank ${shape.length}; the card describes [batch, ${card.layout === 'leads-first' ? 'leads, samples' : 'samples, leads'}]`,
      );
    if (!dimMatches(shape[leadsAxis], card.leads.length))
      fail(modelPath, `input '${inputName}' takes ${shape[leadsAxis]} leads but the card lists ${card.leads.length}`);
    if (!dimMatches(shape[samplesAxis], card.inputLength))
      fail(modelPath, `input '${inputName}' takes ${shape[samplesAxis]} samples but the card says inputLength ${card.inputLength}`);
  }
  const outputName = session.outputNames[0];
  const output = session.outputMetadata[0];
  if (output?.isTensor) {
    const last = output.shape[output.shape.length - 1];
    if (typeof last === 'number' && last !== card.classes.length)
      fail(modelPath, `graph outputs ${last} classes but the card lists ${card.classes.length}`);
  }
  return { card, session, inputName, outputName };
}

/** The input spec for the pipeline; `activeLeads` must be leads the card lists. */
export function onnxInputSpec(card: ModelCard, activeLeads?: string[]): InputSpec {
  for (const l of activeLeads ?? []) {
    if (!card.leads.includes(canonicalLeadName(l)))
      throw new Error(`model '${card.name ?? 'onnx'}' was not trained on lead ${l} (its leads: ${card.leads.join(', ')})`);
  }
  return {
    samplingRate: card.samplingRate,
    samples: card.inputLength,
    leads: card.leads,
    activeLeads: activeLeads?.map(canonicalLeadName),
    bandpass: card.normalisation.bandpass,
    zscore: card.normalisation.zscore,
  };
}

/** Class probabilities for a batch of pipeline inputs ([samples x leads] each), n x classes. */
export async function runOnnx(model: OnnxModel, inputs: Float32Array[]): Promise<Float32Array> {
  const { card } = model;
  const nL = card.leads.length;
  const nS = card.inputLength;
  const batch = new Float32Array(inputs.length * nL * nS);
  inputs.forEach((x, b) => {
    if (x.length !== nL * nS) throw new Error(`onnx input ${b}: ${x.length} values, expected ${nS} samples x ${nL} leads`);
    if (card.layout === 'samples-first') batch.set(x, b * nL * nS);
    else for (let t = 0; t < nS; t++) for (let c = 0; c < nL; c++) batch[b * nL * nS + c * nS + t] = x[t * nL + c];
  });
  const dims = card.layout === 'leads-first' ? [inputs.length, nL, nS] : [inputs.length, nS, nL];
  const data = await runSession(model, batch, dims, card.classes.length);
  return card.output === 'logits' ? data.map((z) => 1 / (1 + Math.exp(-z))) : data;
}

/** Runs a session on one float32 input of shape `dims` whose first axis is the batch; checks n x classes outputs. */
export async function runSession(
  model: Pick<OnnxModel, 'session' | 'inputName' | 'outputName'>,
  values: Float32Array,
  dims: number[],
  classes: number,
): Promise<Float32Array> {
  const result = await model.session.run({ [model.inputName]: new ort.Tensor('float32', values, dims) });
  const data = result[model.outputName].data as Float32Array;
  if (data.length !== dims[0] * classes)
    throw new Error(`onnx output '${model.outputName}' has ${data.length} values for ${dims[0]} x ${classes} expected`);
  return Float32Array.from(data);
}

/** An in-memory session of LeadLens's own exported graph (one input, one output). */
export async function exportedSession(bytes: Uint8Array): Promise<Pick<OnnxModel, 'session' | 'inputName' | 'outputName'>> {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], graphOptimizationLevel: 'all' });
  return { session, inputName: session.inputNames[0], outputName: session.outputNames[0] };
}

/** Probabilities for one record, through the card's preprocessing. */
export async function predictRecordOnnx(model: OnnxModel, record: EcgRecord, activeLeads?: string[]): Promise<Float32Array> {
  return runOnnx(model, [recordToInput(record, onnxInputSpec(model.card, activeLeads))]);
}
