export const migration = {
  version: 12,
  name: 'selections',
  sql: `
-- A saved record selection: a named query (src-shared/selection-query.ts, JSON) resolved to record ids when it is used,
-- so records ingested or relabelled later fall in or out of it.
CREATE TABLE selection (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  query TEXT NOT NULL,
  author TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- Tags a person puts on records, by hand or from the CLI.
CREATE TABLE record_tag (
  record_id INTEGER NOT NULL REFERENCES record(id) ON DELETE CASCADE,
  tag TEXT NOT NULL,
  author TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (record_id, tag)
) WITHOUT ROWID;
CREATE INDEX record_tag_tag_idx ON record_tag(tag, record_id);

-- What selections filter on: the source format and folder of a record, its date of ingest.
CREATE INDEX record_source_format_idx ON record_source(format, record_id);
CREATE INDEX record_source_path_idx ON record_source(path, record_id);
CREATE INDEX record_created_idx ON record(created_at);

-- A model's evaluation on a selection: the model version (id + weights hash), the selection's query and the record ids
-- as they were resolved, and the metrics with their bootstrap intervals.
CREATE TABLE ml_evaluation (
  id INTEGER PRIMARY KEY,
  model_id INTEGER NOT NULL REFERENCES ml_model(id) ON DELETE CASCADE,
  model_version TEXT NOT NULL,
  selection_id INTEGER REFERENCES selection(id) ON DELETE SET NULL,
  selection_name TEXT NOT NULL,
  selection_query TEXT NOT NULL,
  record_ids TEXT NOT NULL,
  metrics TEXT NOT NULL,
  evaluated_at TEXT NOT NULL
);
CREATE INDEX ml_evaluation_model_idx ON ml_evaluation(model_id, selection_name);

-- The probabilities an evaluation scored, per record, in the model's class order (JSON array).
CREATE TABLE ml_evaluation_prediction (
  evaluation_id INTEGER NOT NULL REFERENCES ml_evaluation(id) ON DELETE CASCADE,
  record_id INTEGER NOT NULL REFERENCES record(id) ON DELETE CASCADE,
  probabilities TEXT NOT NULL,
  PRIMARY KEY (evaluation_id, record_id)
) WITHOUT ROWID;
`,
};
