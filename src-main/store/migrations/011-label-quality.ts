export const migration = {
  version: 11,
  name: 'label-quality',
  sql: `
-- Triage per record and model (workspace/triage.ts): from the model's probabilities, its per-class operating
-- thresholds and the workspace's class weights; rewritten when the model predicts or the triage settings change.
-- score NULL = no weighted class above its threshold (not flagged); top_class = the class behind the score.
CREATE TABLE record_triage (
  record_id INTEGER NOT NULL REFERENCES record(id) ON DELETE CASCADE,
  model_id INTEGER NOT NULL REFERENCES ml_model(id) ON DELETE CASCADE,
  score REAL,
  top_class TEXT NOT NULL,
  top_probability REAL NOT NULL,
  top_threshold REAL NOT NULL,
  low_confidence INTEGER NOT NULL,
  PRIMARY KEY (record_id, model_id)
) WITHOUT ROWID;
CREATE INDEX record_triage_score_idx ON record_triage(score) WHERE score IS NOT NULL;
CREATE INDEX record_triage_low_confidence_idx ON record_triage(record_id) WHERE low_confidence = 1;

-- Label-error ranking runs (confident learning over k-fold out-of-fold probabilities, workspace/label-errors.ts).
CREATE TABLE label_error_run (
  id INTEGER PRIMARY KEY,
  architecture TEXT NOT NULL,
  folds INTEGER NOT NULL,
  seed INTEGER NOT NULL,
  epochs INTEGER NOT NULL,
  classes TEXT NOT NULL,
  thresholds TEXT NOT NULL,
  fold_scores TEXT NOT NULL,
  skipped TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL
);
-- Per record and class: the out-of-fold probability, whether the label was given, and how suspect it is (> 0 = flagged).
CREATE TABLE label_error_class (
  run_id INTEGER NOT NULL REFERENCES label_error_run(id) ON DELETE CASCADE,
  record_id INTEGER NOT NULL REFERENCES record(id) ON DELETE CASCADE,
  class_code TEXT NOT NULL,
  given INTEGER NOT NULL,
  probability REAL NOT NULL,
  threshold REAL,
  suspicion REAL NOT NULL,
  PRIMARY KEY (run_id, record_id, class_code)
) WITHOUT ROWID;
-- Per record: its score (the worst class's suspicion), the fold it was held out in, and the reason in words.
CREATE TABLE label_error_record (
  run_id INTEGER NOT NULL REFERENCES label_error_run(id) ON DELETE CASCADE,
  record_id INTEGER NOT NULL REFERENCES record(id) ON DELETE CASCADE,
  fold INTEGER NOT NULL,
  score REAL NOT NULL,
  flagged INTEGER NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (run_id, record_id)
) WITHOUT ROWID;
CREATE INDEX label_error_record_flagged_idx ON label_error_record(run_id, score) WHERE flagged = 1;
`,
};
