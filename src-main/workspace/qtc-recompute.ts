// After the QTc formula setting changes, the stored decisions of the rules that follow it (prolonged QTc) are taken
// again for every record, record by record: each record's results are stored in their own transaction and name the
// formula they used, so a cancelled or half-done run leaves every stored result true to the formula it states.
import type { Database } from 'better-sqlite3';
import type { QtcRecomputeRun, SkippedRecord } from '../../src-shared/api.ts';
import type { LeadSetSize } from '../../src-shared/lead-sets.ts';
import type { RuleResult } from '../../src-shared/rules.ts';
import { RULE_DETECTORS } from '../rules/detectors.ts';
import { redecideProlongedQtc } from '../rules/prolonged-intervals.ts';
import { runRules } from '../rules/run-rules.ts';
import { latestCorrectionAt } from '../store/boundary-store.ts';
import { getRecordSignal, getRecordSummary } from '../store/record-store.ts';
import { getReviewSettings } from '../store/review-store.ts';
import { ruleResultsForRecord, rulesOnOtherQtcFormula, saveRuleResults } from '../store/rule-store.ts';
import { writeTransaction } from '../store/write-transaction.ts';
import { measureAndStoreRules } from './run-rules.ts';

/** The detectors whose decision depends on the QTc formula. */
export const QTC_RULE_DETECTORS = RULE_DETECTORS.filter((d) => d.usesQtcFormula);

/** The record's QTc-dependent results on one lead set, taken again with the current formula and stored. */
export function recomputeQtcRules(db: Database, recordId: number, leadSet: LeadSetSize): RuleResult[] {
  const record = getRecordSignal(db, recordId);
  if (!record) throw new Error(`record ${recordId} does not exist`);
  // A correction made meanwhile dropped the record's results; the next request takes them on the new boundaries.
  return measureAndStoreRules(db, recordId, (corrections, qtcFormula) =>
    runRules(record, leadSet, QTC_RULE_DETECTORS, corrections, { qtcFormula }),
  );
}

/**
 * The record's stored QTc-dependent results on one lead set re-decided with the current formula from their own evidence
 * (redecideProlongedQtc), without reading or measuring the signal, and stored; read and written in one write
 * transaction, so a correction cannot slip in between. False (nothing stored) when any of them needs measuring again:
 * its evidence cannot decide, or a boundary correction is newer than the result.
 */
export function redecideQtcRules(db: Database, recordId: number, leadSet: LeadSetSize): boolean {
  const ids = new Set(QTC_RULE_DETECTORS.map((d) => d.id));
  return writeTransaction(db, () => {
    // The formula in force when this commits: another process may change it while this one waits for the write lock.
    const formula = getReviewSettings(db).qtcFormula;
    const stored = ruleResultsForRecord(db, recordId, leadSet).filter((r) => ids.has(r.detectorId));
    const correctedAt = latestCorrectionAt(db, recordId);
    if (stored.length === 0 || stored.some((r) => correctedAt !== undefined && correctedAt > r.computedAt)) return false;
    const results: RuleResult[] = [];
    for (const r of stored) {
      const again = r.evidence.qtcFormula === formula ? r : redecideProlongedQtc(r, formula);
      if (!again) return false;
      results.push(again);
    }
    saveRuleResults(db, recordId, results);
    return true;
  });
}

/** The record and lead set pairs whose stored QTc-dependent results were taken with another formula than the setting's. */
export function staleQtcRules(db: Database): { recordId: number; leadSet: LeadSetSize }[] {
  return rulesOnOtherQtcFormula(
    db,
    QTC_RULE_DETECTORS.map((d) => d.id),
    getReviewSettings(db).qtcFormula,
  );
}

/** Longest run of re-decisions between two breaks in which the server answers requests and progress is told. */
const BREAK_MS = 50;

export interface QtcRecomputeOptions {
  /** Re-decides one record's results from their stored evidence, true when it could (default redecideQtcRules). */
  redecide?: (recordId: number, leadSet: LeadSetSize) => boolean;
  /** Measures one record again where the evidence cannot decide (inline: recomputeQtcRules; the API hands it to the pool). */
  recompute?: (recordId: number, leadSet: LeadSetSize) => unknown;
  onProgress?: (run: QtcRecomputeRun) => void;
  /** Checked between records: a cancelled run stops there, the records done stay stored. */
  signal?: AbortSignal;
  id?: number;
  /** Records in flight at once (the pool's worker count; 1 inline). */
  concurrency?: number;
}

/**
 * Takes every stale pair (staleQtcRules) again, `concurrency` at a time: re-decided from the stored evidence where it
 * can be, measured again otherwise; a record that fails is listed as skipped, the rest go on.
 */
export async function recomputeQtcBatch(db: Database, opts: QtcRecomputeOptions = {}): Promise<QtcRecomputeRun> {
  const redecide = opts.redecide ?? ((id: number, leadSet: LeadSetSize) => redecideQtcRules(db, id, leadSet));
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
    redecided: 0,
    remeasured: 0,
    skipped,
  };
  opts.onProgress?.({ ...run });
  let next = 0;
  let lastBreak = performance.now();
  const lane = async (): Promise<void> => {
    while (next < pairs.length) {
      if (opts.signal?.aborted) {
        run.state = 'cancelled';
        return;
      }
      const { recordId, leadSet } = pairs[next++];
      let measured = false;
      try {
        if (redecide(recordId, leadSet)) run.redecided!++;
        else {
          measured = true;
          await recompute(recordId, leadSet);
          run.remeasured!++;
        }
      } catch (e) {
        const recordName = getRecordSummary(db, recordId)?.recordName ?? '?';
        skipped.push({ recordId, recordName, reason: `${leadSet}-lead set: ${(e as Error).message.split('\n')[0]}` });
      }
      run.done++;
      // Re-decisions take about a millisecond each and never wait: every BREAK_MS the batch lets the server answer
      // (and a cancel arrive), and tells its progress; a measured record tells it at once.
      if (measured || performance.now() - lastBreak >= BREAK_MS) {
        opts.onProgress?.({ ...run, skipped: [...skipped] });
        if (!measured) await new Promise((resolve) => setImmediate(resolve));
        lastBreak = performance.now();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 1) }, lane));
  if (run.state === 'running') run.state = 'finished';
  run.remaining = staleQtcRules(db).length;
  opts.onProgress?.({ ...run, skipped: [...skipped] });
  return run;
}
