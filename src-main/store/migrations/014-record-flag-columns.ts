import { present } from './008-signal-codec.ts';

// record_flag's `flagged` and `low_confidence` columns have not been read since triage got its own table (migration
// 11); the triggers still computed them on every prediction and label write. They go, and the triggers now keep only
// the model-vs-label disagreement, so a row exists only while the record has one.

/** Record `x`'s most confident disagreement between the model and its current labels (NULL: none). */
const disagreement = (x: string): string => `(SELECT MAX(ABS(p.probability - ${present(x, 'p.class_code')})) FROM ml_prediction p
  WHERE p.record_id = ${x} AND p.predicted <> ${present(x, 'p.class_code')})`;

/** Recomputes record `x`'s row of record_flag (no row when the model agrees with the labels). */
const refresh = (x: string): string => `
  DELETE FROM record_flag WHERE record_id = ${x};
  INSERT INTO record_flag (record_id, label_disagreement) SELECT ${x}, d FROM (SELECT ${disagreement(x)} AS d)
  WHERE d IS NOT NULL AND EXISTS (SELECT 1 FROM record WHERE id = ${x});`;

const triggers = (table: string): string => `
DROP TRIGGER ${table}_flag_insert;
DROP TRIGGER ${table}_flag_update;
DROP TRIGGER ${table}_flag_delete;
CREATE TRIGGER ${table}_flag_insert AFTER INSERT ON ${table} BEGIN ${refresh('NEW.record_id')} END;
CREATE TRIGGER ${table}_flag_update AFTER UPDATE ON ${table} BEGIN ${refresh('OLD.record_id')} ${refresh('NEW.record_id')} END;
CREATE TRIGGER ${table}_flag_delete AFTER DELETE ON ${table} BEGIN ${refresh('OLD.record_id')} END;`;

export const migration = {
  version: 14,
  name: 'record-flag-columns',
  sql: `
${triggers('ml_prediction')}
${triggers('label')}
DELETE FROM record_flag WHERE label_disagreement IS NULL;
ALTER TABLE record_flag DROP COLUMN flagged;
ALTER TABLE record_flag DROP COLUMN low_confidence;
`,
};
