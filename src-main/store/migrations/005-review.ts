export const migration = {
  version: 5,
  name: 'review',
  sql: `
-- Free-text notes on a record; never edited in place (a deletion is a flag, kept for the history).
CREATE TABLE record_note (
  id INTEGER PRIMARY KEY,
  record_id INTEGER NOT NULL REFERENCES record(id) ON DELETE CASCADE,
  author TEXT NOT NULL,
  text TEXT NOT NULL,
  created_at TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX record_note_record_idx ON record_note(record_id);

-- A labelled sample range on one lead (lead NULL: all leads).
CREATE TABLE interval_annotation (
  id INTEGER PRIMARY KEY,
  record_id INTEGER NOT NULL REFERENCES record(id) ON DELETE CASCADE,
  start_sample INTEGER NOT NULL,
  end_sample INTEGER NOT NULL,
  lead TEXT,
  vocabulary TEXT NOT NULL,
  code TEXT NOT NULL,
  text TEXT NOT NULL DEFAULT '',
  author TEXT NOT NULL,
  created_at TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX interval_annotation_record_idx ON interval_annotation(record_id);

`,
};
