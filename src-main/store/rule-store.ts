// Stored rule results: one row per record x detector x lead set, replaced when re-run.
import type { Database } from 'better-sqlite3';
import type { LeadSetSize } from '../../src-shared/lead-sets.ts';
import type { RuleResult } from '../../src-shared/rules.ts';
import { writeTransaction } from './write-transaction.ts';

export interface StoredRuleResult extends RuleResult {
  recordId: number;
  computedAt: string;
}

interface RuleRow {
  record_id: number;
  detector_id: string;
  detector_version: string;
  lead_set: number;
  decision: number | null;
  score: number;
  codes: string;
  evidence: string;
  computed_at: string;
}

/** Saves the results of one record (all detectors of one run) in one transaction. */
export function saveRuleResults(db: Database, recordId: number, results: RuleResult[], now = new Date().toISOString()): void {
  const upsert =
    db.prepare(`INSERT INTO rule_result (record_id, detector_id, detector_version, lead_set, decision, score, codes, evidence, computed_at)
    VALUES (@recordId, @detectorId, @detectorVersion, @leadSet, @decision, @score, @codes, @evidence, @computedAt)
    ON CONFLICT (record_id, detector_id, lead_set) DO UPDATE SET detector_version = excluded.detector_version, decision = excluded.decision,
      score = excluded.score, codes = excluded.codes, evidence = excluded.evidence, computed_at = excluded.computed_at`);
  writeTransaction(db, () => {
    for (const r of results) {
      upsert.run({
        recordId,
        detectorId: r.detectorId,
        detectorVersion: r.detectorVersion,
        leadSet: r.leadSet,
        decision: r.decision === 'not-applicable' ? null : r.decision ? 1 : 0,
        score: Number.isFinite(r.score) ? r.score : 0,
        codes: JSON.stringify(r.codes),
        evidence: JSON.stringify(r.evidence),
        computedAt: now,
      });
    }
  });
}

function toResult(r: RuleRow): StoredRuleResult {
  return {
    recordId: r.record_id,
    detectorId: r.detector_id,
    detectorVersion: r.detector_version,
    leadSet: r.lead_set as LeadSetSize,
    decision: r.decision === null ? 'not-applicable' : r.decision === 1,
    score: r.score,
    codes: JSON.parse(r.codes),
    evidence: JSON.parse(r.evidence),
    computedAt: r.computed_at,
  };
}

/** Stored results of a record, optionally for one lead set. */
export function ruleResultsForRecord(db: Database, recordId: number, leadSet?: LeadSetSize): StoredRuleResult[] {
  const rows =
    leadSet === undefined
      ? db.prepare('SELECT * FROM rule_result WHERE record_id = ? ORDER BY lead_set DESC, id').all(recordId)
      : db.prepare('SELECT * FROM rule_result WHERE record_id = ? AND lead_set = ? ORDER BY id').all(recordId, leadSet);
  return (rows as RuleRow[]).map(toResult);
}

/** Records a detector called positive on a lead set (ids), e.g. to list candidates for review. */
export function recordsWithFinding(db: Database, detectorId: string, leadSet: LeadSetSize): number[] {
  return (
    db
      .prepare('SELECT record_id FROM rule_result WHERE detector_id = ? AND lead_set = ? AND decision = 1 ORDER BY record_id')
      .all(detectorId, leadSet) as { record_id: number }[]
  ).map((r) => r.record_id);
}

/** The lead sets a record has stored rule results for (a correction recomputes those). */
export function ruleLeadSetsForRecord(db: Database, recordId: number): LeadSetSize[] {
  return db
    .prepare('SELECT DISTINCT lead_set FROM rule_result WHERE record_id = ? ORDER BY lead_set DESC')
    .pluck()
    .all(recordId) as LeadSetSize[];
}

/**
 * Stored results of `detectorIds` not taken with `formula` (their evidence names another QTc formula, or none: stored
 * before results named it), as record and lead set pairs, by record.
 */
export function rulesOnOtherQtcFormula(
  db: Database,
  detectorIds: readonly string[],
  formula: string,
): { recordId: number; leadSet: LeadSetSize }[] {
  if (detectorIds.length === 0) return [];
  return db
    .prepare(
      `SELECT DISTINCT record_id AS recordId, lead_set AS leadSet FROM rule_result
       WHERE detector_id IN (${detectorIds.map(() => '?').join(', ')}) AND COALESCE(json_extract(evidence, '$.qtcFormula'), '') <> ?
       ORDER BY record_id, lead_set DESC`,
    )
    .all(...detectorIds, formula) as { recordId: number; leadSet: LeadSetSize }[];
}
