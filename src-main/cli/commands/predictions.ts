import type { CliCommand } from '../command.ts';
import { modelIdOption } from '../parse-args.ts';
import { getModelInfo } from '../../store/model-store.ts';
import { predictionRuns } from '../../store/prediction-store.ts';

export const command: CliCommand = {
  name: ['predictions'],
  summary: "list a model's predict runs: what each scored (a saved selection with its query, every record, or named records)",
  usage: 'leadlens predictions --model ID [--json]',
  options: { model: 'string' },
  async run(args, ctx) {
    const modelId = modelIdOption(args, 'predictions');
    const db = ctx.workspace().db;
    getModelInfo(db, modelId);
    const runs = predictionRuns(db, modelId);
    for (const r of runs)
      ctx.log(
        `run ${r.id}\t${r.createdAt}\t${r.selection ? `selection '${r.selection.name}' ${JSON.stringify(r.selection.query)}` : r.scope === 'all' ? 'all records' : 'named records'}\t${r.stored} of ${r.records} stored`,
      );
    if (runs.length === 0) ctx.log(`model ${modelId} has no recorded predict runs (leadlens predict --model ${modelId} ...)`);
    return { modelId, runs };
  },
};
