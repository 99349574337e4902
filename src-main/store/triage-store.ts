// Triage rows (migration 11): one per record and model, written by workspace/triage.ts, read by the worklist's
// "Flagged by model" and "Low confidence" queues and its rows.
import type { Database } from 'better-sqlite3';
import type { RecordTriage } from '../../src-shared/label-quality/triage-score.ts';
import type { RecordModelView } from '../../src-shared/api.ts';
import { writeTransaction } from './write-transaction.ts';

export const TRIAGE_SETTING = 'triage';

/** Replaces the model's triage of these records in one transaction. */
export function saveTriage(db: Database, modelId: number, rows: Array<{ recordId: number } & RecordTriage>): void {
  writeTransaction(db, () => {
    const put = db.prepare(
      `INSERT OR REPLACE INTO record_triage (record_id, model_id, score, top_class, top_probability, top_threshold, low_confidence)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const r of rows) put.run(r.recordId, modelId, r.score, r.topClass, r.topProbability, r.topThreshold, r.lowConfidence ? 1 : 0);
  });
}

/** Every model with stored predictions, and the record ids it predicted, in pages (keeps memory bounded). */
export function predictedModels(db: Database): number[] {
  return db.prepare('SELECT DISTINCT model_id FROM ml_prediction ORDER BY model_id').pluck().all() as number[];
}

/** The ids of the records a model predicted after `afterRecordId`, up to `limit`, in id order (for paging). */
export function predictedRecordIds(db: Database, modelId: number, afterRecordId: number, limit: number): number[] {
  return db
    .prepare('SELECT DISTINCT record_id FROM ml_prediction WHERE model_id = ? AND record_id > ? ORDER BY record_id LIMIT ?')
    .pluck()
    .all(modelId, afterRecordId, limit) as number[];
}

/** A model's stored probabilities for the given records, by record then class code (records without any are left out). */
export function recordProbabilities(db: Database, modelId: number, recordIds: number[]): Array<{ recordId: number; probabilities: Map<string, number> }> {
  const get = db.prepare('SELECT class_code AS classCode, probability FROM ml_prediction WHERE model_id = ? AND record_id = ?');
  return recordIds
    .map((recordId) => ({
      recordId,
      probabilities: new Map((get.all(modelId, recordId) as Array<{ classCode: string; probability: number }>).map((r) => [r.classCode, r.probability])),
    }))
    .filter((r) => r.probabilities.size > 0);
}

/** What the worklist row shows of the models' view of a record: its most urgent triage, and a suspected label error. */
export function recordModelView(db: Database, recordId: number): RecordModelView | undefined {
  const t = db
    .prepare(
      `SELECT model_id AS modelId, score, top_class AS classCode, top_probability AS probability, top_threshold AS threshold,
         low_confidence AS lowConfidence
       FROM record_triage WHERE record_id = ? ORDER BY score IS NULL, score DESC, model_id DESC LIMIT 1`,
    )
    .get(recordId) as
    | { modelId: number; score: number | null; classCode: string; probability: number; threshold: number; lowConfidence: number }
    | undefined;
  const e = db
    .prepare(
      `SELECT run_id AS runId, score, reason FROM label_error_record
       WHERE record_id = ? AND flagged = 1 AND run_id = (SELECT MAX(id) FROM label_error_run)`,
    )
    .get(recordId) as { runId: number; score: number; reason: string } | undefined;
  if (!t && !e) return undefined;
  return {
    ...(t ? { triage: { ...t, lowConfidence: t.lowConfidence === 1 } } : {}),
    ...(e ? { labelError: e } : {}),
  };
}
