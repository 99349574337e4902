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

const BATCH = 64;
const firstLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0];

/** Predicts and stores per-class probabilities for the records (all records when none given); never aborts on one record. */
export async function predictInWorkspace(
  ws: Workspace,
  modelId: number,
  recordIds?: number[],
  onProgress?: (done: number, total: number) => void,
  selection?: string,
): Promise<PredictSummary> {
  // A saved selection names the records; the run records which (with the query as it stood), or 'all' / 'records'.
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
  const store = (records: { id: number; record: EcgRecord }[], p: Float32Array, storeModelId = modelId): void => {
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
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch: { id: number; record: EcgRecord }[] = [];
    for (const id of ids.slice(i, i + BATCH)) {
      const record = getRecordSignal(ws.db, id);
      if (!record)
        skipped.push({ recordId: id, recordName: recordName(ws.db, id) ?? '?', reason: `no record with id ${id} in this workspace` });
      else {
        const reason = recordMismatch(record, model.input);
        const standIn = reason ? reducedLeadStandIn(ws.db, model.info, record) : undefined;
        if (standIn) deferred.set(standIn.id, [...(deferred.get(standIn.id) ?? []), { id, record }]);
        else if (reason) skipped.push({ recordId: id, recordName: record.recordName, reason });
        else batch.push({ id, record });
      }
    }
    if (batch.length) {
      try {
        store(batch, await scorer.predict(batch.map((b) => b.record)));
      } catch {
        // One record the checks did not foresee fails the batch: score the batch record by record to find it.
        for (const one of batch) {
          try {
            store([one], await scorer.predict([one.record]));
          } catch (e) {
            skipped.push({ recordId: one.id, recordName: one.record.recordName, reason: firstLine(e) });
          }
        }
      }
    }
    onProgress?.(Math.min(i + BATCH, ids.length), ids.length);
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
