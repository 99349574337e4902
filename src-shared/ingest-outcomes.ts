import type { IngestFileOutcome, IngestOutcome, IngestSummary } from './api.ts';

/** Outcomes that took nothing in, in the order they are listed; companions are only counted (their entry says it all). */
export const NOT_TAKEN: readonly IngestOutcome[] = ['busy', 'quarantined', 'unreadable', 'not-ecg', 'waiting', 'hidden'];

export const OUTCOME_TITLE: Record<IngestOutcome, string> = {
  stored: 'stored',
  duplicate: 'already stored (same signal)',
  unchanged: 'already stored',
  companion: 'companion files',
  busy: 'not stored, will retry',
  quarantined: 'quarantined',
  unreadable: 'unreadable, skipped',
  'not-ecg': 'not an ECG format LeadLens reads',
  waiting: 'waiting for companion files',
  hidden: 'hidden, skipped',
};

export const outcomeCount = (r: IngestSummary, ...kinds: IngestOutcome[]): number =>
  r.outcomes.filter((o) => kinds.includes(o.outcome)).length;

/** The files not taken in, grouped by outcome in NOT_TAKEN order (empty groups left out). */
export function notTakenGroups(r: IngestSummary): { outcome: IngestOutcome; title: string; files: IngestFileOutcome[] }[] {
  return NOT_TAKEN.map((outcome) => ({
    outcome,
    title: OUTCOME_TITLE[outcome],
    files: r.outcomes.filter((o) => o.outcome === outcome),
  })).filter((g) => g.files.length > 0);
}

/** One line: '2 new, 1 duplicate, 0 already stored, 1 quarantined, 0 not stored (busy), 2 companion files (9 files)'. */
export function ingestSummaryLine(r: IngestSummary): string {
  return (
    `${r.newRecords} new, ${r.duplicates} duplicate, ${outcomeCount(r, 'unchanged')} already stored, ${r.quarantined.length} quarantined, ` +
    `${outcomeCount(r, 'busy')} not stored (busy), ${outcomeCount(r, 'companion')} companion files (${r.files} files)`
  );
}

/** Nothing at all could be stored, and some file failed (all already stored is a success). */
export function ingestFailed(r: IngestSummary): boolean {
  return outcomeCount(r, 'stored', 'duplicate', 'unchanged') === 0 && outcomeCount(r, 'busy', 'quarantined', 'unreadable', 'not-ecg') > 0;
}
