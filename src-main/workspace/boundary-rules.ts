// A boundary correction refreshes the rule decisions taken on the old boundaries at once, so the worklist's rule
// queues (model ≠ rule, kept by triggers on rule_result) and counts follow without the record view asking.
import type { Database } from 'better-sqlite3';
import type { BoundaryCorrection } from '../../src-shared/median-beats.ts';
import type { LeadSetSize } from '../../src-shared/lead-sets.ts';
import { correctBoundary } from '../store/boundary-store.ts';
import { ruleLeadSetsForRecord } from '../store/rule-store.ts';
import { runStoredRules, type StoredRunOutcome } from './run-rules.ts';

/** The lead sets a correction of the record recomputes: those it has stored results for, else the 12-lead set. */
export function leadSetsToRefresh(db: Database, recordId: number): LeadSetSize[] {
  const stored = ruleLeadSetsForRecord(db, recordId);
  return stored.length ? stored : [12];
}

/** Every rule decision of the record on each lead set, taken again on its current boundaries and stored. */
export function refreshRecordRules(db: Database, recordId: number, leadSets: readonly LeadSetSize[]): StoredRunOutcome[] {
  return leadSets.flatMap((leadSet) => runStoredRules(db, [recordId], leadSet));
}

/** correctBoundary, then the record's rule decisions on the lead sets it had (see leadSetsToRefresh). */
export function correctBoundaryAndRules(
  db: Database,
  p: { recordId: number; boundary: string; offset: number | null; author: string },
): { correction: BoundaryCorrection; rules: StoredRunOutcome[] } {
  const leadSets = leadSetsToRefresh(db, p.recordId);
  const correction = correctBoundary(db, p);
  return { correction, rules: refreshRecordRules(db, p.recordId, leadSets) };
}
