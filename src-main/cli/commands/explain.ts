import type { CliCommand } from '../command.ts';
import { UsageError } from '../command.ts';
import { explainInWorkspace } from '../../explain/explain-workspace.ts';
import { METHODS } from '../../explain/saliency/methods.ts';

export const command: CliCommand = {
  name: ['explain'],
  summary: 'saliency maps for a stored model (kept with provenance); over several records, a cross-layout/method consistency audit report',
  usage: `leadlens explain --model ID (--record ID | --all) --method M[,M...] [--layouts 3x4+II,6x2,12x1] [--report DIR] [--json]\n  methods: ${METHODS.join(', ')} (integrated-gradients:zeros|mean|blurred)`,
  options: { model: 'string', record: 'string', all: 'boolean', method: 'string', layouts: 'string', report: 'string' },
  async run(args, ctx) {
    const modelId = Number(args.options.model);
    if (!Number.isInteger(modelId)) throw new UsageError('explain needs --model ID (see `leadlens models`)');
    if (!args.options.all && args.options.record === undefined) throw new UsageError('explain needs --all or --record ID');
    const recordIds = args.options.all ? undefined : [Number(args.options.record)];
    if (recordIds && !Number.isInteger(recordIds[0])) throw new UsageError(`--record needs a record id, got '${args.options.record}'`);
    if (typeof args.options.method !== 'string') throw new UsageError(`explain needs --method (one of ${METHODS.join(', ')})`);
    const methods = args.options.method.split(',').map((s) => s.trim()).filter(Boolean);
    const layouts = typeof args.options.layouts === 'string' ? args.options.layouts.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
    const bar = ctx.progress('explain');
    let summary;
    try {
      summary = await explainInWorkspace(ctx.workspace(), {
        modelId, recordIds, methods, layouts, reportDir: typeof args.options.report === 'string' ? args.options.report : undefined,
        onProgress: (d, t) => bar.update(d, t),
      });
    } catch (e) {
      throw new UsageError((e as Error).message.split('\n')[0]);
    } finally {
      bar.finish();
    }
    ctx.log(`${summary.maps} saliency maps for ${summary.records} records with model ${modelId}`);
    for (const [m, s] of Object.entries(summary.spearmanByMethod ?? {})) ctx.log(`  ${m}: median per-lead Spearman ${s.median.toFixed(3)} over ${s.n} pairs`);
    if (summary.mostInconsistentClasses?.length) ctx.log(`  most inconsistent classes: ${summary.mostInconsistentClasses.map((c) => `${c.className} (${c.inconsistency.toFixed(2)})`).join(', ')}`);
    if (summary.reportFiles) ctx.log(`  report: ${summary.reportFiles[0]}`);
    return summary;
  },
};
