import { checkSelectionName } from '../../../src-shared/selection-query.ts';
import { saveSelection, selectRecordIds, unmatchedRecordRefs } from '../../store/selection-store.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../command.ts';
import { authorOf, SELECTION_QUERY_OPTIONS, SELECTION_QUERY_USAGE, selectionQueryOf } from '../selection-options.ts';

export const command: CliCommand = {
  name: ['selection', 'save'],
  summary: 'save a record selection (a named query: source, folder, labels, review state, reviewer, ingest date, tags, patients, records)',
  usage: `leadlens selection save NAME ${SELECTION_QUERY_USAGE}
         [--replace] [--author NAME] [--json]
         The query is kept, not the records: it is resolved again wherever the selection is used (worklist, train
         --train-on/--validate-on, eval --on, explain --selection, export --selection).`,
  options: { ...SELECTION_QUERY_OPTIONS, replace: 'boolean', author: 'string' },
  async run(args, ctx) {
    const [name, ...extra] = args.positionals;
    if (name === undefined) throw new UsageError('selection save needs a NAME');
    if (extra.length) throw new UsageError(`selection save takes one NAME, got also '${extra[0]}'`);
    const nameError = checkSelectionName(name);
    if (nameError) throw new UsageError(nameError);
    const query = selectionQueryOf(args);
    const db = ctx.workspace().db;
    const unmatched = unmatchedRecordRefs(db, query.records ?? []);
    if (unmatched.length) throw new Error(`no stored record with id or name ${unmatched.map((r) => `'${r}'`).join(', ')}`);
    const saved = saveSelection(db, { name, query, author: authorOf(args), replace: args.options.replace === true });
    const records = selectRecordIds(db, saved.query).length;
    ctx.log(`selection '${saved.name}' saved: ${saved.description} (${records} records now)`);
    return { ...saved, records };
  },
};
