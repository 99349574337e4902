// Runs the rule detectors on records stored in the workspace and saves the results.
import type { Database } from 'better-sqlite3';
import type { LeadSetSize } from '../../src-shared/lead-sets.ts';
import type { Boundaries } from '../../src-shared/median-beats.ts';
import type { QtcFormula } from '../../src-shared/qtc.ts';
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

/** How often a record's rules are measured while the QTc formula keeps changing under them before it is given up. */
const FORMULA_ATTEMPTS = 3;

/**
 * Measures the record's rules (`measure`, on its current corrections with the QTc formula in force) and stores them,
 * measuring again when the formula setting changed meanwhile: what is stored was decided by the formula in force when
 * it commits. A correction made meanwhile stores nothing (its own refresh does). Returns the results measured last.
 */
export function measureAndStoreRules(
  db: Database,
  recordId: number,
  measure: (corrections: Boundaries, qtcFormula: QtcFormula) => RuleResult[],
): RuleResult[] {
  for (let attempt = 1; ; attempt++) {
    const { qtcFormula } = getReviewSettings(db);
    const { correctionId, corrections } = correctionState(db, recordId);
    const results = measure(corrections, qtcFormula);
    if (saveRuleResultsOnBoundaries(db, recordId, results, { correctionId, qtcFormula }) !== 'formula-changed') return results;
    if (attempt === FORMULA_ATTEMPTS)
      throw new Error(`the QTc formula setting changed ${attempt} times while record ${recordId}'s rules were measured; nothing stored`);
  }
}

/** Evaluates and stores every detector for each record; a record that cannot be evaluated is reported, not thrown. */
export function runStoredRules(
  db: Database,
  recordIds: number[],
  leadSet: LeadSetSize,
  onRecord?: (o: StoredRunOutcome, i: number) => void,
): StoredRunOutcome[] {
  const out: StoredRunOutcome[] = [];
  for (const [i, id] of recordIds.entries()) {
    const rec = getRecordSignal(db, id);
    let o: StoredRunOutcome;
    const mismatch = rec && leadSetMismatch(rec, leadSet);
    if (!rec) o = { recordId: id, recordName: '?', error: `record ${id} does not exist`, results: [] };
    else if (mismatch) o = { recordId: id, recordName: rec.recordName, error: mismatch, results: [] };
    else {
      try {
        const results = measureAndStoreRules(db, id, (corrections, qtcFormula) =>
          runRules(rec, leadSet, RULE_DETECTORS, corrections, { qtcFormula }),
        );
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
