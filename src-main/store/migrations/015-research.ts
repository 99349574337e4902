export const migration = {
  version: 15,
  name: 'research',
  sql: `
-- How far a label-error run trusted each clinical rule per class (rule-second-opinion.ts, JSON); NULL = the run
-- ranked on the out-of-fold probabilities alone (runs before this migration, or --rules none).
ALTER TABLE label_error_run ADD COLUMN rule_opinion TEXT;
-- A label-error run's rules scope: 'all', 'covering' or 'none' (NULL before this migration).
ALTER TABLE label_error_run ADD COLUMN rules TEXT;

-- One \`predict\` run: which records the model scored, as asked (a saved selection, by name with its query as it
-- stood, every record, or named records), so stored predictions say what they were made for.
CREATE TABLE ml_prediction_run (
  id INTEGER PRIMARY KEY,
  model_id INTEGER NOT NULL REFERENCES ml_model(id) ON DELETE CASCADE,
  scope TEXT NOT NULL CHECK (scope IN ('selection', 'all', 'records')),
  selection_id INTEGER REFERENCES selection(id) ON DELETE SET NULL,
  selection_name TEXT,
  selection_query TEXT,
  records INTEGER NOT NULL,
  stored INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
CREATE INDEX ml_prediction_run_model_idx ON ml_prediction_run(model_id, id);
-- The run that wrote each stored prediction (NULL for predictions stored before this migration).
ALTER TABLE ml_prediction ADD COLUMN run_id INTEGER REFERENCES ml_prediction_run(id) ON DELETE SET NULL;
`,
};
