import { isQtcFormula, QTC_FORMULAS } from '../../../src-shared/qtc.ts';
import { getReviewSettings, setReviewSettings } from '../../store/review-store.ts';
import { recomputeQtcBatch, staleQtcRules } from '../../workspace/qtc-recompute.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../command.ts';
import { authorOf } from '../selection-options.ts';

export const command: CliCommand = {
  name: ['settings'],
  summary: "show the workspace's review settings, or set the QTc formula and take the stored QTc decisions again with it",
  usage:
    'leadlens settings [--qtc-formula NAME] [--author WHO] [--workspace DIR] [--json]\n' +
    `  NAME: ${QTC_FORMULAS.join(', ')}. Setting it recomputes the stored prolonged-QTc decisions of every record (Ctrl-C stops\n` +
    '  between records; each stored decision names its formula, and the next change or run resumes the rest).',
  options: { 'qtc-formula': 'string', author: 'string' },
  async run(args, ctx) {
    if (args.positionals.length) throw new UsageError(`settings takes no arguments, got '${args.positionals[0]}'`);
    const formula = args.options['qtc-formula'];
    if (formula !== undefined && (typeof formula !== 'string' || !isQtcFormula(formula)))
      throw new UsageError(`--qtc-formula needs one of ${QTC_FORMULAS.join(', ')}, got '${String(formula).slice(0, 40)}'`);
    const db = ctx.workspace().db;
    if (formula === undefined) {
      const settings = getReviewSettings(db);
      ctx.log(`QTc formula ${settings.qtcFormula}; ${staleQtcRules(db).length} stored QTc decisions taken with another formula`);
      return { settings, staleQtcDecisions: staleQtcRules(db).length };
    }
    const settings = setReviewSettings(db, { qtcFormula: formula, author: authorOf(args) });
    const bar = ctx.progress('QTc decisions');
    const run = await recomputeQtcBatch(db, { signal: ctx.signal, onProgress: (r) => bar.update(r.done, r.total) });
    bar.finish();
    for (const s of run.skipped) ctx.log(`${s.recordName} (#${s.recordId}): skipped, ${s.reason}`);
    ctx.log(
      `QTc formula ${formula}: ${run.done - run.skipped.length} of ${run.total} stored decisions taken again` +
        `${run.state === 'cancelled' ? ' (cancelled)' : ''}, ${run.skipped.length} skipped, ${run.remaining} on another formula; ` +
        `${run.redecided} re-decided from the stored evidence, ${run.remeasured} measured again`,
    );
    if (run.total > 0 && run.done === run.skipped.length && run.done > 0)
      ctx.fail(`no QTc decision could be taken again (${run.skipped.length} skipped)`);
    return { settings, recompute: run };
  },
};
