// A model's evaluations on saved selections (migration 12): which model version and which selection (its query and the
// record ids as resolved) the stored probabilities and metrics came from.
import type { Database } from 'better-sqlite3';
import type { SelectionQuery } from '../../src-shared/selection-query.ts';
import { writeTransaction } from './write-transaction.ts';

export interface NewEvaluation {
  modelId: number;
  modelVersion: string;
  selectionId: number | null;
  selectionName: string;
  selectionQuery: SelectionQuery;
  /** Per scored record: the probabilities in the model's class order. */
  predictions: { recordId: number; probabilities: number[] }[];
  metrics: Record<string, unknown>;
}

export interface StoredEvaluation {
  id: number;
  modelId: number;
  modelVersion: string;
  selectionName: string;
  selectionQuery: SelectionQuery;
  recordIds: number[];
  metrics: Record<string, unknown>;
  evaluatedAt: string;
}

/** Stores one evaluation with its probabilities, in one transaction; returns its id. */
export function saveEvaluation(db: Database, e: NewEvaluation, now = new Date().toISOString()): number {
  return writeTransaction(db, () => {
    const id = Number(
      db
        .prepare(
          `INSERT INTO ml_evaluation (model_id, model_version, selection_id, selection_name, selection_query, record_ids, metrics, evaluated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          e.modelId,
          e.modelVersion,
          e.selectionId,
          e.selectionName,
          JSON.stringify(e.selectionQuery),
          JSON.stringify(e.predictions.map((p) => p.recordId)),
          JSON.stringify(e.metrics),
          now,
        ).lastInsertRowid,
    );
    const ins = db.prepare('INSERT INTO ml_evaluation_prediction (evaluation_id, record_id, probabilities) VALUES (?, ?, ?)');
    for (const p of e.predictions) ins.run(id, p.recordId, JSON.stringify(p.probabilities.map((v) => Math.round(v * 1e6) / 1e6)));
    return id;
  });
}

interface EvaluationRow {
  id: number;
  model_id: number;
  model_version: string;
  selection_name: string;
  selection_query: string;
  record_ids: string;
  metrics: string;
  evaluated_at: string;
}

/** A model's evaluations, newest first. */
export function listEvaluations(db: Database, modelId: number): StoredEvaluation[] {
  return (db.prepare('SELECT * FROM ml_evaluation WHERE model_id = ? ORDER BY id DESC').all(modelId) as EvaluationRow[]).map((r) => ({
    id: r.id,
    modelId: r.model_id,
    modelVersion: r.model_version,
    selectionName: r.selection_name,
    selectionQuery: JSON.parse(r.selection_query),
    recordIds: JSON.parse(r.record_ids),
    metrics: JSON.parse(r.metrics),
    evaluatedAt: r.evaluated_at,
  }));
}

/** The probabilities an evaluation stored, per record. */
export function evaluationPredictions(db: Database, evaluationId: number): { recordId: number; probabilities: number[] }[] {
  return (
    db
      .prepare('SELECT record_id AS recordId, probabilities FROM ml_evaluation_prediction WHERE evaluation_id = ? ORDER BY record_id')
      .all(evaluationId) as { recordId: number; probabilities: string }[]
  ).map((r) => ({ recordId: r.recordId, probabilities: JSON.parse(r.probabilities) }));
}
