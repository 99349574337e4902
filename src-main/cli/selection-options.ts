// The command-line reading of a selection query (selection save) and of who is acting (tag, selection).
import os from 'node:os';
import path from 'node:path';
import { normaliseSelectionQuery, type SelectionQuery } from '../../src-shared/selection-query.ts';
import { isReviewState, REVIEW_STATES } from '../../src-shared/review-vocabulary.ts';
import type { CliArgs } from './command.ts';
import { UsageError } from './command.ts';
import { listOption } from './parse-args.ts';

/** The query options every selection-defining command takes ('list': repeatable, or comma-separated). */
export const SELECTION_QUERY_OPTIONS = {
  source: 'list',
  folder: 'list',
  label: 'list',
  'review-state': 'list',
  reviewer: 'string',
  'ingested-from': 'string',
  'ingested-to': 'string',
  tag: 'list',
  patient: 'list',
  record: 'list',
} as const;

export const SELECTION_QUERY_USAGE = `[--source FORMAT,...] [--folder DIR,...] [--label CODE,...] [--review-state STATE,...]
         [--reviewer NAME] [--ingested-from DATE] [--ingested-to DATE] [--tag TAG,...] [--patient ID,...]
         [--record NAME|ID,...]   (each narrows the selection; a list matches any of its values)`;

/** The query the options describe; folders are made absolute (sources are stored with absolute paths). */
export function selectionQueryOf(args: CliArgs): SelectionQuery {
  const o = args.options;
  const text = (name: string): string | undefined => {
    const v = o[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v.trim() === '') throw new UsageError(`--${name} needs a value`);
    return v;
  };
  const reviewStates = listOption(args, 'review-state');
  for (const s of reviewStates ?? [])
    if (!isReviewState(s)) throw new UsageError(`unknown review state '${s}' (one of ${REVIEW_STATES.join(', ')})`);
  const q: SelectionQuery = {
    sources: listOption(args, 'source'),
    folders: listOption(args, 'folder')?.map((f) => path.resolve(f)),
    labels: listOption(args, 'label'),
    reviewStates,
    reviewer: text('reviewer'),
    ingestedFrom: text('ingested-from'),
    ingestedTo: text('ingested-to'),
    tags: listOption(args, 'tag'),
    patientIds: listOption(args, 'patient'),
    records: listOption(args, 'record'),
  };
  try {
    return normaliseSelectionQuery(q);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** --author NAME, else the operating-system user: who tagged or saved, for the audit log. */
export function authorOf(args: CliArgs): string {
  const v = args.options.author;
  if (v === undefined) return process.env.USER || os.userInfo().username || 'cli';
  if (typeof v !== 'string' || v.trim() === '') throw new UsageError('--author needs a name');
  return v.trim();
}
