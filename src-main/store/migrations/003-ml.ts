export const migration = {
  version: 3,
  name: 'ml',
  sql: `
-- Trained or imported models with their lineage. weights: LeadLens tfjs weights (ml/model-weights.ts format) or ONNX bytes.
CREATE TABLE ml_model (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('tfjs', 'onnx')),
  architecture TEXT NOT NULL,
  hyperparameters TEXT NOT NULL DEFAULT '{}',
  classes TEXT NOT NULL,
  lead_set TEXT NOT NULL,
  input_spec TEXT NOT NULL,
  metrics TEXT NOT NULL DEFAULT '{}',
  runtime TEXT NOT NULL,
  parent_id INTEGER REFERENCES ml_model(id) ON DELETE SET NULL,
  weights BLOB NOT NULL,
  created_at TEXT NOT NULL
);

-- The records a model saw and on which side of the split.
CREATE TABLE ml_model_record (
  model_id INTEGER NOT NULL REFERENCES ml_model(id) ON DELETE CASCADE,
  record_id INTEGER NOT NULL REFERENCES record(id) ON DELETE CASCADE,
  split TEXT NOT NULL CHECK (split IN ('train', 'validation', 'test')),
  PRIMARY KEY (model_id, record_id)
) WITHOUT ROWID;

-- The exact label versions (label rows are immutable) a model was trained on.
CREATE TABLE ml_model_label (
  model_id INTEGER NOT NULL REFERENCES ml_model(id) ON DELETE CASCADE,
  label_id INTEGER NOT NULL REFERENCES label(id) ON DELETE CASCADE,
  PRIMARY KEY (model_id, label_id)
) WITHOUT ROWID;

CREATE TABLE ml_prediction (
  model_id INTEGER NOT NULL REFERENCES ml_model(id) ON DELETE CASCADE,
  record_id INTEGER NOT NULL REFERENCES record(id) ON DELETE CASCADE,
  class_code TEXT NOT NULL,
  probability REAL NOT NULL,
  predicted INTEGER NOT NULL,
  predicted_at TEXT NOT NULL,
  PRIMARY KEY (model_id, record_id, class_code)
) WITHOUT ROWID;
CREATE INDEX ml_prediction_record_idx ON ml_prediction(record_id);
`,
};
