// Runs the rule detectors on records stored in the workspace and saves the results.
import type { Database } from 'better-sqlite3';
import type { LeadSetSize } from '../../src-shared/lead-sets.ts';
import type { RuleResult } from '../../src-shared/rules.ts';
import { getRecordSignal } from '../store/record-store.ts';
import { leadSetMismatch, runRules } from '../rules/run-rules.ts';
import { correctionState, saveRuleResultsOnBoundaries } from '../store/boundary-store.ts';
import { RULE_DETECTORS } from '../rules/detectors.ts';
import { getReviewSettings } from '../store/review-store.ts';

export interface StoredRunOutcome {
  recordId: number;
  recordName: string;
  /** Set when the record could not be evaluated (e.g. it lacks the lead set's leads). */
  error?: string;
  results: RuleResult[];
}

/** Evaluates and stores every detector for each record; a record that cannot be evaluated is reported, not thrown. */
export function runStoredRules(
  db: Database,
  recordIds: number[],
  leadSet: LeadSetSize,
  onRecord?: (o: StoredRunOutcome, i: number) => void,
): StoredRunOutcome[] {
  const out: StoredRunOutcome[] = [];
  const { qtcFormula } = getReviewSettings(db);
  for (const [i, id] of recordIds.entries()) {
    const rec = getRecordSignal(db, id);
    let o: StoredRunOutcome;
    const mismatch = rec && leadSetMismatch(rec, leadSet);
    if (!rec) o = { recordId: id, recordName: '?', error: `record ${id} does not exist`, results: [] };
    else if (mismatch) o = { recordId: id, recordName: rec.recordName, error: mismatch, results: [] };
    else {
      try {
        const { correctionId, corrections } = correctionState(db, id);
        const results = runRules(rec, leadSet, RULE_DETECTORS, corrections, { qtcFormula });
        saveRuleResultsOnBoundaries(db, id, results, correctionId);
        o = { recordId: id, recordName: rec.recordName, results };
      } catch (e) {
        o = { recordId: id, recordName: rec.recordName, error: (e as Error).message.split('\n')[0], results: [] };
      }
    }
    out.push(o);
    onRecord?.(o, i);
  }
  return out;
}
