export const migration = {
  version: 10,
  name: 'annotators',
  sql: `
-- Each reviewer's own review state of a record: several reviewers review one record independently. record.review_state
-- stays the record's latest state (the worklist queues); a reviewer who has accepted, corrected or reviewed a record
-- has submitted it (blind mode shows them the others' labels only then), and their labels count in the agreement.
CREATE TABLE reviewer_review (
  record_id INTEGER NOT NULL REFERENCES record(id) ON DELETE CASCADE,
  reviewer TEXT NOT NULL,
  state TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (record_id, reviewer)
);
CREATE INDEX reviewer_review_state_idx ON reviewer_review(state, record_id);

-- A reviewer's current word on a record's codes (per-reviewer label sets).
CREATE INDEX label_annotator_author_idx ON label(record_id, author, code) WHERE source_kind = 'annotator' AND is_current = 1;

-- Until now one annotator's word superseded any other's: the rows left current are each reviewer's latest, so the
-- label sets carry over. Review states set before come from the audit log (the newest per record and reviewer).
INSERT INTO reviewer_review (record_id, reviewer, state, updated_at)
SELECT a.record_id, a.actor, json_extract(a.detail, '$.to'), a.at FROM audit_log a
WHERE a.action = 'review.state' AND a.record_id IN (SELECT id FROM record)
  AND a.id = (SELECT MAX(b.id) FROM audit_log b WHERE b.action = 'review.state' AND b.record_id = a.record_id AND b.actor = a.actor);
`,
};
