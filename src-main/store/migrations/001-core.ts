export const migration = {
  version: 1,
  name: 'core',
  sql: `
CREATE TABLE record (
  id INTEGER PRIMARY KEY,
  content_hash TEXT NOT NULL UNIQUE,
  record_name TEXT NOT NULL,
  format TEXT NOT NULL,
  patient_id TEXT,
  sampling_rate REAL NOT NULL,
  length INTEGER NOT NULL,
  lead_count INTEGER NOT NULL,
  start_time TEXT,
  age REAL,
  sex TEXT,
  attributes TEXT NOT NULL DEFAULT '{}',
  review_state TEXT NOT NULL DEFAULT 'new',
  created_at TEXT NOT NULL
);
CREATE INDEX record_name_idx ON record(record_name);
CREATE INDEX record_patient_idx ON record(patient_id);

-- Every file (or dataset row) a record arrived from; one record may have many.
CREATE TABLE record_source (
  id INTEGER PRIMARY KEY,
  record_id INTEGER NOT NULL REFERENCES record(id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  format TEXT NOT NULL,
  source_record_name TEXT NOT NULL,
  ingested_at TEXT NOT NULL,
  UNIQUE (record_id, path, source_record_name)
);

CREATE TABLE lead (
  record_id INTEGER NOT NULL REFERENCES record(id) ON DELETE CASCADE,
  lead_index INTEGER NOT NULL,
  name TEXT NOT NULL,
  units TEXT NOT NULL,
  gain REAL NOT NULL,
  baseline INTEGER NOT NULL,
  sample_type TEXT NOT NULL CHECK (sample_type IN ('int16', 'int32')),
  derived INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (record_id, lead_index)
) WITHOUT ROWID;

-- level 0: raw digital samples; level k >= 1: interleaved (min, max) per bucket of PYRAMID_BASE * PYRAMID_FACTOR^(k-1) samples.
CREATE TABLE signal_chunk (
  record_id INTEGER NOT NULL REFERENCES record(id) ON DELETE CASCADE,
  lead_index INTEGER NOT NULL,
  level INTEGER NOT NULL,
  chunk_index INTEGER NOT NULL,
  samples BLOB NOT NULL,
  PRIMARY KEY (record_id, lead_index, level, chunk_index)
) WITHOUT ROWID;

CREATE TABLE annotation (
  record_id INTEGER NOT NULL REFERENCES record(id) ON DELETE CASCADE,
  annotator TEXT NOT NULL,
  sample INTEGER NOT NULL,
  symbol TEXT NOT NULL,
  subtype INTEGER,
  channel INTEGER,
  num INTEGER,
  aux TEXT
);
CREATE INDEX annotation_record_idx ON annotation(record_id, annotator, sample);

-- Label assertions are never overwritten: a correction adds a row and clears is_current on the one it supersedes.
CREATE TABLE label (
  id INTEGER PRIMARY KEY,
  record_id INTEGER NOT NULL REFERENCES record(id) ON DELETE CASCADE,
  vocabulary TEXT NOT NULL,
  code TEXT NOT NULL,
  present INTEGER NOT NULL DEFAULT 1,
  source_kind TEXT NOT NULL CHECK (source_kind IN ('dataset', 'annotator', 'model', 'rule')),
  source_name TEXT NOT NULL,
  author TEXT,
  likelihood REAL,
  is_current INTEGER NOT NULL DEFAULT 1,
  supersedes INTEGER REFERENCES label(id),
  asserted_at TEXT NOT NULL
);
CREATE INDEX label_record_idx ON label(record_id, is_current);
CREATE INDEX label_code_idx ON label(vocabulary, code, is_current);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  record_id INTEGER,
  detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_record_idx ON audit_log(record_id);

-- Files already taken in (or refused), so a rescan after a restart imports nothing twice.
CREATE TABLE ingested_file (
  path TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  mtime_ms INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('ingested', 'quarantined')),
  record_ids TEXT NOT NULL DEFAULT '[]',
  at TEXT NOT NULL
);

CREATE TABLE quarantine (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,
  reason TEXT NOT NULL,
  at TEXT NOT NULL
);

CREATE TABLE inbox (
  path TEXT PRIMARY KEY,
  added_at TEXT NOT NULL
);

CREATE TABLE setting (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`,
};
