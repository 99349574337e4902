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

/** Replaces the model's predictions for the given records and their triage, in one transaction. */
export function savePredictions(db: Database, modelId: number, rows: PredictionRow[]): void {
  const at = new Date().toISOString();
  writeTransaction(db, () => {
    const del = db.prepare('DELETE FROM ml_prediction WHERE model_id = ? AND record_id = ?');
    for (const id of new Set(rows.map((r) => r.recordId))) del.run(modelId, id);
    const ins = db.prepare(
      'INSERT INTO ml_prediction (model_id, record_id, class_code, probability, predicted, predicted_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    for (const r of rows) ins.run(modelId, r.recordId, r.classCode, r.probability, r.predicted ? 1 : 0, at);
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
