import { isReviewState, REVIEW_STATES } from '../../../src-shared/review-vocabulary.ts';
import { exportDataset, type ExportRequest } from '../../workspace/export-dataset.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../command.ts';
import { listOption } from '../parse-args.ts';

const positiveInt = (v: string | boolean | undefined, name: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} needs a positive integer, got '${v}'`);
  return n;
};

export const command: CliCommand = {
  name: ['export'],
  summary: 'write selected records as a WFDB dataset with their current labels (labels.csv, splits.csv, annotations, label history)',
  usage: `leadlens export --out DIR [--label CODES] [--format FORMATS] [--review-state STATES] [--reviewer NAME]
         [--record ID|NAME[,...]] [--queue QUEUE] [--selection NAME] [--folds K] [--seed N] [--label-source current|consensus]
         [--workspace DIR] [--json]
         --label-source consensus: the reviewers' consensus (leadlens agreement) on the records they reviewed, in labels.csv and Dx.
         Lists are comma-separated or the option repeated; the filters combine (all must hold); no filter exports every record.
         DIR must be new or empty. Ingesting DIR again gives the same signals and SNOMED labels.`,
  options: {
    out: 'string',
    label: 'list',
    format: 'list',
    'review-state': 'list',
    reviewer: 'string',
    record: 'list',
    queue: 'string',
    selection: 'string',
    folds: 'string',
    seed: 'string',
    'label-source': 'string',
  },
  async run(args, ctx) {
    if (args.positionals.length > 0) throw new UsageError(`export takes no positional arguments, got '${args.positionals[0]}'`);
    const out = args.options.out;
    if (typeof out !== 'string' || out.trim() === '') throw new UsageError('export needs --out DIR (a new or empty folder)');
    const reviewStates = listOption(args, 'review-state', `review states (${REVIEW_STATES.join(', ')})`);
    for (const s of reviewStates ?? []) {
      if (!isReviewState(s)) throw new UsageError(`unknown review state '${s}' (one of ${REVIEW_STATES.join(', ')})`);
    }
    const labelSource = args.options['label-source'];
    if (labelSource !== undefined && labelSource !== 'current' && labelSource !== 'consensus')
      throw new UsageError(`--label-source must be current or consensus, got '${String(labelSource)}'`);
    if (args.options.reviewer === true || args.options.reviewer === '') throw new UsageError('--reviewer needs a name');
    const req: ExportRequest = {
      outDir: out,
      labels: listOption(args, 'label', 'label codes separated by commas'),
      formats: listOption(args, 'format', 'format names separated by commas'),
      reviewStates,
      ...(typeof args.options.reviewer === 'string' ? { reviewer: args.options.reviewer } : {}),
      records: listOption(args, 'record', 'record names or ids separated by commas'),
      ...(typeof args.options.queue === 'string' ? { queue: args.options.queue } : {}),
      ...(typeof args.options.selection === 'string' ? { selection: args.options.selection } : {}),
      folds: positiveInt(args.options.folds, 'folds'),
      seed: positiveInt(args.options.seed, 'seed'),
      ...(labelSource ? { labelSource } : {}),
    };
    const bar = ctx.progress('export');
    const r = exportDataset(ctx.workspace(), req, (d, t, name) => bar.update(d, t, name));
    bar.finish();
    ctx.log(`${r.records} records written to ${r.outDir} (${r.files} files)${r.skipped.length ? `, ${r.skipped.length} left out` : ''}`);
    for (const s of r.skipped) ctx.log(`  left out record ${s.recordId}: ${s.reason}`);
    return r;
  },
};
