export const migration = {
  version: 9,
  name: 'boundary-correction',
  sql: `
-- A reviewer's correction of one global boundary of a record's median beat (offset from R, in samples). Like labels,
-- never overwritten: a new correction clears is_current on the one it supersedes. offset_samples NULL puts the
-- automatic boundary back (an undone correction), so the history keeps every step. The automatic delineation itself
-- is never stored here: it is recomputed from the signal.
CREATE TABLE boundary_correction (
  id INTEGER PRIMARY KEY,
  record_id INTEGER NOT NULL REFERENCES record(id) ON DELETE CASCADE,
  boundary TEXT NOT NULL CHECK (boundary IN ('pOnset', 'pOffset', 'qrsOnset', 'qrsOffset', 'tOffset')),
  offset_samples INTEGER,
  author TEXT NOT NULL,
  is_current INTEGER NOT NULL DEFAULT 1,
  supersedes INTEGER REFERENCES boundary_correction(id),
  corrected_at TEXT NOT NULL
);
CREATE INDEX boundary_correction_record_idx ON boundary_correction(record_id, boundary, is_current);
`,
};
