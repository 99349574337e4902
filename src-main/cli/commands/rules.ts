import { isLeadSetSize } from '../../../src-shared/lead-sets.ts';
import { allRecordIds, resolveRecordIds } from '../../store/record-store.ts';
import { runStoredRules } from '../../workspace/run-rules.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../command.ts';

export const command: CliCommand = {
  name: ['rules'],
  summary: 'run the clinical rule detectors on stored records and store their decisions and evidence',
  usage: 'leadlens rules (--record ID|NAME | --all) [--leads 12|6|4|3|2] [--workspace DIR] [--json]',
  options: { record: 'string', all: 'boolean', leads: 'string' },
  async run(args, ctx) {
    const leads = Number(args.options.leads ?? 12);
    if (!isLeadSetSize(leads)) throw new UsageError(`--leads must be 12, 6, 4, 3 or 2, got ${String(args.options.leads)}`);
    const ref = args.options.record;
    if ((typeof ref === 'string') === Boolean(args.options.all)) throw new UsageError('give exactly one of --record ID and --all');
    const db = ctx.workspace().db;
    const ids = typeof ref === 'string' ? resolveRecordIds(db, ref) : allRecordIds(db);
    if (typeof ref === 'string' && ids.length === 0) throw new UsageError(`no stored record with id or name '${ref}'`);
    const bar = ctx.progress('rules');
    const outcomes = runStoredRules(db, ids, leads, (_o, i) => bar.update(i + 1, ids.length));
    bar.finish();
    for (const o of outcomes) {
      if (o.error) { ctx.log(`${o.recordName} (#${o.recordId}): skipped, ${o.error}`); continue; }
      const positives = o.results.filter((r) => r.decision === true).map((r) => r.detectorId);
      ctx.log(`${o.recordName} (#${o.recordId}): ${positives.length ? positives.join(', ') : 'no findings'}`);
    }
    return {
      leadSet: leads,
      records: outcomes.map((o) => ({
        recordId: o.recordId, recordName: o.recordName, ...(o.error ? { error: o.error } : {}),
        results: o.results.map((r) => ({ detector: r.detectorId, version: r.detectorVersion, decision: r.decision, score: r.score, codes: r.codes.map((c) => c.code), note: r.evidence.note })),
      })),
    };
  },
};
