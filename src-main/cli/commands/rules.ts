import { isLeadSetSize } from '../../../src-shared/lead-sets.ts';
import { allRecordIds } from '../../store/record-store.ts';
import { runStoredRules } from '../../workspace/run-rules.ts';
import { runStoredRulesInPool } from '../../workspace/run-rules-in-pool.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../command.ts';
import { resolveRecordRef } from '../record-ref.ts';

export const command: CliCommand = {
  name: ['rules'],
  summary: 'run the clinical rule detectors on stored records and store their decisions and evidence',
  usage: 'leadlens rules (--record ID|NAME | --all) [--leads 12|6|4|3|2] [--workspace DIR] [--json]',
  options: { record: 'string', all: 'boolean', leads: 'string' },
  async run(args, ctx) {
    const leads = Number(args.options.leads ?? 12);
    if (!isLeadSetSize(leads)) throw new UsageError(`--leads must be 12, 6, 4, 3 or 2, got ${String(args.options.leads)}`);
    const ref = args.options.record;
    if ((typeof ref === 'string') === Boolean(args.options.all))
      throw new UsageError('rules needs exactly one of --all and --record ID|NAME');
    const db = ctx.workspace().db;
    const ids = typeof ref === 'string' ? resolveRecordRef(db, ref) : allRecordIds(db);
    const bar = ctx.progress('rules');
    // Many records: spread over worker threads, one per core.
    const outcomes =
      ids.length > 50
        ? await runStoredRulesInPool(ctx.workspace(), ids, leads, { onProgress: (d, t) => bar.update(d, t) })
        : runStoredRules(db, ids, leads, (_o, i) => bar.update(i + 1, ids.length));
    bar.finish();
    for (const o of outcomes) {
      if (o.error) {
        ctx.log(`${o.recordName} (#${o.recordId}): skipped, ${o.error}`);
        continue;
      }
      const positives = o.results.filter((r) => r.decision === true).map((r) => r.detectorId);
      ctx.log(`${o.recordName} (#${o.recordId}): ${positives.length ? positives.join(', ') : 'no findings'}`);
    }
    const skipped = outcomes.filter((o) => o.error).map((o) => ({ recordId: o.recordId, recordName: o.recordName, reason: o.error! }));
    const stored = outcomes.length - skipped.length;
    ctx.log(`${stored} of ${outcomes.length} records evaluated and stored (${leads}-lead set), ${skipped.length} skipped`);
    const result = {
      leadSet: leads,
      stored,
      skipped,
      records: outcomes.map((o) => ({
        recordId: o.recordId,
        recordName: o.recordName,
        ...(o.error ? { error: o.error } : {}),
        results: o.results.map((r) => ({
          detector: r.detectorId,
          version: r.detectorVersion,
          decision: r.decision,
          score: r.score,
          codes: r.codes.map((c) => c.code),
          note: r.evidence.note,
        })),
      })),
    };
    if (outcomes.length > 0 && stored === 0) ctx.fail(`no record could be evaluated on the ${leads}-lead set (${skipped.length} skipped)`);
    return result;
  },
};
