// Triage rows (migration 11): one per record and model, from the model's probabilities, its per-class operating
// thresholds (chosen on the validation split at training time, in its metrics) and the workspace's class weights and
// margin (setting 'triage'); read by the worklist's
// "Flagged by model" and "Low confidence" queues and its rows.
// Triage is computed here, in the store, so that every writer of predictions (savePredictions) keeps it current.
import type { Database } from 'better-sqlite3';
import type { RecordModelView } from '../../src-shared/api.ts';
import { DEFAULT_THRESHOLD, type ClassThreshold } from '../../src-shared/label-quality/operating-thresholds.ts';
import { readTriageSettings, triageRecord, type RecordTriage, type TriageSettings } from '../../src-shared/label-quality/triage-score.ts';
import { getModelInfo } from './model-store.ts';
import { prepared } from './prepared.ts';
import { readSetting, writeSetting } from './setting-store.ts';
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
export function recordProbabilities(
  db: Database,
  modelId: number,
  recordIds: number[],
): Array<{ recordId: number; probabilities: Map<string, number> }> {
  const get = db.prepare('SELECT class_code AS classCode, probability FROM ml_prediction WHERE model_id = ? AND record_id = ?');
  return recordIds
    .map((recordId) => ({
      recordId,
      probabilities: new Map(
        (get.all(modelId, recordId) as Array<{ classCode: string; probability: number }>).map((r) => [r.classCode, r.probability]),
      ),
    }))
    .filter((r) => r.probabilities.size > 0);
}

const PAGE = 2000;

export const triageSettings = (db: Database): TriageSettings => readTriageSettings(readSetting(db, TRIAGE_SETTING));

/** The model's operating threshold per class: from its metrics, else the 0.5 of the default prediction rule. */
export function modelThresholds(db: Database, modelId: number): { classes: string[]; thresholds: Float64Array; stated: boolean } {
  const info = getModelInfo(db, modelId);
  const stated = Array.isArray(info.metrics.thresholds) ? (info.metrics.thresholds as ClassThreshold[]) : [];
  const byCode = new Map(stated.map((t) => [t.code, t.threshold]));
  return {
    classes: info.classes,
    thresholds: Float64Array.from(info.classes, (c) => byCode.get(c) ?? DEFAULT_THRESHOLD),
    stated: stated.length > 0,
  };
}

/** Recomputes the triage of a model's predicted records (all, or `recordIds`); returns how many were flagged. */
export function refreshTriage(
  db: Database,
  modelId: number,
  recordIds?: number[],
): { records: number; flagged: number; lowConfidence: number } {
  const { classes, thresholds } = modelThresholds(db, modelId);
  const settings = triageSettings(db);
  const out = { records: 0, flagged: 0, lowConfidence: 0 };
  const triage = (ids: number[]): void => {
    const rows = recordProbabilities(db, modelId, ids).flatMap((p) => {
      // A record scored under another version of the class list lacks some classes: it is triaged on those it has.
      const present = classes.map((c, i) => ({ c, i })).filter(({ c }) => p.probabilities.has(c));
      if (present.length === 0) return [];
      const triage = triageRecord(
        present.map(({ c }) => c),
        present.map(({ c }) => p.probabilities.get(c)!),
        present.map(({ i }) => thresholds[i]),
        settings,
      );
      return [{ recordId: p.recordId, ...triage }];
    });
    saveTriage(db, modelId, rows);
    out.records += rows.length;
    out.flagged += rows.filter((r) => r.score !== null).length;
    out.lowConfidence += rows.filter((r) => r.lowConfidence).length;
  };
  if (recordIds) for (let i = 0; i < recordIds.length; i += PAGE) triage(recordIds.slice(i, i + PAGE));
  else
    for (let after = 0; ;) {
      const ids = predictedRecordIds(db, modelId, after, PAGE);
      if (ids.length === 0) break;
      triage(ids);
      after = ids[ids.length - 1];
    }
  return out;
}

/** Stores new triage settings (checked) and re-triages every model's predictions with them, in one transaction. */
export function setTriageSettings(db: Database, value: Partial<TriageSettings>): TriageSettings {
  const current = triageSettings(db);
  const next = readTriageSettings({ ...current, ...value, classWeights: { ...current.classWeights, ...(value.classWeights ?? {}) } });
  return writeTransaction(db, () => {
    writeSetting(db, TRIAGE_SETTING, next);
    for (const id of predictedModels(db)) refreshTriage(db, id);
    return next;
  });
}

/** What the worklist row shows of the models' view of a record: its most urgent triage, and a suspected label error. */
export function recordModelView(db: Database, recordId: number): RecordModelView | undefined {
  // Both statements prepared once: a worklist page asks this for each of its rows.
  const t = prepared(
    db,
    `SELECT model_id AS modelId, score, top_class AS classCode, top_probability AS probability, top_threshold AS threshold,
         low_confidence AS lowConfidence
       FROM record_triage WHERE record_id = ? ORDER BY score IS NULL, score DESC, model_id DESC LIMIT 1`,
  ).get(recordId) as
    { modelId: number; score: number | null; classCode: string; probability: number; threshold: number; lowConfidence: number } | undefined;
  const e = prepared(
    db,
    `SELECT run_id AS runId, score, reason FROM label_error_record
       WHERE record_id = ? AND flagged = 1 AND run_id = (SELECT MAX(id) FROM label_error_run)`,
  ).get(recordId) as { runId: number; score: number; reason: string } | undefined;
  if (!t && !e) return undefined;
  return {
    ...(t ? { triage: { ...t, lowConfidence: t.lowConfidence === 1 } } : {}),
    ...(e ? { labelError: e } : {}),
  };
}
