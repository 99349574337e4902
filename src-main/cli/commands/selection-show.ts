import { recordName } from '../../store/record-store.ts';
import { resolveSelection } from '../../store/selection-store.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../command.ts';

export const command: CliCommand = {
  name: ['selection', 'show'],
  summary: 'show a saved selection: its query and the records it selects now',
  usage: 'leadlens selection show NAME [--json]',
  options: {},
  async run(args, ctx) {
    const [name, ...extra] = args.positionals;
    if (name === undefined) throw new UsageError('selection show needs a NAME');
    if (extra.length) throw new UsageError(`selection show takes one NAME, got also '${extra[0]}'`);
    const db = ctx.workspace().db;
    const { selection, recordIds } = resolveSelection(db, name);
    const records = recordIds.map((id) => ({ id, name: recordName(db, id) ?? '?' }));
    ctx.log(`${selection.name}: ${selection.description}`);
    ctx.log(`saved by ${selection.author} at ${selection.updatedAt}; ${records.length} records now`);
    for (const r of records.slice(0, 50)) ctx.log(`  #${r.id} ${r.name}`);
    if (records.length > 50) ctx.log(`  … and ${records.length - 50} more (--json lists them all)`);
    return { ...selection, records };
  },
};
