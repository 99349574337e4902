// Predictions per record x model x class, written by `predict` and read by the worklist and model review.
import type { Database } from 'better-sqlite3';
import { refreshTriage } from './triage-store.ts';
import { writeTransaction } from './write-transaction.ts';

export interface PredictionRow {
  recordId: number;
  classCode: string;
  probability: number;
  predicted: boolean;
}

/** Replaces the model's predictions for the given records and their triage, in one transaction. `runId`: the predict run. */
export function savePredictions(db: Database, modelId: number, rows: PredictionRow[], runId: number | null = null): void {
  const at = new Date().toISOString();
  writeTransaction(db, () => {
    const del = db.prepare('DELETE FROM ml_prediction WHERE model_id = ? AND record_id = ?');
    for (const id of new Set(rows.map((r) => r.recordId))) del.run(modelId, id);
    const ins = db.prepare(
      `INSERT INTO ml_prediction (model_id, record_id, class_code, probability, predicted, predicted_at${runId === null ? '' : ', run_id'})
       VALUES (?, ?, ?, ?, ?, ?${runId === null ? '' : ', ?'})`,
    );
    for (const r of rows)
      ins.run(modelId, r.recordId, r.classCode, r.probability, r.predicted ? 1 : 0, at, ...(runId === null ? [] : [runId]));
    // The triage queues follow the predictions (absent only in a database migrated to an older version).
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'record_triage'").get())
      refreshTriage(db, modelId, [...new Set(rows.map((r) => r.recordId))]);
  });
}

export function predictionsFor(db: Database, modelId: number, recordId?: number): PredictionRow[] {
  const sql = `SELECT record_id AS recordId, class_code AS classCode, probability, predicted FROM ml_prediction WHERE model_id = ?${recordId === undefined ? '' : ' AND record_id = ?'} ORDER BY record_id, class_code`;
  const args = recordId === undefined ? [modelId] : [modelId, recordId];
  const raw = db.prepare(sql).all(...args) as Array<{ recordId: number; classCode: string; probability: number; predicted: number }>;
  return raw.map((r) => ({ ...r, predicted: r.predicted === 1 }));
}

/** What a predict run was asked to score: a saved selection (name and query as they stood), every record, or named records. */
export type PredictionScope =
  { kind: 'selection'; selectionId: number; name: string; query: unknown } | { kind: 'all' } | { kind: 'records' };

export interface PredictionRun {
  id: number;
  modelId: number;
  scope: PredictionScope['kind'];
  selection: { id: number | null; name: string; query: unknown } | null;
  records: number;
  stored: number;
  createdAt: string;
}

/** Starts a predict run (migration 16); its predictions carry its id. */
export function startPredictionRun(db: Database, modelId: number, scope: PredictionScope, records: number): number {
  return writeTransaction(db, () =>
    Number(
      db
        .prepare(
          `INSERT INTO ml_prediction_run (model_id, scope, selection_id, selection_name, selection_query, records, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          modelId,
          scope.kind,
          scope.kind === 'selection' ? scope.selectionId : null,
          scope.kind === 'selection' ? scope.name : null,
          scope.kind === 'selection' ? JSON.stringify(scope.query) : null,
          records,
          new Date().toISOString(),
        ).lastInsertRowid,
    ),
  );
}

export function finishPredictionRun(db: Database, runId: number, stored: number): void {
  writeTransaction(db, () => db.prepare('UPDATE ml_prediction_run SET stored = ? WHERE id = ?').run(stored, runId));
}

interface PredictionRunRow {
  id: number;
  model_id: number;
  scope: PredictionScope['kind'];
  selection_id: number | null;
  selection_name: string | null;
  selection_query: string | null;
  records: number;
  stored: number;
  created_at: string;
}

/** The model's predict runs, newest first (none in a database before migration 16). */
export function predictionRuns(db: Database, modelId: number): PredictionRun[] {
  if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ml_prediction_run'").get()) return [];
  const rows = db.prepare('SELECT * FROM ml_prediction_run WHERE model_id = ? ORDER BY id DESC').all(modelId) as PredictionRunRow[];
  return rows.map((r) => ({
    id: r.id,
    modelId: r.model_id,
    scope: r.scope,
    selection:
      r.selection_name === null ? null : { id: r.selection_id, name: r.selection_name, query: JSON.parse(r.selection_query ?? 'null') },
    records: r.records,
    stored: r.stored,
    createdAt: r.created_at,
  }));
}
