// Several reviewers on one workspace: each reviewer's review state per record, and the label sets agreement reads.
import type { Database } from 'better-sqlite3';
import type { ReviewerReview } from '../../src-shared/api.ts';
import { SUBMITTED_STATES, type ReviewState } from '../../src-shared/review-vocabulary.ts';

const SUBMITTED = SUBMITTED_STATES.map((s) => `'${s}'`).join(', ');

export function reviewerReviews(db: Database, recordId: number): ReviewerReview[] {
  return (
    db
      .prepare('SELECT reviewer, state, updated_at FROM reviewer_review WHERE record_id = ? ORDER BY updated_at, reviewer')
      .all(recordId) as {
      reviewer: string;
      state: ReviewState;
      updated_at: string;
    }[]
  ).map((r) => ({ reviewer: r.reviewer, state: r.state, updatedAt: r.updated_at }));
}

/** Whether `reviewer` has submitted the record (accepted, corrected or reviewed it). */
export function hasSubmitted(db: Database, recordId: number, reviewer: string): boolean {
  return !!db
    .prepare(`SELECT 1 FROM reviewer_review WHERE record_id = ? AND reviewer = ? AND state IN (${SUBMITTED})`)
    .get(recordId, reviewer);
}

/** Of `recordIds`, those `reviewer` has submitted. */
export function submittedAmong(db: Database, recordIds: readonly number[], reviewer: string): Set<number> {
  return new Set(
    db
      .prepare(
        `SELECT record_id FROM reviewer_review WHERE reviewer = ? AND state IN (${SUBMITTED}) AND record_id IN (SELECT value FROM json_each(?))`,
      )
      .pluck()
      .all(reviewer, JSON.stringify(recordIds)) as number[],
  );
}

/** One submitted review with the reviewer's label set on the record: the dataset's current SNOMED labels as the
 *  reviewer's own current words override them (what they saw and endorsed, plus what they changed). */
export interface SubmittedLabelSet {
  recordId: number;
  reviewer: string;
  codes: Set<string>;
}

export function submittedLabelSets(db: Database): SubmittedLabelSet[] {
  const reviews = db
    .prepare(`SELECT record_id, reviewer FROM reviewer_review WHERE state IN (${SUBMITTED}) ORDER BY record_id, reviewer`)
    .all() as { record_id: number; reviewer: string }[];
  const dataset = db.prepare(
    "SELECT DISTINCT code FROM label WHERE record_id = ? AND vocabulary = 'SNOMED' AND source_kind = 'dataset' AND is_current = 1 AND present = 1",
  );
  const own = db.prepare(
    "SELECT code, present FROM label WHERE record_id = ? AND author = ? AND vocabulary = 'SNOMED' AND source_kind = 'annotator' AND is_current = 1",
  );
  const datasetCodes = new Map<number, string[]>();
  return reviews.map((r) => {
    let base = datasetCodes.get(r.record_id);
    if (!base) datasetCodes.set(r.record_id, (base = dataset.pluck().all(r.record_id) as string[]));
    const codes = new Set(base);
    for (const w of own.all(r.record_id, r.reviewer) as { code: string; present: number }[]) {
      if (w.present) codes.add(w.code);
      else codes.delete(w.code);
    }
    return { recordId: r.record_id, reviewer: r.reviewer, codes };
  });
}
