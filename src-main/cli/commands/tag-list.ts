import { listTags } from '../../store/selection-store.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../command.ts';
import { printList } from '../print-list.ts';

export const command: CliCommand = {
  name: ['tag', 'list'],
  summary: 'list the tags on records with how many records carry each',
  usage: 'leadlens tag list [--json]',
  options: {},
  async run(args, ctx) {
    if (args.positionals.length) throw new UsageError(`tag list takes no arguments, got '${args.positionals[0]}'`);
    const tags = listTags(ctx.workspace().db);
    printList(ctx, tags, 'no tags (leadlens tag add TAG --record REF)', (t) => `${t.tag.padEnd(24)} ${t.records} records`);
    return { tags };
  },
};
