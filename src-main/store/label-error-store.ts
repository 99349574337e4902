// Label-error ranking runs (migration 11): the run's settings and class thresholds, per record and class the
// out-of-fold probability and suspicion, and per record its score and reason. Written in one transaction.
import type { Database } from 'better-sqlite3';
import { writeTransaction } from './write-transaction.ts';

export interface LabelErrorRunInfo {
  architecture: string;
  folds: number;
  seed: number;
  epochs: number;
  classes: string[];
  /** Per class, the confident-learning threshold (null: no record carries the class). */
  thresholds: Array<number | null>;
  foldScores: number[];
  skipped: Array<{ recordId: number; recordName: string; reason: string }>;
}

export interface LabelErrorRecordRow {
  recordId: number;
  fold: number;
  score: number;
  flagged: boolean;
  reason: string;
  classes: Array<{ classCode: string; given: boolean; probability: number; threshold: number | null; suspicion: number }>;
}

export function saveLabelErrorRun(db: Database, run: LabelErrorRunInfo, records: LabelErrorRecordRow[]): number {
  return writeTransaction(db, () => {
    const id = Number(
      db
        .prepare(
          `INSERT INTO label_error_run (architecture, folds, seed, epochs, classes, thresholds, fold_scores, skipped, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          run.architecture,
          run.folds,
          run.seed,
          run.epochs,
          JSON.stringify(run.classes),
          JSON.stringify(run.thresholds),
          JSON.stringify(run.foldScores),
          JSON.stringify(run.skipped),
          new Date().toISOString(),
        ).lastInsertRowid,
    );
    const rec = db.prepare('INSERT INTO label_error_record (run_id, record_id, fold, score, flagged, reason) VALUES (?, ?, ?, ?, ?, ?)');
    const cls = db.prepare(
      'INSERT INTO label_error_class (run_id, record_id, class_code, given, probability, threshold, suspicion) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    for (const r of records) {
      rec.run(id, r.recordId, r.fold, r.score, r.flagged ? 1 : 0, r.reason);
      for (const c of r.classes) cls.run(id, r.recordId, c.classCode, c.given ? 1 : 0, c.probability, c.threshold, c.suspicion);
    }
    return id;
  });
}

/** A run's flagged records, most suspect first. */
export function flaggedLabelErrors(
  db: Database,
  runId: number,
  limit = 100,
): Array<{ recordId: number; recordName: string; score: number; reason: string }> {
  return db
    .prepare(
      `SELECT e.record_id AS recordId, r.record_name AS recordName, e.score, e.reason FROM label_error_record e
       JOIN record r ON r.id = e.record_id WHERE e.run_id = ? AND e.flagged = 1 ORDER BY e.score DESC, e.record_id LIMIT ?`,
    )
    .all(runId, limit) as Array<{ recordId: number; recordName: string; score: number; reason: string }>;
}
