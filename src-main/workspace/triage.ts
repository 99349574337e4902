// Triage of stored predictions: each model's probabilities against its per-class operating thresholds (chosen on the
// validation split at training time, stated in its metrics) and the workspace's class weights and margin (setting
// 'triage'). Written after every predict and again when the settings change.
import { DEFAULT_THRESHOLD, type ClassThreshold } from '../../src-shared/label-quality/operating-thresholds.ts';
import { readTriageSettings, triageRecord, type TriageSettings } from '../../src-shared/label-quality/triage-score.ts';
import type { Database } from 'better-sqlite3';
import { getModelInfo } from '../store/model-store.ts';
import { readSetting, writeSetting } from '../store/setting-store.ts';
import { TRIAGE_SETTING, predictedModels, predictedRecordIds, recordProbabilities, saveTriage } from '../store/triage-store.ts';

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
export function refreshTriage(db: Database, modelId: number, recordIds?: number[]): { records: number; flagged: number; lowConfidence: number } {
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
    for (let after = 0; ; ) {
      const ids = predictedRecordIds(db, modelId, after, PAGE);
      if (ids.length === 0) break;
      triage(ids);
      after = ids[ids.length - 1];
    }
  return out;
}

/** Stores new triage settings (checked) and re-triages every model's predictions with them. */
export function setTriageSettings(db: Database, value: Partial<TriageSettings>): TriageSettings {
  const current = triageSettings(db);
  const next = readTriageSettings({ ...current, ...value, classWeights: { ...current.classWeights, ...(value.classWeights ?? {}) } });
  writeSetting(db, TRIAGE_SETTING, next);
  for (const id of predictedModels(db)) refreshTriage(db, id);
  return next;
}
