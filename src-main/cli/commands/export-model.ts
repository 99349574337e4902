import type { CliCommand } from '../command.ts';
import { UsageError } from '../command.ts';
import { exportModel } from '../../workspace/export-model.ts';

export const command: CliCommand = {
  name: ['export-model'],
  summary: 'write a stored model as ONNX with its model card (every architecture; import-model reads signal models back)',
  usage: 'leadlens export-model ID [--out DIR] [--force] [--json]',
  options: { out: 'string', force: 'boolean' },
  async run(args, ctx) {
    const [ref] = args.positionals;
    if (!ref || !/^\d+$/.test(ref))
      throw new UsageError(`export-model needs a model ID from \`leadlens models\`${ref ? `, got '${ref.slice(0, 40)}'` : ''}`);
    const out = typeof args.options.out === 'string' ? args.options.out : '.';
    const r = await exportModel(ctx.workspace(), Number(ref), out, args.options.force === true);
    ctx.log(
      `model ${r.modelId} (${r.architecture}, ${r.classes.length} classes, ${r.input} input): ${r.onnxPath} (${r.bytes} bytes) and ${r.cardPath}`,
    );
    return r;
  },
};
