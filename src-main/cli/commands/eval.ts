import type { CliCommand } from '../command.ts';
import { UsageError } from '../command.ts';
import { intOption, listOption, modelIdOption } from '../parse-args.ts';
import { evaluateInWorkspace } from '../../workspace/evaluate-model.ts';
import { evaluateOnSelections, type SelectionEvalResult } from '../../workspace/evaluate-on-selections.ts';
import { challengeWeightsCsv } from '../../resources.ts';
import type { ConfidenceInterval } from '../../../src-shared/bootstrap-interval.ts';

const fmt = (v: unknown): string => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(3) : '-');
const ci = (v: ConfidenceInterval | null | undefined): string =>
  v && Number.isFinite(v.estimate) ? `${fmt(v.estimate)} [${fmt(v.low)}, ${fmt(v.high)}]` : 'n/a';

/** The side-by-side table of `eval --on A --on B`: one row per metric, one column per selection. */
function logSelectionTable(r: SelectionEvalResult, log: (line: string) => void): void {
  for (const s of r.selections) {
    log(
      `${s.selection}: ${s.records} of ${s.selected} records scored (${s.description})` +
        (s.sharedWithTraining.records
          ? `; ${s.sharedWithTraining.records} records the model trained or validated on, or of the ${s.sharedWithTraining.patients.length} patients it shares with them, dropped`
          : ''),
    );
    const reasons = new Map<string, number>();
    for (const l of s.leftOut) reasons.set(l.reason, (reasons.get(l.reason) ?? 0) + 1);
    for (const [reason, n] of reasons) log(`  left out ${n}: ${reason}`);
  }
  for (const o of r.overlaps) log(`note: selections '${o.a}' and '${o.b}' share ${o.patients} patients`);
  const names = r.selections.map((s) => s.selection);
  const width = Math.max(24, ...r.table.map((t) => t.metric.length));
  const col = Math.max(22, ...names.map((n) => n.length));
  log(`${'metric (95 % bootstrap CI)'.padEnd(width)}  ${names.map((n) => n.padEnd(col)).join('  ')}`);
  for (const row of r.table) log(`${row.metric.padEnd(width)}  ${names.map((n) => ci(row.values[n]).padEnd(col)).join('  ')}`);
  log(
    `positives per class: ${names.map((n) => `${n} ${JSON.stringify(r.selections.find((s) => s.selection === n)!.positives)}`).join('; ')}`,
  );
  log(
    `model version ${r.modelVersion}; ${r.bootstrap.rounds} bootstrap rounds, seed ${r.bootstrap.seed}; stored as evaluation ${r.selections.map((s) => s.evaluationId).join(', ')}`,
  );
}

export const command: CliCommand = {
  name: ['eval'],
  summary: 'evaluate a stored model on its held-out records, or on saved selections side by side with 95 % bootstrap CIs',
  usage: `leadlens eval --model ID [--json]
       leadlens eval --model ID --on SELECTION [--on SELECTION ...] [--overlap drop|refuse] [--rounds N] [--seed N] [--json]
         metrics per selection (challenge, macro/micro F1, ROC/PR-AUC per class, confusion, calibration) with 95 %
         bootstrap intervals (records resampled, 1000 rounds, seeded), and a cross-source table for several selections.
         Records of patients the model trained or validated on are dropped and counted (--overlap refuse: fail instead).`,
  options: { model: 'string', on: 'list', overlap: 'string', rounds: 'string', seed: 'string' },
  async run(args, ctx) {
    const id = modelIdOption(args, 'eval');
    const on = listOption(args, 'on', 'a saved selection name');
    const overlap = args.options.overlap;
    if (overlap !== undefined && overlap !== 'drop' && overlap !== 'refuse')
      throw new UsageError(`--overlap must be drop or refuse, got '${overlap}'`);
    if (on === undefined && (overlap !== undefined || args.options.rounds !== undefined || args.options.seed !== undefined))
      throw new UsageError('--overlap, --rounds and --seed apply to eval --on SELECTION');
    if (on !== undefined) {
      const bar = ctx.progress('eval');
      const r = await evaluateOnSelections(ctx.workspace(), {
        modelId: id,
        selections: on,
        weightsCsv: challengeWeightsCsv(),
        ...(overlap ? { overlap } : {}),
        rounds: intOption(args, 'rounds', 1000, 10, 100_000),
        seed: intOption(args, 'seed', 1, 0),
        onProgress: (d, t, label) => bar.update(d, t, label),
      });
      bar.finish();
      logSelectionTable(r, (l) => ctx.log(l));
      return r;
    }
    const m = await evaluateInWorkspace(ctx.workspace(), id, challengeWeightsCsv());
    ctx.log(
      `model ${id} on ${m.records} records: challenge ${fmt(m.challenge)}, macro F1 ${fmt(m.macroF1)}, micro F1 ${fmt(m.microF1)}, macro ROC-AUC ${fmt(m.macroRocAuc)}`,
    );
    // Per class: the confusion counts at the prediction rule's thresholds (also in --json as perClass[code].tp/fn/fp/tn).
    const perClass = m.perClass as Record<string, { f1: number; tp: number; fn: number; fp: number; tn: number }>;
    const width = Math.max(5, ...Object.keys(perClass).map((c) => c.length));
    ctx.log(`${'class'.padEnd(width)}      TP      FN      FP      TN     F1`);
    for (const [code, c] of Object.entries(perClass)) {
      ctx.log(`${code.padEnd(width)} ${[c.tp, c.fn, c.fp, c.tn].map((v) => String(v).padStart(7)).join(' ')}  ${fmt(c.f1)}`);
    }
    return { modelId: id, ...m };
  },
};
