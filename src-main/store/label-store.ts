import type { Database } from 'better-sqlite3';
import type { LabelAssertion, LabelRef } from '../../src-shared/api.ts';
import { REVIEW_STATES, isReviewState, type ReviewState } from '../../src-shared/review-vocabulary.ts';
import { appendAudit } from './audit-log.ts';
import { prepared } from './prepared.ts';
import { writeTransaction } from './write-transaction.ts';

interface LabelRow {
  id: number;
  vocabulary: string;
  code: string;
  present: number;
  source_kind: LabelAssertion['sourceKind'];
  source_name: string;
  author: string | null;
  likelihood: number | null;
  is_current: number;
  supersedes: number | null;
  asserted_at: string;
}

function toAssertion(r: LabelRow): LabelAssertion {
  return {
    id: r.id,
    vocabulary: r.vocabulary,
    code: r.code,
    present: !!r.present,
    sourceKind: r.source_kind,
    sourceName: r.source_name,
    author: r.author,
    likelihood: r.likelihood,
    isCurrent: !!r.is_current,
    supersedes: r.supersedes,
    assertedAt: r.asserted_at,
  };
}

export function labelHistory(db: Database, recordId: number): LabelAssertion[] {
  return (db.prepare('SELECT * FROM label WHERE record_id = ? ORDER BY id').all(recordId) as LabelRow[]).map(toAssertion);
}

/**
 * The record's labels as they stand: an annotator's current word on a code overrides the dataset's (when several
 * reviewers differ, absent wins until they agree: the consensus is agreement-report's); otherwise the dataset's current labels hold. Model and rule outputs
 * are not labels here. With `reviewer`, only that reviewer's words count (their own label set, as blind mode shows it).
 */
export function effectiveLabels(db: Database, recordId: number, reviewer?: string): LabelRef[] {
  // Prepared once: a worklist page asks this for each of its rows.
  const rows = prepared(
    db,
    `SELECT vocabulary, code, present, source_kind FROM label WHERE record_id = ? AND is_current = 1 AND (source_kind = 'dataset'
        OR (source_kind = 'annotator' AND (? IS NULL OR author = ?))) ORDER BY id`,
  ).all(recordId, reviewer ?? null, reviewer ?? null) as { vocabulary: string; code: string; present: number; source_kind: string }[];
  const byCode = new Map<string, { ref: LabelRef; present: boolean; annotator: boolean }>();
  for (const r of rows) {
    const key = `${r.vocabulary}\u0000${r.code}`;
    const annotator = r.source_kind === 'annotator';
    const prev = byCode.get(key);
    if (prev && prev.annotator && !annotator) continue;
    if (prev && !annotator && prev.present) continue;
    // Reviewers who differ: any one's "absent" holds, as in the worklist's and record_flag's SQL (labelPresent).
    if (prev && prev.annotator && annotator && !prev.present) continue;
    byCode.set(key, { ref: { vocabulary: r.vocabulary, code: r.code }, present: !!r.present, annotator });
  }
  return [...byCode.values()].filter((v) => v.present).map((v) => v.ref);
}

/** Ids of the label rows (versions) behind the record's current dataset and annotator labels. */
export function currentLabelIds(db: Database, recordId: number): number[] {
  return db
    .prepare("SELECT id FROM label WHERE record_id = ? AND is_current = 1 AND source_kind IN ('dataset', 'annotator') ORDER BY id")
    .pluck()
    .all(recordId) as number[];
}

/** Records with at least one current SNOMED label. */
export function snomedLabelledRecordIds(db: Database): number[] {
  return db.prepare("SELECT DISTINCT record_id FROM label WHERE is_current = 1 AND vocabulary = 'SNOMED'").pluck().all() as number[];
}

/**
 * An annotator says a label is present or absent on a record. Adds a row (never overwrites),
 * supersedes this annotator's previous word on that code (each reviewer keeps their own label set), and writes the audit log — in one transaction.
 */
export function setAnnotatorLabel(
  db: Database,
  p: { recordId: number; vocabulary: string; code: string; present: boolean; author: string },
  now = new Date().toISOString(),
): LabelAssertion {
  return writeTransaction(db, () => {
    const exists = db.prepare('SELECT 1 FROM record WHERE id = ?').get(p.recordId);
    if (!exists) throw new Error(`no record with id ${p.recordId}`);
    const prev = db
      .prepare(
        "SELECT id, present FROM label WHERE record_id = ? AND vocabulary = ? AND code = ? AND source_kind = 'annotator' AND is_current = 1 AND author = ?",
      )
      .get(p.recordId, p.vocabulary, p.code, p.author) as { id: number; present: number } | undefined;
    if (prev) db.prepare('UPDATE label SET is_current = 0 WHERE id = ?').run(prev.id);
    const info = db
      .prepare(
        `INSERT INTO label (record_id, vocabulary, code, present, source_kind, source_name, author, is_current, supersedes, asserted_at)
         VALUES (?, ?, ?, ?, 'annotator', 'annotator', ?, 1, ?, ?)`,
      )
      .run(p.recordId, p.vocabulary, p.code, p.present ? 1 : 0, p.author, prev?.id ?? null, now);
    appendAudit(
      db,
      p.author,
      p.present ? 'label.add' : 'label.remove',
      p.recordId,
      { vocabulary: p.vocabulary, code: p.code, previous: prev ? !!prev.present : null },
      now,
    );
    return toAssertion(db.prepare('SELECT * FROM label WHERE id = ?').get(Number(info.lastInsertRowid)) as LabelRow);
  });
}

/** Sets the record's review state and the author's own; `now` is when. */
export function setReviewState(
  db: Database,
  p: { recordId: number; state: string; author: string },
  now = new Date().toISOString(),
): ReviewState {
  const state = p.state;
  if (!isReviewState(state)) throw new Error(`unknown review state '${state}' (one of ${REVIEW_STATES.join(', ')})`);
  return writeTransaction(db, () => {
    const row = db.prepare('SELECT review_state FROM record WHERE id = ?').get(p.recordId) as { review_state: string } | undefined;
    if (!row) throw new Error(`no record with id ${p.recordId}`);
    db.prepare('UPDATE record SET review_state = ? WHERE id = ?').run(state, p.recordId);
    db.prepare('INSERT OR REPLACE INTO reviewer_review (record_id, reviewer, state, updated_at) VALUES (?, ?, ?, ?)').run(
      p.recordId,
      p.author,
      state,
      now,
    );
    appendAudit(db, p.author, 'review.state', p.recordId, { from: row.review_state, to: state }, now);
    return state;
  });
}
