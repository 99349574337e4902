// ML services on a workspace: train on the workspace's current labels (in a worker thread), predict, evaluate,
// import ONNX models. The CLI commands and the API call these; nothing is written unless a step succeeds.
import fs from 'node:fs';
import type { Database } from 'better-sqlite3';
import type { Workspace } from '../store/workspace.ts';
import { getRecordSignal } from '../store/record-store.ts';
import { effectiveLabels } from '../store/label-store.ts';
import { LEAD_SETS, isLeadSetSize, missingLeads } from '../../src-shared/lead-sets.ts';
import { STANDARD_LEADS } from '../../src-shared/record.ts';
import { activeBackend, initBackend } from '../ml/backend.ts';
import { frequentCodes } from '../ml/dataset.ts';
import type { LabelledRecord } from '../ml/dataset.ts';
import { chartInputCard, type ChartInputCard } from '../chart/chart-input.ts';
import { chartDataset, chartInputs, isChartCard } from '../ml/chart-dataset.ts';
import { recordToInput, targetsFor } from '../ml/input-pipeline.ts';
import type { InputSpec } from '../ml/input-pipeline.ts';
import { loadChallengeWeights } from '../ml/metrics/challenge-metric.ts';
import { multiLabelReport } from '../ml/metrics/classification.ts';
import type { ChallengeWeights } from '../ml/metrics/challenge-metric.ts';
import { deserializeWeights, getModel, modelLineage, saveModel, savePredictions, updateMetrics } from '../ml/model-store.ts';
import { isArchitecture } from '../ml/models/index.ts';
import { ARCHITECTURES } from '../ml/models/model.ts';
import { exportSmallCnnOnnx, exportedCard } from '../ml/onnx-export.ts';
import { loadOnnxModel, onnxInputSpec, runOnnx } from '../ml/onnx-model.ts';
import type { ModelCard } from '../ml/onnx-model.ts';
import { predictLabels } from '../ml/prediction-rule.ts';
import { runTrainingInWorker } from '../ml/run-training.ts';
import { patientKFold, patientSplit } from '../ml/splits.ts';
import { predictProbabilities, validationScore } from '../ml/train.ts';
import type { Dataset, Inputs, TrainProgress } from '../ml/train.ts';

export const DEFAULT_INPUT = { samplingRate: 100, samples: 1000, bandpass: { lowHz: 0.5, highHz: 40 } };

interface WorkspaceRecord {
  recordId: number;
  item: LabelledRecord;
  labelIds: number[];
}

/** Every record with its current (dataset or annotator) SNOMED labels and the label rows they come from. */
function workspaceRecords(db: Database): WorkspaceRecord[] {
  const ids = db.prepare('SELECT id FROM record ORDER BY id').pluck().all() as number[];
  const labelRows = db.prepare("SELECT id FROM label WHERE record_id = ? AND is_current = 1 AND source_kind IN ('dataset', 'annotator') ORDER BY id").pluck();
  return ids.map((recordId) => {
    const record = getRecordSignal(db, recordId);
    if (!record) throw new Error(`record ${recordId} has no stored signal`);
    const codes = effectiveLabels(db, recordId).filter((l) => l.vocabulary === 'SNOMED').map((l) => l.code);
    return { recordId, item: { id: String(recordId), patientId: record.patientId, codes, record }, labelIds: labelRows.all(recordId) as number[] };
  });
}

function datasetOf(rs: WorkspaceRecord[], spec: InputSpec | ChartInputCard, classes: string[]): Dataset<Inputs> {
  if (isChartCard(spec)) return chartDataset(rs.map((r) => r.item), spec, classes);
  const size = spec.samples * spec.leads.length;
  const x = new Float32Array(rs.length * size);
  const y = new Uint8Array(rs.length * classes.length);
  rs.forEach((r, i) => {
    x.set(recordToInput(r.item.record, spec), i * size);
    y.set(targetsFor(r.item.codes, classes), i * classes.length);
  });
  return { x, y, n: rs.length };
}

export interface TrainRequest {
  arch: string;
  leads: number;
  classes?: string[];
  epochs?: number;
  folds?: number;
  seed?: number;
  weightsCsv?: string;
  /** image-cnn: chart layouts it trains on (several = mixed, each record rendered in each), and resolution (default 1 px/mm). */
  layouts?: string[];
  pxPerMm?: number;
  signal?: AbortSignal;
  onProgress?: (label: string, e: TrainProgress) => void;
}

export interface TrainSummary {
  modelId: number;
  backend: string;
  classes: string[];
  split: { train: number; validation: number; test: number };
  bestEpoch: number;
  validationScore: number;
  metricName: string;
  test: Record<string, unknown>;
  folds?: number[];
  samplesPerSecond: number;
}

export async function trainInWorkspace(ws: Workspace, req: TrainRequest): Promise<TrainSummary> {
  if (!isArchitecture(req.arch)) throw new Error(`unknown architecture '${req.arch}' (expected ${ARCHITECTURES.join(', ')})`);
  if (!isLeadSetSize(req.leads)) throw new Error(`--leads must be 12, 6, 4, 3 or 2, got ${req.leads}`);
  const image = req.arch === 'image-cnn';
  if (image !== (req.layouts !== undefined)) throw new Error(image ? 'image-cnn trains on rendered charts: it needs --layout (e.g. 3x4+II)' : '--layout applies to image-cnn only');
  const card = image ? chartInputCard(req.layouts!, req.pxPerMm ?? 1, req.leads) : undefined;
  const seed = req.seed ?? 1;
  const all = workspaceRecords(ws.db);
  const classes = req.classes ?? frequentCodes(all.map((r) => r.item), 20).map((c) => c.code).slice(0, 10);
  if (classes.length === 0) throw new Error('no class has 20 or more labelled records in this workspace; pass --classes');
  const leadSet = [...LEAD_SETS[req.leads]];
  const spec: InputSpec | ChartInputCard = card ?? { ...DEFAULT_INPUT, leads: [...STANDARD_LEADS], activeLeads: leadSet, padShort: true };
  const usable = all.filter((r) => missingLeads(r.item.record, leadSet).length === 0);
  if (usable.length < 10) throw new Error(`only ${usable.length} records have the ${req.leads}-lead set; at least 10 are needed`);
  const split = patientSplit(usable.map((r) => ({ id: r.item.id, patientId: r.item.patientId })), 0.15, 0.15, seed);
  const part = (ids: string[]): WorkspaceRecord[] => usable.filter((r) => ids.includes(r.item.id));
  const [trainR, valR, testR] = [part(split.train), part(split.validation), part(split.test)];
  const weights: ChallengeWeights | undefined = req.weightsCsv && fs.existsSync(req.weightsCsv) ? loadChallengeWeights(req.weightsCsv) : undefined;
  const options = {
    spec: card ? { arch: req.arch, channels: 1, inputShape: card.canvas, classes: classes.length, seed } : { arch: req.arch, channels: 12, inputShape: [DEFAULT_INPUT.samples], classes: classes.length, seed },
    // Random masking blanks a stretch of time in a signal; on a flattened image it would blank rows, so charts train without it.
    classes, epochs: req.epochs ?? 20, batchSize: 32, maxLr: 3e-3, weightDecay: 1e-2, patience: 8, maskFraction: card ? 0 : 0.1, challengeWeights: weights,
  };
  // k-fold cross-validation on train+validation reports the spread; the stored model uses the holdout split.
  const foldScores: number[] = [];
  if (req.folds && req.folds > 1) {
    const pool = [...trainR, ...valR];
    const folds = patientKFold(pool.map((r) => ({ id: r.item.id, patientId: r.item.patientId })), req.folds, seed);
    for (const [f, fold] of folds.entries()) {
      const r = await runTrainingInWorker({
        train: datasetOf(pool.filter((x) => !fold.includes(x.item.id)), spec, classes),
        validation: datasetOf(pool.filter((x) => fold.includes(x.item.id)), spec, classes),
        options,
      }, { signal: req.signal, onProgress: (e) => req.onProgress?.(`fold ${f + 1}/${folds.length}`, e) });
      foldScores.push(r.validationScore);
    }
  }
  const result = await runTrainingInWorker({ train: datasetOf(trainR, spec, classes), validation: datasetOf(valR, spec, classes), options },
    { signal: req.signal, onProgress: (e) => req.onProgress?.('train', e) });
  await initBackend();
  const model = deserializeWeights(result.weights);
  const test = datasetOf(testR, spec, classes);
  const testMetrics = evaluateProbabilities(predictProbabilities(model, test.x, test.n), test, classes, weights);
  const modelId = saveModel(ws.db, {
    name: card ? `${req.arch} ${req.leads}-lead ${card.layouts.join('/')} ${card.pxPerMm}px/mm` : `${req.arch} ${req.leads}-lead`, kind: 'tfjs', architecture: req.arch,
    hyperparameters: { ...options, challengeWeights: undefined, seed },
    classes, leadSet, inputSpec: spec as unknown as Record<string, unknown>,
    metrics: { validation: { [result.metricName]: result.validationScore }, test: testMetrics, folds: foldScores },
    runtime: result.backend, weights: result.weights,
    records: [...trainR.map((r) => ({ recordId: r.recordId, split: 'train' as const })), ...valR.map((r) => ({ recordId: r.recordId, split: 'validation' as const })), ...testR.map((r) => ({ recordId: r.recordId, split: 'test' as const }))],
    labelIds: [...trainR, ...valR, ...testR].flatMap((r) => r.labelIds),
  });
  return {
    modelId, backend: result.backend, classes, split: { train: trainR.length, validation: valR.length, test: testR.length },
    bestEpoch: result.bestEpoch, validationScore: result.validationScore, metricName: result.metricName, test: testMetrics,
    ...(foldScores.length ? { folds: foldScores } : {}), samplesPerSecond: result.samplesPerSecond,
  };
}

/**
 * The quick loop after annotators correct labels: the stored model's backbone stays frozen and its head is retrained
 * (in a worker, on embeddings computed once) on the same records' current labels; stored as a child model.
 */
export async function fineTuneInWorkspace(ws: Workspace, modelId: number, o: { epochs?: number; weightsCsv?: string; signal?: AbortSignal; onProgress?: (e: TrainProgress) => void } = {}): Promise<{ modelId: number; parentId: number; validationScore: number; metricName: string }> {
  const parent = getModel(ws.db, modelId);
  if (parent.kind !== 'tfjs') throw new Error(`model ${modelId} is an imported ONNX model; only LeadLens-trained models can be fine-tuned`);
  const lineage = modelLineage(ws.db, modelId);
  const byId = new Map(workspaceRecords(ws.db).map((r) => [r.recordId, r]));
  const side = (split: string): WorkspaceRecord[] => lineage.records.filter((r) => r.split === split).map((r) => byId.get(r.recordId)).filter((r): r is WorkspaceRecord => r !== undefined);
  const [trainR, valR] = [side('train'), side('validation')];
  if (trainR.length === 0) throw new Error(`model ${modelId}: none of its training records are left in this workspace`);
  const spec = parent.inputSpec as unknown as InputSpec | ChartInputCard;
  const weights = o.weightsCsv && fs.existsSync(o.weightsCsv) ? loadChallengeWeights(o.weightsCsv) : undefined;
  const base = deserializeWeights(parent.weights, `model ${modelId}`);
  const result = await runTrainingInWorker({
    train: datasetOf(trainR, spec, parent.classes), validation: datasetOf(valR, spec, parent.classes), baseWeights: parent.weights,
    options: { spec: base.spec, classes: parent.classes, epochs: o.epochs ?? 20, batchSize: 32, maxLr: 1e-2, patience: 5, challengeWeights: weights },
  }, { signal: o.signal, onProgress: o.onProgress });
  const id = saveModel(ws.db, {
    name: `${parent.name} (head fine-tuned)`, kind: 'tfjs', architecture: parent.architecture,
    hyperparameters: { ...parent.hyperparameters, fineTune: { epochs: o.epochs ?? 20, maxLr: 1e-2, frozen: 'backbone' } },
    classes: parent.classes, leadSet: parent.leadSet, inputSpec: parent.inputSpec,
    metrics: { validation: { [result.metricName]: result.validationScore } }, runtime: result.backend, parentId: modelId, weights: result.weights,
    records: [...trainR.map((r) => ({ recordId: r.recordId, split: 'train' as const })), ...valR.map((r) => ({ recordId: r.recordId, split: 'validation' as const })), ...side('test').map((r) => ({ recordId: r.recordId, split: 'test' as const }))],
    labelIds: [...trainR, ...valR].flatMap((r) => r.labelIds),
  });
  return { modelId: id, parentId: modelId, validationScore: result.validationScore, metricName: result.metricName };
}

function evaluateProbabilities(probs: Float32Array, data: Dataset<Inputs>, classes: string[], weights?: ChallengeWeights): Record<string, unknown> {
  const k = classes.length;
  const rows = (flat: ArrayLike<number>): number[][] => Array.from({ length: data.n }, (_, i) => Array.from({ length: k }, (_, c) => flat[i * k + c]));
  const P = rows(probs);
  const r = multiLabelReport(rows(data.y), P, P.map((p) => [...predictLabels(p)]), k);
  const v = validationScore(probs, data.y, data.n, classes, weights);
  return { records: data.n, [v.metric]: v.score, macroF1: r.macroF1, microF1: r.microF1, macroRocAuc: r.macroRocAuc, macroPrAuc: r.macroPrAuc, perClass: Object.fromEntries(classes.map((c, i) => [c, { f1: r.f1[i], rocAuc: r.rocAuc[i], prAuc: r.prAuc[i], ...r.confusion[i] }])), reliability: r.reliability };
}

/** Class probabilities of a stored model (tfjs or ONNX) for the records, n x classes. */
async function stored(ws: Workspace, modelId: number): Promise<{ classes: string[]; predict: (recordIds: number[]) => Promise<Float32Array> }> {
  const m = getModel(ws.db, modelId);
  const recordOf = (id: number) => {
    const r = getRecordSignal(ws.db, id);
    if (!r) throw new Error(`no record with id ${id} in this workspace`);
    return r;
  };
  if (m.kind === 'onnx') {
    const om = await loadOnnxModel(m.weights, m.inputSpec as unknown as ModelCard);
    const spec = onnxInputSpec(om.card);
    return { classes: m.classes, predict: (ids) => runOnnx(om, ids.map((id) => recordToInput(recordOf(id), spec))) };
  }
  await initBackend();
  const model = deserializeWeights(m.weights, `model ${modelId}`);
  if (isChartCard(m.inputSpec)) {
    const card = m.inputSpec;
    // A model trained on several layouts predicts from its first.
    return { classes: m.classes, predict: async (ids) => predictProbabilities(model, chartInputs(ids.map(recordOf), card, card.layouts[0]), ids.length) };
  }
  const spec = m.inputSpec as unknown as InputSpec;
  if (model.spec.arch === 'small-cnn') {
    // Inference route: the exported ONNX graph in onnxruntime runs several times faster than tfjs-wasm.
    const om = await loadOnnxModel(exportSmallCnnOnnx(model), exportedCard(model, m.classes, spec.samplingRate, spec.leads, { zscore: spec.zscore !== false, bandpass: spec.bandpass ?? null }));
    return { classes: m.classes, predict: (ids) => runOnnx(om, ids.map((id) => recordToInput(recordOf(id), spec))) };
  }
  return {
    classes: m.classes,
    predict: async (ids) => {
      const size = spec.samples * spec.leads.length;
      const x = new Float32Array(ids.length * size);
      ids.forEach((id, i) => x.set(recordToInput(recordOf(id), spec), i * size));
      return predictProbabilities(model, x, ids.length);
    },
  };
}

/** Predicts and stores per-class probabilities for the records (all records when none given). */
export async function predictInWorkspace(ws: Workspace, modelId: number, recordIds?: number[], onProgress?: (done: number, total: number) => void): Promise<{ records: number; backend: string }> {
  const ids = recordIds ?? (ws.db.prepare('SELECT id FROM record ORDER BY id').pluck().all() as number[]);
  const { classes, predict } = await stored(ws, modelId);
  const rows: Array<{ recordId: number; classCode: string; probability: number; predicted: boolean }> = [];
  for (let i = 0; i < ids.length; i += 64) {
    const batch = ids.slice(i, i + 64);
    const p = await predict(batch);
    batch.forEach((id, b) => {
      const probs = p.subarray(b * classes.length, (b + 1) * classes.length);
      const out = predictLabels(probs);
      classes.forEach((c, k) => rows.push({ recordId: id, classCode: c, probability: probs[k], predicted: out[k] === 1 }));
    });
    onProgress?.(Math.min(i + 64, ids.length), ids.length);
  }
  savePredictions(ws.db, modelId, rows);
  const m = getModel(ws.db, modelId);
  return { records: ids.length, backend: m.kind === 'onnx' || m.architecture === 'small-cnn' ? 'onnxruntime-node' : activeBackend()?.name ?? 'unknown' };
}

/** Metrics of a stored model on its held-out test records (imported models: every labelled record). */
export async function evaluateInWorkspace(ws: Workspace, modelId: number, weightsCsv?: string): Promise<Record<string, unknown>> {
  const m = getModel(ws.db, modelId);
  const lineage = modelLineage(ws.db, modelId);
  const testIds = lineage.records.filter((r) => r.split === 'test').map((r) => r.recordId);
  const ids = testIds.length ? testIds : (ws.db.prepare("SELECT DISTINCT record_id FROM label WHERE is_current = 1 AND vocabulary = 'SNOMED'").pluck().all() as number[]);
  if (ids.length === 0) throw new Error(`model ${modelId}: no labelled records to evaluate on`);
  const { classes, predict } = await stored(ws, modelId);
  const probs = await predict(ids);
  const y = new Uint8Array(ids.length * classes.length);
  ids.forEach((id, i) => y.set(targetsFor(effectiveLabels(ws.db, id).map((l) => l.code), classes), i * classes.length));
  const weights = weightsCsv && fs.existsSync(weightsCsv) ? loadChallengeWeights(weightsCsv) : undefined;
  const metrics = evaluateProbabilities(probs, { x: new Float32Array(0), y, n: ids.length }, classes, weights);
  updateMetrics(ws.db, modelId, { ...m.metrics, evaluation: { ...metrics, on: testIds.length ? 'test split' : 'all labelled records', at: new Date().toISOString() } });
  return metrics;
}

/** Stores an ONNX model after checking that its card and graph agree. */
export async function importOnnxModel(ws: Workspace, modelPath: string, cardPath: string): Promise<{ modelId: number; classes: string[] }> {
  const om = await loadOnnxModel(modelPath, cardPath);
  const bytes = new Uint8Array(fs.readFileSync(modelPath));
  const modelId = saveModel(ws.db, {
    name: om.card.name ?? modelPath, kind: 'onnx', architecture: 'onnx', hyperparameters: {}, classes: om.card.classes, leadSet: om.card.leads,
    inputSpec: om.card as unknown as Record<string, unknown>, metrics: {}, runtime: 'onnxruntime-node', weights: bytes, records: [], labelIds: [],
  });
  return { modelId, classes: om.card.classes };
}
