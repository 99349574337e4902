import type { CliCommand } from '../command.ts';
import { UsageError } from '../command.ts';
import { listOption } from '../parse-args.ts';
import { LABEL_ERROR_DEFAULTS, rankLabelErrors } from '../../workspace/label-errors.ts';
import { challengeWeightsCsv } from '../../resources.ts';
import { LABEL_ERROR_RANKINGS, type LabelErrorRanking } from '../../../src-shared/label-quality/confident-learning.ts';

const intOption = (v: string | boolean | undefined, name: string, min: number): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d+$/.test(v.trim()) || n < min)
    throw new UsageError(`--${name} needs a whole number >= ${min}, got '${String(v).slice(0, 40)}'`);
  return n;
};

export const command: CliCommand = {
  name: ['label-errors'],
  summary: 'rank suspected label errors: k-fold out-of-fold probabilities and confident learning, stored as a worklist queue',
  usage: `leadlens label-errors --model-arch NAME [--leads 12|6|4|3|2] [--folds K] [--epochs N] [--seed N] [--classes CODES]
       [--ranking normalized-margin|worst-class|self-confidence] [--rules all|covering|none] [--selection NAME] [--json]
         trains K models (default ${LABEL_ERROR_DEFAULTS.folds}, patient-grouped folds, ${LABEL_ERROR_DEFAULTS.epochs} epochs each) so that
         every labelled record is scored by a model that never saw it; the clinical rules' decisions (stored, else run)
         second the model per class, each weighted by how well it agrees with the labels of the other folds (--rules
         covering: only rules whose codes are the class; none: the model alone); a class's threshold is its mean
         probability on the records labelled with it; a given label below it, or a missing class above it, is suspect.`,
  options: {
    'model-arch': 'string',
    leads: 'string',
    folds: 'string',
    epochs: 'string',
    seed: 'string',
    classes: 'list',
    ranking: 'string',
    rules: 'string',
    selection: 'string',
  },
  async run(args, ctx) {
    const arch = args.options['model-arch'];
    if (typeof arch !== 'string') throw new UsageError('label-errors needs --model-arch (e.g. small-cnn)');
    const ranking = args.options.ranking;
    if (ranking !== undefined && !LABEL_ERROR_RANKINGS.includes(ranking as LabelErrorRanking))
      throw new UsageError(`--ranking must be one of ${LABEL_ERROR_RANKINGS.join(', ')}, got '${String(ranking).slice(0, 40)}'`);
    const rules = args.options.rules;
    if (rules !== undefined && !['all', 'covering', 'none'].includes(rules as string))
      throw new UsageError(`--rules must be one of all, covering, none, got '${String(rules).slice(0, 40)}'`);
    const folds = intOption(args.options.folds, 'folds', 3);
    const classes = listOption(args, 'classes');
    const bar = ctx.progress('label-errors');
    const r = await rankLabelErrors(ctx.workspace(), {
      arch,
      leads: intOption(args.options.leads, 'leads', 2),
      folds,
      epochs: intOption(args.options.epochs, 'epochs', 1),
      seed: intOption(args.options.seed, 'seed', 0),
      classes,
      ...(ranking ? { ranking: ranking as LabelErrorRanking } : {}),
      ...(rules ? { rules: rules as 'all' | 'covering' | 'none' } : {}),
      ...(typeof args.options.selection === 'string' ? { selection: args.options.selection } : {}),
      weightsCsv: challengeWeightsCsv(),
      signal: ctx.signal,
      onProgress: (label, e) => bar.update(e.step, e.steps, `${label} epoch ${e.epoch}/${e.epochs} loss ${e.loss.toFixed(3)}`),
    });
    bar.finish();
    for (const s of r.skipped) ctx.log(`${s.recordName} (#${s.recordId}): skipped, ${s.reason}`);
    ctx.log(
      `run ${r.runId}: ${r.flagged} of ${r.records} records flagged as suspected label errors (${r.skipped.length} skipped); ` +
        `fold ${r.metricName} ${r.foldScores.map((s) => s.toFixed(2)).join(', ')}`,
    );
    if (r.rulesRun) ctx.log(`rules run on ${r.rulesRun} records without stored rule results`);
    for (const c of r.ruleOpinion) {
      // The rules that moved the class by half a log-odds or more between their positive and negative decisions.
      const strong = c.rules.filter((x) => Math.abs(x.positive - x.negative) >= 0.5);
      if (strong.length)
        ctx.log(
          `${c.classCode}: ${strong.map((x) => `${x.detectorId} ${(x.positive - x.negative).toFixed(1)}`).join(', ')} (log-odds, positive vs negative)`,
        );
    }
    for (const t of r.top) ctx.log(`${t.recordName} (#${t.recordId})\t${t.score.toFixed(2)}\t${t.reason}`);
    return r;
  },
};
