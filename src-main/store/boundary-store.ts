// Reviewers' corrections of a record's global wave boundaries. Rows are never overwritten (like labels): a new
// correction supersedes the current one, and putting the automatic boundary back is a row too.
import type { Database } from 'better-sqlite3';
import {
  BOUNDARY_NAMES,
  isBoundaryName,
  type Boundaries,
  type BoundaryCorrection,
  type BoundaryName,
} from '../../src-shared/median-beats.ts';
import type { QtcFormula } from '../../src-shared/qtc.ts';
import type { RuleResult } from '../../src-shared/rules.ts';
import { appendAudit } from './audit-log.ts';
import { getReviewSettings } from './review-store.ts';
import { saveRuleResults } from './rule-store.ts';
import { writeTransaction } from './write-transaction.ts';

interface CorrectionRow {
  id: number;
  record_id: number;
  boundary: BoundaryName;
  offset_samples: number | null;
  author: string;
  is_current: number;
  supersedes: number | null;
  corrected_at: string;
}

const toCorrection = (r: CorrectionRow): BoundaryCorrection => ({
  id: r.id,
  recordId: r.record_id,
  boundary: r.boundary,
  offset: r.offset_samples,
  author: r.author,
  isCurrent: !!r.is_current,
  supersedes: r.supersedes,
  correctedAt: r.corrected_at,
});

/** Every correction made on the record, oldest first. */
export function boundaryHistory(db: Database, recordId: number): BoundaryCorrection[] {
  return (db.prepare('SELECT * FROM boundary_correction WHERE record_id = ? ORDER BY id').all(recordId) as CorrectionRow[]).map(
    toCorrection,
  );
}

/** Id of the record's latest correction (0 when none): says whether the corrections changed since it was read. */
export function latestCorrectionId(db: Database, recordId: number): number {
  return (db.prepare('SELECT MAX(id) FROM boundary_correction WHERE record_id = ?').pluck().get(recordId) as number | null) ?? 0;
}

/** When the record's latest correction was made (ISO time), undefined when none was. */
export function latestCorrectionAt(db: Database, recordId: number): string | undefined {
  return (
    (db.prepare('SELECT MAX(corrected_at) FROM boundary_correction WHERE record_id = ?').pluck().get(recordId) as string | null) ??
    undefined
  );
}

/**
 * Stores rule results computed on the corrections as of `correctionId` with the QTc formula `qtcFormula`, unless, in
 * the meantime, a correction arrived ('corrected': the results are stale, the next request computes them again) or the
 * formula setting changed ('formula-changed': another process's formula change may have listed the record's decisions
 * already and would never take these again, so the caller measures them again with the formula in force).
 */
export function saveRuleResultsOnBoundaries(
  db: Database,
  recordId: number,
  results: RuleResult[],
  taken: { correctionId: number; qtcFormula: QtcFormula },
): 'stored' | 'corrected' | 'formula-changed' {
  return writeTransaction(db, () => {
    if (latestCorrectionId(db, recordId) !== taken.correctionId) return 'corrected';
    if (getReviewSettings(db).qtcFormula !== taken.qtcFormula) return 'formula-changed';
    saveRuleResults(db, recordId, results);
    return 'stored';
  });
}

/** The record's corrected boundaries as they stand (offsets from R in samples); empty when none is corrected. */
export function currentBoundaries(db: Database, recordId: number): Boundaries {
  const rows = db
    .prepare(
      'SELECT boundary, offset_samples FROM boundary_correction WHERE record_id = ? AND is_current = 1 AND offset_samples IS NOT NULL',
    )
    .all(recordId) as { boundary: BoundaryName; offset_samples: number }[];
  return Object.fromEntries(rows.map((r) => [r.boundary, r.offset_samples]));
}

/**
 * A reviewer moves one boundary to `offset` samples from R (null: back to the automatic one). Adds a row, supersedes
 * the current correction of that boundary, drops the record's stored rule decisions (they were taken on the old
 * boundaries and are recomputed on the next request) and writes the audit log, in one transaction.
 */
export function correctBoundary(
  db: Database,
  p: { recordId: number; boundary: string; offset: number | null; author: string },
  now = new Date().toISOString(),
): BoundaryCorrection {
  if (!isBoundaryName(p.boundary)) throw new Error(`unknown boundary '${p.boundary}' (one of ${BOUNDARY_NAMES.join(', ')})`);
  if (p.offset !== null && !Number.isInteger(p.offset)) throw new Error(`boundary offset ${p.offset} is not a whole number of samples`);
  return writeTransaction(db, () => {
    if (!db.prepare('SELECT 1 FROM record WHERE id = ?').get(p.recordId)) throw new Error(`no record with id ${p.recordId}`);
    const prev = db
      .prepare('SELECT id, offset_samples FROM boundary_correction WHERE record_id = ? AND boundary = ? AND is_current = 1')
      .get(p.recordId, p.boundary) as { id: number; offset_samples: number | null } | undefined;
    if (prev) db.prepare('UPDATE boundary_correction SET is_current = 0 WHERE id = ?').run(prev.id);
    const info = db
      .prepare(
        `INSERT INTO boundary_correction (record_id, boundary, offset_samples, author, is_current, supersedes, corrected_at)
         VALUES (?, ?, ?, ?, 1, ?, ?)`,
      )
      .run(p.recordId, p.boundary, p.offset, p.author, prev?.id ?? null, now);
    db.prepare('DELETE FROM rule_result WHERE record_id = ?').run(p.recordId);
    appendAudit(
      db,
      p.author,
      p.offset === null ? 'boundary.revert' : 'boundary.correct',
      p.recordId,
      { boundary: p.boundary, offset: p.offset, previous: prev?.offset_samples ?? null },
      now,
    );
    return toCorrection(db.prepare('SELECT * FROM boundary_correction WHERE id = ?').get(Number(info.lastInsertRowid)) as CorrectionRow);
  });
}

/** The current corrections and the latest correction's id, read in one transaction (see saveRuleResultsOnBoundaries). */
export function correctionState(db: Database, recordId: number): { correctionId: number; corrections: Boundaries } {
  return db.transaction(() => ({ correctionId: latestCorrectionId(db, recordId), corrections: currentBoundaries(db, recordId) }))();
}
