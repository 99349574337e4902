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
  /** Per class, how far each rule was trusted (rule-second-opinion.ts); null when no rule seconded the model. */
  ruleOpinion?: unknown[] | null;
  /** Which rules seconded the model: 'all', 'covering' or 'none'. */
  rules?: string;
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
          `INSERT INTO label_error_run (architecture, folds, seed, epochs, classes, thresholds, fold_scores, skipped, rule_opinion, rules,
             created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
          run.ruleOpinion ? JSON.stringify(run.ruleOpinion) : null,
          run.rules ?? null,
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

/** The newest label-error run, or undefined when none was ever run (the queue then has nothing to say). */
export function latestLabelErrorRun(db: Database): { id: number; createdAt: string; flagged: number; records: number } | undefined {
  const row = db
    .prepare(
      `SELECT r.id, r.created_at AS createdAt, (SELECT COUNT(*) FROM label_error_record e WHERE e.run_id = r.id AND e.flagged = 1) AS flagged,
         (SELECT COUNT(*) FROM label_error_record e WHERE e.run_id = r.id) AS records FROM label_error_run r ORDER BY r.id DESC LIMIT 1`,
    )
    .get() as { id: number; createdAt: string; flagged: number; records: number } | undefined;
  return row;
}

/** Whether a label-error run with this id exists. */
export function labelErrorRunExists(db: Database, runId: number): boolean {
  return !!db.prepare('SELECT 1 FROM label_error_run WHERE id = ?').get(runId);
}

/**
 * Record ids a run suspects most: its `top` highest-scoring flagged records, or every flagged record scoring at least
 * `minScore`; with neither, every flagged record. Most suspect first.
 */
export function suspectedRecordIds(db: Database, runId: number, opts: { top?: number; minScore?: number } = {}): number[] {
  return db
    .prepare(
      `SELECT record_id FROM label_error_record WHERE run_id = ? AND flagged = 1 AND score >= ? ORDER BY score DESC, record_id LIMIT ?`,
    )
    .pluck()
    .all(runId, opts.minScore ?? -Infinity, opts.top ?? -1) as number[];
}
