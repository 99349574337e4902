// `leadlens train` and the UI's training runs: train on the workspace's current labels (in a worker thread) and
// fine-tune a stored model's head. The test split is scored by the same runtime as predict (ml/open-model.ts), and
// the stored test metrics name it. Nothing is written unless a step succeeds.
import type { Database } from 'better-sqlite3';
import { operatingThresholds, type ClassThreshold, type ThresholdRule } from '../../src-shared/label-quality/operating-thresholds.ts';
import { LEAD_SETS, isLeadSetSize, missingLeads } from '../../src-shared/lead-sets.ts';
import { STANDARD_LEADS } from '../../src-shared/record.ts';
import { chartInputCard } from '../chart/chart-input.ts';
import { signalImageCard } from '../chart/signal-image-input.ts';
import type { ImageInputKind } from '../../src-shared/image-inputs.ts';
import type { SelectionQuery } from '../../src-shared/selection-query.ts';
import { ECG_BAND } from '../dsp/ecg-clean.ts';
import { initBackend } from '../ml/backend.ts';
import { chartDataset } from '../ml/chart-dataset.ts';
import { signalImageDataset } from '../ml/signal-image-dataset.ts';
import { buildDataset, frequentCodes } from '../ml/dataset.ts';
import { targetsFor } from '../ml/input-pipeline.ts';
import { challengeWeightsTable, SINUS_RHYTHM, type ChallengeWeights } from '../ml/metrics/challenge-metric.ts';
import { scoredSetMetrics } from '../ml/metrics/test-metrics.ts';
import { deserializeWeights } from '../ml/model-weights.ts';
import { isArchitecture } from '../ml/models/index.ts';
import { ARCHITECTURES } from '../ml/models/model.ts';
import { modelScorer, openModel, storedInput, type ModelInput } from '../ml/open-model.ts';
import { runTrainingInWorker } from '../ml/run-training.ts';
import { patientKFold, patientSplit } from '../ml/splits.ts';
import type { Dataset, Inputs, TrainProgress } from '../ml/train.ts';
import { labelErrorRunExists, latestLabelErrorRun, suspectedRecordIds } from '../store/label-error-store.ts';
import { modelLineage, saveModel } from '../store/model-store.ts';
import { allRecordIds } from '../store/record-store.ts';
import { resolveSelection } from '../store/selection-store.ts';
import type { Workspace } from '../store/workspace.ts';
import { consensusLineage, workspaceRecords, type ConsensusLineage, type WorkspaceRecord } from './labelled-records.ts';

/** More gradient workers than this only add copying: each holds a model replica. */
export const MAX_WORKERS = 8;

export const DEFAULT_INPUT = { samplingRate: 100, samples: 1000, bandpass: { ...ECG_BAND } };

function datasetOf(rs: WorkspaceRecord[], input: ModelInput, classes: string[]): Dataset<Inputs> {
  if (input.kind === 'chart')
    return chartDataset(
      rs.map((r) => r.item),
      input.card,
      classes,
    );
  if (input.kind === 'signal-image')
    return signalImageDataset(
      rs.map((r) => r.item),
      input.card,
      classes,
    );
  return buildDataset(
    rs.map((r) => r.item),
    input.spec,
    classes,
  );
}

export interface TrainRequest {
  arch: string;
  leads: number;
  classes?: string[];
  epochs?: number;
  folds?: number;
  seed?: number;
  /** The challenge metric's weights table; the one shipped in resources/ when not given. */
  weightsCsv?: string;
  /** image-cnn: what it reads (default chart). */
  input?: ImageInputKind;
  /** image-cnn on charts: layouts it trains on (several = mixed, each record rendered in each), and resolution (default 1 px/mm). */
  layouts?: string[];
  pxPerMm?: number;
  /** image-cnn on signal images (gaf, mtf, rp): image side in pixels (default 64). */
  imageSize?: number;
  /** Gradient worker threads for data-parallel training (default 1: gradients in the training worker itself). */
  workers?: number;
  /** A saved selection to train on (default: every record); its records are split into train and test. */
  trainOn?: string;
  /** A saved selection to validate on (default: a patient-level share of the training selection). */
  validateOn?: string;
  /** Records without any SNOMED label train as normal (sinus rhythm) instead of being left out. */
  unlabelledAsNormal?: boolean;
  /** How each class's operating threshold is chosen on the validation split (default: maximise F1). */
  thresholdRule?: ThresholdRule;
  /** 'consensus': train on the reviewers' consensus where they reviewed a record (default: the current labels). */
  labelSource?: 'current' | 'consensus';
  /** Leave out the records a label-error run suspects: the newest run unless `runId`; its `top` K, or those scoring >= `minScore`, else all flagged. */
  excludeSuspected?: { runId?: number; top?: number; minScore?: number };
  signal?: AbortSignal;
  onProgress?: (label: string, e: TrainProgress) => void;
}

/** Which records a training run read, and which it left out and why. */
export interface TrainingRecords {
  trainOn: { name: string; query: SelectionQuery } | null;
  validateOn: { name: string; query: SelectionQuery } | null;
  /** Records without any SNOMED label: left out (default) or trained as normal. */
  unlabelled: { records: number; policy: 'excluded' | 'as-normal' };
  /** Training-selection records dropped because their patient is in the validation selection. */
  droppedSharedPatients: { patients: number; records: number };
  /** Where the targets came from: the current label versions (ml_model_label), or the reviewers' consensus named here. */
  labels: { source: 'current' } | { source: 'consensus'; consensus: ConsensusLineage | null };
  /** Records left out because a label-error run suspects their labels (train --exclude-suspected). */
  excludedSuspected?: { runId: number; top: number | null; minScore: number | null; records: number; recordIds: number[] };
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
  records: TrainingRecords;
  /** Per-class operating thresholds chosen on the validation split (also in the model's metrics). */
  thresholds: ClassThreshold[];
}

export async function trainInWorkspace(ws: Workspace, req: TrainRequest): Promise<TrainSummary> {
  if (!isArchitecture(req.arch)) throw new Error(`unknown architecture '${req.arch}' (expected ${ARCHITECTURES.join(', ')})`);
  if (!isLeadSetSize(req.leads)) throw new Error(`--leads must be 12, 6, 4, 3 or 2, got ${req.leads}`);
  const image = req.arch === 'image-cnn';
  const inputKind = req.input ?? 'chart';
  if (!image && (req.input !== undefined || req.imageSize !== undefined))
    throw new Error('--input and --image-size apply to image-cnn only');
  if (inputKind === 'chart' && image !== (req.layouts !== undefined)) {
    throw new Error(image ? 'image-cnn trains on rendered charts: it needs --layout (e.g. 3x4+II)' : '--layout applies to image-cnn only');
  }
  if (inputKind !== 'chart' && (req.layouts !== undefined || req.pxPerMm !== undefined))
    throw new Error(`--layout and --px-per-mm apply to --input chart only, not ${inputKind}`);
  if (inputKind === 'chart' && req.imageSize !== undefined)
    throw new Error('--image-size applies to signal images (--input gaf, mtf or rp), not charts');
  const workers = req.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1 || workers > MAX_WORKERS)
    throw new Error(`--workers must be 1..${MAX_WORKERS}, got ${req.workers}`);
  const seed = req.seed ?? 1;
  const db = ws.db;
  const trainSel = req.trainOn === undefined ? undefined : resolveSelection(db, req.trainOn);
  const valSel = req.validateOn === undefined ? undefined : resolveSelection(db, req.validateOn);
  if (trainSel && trainSel.recordIds.length === 0) throw new Error(`selection '${req.trainOn}' selects no record`);
  if (valSel && valSel.recordIds.length === 0) throw new Error(`selection '${req.validateOn}' selects no record`);
  const poolIds = trainSel ? trainSel.recordIds : allRecordIds(db);
  const poolSet = new Set(poolIds);
  const valIds = new Set(valSel?.recordIds ?? []);
  // Records without labels are not negatives of every class: they are left out unless asked to count as normal.
  const labelledOr = (rs: WorkspaceRecord[]): WorkspaceRecord[] =>
    req.unlabelledAsNormal
      ? rs.map((r) => (r.item.codes.length ? r : { ...r, item: { ...r.item, codes: [SINUS_RHYTHM] } }))
      : rs.filter((r) => r.item.codes.length > 0);
  const suspected = req.excludeSuspected && excludedSuspects(db, req.excludeSuspected);
  const leftOut = new Set(suspected?.recordIds ?? []);
  const loaded = workspaceRecords(
    db,
    [...new Set([...poolIds, ...valIds])].filter((id) => !leftOut.has(id)),
    req.labelSource,
  );
  const unlabelled = loaded.filter((r) => r.item.codes.length === 0).length;
  const all = labelledOr(loaded);
  const classes =
    req.classes ??
    frequentCodes(
      all.filter((r) => !valIds.has(r.recordId)).map((r) => r.item),
      20,
    )
      .map((c) => c.code)
      .slice(0, 10);
  if (classes.length === 0) throw new Error('no class has 20 or more labelled records in this workspace; pass --classes');
  const leadSet = [...LEAD_SETS[req.leads]];
  const band = { ...DEFAULT_INPUT.bandpass };
  const spec: ModelInput = !image
    ? { kind: 'signal', spec: { ...DEFAULT_INPUT, leads: [...STANDARD_LEADS], activeLeads: leadSet, padShort: true } }
    : inputKind === 'chart'
      ? { kind: 'chart', card: chartInputCard(req.layouts!, req.pxPerMm ?? 1, req.leads) }
      : {
          kind: 'signal-image',
          card: signalImageCard(
            inputKind,
            leadSet,
            { samplingRate: DEFAULT_INPUT.samplingRate, samples: DEFAULT_INPUT.samples, bandpass: band, zscore: true },
            req.imageSize,
          ),
        };
  const card = spec.kind === 'chart' ? spec.card : undefined;
  const usableAll = all.filter((r) => missingLeads(r.item.record, leadSet).length === 0);
  const valUsable = usableAll.filter((r) => valIds.has(r.recordId));
  // Patient ids never fall on both sides: a training record whose patient is in the validation selection is dropped.
  const valPatients = new Set(valUsable.flatMap((r) => (r.item.patientId ? [r.item.patientId] : [])));
  const inPool = usableAll.filter((r) => !valIds.has(r.recordId) && poolSet.has(r.recordId));
  const sharesPatient = (r: WorkspaceRecord): boolean => !!r.item.patientId && valPatients.has(r.item.patientId);
  const usable = inPool.filter((r) => !sharesPatient(r));
  const dropped = {
    patients: new Set(inPool.filter(sharesPatient).map((r) => r.item.patientId)).size,
    records: inPool.length - usable.length,
  };
  if (usable.length < 10) throw new Error(`only ${usable.length} records have the ${req.leads}-lead set; at least 10 are needed`);
  if (valSel && valUsable.length === 0) throw new Error(`selection '${req.validateOn}': none of its records has the ${req.leads}-lead set`);
  const split = patientSplit(
    usable.map((r) => ({ id: r.item.id, patientId: r.item.patientId })),
    valSel ? 0 : 0.15,
    0.15,
    seed,
  );
  const part = (ids: string[]): WorkspaceRecord[] => {
    const wanted = new Set(ids);
    return usable.filter((r) => wanted.has(r.item.id));
  };
  const [trainR, valR, testR] = [part(split.train), valSel ? valUsable : part(split.validation), part(split.test)];
  const trainingRecords: TrainingRecords = {
    trainOn: trainSel ? { name: trainSel.selection.name, query: trainSel.selection.query } : null,
    validateOn: valSel ? { name: valSel.selection.name, query: valSel.selection.query } : null,
    unlabelled: { records: unlabelled, policy: req.unlabelledAsNormal ? 'as-normal' : 'excluded' },
    droppedSharedPatients: dropped,
    labels:
      req.labelSource === 'consensus'
        ? { source: 'consensus', consensus: consensusLineage(db, [...trainR, ...valR, ...testR]) ?? null }
        : { source: 'current' },
    ...(suspected ? { excludedSuspected: suspected } : {}),
  };
  const weights: ChallengeWeights = challengeWeightsTable(req.weightsCsv);
  const options = {
    spec:
      spec.kind === 'chart'
        ? { arch: req.arch, channels: 1, inputShape: spec.card.canvas, classes: classes.length, seed }
        : spec.kind === 'signal-image'
          ? {
              arch: req.arch,
              channels: spec.card.leads.length,
              inputShape: [spec.card.size, spec.card.size],
              classes: classes.length,
              seed,
            }
          : { arch: req.arch, channels: 12, inputShape: [DEFAULT_INPUT.samples], classes: classes.length, seed },
    // Random masking blanks a stretch of time in a signal; on a flattened image it would blank rows, so images train without it.
    classes,
    epochs: req.epochs ?? 20,
    batchSize: 32,
    maxLr: 3e-3,
    weightDecay: 1e-2,
    patience: 8,
    maskFraction: image ? 0 : 0.1,
    challengeWeights: weights,
  };
  // k-fold cross-validation on train+validation reports the spread; the stored model uses the holdout split.
  const foldScores: number[] = [];
  if (req.folds && req.folds > 1) {
    const pool = [...trainR, ...valR];
    const folds = patientKFold(
      pool.map((r) => ({ id: r.item.id, patientId: r.item.patientId })),
      req.folds,
      seed,
    );
    for (const [f, fold] of folds.entries()) {
      const r = await runTrainingInWorker(
        {
          train: datasetOf(
            pool.filter((x) => !fold.includes(x.item.id)),
            spec,
            classes,
          ),
          validation: datasetOf(
            pool.filter((x) => fold.includes(x.item.id)),
            spec,
            classes,
          ),
          options,
          workers,
        },
        { signal: req.signal, onProgress: (e) => req.onProgress?.(`fold ${f + 1}/${folds.length}`, e) },
      );
      foldScores.push(r.validationScore);
    }
  }
  const result = await runTrainingInWorker(
    { train: datasetOf(trainR, spec, classes), validation: datasetOf(valR, spec, classes), options, workers },
    { signal: req.signal, onProgress: (e) => req.onProgress?.('train', e) },
  );
  await initBackend();
  const scorer = await modelScorer({ kind: 'tfjs', classes, input: spec, model: deserializeWeights(result.weights) });
  const testMetrics = {
    ...scoredSetMetrics(await scorer.predict(testR.map((r) => r.item.record)), targetsOf(testR, classes), testR.length, classes, weights),
    runtime: scorer.runtime,
  };
  const thresholds = operatingThresholds(
    classes,
    await scorer.predict(valR.map((r) => r.item.record)),
    targetsOf(valR, classes),
    valR.length,
    req.thresholdRule,
  );
  const modelId = saveModel(ws.db, {
    name: card
      ? `${req.arch} ${req.leads}-lead ${card.layouts.join('/')} ${card.pxPerMm}px/mm`
      : spec.kind === 'signal-image'
        ? `${req.arch} ${req.leads}-lead ${spec.card.transform} ${spec.card.size}px`
        : `${req.arch} ${req.leads}-lead`,
    kind: 'tfjs',
    architecture: req.arch,
    hyperparameters: { ...options, challengeWeights: undefined, seed, workers, records: trainingRecords },
    classes,
    leadSet,
    inputSpec: storedInput(spec),
    metrics: { validation: { [result.metricName]: result.validationScore }, test: testMetrics, folds: foldScores, thresholds },
    runtime: result.backend,
    weights: result.weights,
    records: [
      ...trainR.map((r) => ({ recordId: r.recordId, split: 'train' as const })),
      ...valR.map((r) => ({ recordId: r.recordId, split: 'validation' as const })),
      ...testR.map((r) => ({ recordId: r.recordId, split: 'test' as const })),
    ],
    labelIds: [...trainR, ...valR, ...testR].flatMap((r) => r.labelIds),
  });
  return {
    modelId,
    backend: result.backend,
    classes,
    split: { train: trainR.length, validation: valR.length, test: testR.length },
    bestEpoch: result.bestEpoch,
    validationScore: result.validationScore,
    metricName: result.metricName,
    test: testMetrics,
    ...(foldScores.length ? { folds: foldScores } : {}),
    samplesPerSecond: result.samplesPerSecond,
    records: trainingRecords,
    thresholds,
  };
}

/** The records `train --exclude-suspected` leaves out, from the newest label-error run or the one named. */
function excludedSuspects(
  db: Database,
  o: NonNullable<TrainRequest['excludeSuspected']>,
): NonNullable<TrainingRecords['excludedSuspected']> {
  if (o.top !== undefined && o.minScore !== undefined) throw new Error('--suspected-top and --suspected-min-score exclude each other');
  if (o.top !== undefined && !(Number.isInteger(o.top) && o.top >= 1))
    throw new Error(`--suspected-top needs a whole number >= 1, got ${o.top}`);
  if (o.minScore !== undefined && !Number.isFinite(o.minScore)) throw new Error(`--suspected-min-score needs a number, got ${o.minScore}`);
  const runId = o.runId ?? latestLabelErrorRun(db)?.id;
  if (runId === undefined) throw new Error('no label-error run in this workspace: run `leadlens label-errors` first');
  if (!labelErrorRunExists(db, runId)) throw new Error(`no label-error run ${runId} in this workspace`);
  const recordIds = suspectedRecordIds(db, runId, { top: o.top, minScore: o.minScore });
  return { runId, top: o.top ?? null, minScore: o.minScore ?? null, records: recordIds.length, recordIds };
}

/**
 * The quick loop after annotators correct labels: the stored model's backbone stays frozen and its head is retrained
 * (in a worker, on embeddings computed once) on the same records' current labels; stored as a child model.
 */
export async function fineTuneInWorkspace(
  ws: Workspace,
  modelId: number,
  o: { epochs?: number; weightsCsv?: string; signal?: AbortSignal; onProgress?: (e: TrainProgress) => void } = {},
): Promise<{ modelId: number; parentId: number; validationScore: number; metricName: string }> {
  const opened = await openModel(ws.db, modelId);
  if (opened.kind !== 'tfjs') throw new Error(`model ${modelId} is an imported ONNX model; only LeadLens-trained models can be fine-tuned`);
  const lineage = modelLineage(ws.db, modelId);
  const byId = new Map(workspaceRecords(ws.db).map((r) => [r.recordId, r]));
  const side = (split: string): WorkspaceRecord[] =>
    lineage.records
      .filter((r) => r.split === split)
      .map((r) => byId.get(r.recordId))
      .filter((r): r is WorkspaceRecord => r !== undefined);
  const [trainR, valR] = [side('train'), side('validation')];
  if (trainR.length === 0) throw new Error(`model ${modelId}: none of its training records are left in this workspace`);
  const parent = { ...opened.info, weights: opened.weights };
  const spec = opened.input;
  const weights = challengeWeightsTable(o.weightsCsv);
  const base = opened.model;
  const result = await runTrainingInWorker(
    {
      train: datasetOf(trainR, spec, parent.classes),
      validation: datasetOf(valR, spec, parent.classes),
      baseWeights: parent.weights,
      options: {
        spec: base.spec,
        classes: parent.classes,
        epochs: o.epochs ?? 20,
        batchSize: 32,
        maxLr: 1e-2,
        patience: 5,
        challengeWeights: weights,
      },
    },
    { signal: o.signal, onProgress: o.onProgress },
  );
  const id = saveModel(ws.db, {
    name: `${parent.name} (head fine-tuned)`,
    kind: 'tfjs',
    architecture: parent.architecture,
    hyperparameters: { ...parent.hyperparameters, fineTune: { epochs: o.epochs ?? 20, maxLr: 1e-2, frozen: 'backbone' } },
    classes: parent.classes,
    leadSet: parent.leadSet,
    inputSpec: parent.inputSpec,
    metrics: { validation: { [result.metricName]: result.validationScore } },
    runtime: result.backend,
    parentId: modelId,
    weights: result.weights,
    records: [
      ...trainR.map((r) => ({ recordId: r.recordId, split: 'train' as const })),
      ...valR.map((r) => ({ recordId: r.recordId, split: 'validation' as const })),
      ...side('test').map((r) => ({ recordId: r.recordId, split: 'test' as const })),
    ],
    labelIds: [...trainR, ...valR].flatMap((r) => r.labelIds),
  });
  return { modelId: id, parentId: modelId, validationScore: result.validationScore, metricName: result.metricName };
}

const targetsOf = (rs: WorkspaceRecord[], classes: string[]): Uint8Array => {
  const y = new Uint8Array(rs.length * classes.length);
  rs.forEach((r, i) => y.set(targetsFor(r.item.codes, classes), i * classes.length));
  return y;
};
