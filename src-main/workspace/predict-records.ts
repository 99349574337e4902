// `leadlens predict` and the UI's training runs: a stored model's per-class probabilities for records, stored.
// A record the model cannot read (leads it lacks, too short) is skipped with the reason; the others are scored.
import type { SkippedRecord } from '../../src-shared/api.ts';
import type { EcgRecord } from '../../src-shared/record.ts';
import { modelScorer, openModel, recordMismatch } from '../ml/open-model.ts';
import { predictLabels } from '../ml/prediction-rule.ts';
import { finishPredictionRun, savePredictions, startPredictionRun, type PredictionScope } from '../store/prediction-store.ts';
import { modelThresholds } from '../store/triage-store.ts';
import { allRecordIds, getRecordSignal, recordName } from '../store/record-store.ts';
import { resolveSelection } from '../store/selection-store.ts';
import type { Workspace } from '../store/workspace.ts';
import { reducedLeadStandIn } from './lead-set-models.ts';
import type { AnalysisPool } from './analysis-pool.ts';
import { prepareModelInputs } from './record-model-inputs.ts';

export interface PredictSummary {
  /** Records asked for. */
  records: number;
  /** Records scored, their probabilities stored. */
  stored: number;
  skipped: SkippedRecord[];
  /** Records that lack some of the model's leads, scored (and stored) with a reduced-lead model of the same family instead. */
  standIns: { recordId: number; recordName: string; modelId: number; leads: string[] }[];
  backend: string;
  /** The predict run (ml_prediction_run) the stored predictions carry. */
  runId?: number;
  /** The saved selection scored, when one was asked for. */
  selection?: string;
}

const BATCH_RECORDS = 64;
const firstLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0];

/** Predicts and stores per-class probabilities for the records (all records when none given); never aborts on one record. */
export async function predictInWorkspace(
  ws: Workspace,
  modelId: number,
  recordIds?: number[],
  onProgress?: (done: number, total: number) => void,
  opts: { pool?: AnalysisPool; batch?: number; selection?: string } = {},
): Promise<PredictSummary> {
  // A saved selection names the records; the run records which (with the query as it stood), or 'all' / 'records'.
  const selection = opts.selection;
  const chosen = selection === undefined ? undefined : resolveSelection(ws.db, selection);
  const ids = chosen?.recordIds ?? recordIds ?? allRecordIds(ws.db);
  const scope: PredictionScope = chosen
    ? { kind: 'selection', selectionId: chosen.selection.id, name: chosen.selection.name, query: chosen.selection.query }
    : { kind: recordIds ? 'records' : 'all' };
  const model = await openModel(ws.db, modelId);
  const scorer = await modelScorer(model);
  const classes = scorer.classes;
  // Calls at the model's per-class operating thresholds when it states them (models trained since migration 11).
  const stated = modelThresholds(ws.db, modelId);
  const thresholds = Float64Array.from(classes, (c) => stated.thresholds[stated.classes.indexOf(c)] ?? 0.5);
  const skipped: SkippedRecord[] = [];
  /** Records for each reduced-lead stand-in model (by id); scored after the main pass. */
  const deferred = new Map<number, { id: number; record: EcgRecord }[]>();
  let stored = 0;
  const runId = startPredictionRun(ws.db, modelId, scope, ids.length);
  const store = (records: { id: number }[], p: Float32Array, storeModelId = modelId): void => {
    const rows: Array<{ recordId: number; classCode: string; probability: number; predicted: boolean }> = [];
    records.forEach(({ id }, b) => {
      const probs = p.subarray(b * classes.length, (b + 1) * classes.length);
      const out = predictLabels(probs, thresholds);
      classes.forEach((c, k) => rows.push({ recordId: id, classCode: c, probability: probs[k], predicted: out[k] === 1 }));
    });
    // Stored batch by batch, so an interrupted run keeps what it scored.
    savePredictions(ws.db, storeModelId, rows, storeModelId === modelId ? runId : null);
    stored += records.length;
  };
  /** Scores and stores a batch; one record the checks did not foresee fails it, so it is then scored record by record. */
  const scoreBatch = async <T extends { id: number }>(
    batch: T[],
    predict: (part: T[]) => Promise<Float32Array>,
    nameOf: (one: T) => string,
  ): Promise<void> => {
    try {
      store(batch, await predict(batch));
    } catch {
      for (const one of batch) {
        try {
          store([one], await predict([one]));
        } catch (e) {
          skipped.push({ recordId: one.id, recordName: nameOf(one), reason: firstLine(e) });
        }
      }
    }
  };
  /** A record the model cannot read: scored later by a reduced-lead stand-in of the same family, or skipped with the reason. */
  const mismatched = (id: number, record: EcgRecord, reason: string): void => {
    const standIn = reducedLeadStandIn(ws.db, model.info, record);
    if (standIn) deferred.set(standIn.id, [...(deferred.get(standIn.id) ?? []), { id, record }]);
    else skipped.push({ recordId: id, recordName: record.recordName, reason });
  };
  const missing = (id: number): void => {
    skipped.push({ recordId: id, recordName: recordName(ws.db, id) ?? '?', reason: `no record with id ${id} in this workspace` });
  };
  const signal = scorer.signal;
  const BATCH = opts.batch ?? BATCH_RECORDS;
  if (opts.pool && opts.pool.size > 0 && signal) {
    // Records are read and turned into inputs on the pool's threads, a few batches ahead; inference and writes here.
    const chunks: number[][] = [];
    for (let i = 0; i < ids.length; i += BATCH) chunks.push(ids.slice(i, i + BATCH));
    const ahead = 2 * opts.pool.size;
    // A chunk whose worker failed is prepared here instead: the run goes on.
    const prepare = (c: number[]) =>
      opts.pool!.run('modelInputs', { ids: c, spec: signal.spec }).catch(() => prepareModelInputs(ws.db, c, signal.spec));
    const pending = chunks.slice(0, ahead).map(prepare);
    let done = 0;
    for (let c = 0; c < chunks.length; c++) {
      const prepared = await pending[c];
      if (c + ahead < chunks.length) pending.push(prepare(chunks[c + ahead]));
      const batch: { id: number; input: Float32Array }[] = [];
      for (const p of prepared) {
        if (p.input) batch.push({ id: p.recordId, input: p.input });
        else if (p.error) skipped.push({ recordId: p.recordId, recordName: p.recordName ?? '?', reason: p.error });
        else if (p.mismatch) {
          const record = getRecordSignal(ws.db, p.recordId);
          if (record) mismatched(p.recordId, record, p.mismatch);
          else missing(p.recordId);
        } else missing(p.recordId);
      }
      if (batch.length) {
        await scoreBatch(
          batch,
          (part) => signal.predictInputs(part.map((one) => one.input)),
          (one) => recordName(ws.db, one.id) ?? '?',
        );
      }
      done += chunks[c].length;
      onProgress?.(done, ids.length);
    }
  } else {
    for (let i = 0; i < ids.length; i += BATCH) {
      const batch: { id: number; record: EcgRecord }[] = [];
      for (const id of ids.slice(i, i + BATCH)) {
        const record = getRecordSignal(ws.db, id);
        const reason = record && recordMismatch(record, model.input);
        if (!record) missing(id);
        else if (reason) mismatched(id, record, reason);
        else batch.push({ id, record });
      }
      if (batch.length) {
        await scoreBatch(
          batch,
          (part) => scorer.predict(part.map((one) => one.record)),
          (one) => one.record.recordName,
        );
      }
      onProgress?.(Math.min(i + BATCH, ids.length), ids.length);
    }
  }
  const standIns: PredictSummary['standIns'] = [];
  for (const [standInId, records] of deferred) {
    const other = await openModel(ws.db, standInId);
    const otherScorer = await modelScorer(other);
    for (const one of records) {
      // The stand-in's classes are the primary's (same family), possibly in another order: rows carry the code.
      try {
        const p = await otherScorer.predict([one.record]);
        const rows = otherScorer.classes.map((c, k) => ({ recordId: one.id, classCode: c, probability: p[k], predicted: false }));
        const out = predictLabels(p);
        rows.forEach((r, k) => (r.predicted = out[k] === 1));
        savePredictions(ws.db, standInId, rows);
        stored++;
        standIns.push({ recordId: one.id, recordName: one.record.recordName, modelId: standInId, leads: other.info.leadSet });
      } catch (e) {
        skipped.push({ recordId: one.id, recordName: one.record.recordName, reason: `reduced-lead model ${standInId}: ${firstLine(e)}` });
      }
    }
  }
  finishPredictionRun(ws.db, runId, stored);
  return {
    records: ids.length,
    stored,
    skipped,
    standIns,
    backend: scorer.runtime,
    runId,
    ...(chosen ? { selection: chosen.selection.name } : {}),
  };
}
