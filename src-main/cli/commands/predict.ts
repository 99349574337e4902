import type { CliCommand } from '../command.ts';
import { UsageError } from '../command.ts';
import { predictInWorkspace } from '../../workspace/predict-records.ts';

export const command: CliCommand = {
  name: ['predict'],
  summary: 'score records with a stored model and keep the probabilities',
  usage: 'leadlens predict --model ID (--all | --record ID) [--json]',
  options: { model: 'string', all: 'boolean', record: 'string' },
  async run(args, ctx) {
    const id = Number(args.options.model);
    if (!Number.isInteger(id)) throw new UsageError('predict needs --model ID (see `leadlens models`)');
    if (!args.options.all && args.options.record === undefined) throw new UsageError('predict needs --all or --record ID');
    const recordIds = args.options.all ? undefined : [Number(args.options.record)];
    if (recordIds && !Number.isInteger(recordIds[0])) throw new UsageError(`--record needs a record id, got '${args.options.record}'`);
    const bar = ctx.progress('predict');
    const r = await predictInWorkspace(ctx.workspace(), id, recordIds, (d, t) => bar.update(d, t));
    bar.finish();
    ctx.log(`${r.records} records scored with model ${id} (${r.backend})`);
    return { modelId: id, ...r };
  },
};
