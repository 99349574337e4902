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
  usage: 'leadlens predict --model ID (--all | --record ID|NAME | --selection NAME) [--json]   (the run records what it scored)',
  options: { model: 'string', all: 'boolean', record: 'string', selection: 'string' },
  async run(args, ctx) {
    const id = modelIdOption(args, 'predict');
    const ref = args.options.record;
    const selection = args.options.selection;
    if ([typeof ref === 'string', Boolean(args.options.all), selection !== undefined].filter(Boolean).length !== 1)
      throw new UsageError('predict needs exactly one of --all, --record ID|NAME and --selection NAME');
    if (selection !== undefined && (typeof selection !== 'string' || selection.trim() === ''))
      throw new UsageError('--selection needs a saved selection name');
    const recordIds = typeof ref === 'string' ? resolveRecordRef(ctx.workspace().db, ref) : undefined;
    const bar = ctx.progress('predict');
    // Many records: read and preprocessed on worker threads, one per core.
    const ws = ctx.workspace();
    const pool = (recordIds?.length ?? recordCount(ws.db)) > 64 ? createAnalysisPool(ws, { size: batchPoolSize() }) : undefined;
    const r = await predictInWorkspace(ws, id, recordIds, (d, t) => bar.update(d, t), { pool, selection: selection?.trim() }).finally(() =>
      pool?.close(),
    );
    bar.finish();
    for (const k of r.skipped) ctx.log(`${k.recordName} (#${k.recordId}): skipped, ${k.reason}`);
    for (const k of r.standIns)
      ctx.log(
        `${k.recordName} (#${k.recordId}): lacks leads of model ${id}, scored with reduced-lead model ${k.modelId} (${k.leads.join(', ')})`,
      );
    ctx.log(
      `model ${id} (${r.backend}): ${r.stored} of ${r.records} records${r.selection ? ` of selection '${r.selection}'` : ''} scored and stored, ${r.skipped.length} skipped (predict run ${r.runId})`,
    );
    const result = { modelId: id, ...r };
    if (r.records > 0 && r.stored === 0) ctx.fail(`no record could be scored with model ${id} (${r.skipped.length} skipped)`);
    return result;
  },
};
