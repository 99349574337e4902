import type { Database } from 'better-sqlite3';
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

/** `tag add` and `tag remove`: the same target, one store call, and what it did in words and as --json. */
function tagCommand(
  verb: 'add' | 'remove',
  summary: string,
  apply: (db: Database, recordIds: number[], tag: string, author: string) => number,
  said: (tag: string, records: number, changed: number) => string,
): CliCommand {
  return {
    name: ['tag', verb],
    summary,
    usage: `leadlens tag ${verb} TAG (--record ID|NAME[,...] | --selection NAME) [--author NAME] [--json]`,
    options: { record: 'list', selection: 'string', author: 'string' },
    async run(args, ctx) {
      const { tag, recordIds } = tagTarget(args, ctx, verb);
      const changed = apply(ctx.workspace().db, recordIds, tag, authorOf(args));
      ctx.log(said(tag, recordIds.length, changed));
      return { tag, records: recordIds.length, [verb === 'add' ? 'added' : 'removed']: changed };
    },
  };
}

export const command = tagCommand(
  'add',
  'put a tag on records (by --record or a saved --selection)',
  addTag,
  (tag, n, added) => `tag '${tag}' on ${n} records (${added} newly, ${n - added} had it already)`,
);

export const removeCommand = tagCommand(
  'remove',
  'take a tag off records (by --record or a saved --selection)',
  removeTag,
  (tag, n, removed) => `tag '${tag}' taken off ${removed} of ${n} records`,
);
