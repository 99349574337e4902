import { listWorklist, worklistQueues } from '../../store/worklist.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../command.ts';

export const command: CliCommand = {
  name: ['worklist'],
  summary: "the worklist's queues with their record counts, or the records of one queue",
  usage: 'leadlens worklist [--queue ID] [--limit N] [--workspace DIR] [--json]',
  options: { queue: 'string', limit: 'string' },
  async run(args, ctx) {
    if (args.positionals.length) throw new UsageError(`worklist takes no arguments, got '${args.positionals[0]}'`);
    const limit = Number(args.options.limit ?? 50);
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit needs a whole number >= 1, got ${String(args.options.limit)}`);
    const db = ctx.workspace().db;
    const { queues } = worklistQueues(db);
    const queue = args.options.queue;
    if (queue === undefined) {
      for (const q of queues) ctx.log(`${q.id.padEnd(16)} ${String(q.count).padStart(7)}  ${q.label}`);
      return { queues };
    }
    if (typeof queue !== 'string') throw new UsageError('--queue needs a queue id');
    if (!queues.some((q) => q.id === queue))
      throw new UsageError(`unknown or unavailable worklist queue '${queue}' (one of ${queues.map((q) => q.id).join(', ')})`);
    const page = listWorklist(db, { queue, limit });
    for (const r of page.records) ctx.log(`#${r.id} ${r.recordName}`);
    ctx.log(`${page.total} records in queue ${queue}${page.total > page.records.length ? ` (first ${page.records.length} shown)` : ''}`);
    return { queue, total: page.total, records: page.records.map((r) => ({ id: r.id, recordName: r.recordName })) };
  },
};
