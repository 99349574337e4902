import type { CliCommand } from '../command.ts';
import { modelIdOption } from '../parse-args.ts';
import { evaluateInWorkspace } from '../../workspace/evaluate-model.ts';
import { challengeWeightsCsv } from './train.ts';

export const command: CliCommand = {
  name: ['eval'],
  summary: "evaluate a stored model on its held-out records (imported models: all labelled records)",
  usage: 'leadlens eval --model ID [--json]',
  options: { model: 'string' },
  async run(args, ctx) {
    const id = modelIdOption(args, 'eval');
    const m = await evaluateInWorkspace(ctx.workspace(), id, challengeWeightsCsv());
    const fmt = (v: unknown): string => (typeof v === 'number' ? v.toFixed(3) : '-');
    ctx.log(`model ${id} on ${m.records} records: challenge ${fmt(m.challenge)}, macro F1 ${fmt(m.macroF1)}, micro F1 ${fmt(m.microF1)}, macro ROC-AUC ${fmt(m.macroRocAuc)}`);
    return { modelId: id, ...m };
  },
};
