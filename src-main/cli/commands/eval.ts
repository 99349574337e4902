import type { CliCommand } from '../command.ts';
import { modelIdOption } from '../parse-args.ts';
import { evaluateInWorkspace } from '../../workspace/evaluate-model.ts';
import { challengeWeightsCsv } from '../../resources.ts';

export const command: CliCommand = {
  name: ['eval'],
  summary: 'evaluate a stored model on its held-out records (imported models: all labelled records)',
  usage: 'leadlens eval --model ID [--json]',
  options: { model: 'string' },
  async run(args, ctx) {
    const id = modelIdOption(args, 'eval');
    const m = await evaluateInWorkspace(ctx.workspace(), id, challengeWeightsCsv());
    const fmt = (v: unknown): string => (typeof v === 'number' ? v.toFixed(3) : '-');
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
