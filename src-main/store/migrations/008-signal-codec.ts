// Whether record `x`'s current label `code` is present: an annotator's word overrides the dataset's. Keep in step with
// labelPresent in store/worklist.ts (the same rule, for a record bound as r.id there). Migration 14 reuses it.
export const present = (
  x: string,
  code: string,
): string => `(EXISTS (SELECT 1 FROM label l WHERE l.record_id = ${x} AND l.code = ${code} AND l.is_current = 1
  AND l.present = 1 AND l.source_kind IN ('dataset', 'annotator'))
  AND NOT EXISTS (SELECT 1 FROM label l WHERE l.record_id = ${x} AND l.code = ${code} AND l.is_current = 1 AND l.present = 0 AND l.source_kind = 'annotator'))`;

/** Recomputes record `x`'s row of record_flag from its predictions and labels (no row when nothing is flagged). */
const refresh = (x: string): string => `
  DELETE FROM record_flag WHERE record_id = ${x};
  INSERT INTO record_flag (record_id, flagged, low_confidence, label_disagreement)
  SELECT ${x}, f, lc, d FROM (SELECT
    EXISTS (SELECT 1 FROM ml_prediction p WHERE p.record_id = ${x} AND p.predicted = 1 AND p.class_code <> '426783006') AS f,
    EXISTS (SELECT 1 FROM ml_prediction p WHERE p.record_id = ${x} AND p.probability BETWEEN 0.35 AND 0.65) AS lc,
    (SELECT MAX(ABS(p.probability - ${present(x, 'p.class_code')})) FROM ml_prediction p
      WHERE p.record_id = ${x} AND p.predicted <> ${present(x, 'p.class_code')}) AS d)
  WHERE (f OR lc OR d IS NOT NULL) AND EXISTS (SELECT 1 FROM record WHERE id = ${x});`;

const triggers = (table: string): string => `
CREATE TRIGGER ${table}_flag_insert AFTER INSERT ON ${table} BEGIN ${refresh('NEW.record_id')} END;
CREATE TRIGGER ${table}_flag_update AFTER UPDATE ON ${table} BEGIN ${refresh('OLD.record_id')} ${refresh('NEW.record_id')} END;
CREATE TRIGGER ${table}_flag_delete AFTER DELETE ON ${table} BEGIN ${refresh('OLD.record_id')} END;`;

export const migration = {
  version: 8,
  name: 'signal-codec',
  sql: `
-- How a chunk's samples are stored: 0 = raw little-endian samples, 1 = signal-codec.ts (predictor + Rice codes).
-- Existing raw chunks stay readable; convertSignalChunks (signal-chunk-conversion.ts) compresses them batch by batch.
ALTER TABLE signal_chunk ADD COLUMN encoding INTEGER NOT NULL DEFAULT 0;

-- A large record's chunks are written in bounded transactions before its record row exists (so the WAL stays small
-- and nothing of it is visible until the record row commits). Its id is reserved here; a row left by a process
-- that died is cleaned up with its chunks.
CREATE TABLE record_staging (
  record_id INTEGER PRIMARY KEY,
  content_hash TEXT NOT NULL,
  pid INTEGER NOT NULL,
  started_at TEXT NOT NULL
);

-- The model worklist queues per record, kept by triggers on predictions and labels, so a queue's page and count read
-- the flagged records rather than every record's predictions and labels (100,000-record workspaces).
-- Rows only for records with a flag; label_disagreement = how confident the model is against the label (NULL: agrees).
CREATE TABLE record_flag (
  record_id INTEGER PRIMARY KEY,
  flagged INTEGER NOT NULL,
  low_confidence INTEGER NOT NULL,
  label_disagreement REAL
);
CREATE INDEX record_flag_disagreement_idx ON record_flag(label_disagreement) WHERE label_disagreement IS NOT NULL;
${triggers('ml_prediction')}
${triggers('label')}
CREATE TRIGGER record_flag_record_delete AFTER DELETE ON record BEGIN DELETE FROM record_flag WHERE record_id = OLD.id; END;
INSERT INTO record_flag (record_id, flagged, low_confidence, label_disagreement)
  SELECT id, f, lc, d FROM (SELECT r.id,
    EXISTS (SELECT 1 FROM ml_prediction p WHERE p.record_id = r.id AND p.predicted = 1 AND p.class_code <> '426783006') AS f,
    EXISTS (SELECT 1 FROM ml_prediction p WHERE p.record_id = r.id AND p.probability BETWEEN 0.35 AND 0.65) AS lc,
    (SELECT MAX(ABS(p.probability - ${present('r.id', 'p.class_code')})) FROM ml_prediction p
      WHERE p.record_id = r.id AND p.predicted <> ${present('r.id', 'p.class_code')}) AS d
    FROM record r WHERE r.id IN (SELECT record_id FROM ml_prediction))
  WHERE f OR lc OR d IS NOT NULL;

-- Worklist filters at scale: review-state queues and counts, label filters and searches by code.
CREATE INDEX record_review_state_idx ON record(review_state);
CREATE INDEX label_code_record_idx ON label(code, is_current, present, record_id);
`,
};
