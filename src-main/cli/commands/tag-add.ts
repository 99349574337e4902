import { checkTag } from '../../../src-shared/selection-query.ts';
import { addTag, removeTag, resolveSelection } from '../../store/selection-store.ts';
import type { CliArgs, CliCommand, CliContext } from '../command.ts';
import { UsageError } from '../command.ts';
import { listOption } from '../parse-args.ts';
import { resolveRecordRefs } from '../record-ref.ts';
import { authorOf } from '../selection-options.ts';

/** The tag and the records of `tag add|remove TAG (--record REF,... | --selection NAME)`. */
function tagTarget(args: CliArgs, ctx: CliContext, verb: string): { tag: string; recordIds: number[] } {
  const [tag, ...extra] = args.positionals;
  if (tag === undefined) throw new UsageError(`tag ${verb} needs a TAG`);
  if (extra.length) throw new UsageError(`tag ${verb} takes one TAG, got also '${extra[0]}'`);
  const tagError = checkTag(tag);
  if (tagError) throw new UsageError(tagError);
  const { record, selection } = args.options;
  if ((typeof record === 'string') === (typeof selection === 'string'))
    throw new UsageError(`tag ${verb} needs exactly one of --record REF[,REF...] and --selection NAME`);
  const db = ctx.workspace().db;
  const recordIds =
    typeof record === 'string' ? resolveRecordRefs(db, listOption(args, 'record')!) : resolveSelection(db, selection as string).recordIds;
  return { tag, recordIds };
}

export const command: CliCommand = {
  name: ['tag', 'add'],
  summary: 'put a tag on records (by --record or a saved --selection)',
  usage: 'leadlens tag add TAG (--record ID|NAME[,...] | --selection NAME) [--author NAME] [--json]',
  options: { record: 'list', selection: 'string', author: 'string' },
  async run(args, ctx) {
    const { tag, recordIds } = tagTarget(args, ctx, 'add');
    const added = addTag(ctx.workspace().db, recordIds, tag, authorOf(args));
    ctx.log(`tag '${tag}' on ${recordIds.length} records (${added} newly, ${recordIds.length - added} had it already)`);
    return { tag, records: recordIds.length, added };
  },
};

export const removeCommand: CliCommand = {
  name: ['tag', 'remove'],
  summary: 'take a tag off records (by --record or a saved --selection)',
  usage: 'leadlens tag remove TAG (--record ID|NAME[,...] | --selection NAME) [--author NAME] [--json]',
  options: { record: 'list', selection: 'string', author: 'string' },
  async run(args, ctx) {
    const { tag, recordIds } = tagTarget(args, ctx, 'remove');
    const removed = removeTag(ctx.workspace().db, recordIds, tag, authorOf(args));
    ctx.log(`tag '${tag}' taken off ${removed} of ${recordIds.length} records`);
    return { tag, records: recordIds.length, removed };
  },
};
