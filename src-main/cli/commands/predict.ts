import type { CliCommand } from '../command.ts';
import { UsageError } from '../command.ts';
import { modelIdOption } from '../parse-args.ts';
import { resolveRecordRef } from '../record-ref.ts';
import { predictInWorkspace } from '../../workspace/predict-records.ts';
import { batchPoolSize, createAnalysisPool } from '../../workspace/analysis-pool.ts';
import { recordCount } from '../../store/record-store.ts';

export const command: CliCommand = {
  name: ['predict'],
  summary:
    'score records with a stored model and keep the probabilities (a record lacking leads is scored by a reduced-lead model of the same architecture and classes if one is stored, else skipped with the reason)',
  usage: 'leadlens predict --model ID (--all | --record ID|NAME) [--json]',
  options: { model: 'string', all: 'boolean', record: 'string' },
  async run(args, ctx) {
    const id = modelIdOption(args, 'predict');
    const ref = args.options.record;
    if ((typeof ref === 'string') === Boolean(args.options.all))
      throw new UsageError('predict needs exactly one of --all and --record ID|NAME');
    const recordIds = typeof ref === 'string' ? resolveRecordRef(ctx.workspace().db, ref) : undefined;
    const bar = ctx.progress('predict');
    // Many records: read and preprocessed on worker threads, one per core.
    const ws = ctx.workspace();
    const pool = (recordIds?.length ?? recordCount(ws.db)) > 64 ? createAnalysisPool(ws, { size: batchPoolSize() }) : undefined;
    const r = await predictInWorkspace(ws, id, recordIds, (d, t) => bar.update(d, t), { pool }).finally(() => pool?.close());
    bar.finish();
    for (const k of r.skipped) ctx.log(`${k.recordName} (#${k.recordId}): skipped, ${k.reason}`);
    for (const k of r.standIns)
      ctx.log(
        `${k.recordName} (#${k.recordId}): lacks leads of model ${id}, scored with reduced-lead model ${k.modelId} (${k.leads.join(', ')})`,
      );
    ctx.log(`model ${id} (${r.backend}): ${r.stored} of ${r.records} records scored and stored, ${r.skipped.length} skipped`);
    const result = { modelId: id, ...r };
    if (r.records > 0 && r.stored === 0) ctx.fail(`no record could be scored with model ${id} (${r.skipped.length} skipped)`);
    return result;
  },
};
