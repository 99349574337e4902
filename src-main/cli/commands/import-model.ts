import type { CliCommand } from '../command.ts';
import { UsageError } from '../command.ts';
import { importOnnxModel } from '../../workspace/import-model.ts';

export const command: CliCommand = {
  name: ['import-model'],
  summary: 'bring in an ONNX model with its model card (checked against the graph)',
  usage: 'leadlens import-model FILE.onnx --card CARD.json [--json]',
  options: { card: 'string' },
  async run(args, ctx) {
    const [file] = args.positionals;
    if (!file) throw new UsageError('import-model needs the .onnx file');
    if (typeof args.options.card !== 'string')
      throw new UsageError('import-model needs --card CARD.json (class codes, sampling rate, input length, lead order, normalisation)');
    const r = await importOnnxModel(ctx.workspace(), file, args.options.card);
    ctx.log(`model ${r.modelId}: ${file} (${r.classes.length} classes)`);
    return r;
  },
};
