export const migration = {
  version: 2,
  name: 'rules',
  sql: `
-- Latest result of each rule detector per record and lead set, with its evidence.
CREATE TABLE rule_result (
  id INTEGER PRIMARY KEY,
  record_id INTEGER NOT NULL REFERENCES record(id) ON DELETE CASCADE,
  detector_id TEXT NOT NULL,
  detector_version TEXT NOT NULL,
  lead_set INTEGER NOT NULL CHECK (lead_set IN (12, 6, 4, 3, 2)),
  -- 1 positive, 0 negative, NULL not applicable
  decision INTEGER CHECK (decision IN (0, 1)),
  score REAL NOT NULL,
  codes TEXT NOT NULL,
  evidence TEXT NOT NULL,
  computed_at TEXT NOT NULL,
  UNIQUE (record_id, detector_id, lead_set)
);
CREATE INDEX rule_result_detector_idx ON rule_result(detector_id, lead_set, decision);
`,
};
