export const migration = {
  version: 4,
  name: 'explain',
  sql: `
-- One attribution map with everything needed to reproduce it. map: float32 little-endian, leads x samples.
CREATE TABLE saliency_map (
  id INTEGER PRIMARY KEY,
  record_id INTEGER NOT NULL REFERENCES record(id) ON DELETE CASCADE,
  model_id INTEGER NOT NULL REFERENCES ml_model(id) ON DELETE CASCADE,
  method TEXT NOT NULL,
  baseline TEXT NOT NULL DEFAULT '',
  target_class INTEGER NOT NULL,
  layer TEXT NOT NULL DEFAULT '',
  preprocessing TEXT NOT NULL,
  layout TEXT NOT NULL DEFAULT '',
  seed INTEGER,
  params TEXT NOT NULL DEFAULT '{}',
  leads TEXT NOT NULL,
  samples INTEGER NOT NULL,
  map BLOB NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (record_id, model_id, method, baseline, target_class, layer, layout, params)
);
CREATE INDEX saliency_map_model_idx ON saliency_map(model_id, method);

-- A metric computed on one map (fidelity, sanity, localisation) or between two (consistency).
CREATE TABLE saliency_metric (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('consistency', 'fidelity', 'sanity', 'localisation')),
  map_id INTEGER NOT NULL REFERENCES saliency_map(id) ON DELETE CASCADE,
  other_map_id INTEGER REFERENCES saliency_map(id) ON DELETE CASCADE,
  audit_id INTEGER REFERENCES explain_audit(id) ON DELETE SET NULL,
  value TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX saliency_metric_map_idx ON saliency_metric(map_id);

-- A dataset audit run and where its report went.
CREATE TABLE explain_audit (
  id INTEGER PRIMARY KEY,
  model_id INTEGER NOT NULL REFERENCES ml_model(id) ON DELETE CASCADE,
  methods TEXT NOT NULL,
  layouts TEXT NOT NULL,
  record_count INTEGER NOT NULL,
  report_dir TEXT,
  summary TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL
);
`,
};
