import { listSelections, selectRecordIds } from '../../store/selection-store.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../command.ts';
import { printList } from '../print-list.ts';

export const command: CliCommand = {
  name: ['selection', 'list'],
  summary: 'list the saved record selections with their queries and how many records each selects now',
  usage: 'leadlens selection list [--json]',
  options: {},
  async run(args, ctx) {
    if (args.positionals.length) throw new UsageError(`selection list takes no arguments, got '${args.positionals[0]}'`);
    const db = ctx.workspace().db;
    const selections = listSelections(db).map((s) => ({ ...s, records: selectRecordIds(db, s.query).length }));
    printList(
      ctx,
      selections,
      'no saved selections (leadlens selection save NAME ...)',
      (s) => `${s.name.padEnd(20)} ${String(s.records).padStart(7)} records  ${s.description}`,
    );
    return { selections };
  },
};
