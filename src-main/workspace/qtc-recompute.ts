// After the QTc formula setting changes, the stored decisions of the rules that follow it (prolonged QTc) are taken
// again for every record, record by record: each record's results are stored in their own transaction and name the
// formula they used, so a cancelled or half-done run leaves every stored result true to the formula it states.
import type { Database } from 'better-sqlite3';
import type { QtcRecomputeRun, SkippedRecord } from '../../src-shared/api.ts';
import type { LeadSetSize } from '../../src-shared/lead-sets.ts';
import type { RuleResult } from '../../src-shared/rules.ts';
import { RULE_DETECTORS } from '../rules/detectors.ts';
import { runRules } from '../rules/run-rules.ts';
import { correctionState, saveRuleResultsOnBoundaries } from '../store/boundary-store.ts';
import { getRecordSignal, getRecordSummary } from '../store/record-store.ts';
import { getReviewSettings } from '../store/review-store.ts';
import { rulesOnOtherQtcFormula } from '../store/rule-store.ts';

/** The detectors whose decision depends on the QTc formula. */
export const QTC_RULE_DETECTORS = RULE_DETECTORS.filter((d) => d.usesQtcFormula);

/** The record's QTc-dependent results on one lead set, taken again with the current formula and stored. */
export function recomputeQtcRules(db: Database, recordId: number, leadSet: LeadSetSize): RuleResult[] {
  const record = getRecordSignal(db, recordId);
  if (!record) throw new Error(`record ${recordId} does not exist`);
  const { correctionId, corrections } = correctionState(db, recordId);
  const results = runRules(record, leadSet, QTC_RULE_DETECTORS, corrections, { qtcFormula: getReviewSettings(db).qtcFormula });
  // A correction made meanwhile dropped the record's results; the next request takes them on the new boundaries.
  saveRuleResultsOnBoundaries(db, recordId, results, correctionId);
  return results;
}

/** The record and lead set pairs whose stored QTc-dependent results were taken with another formula than the setting's. */
export function staleQtcRules(db: Database): { recordId: number; leadSet: LeadSetSize }[] {
  return rulesOnOtherQtcFormula(
    db,
    QTC_RULE_DETECTORS.map((d) => d.id),
    getReviewSettings(db).qtcFormula,
  );
}

export interface QtcRecomputeOptions {
  /** Takes one record's results again (inline: recomputeQtcRules; the API hands it to the analysis pool). */
  recompute?: (recordId: number, leadSet: LeadSetSize) => unknown;
  onProgress?: (run: QtcRecomputeRun) => void;
  /** Checked between records: a cancelled run stops there, the records done stay stored. */
  signal?: AbortSignal;
  id?: number;
  /** Records in flight at once (the pool's worker count; 1 inline). */
  concurrency?: number;
}

/** Recomputes every stale pair (staleQtcRules), `concurrency` at a time; a record that fails is listed as skipped, the rest go on. */
export async function recomputeQtcBatch(db: Database, opts: QtcRecomputeOptions = {}): Promise<QtcRecomputeRun> {
  const recompute = opts.recompute ?? ((id: number, leadSet: LeadSetSize) => recomputeQtcRules(db, id, leadSet));
  const pairs = staleQtcRules(db);
  const skipped: SkippedRecord[] = [];
  const run: QtcRecomputeRun = {
    id: opts.id ?? 1,
    formula: getReviewSettings(db).qtcFormula,
    state: 'running',
    startedAt: new Date().toISOString(),
    done: 0,
    total: pairs.length,
    skipped,
  };
  opts.onProgress?.({ ...run });
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < pairs.length) {
      if (opts.signal?.aborted) {
        run.state = 'cancelled';
        return;
      }
      const { recordId, leadSet } = pairs[next++];
      try {
        await recompute(recordId, leadSet);
      } catch (e) {
        const recordName = getRecordSummary(db, recordId)?.recordName ?? '?';
        skipped.push({ recordId, recordName, reason: `${leadSet}-lead set: ${(e as Error).message.split('\n')[0]}` });
      }
      run.done++;
      opts.onProgress?.({ ...run, skipped: [...skipped] });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 1) }, lane));
  if (run.state === 'running') run.state = 'finished';
  run.remaining = staleQtcRules(db).length;
  opts.onProgress?.({ ...run, skipped: [...skipped] });
  return run;
}
