import type { CliCommand } from '../command.ts';
import { activeBackend, initBackend } from '../../ml/backend.ts';
import { listModels } from '../../store/model-store.ts';

export const command: CliCommand = {
  name: ['models'],
  summary: 'list the stored models and the TensorFlow.js backend this machine runs',
  usage: 'leadlens models [--json]',
  options: {},
  async run(_args, ctx) {
    await initBackend();
    const backend = activeBackend();
    const models = listModels(ctx.workspace().db);
    ctx.log(
      `TensorFlow.js backend: ${backend?.name}${backend?.skipped.length ? ` (skipped ${backend.skipped.map((s) => s.split(':')[0]).join(', ')})` : ''}`,
    );
    for (const m of models)
      ctx.log(
        `${m.id}\t${m.kind}\t${m.architecture}\t${m.leadSet.length} leads\t${m.classes.length} classes\t${m.runtime}\t${m.createdAt}${m.parentId ? `\tfrom ${m.parentId}` : ''}`,
      );
    if (models.length === 0) ctx.log('no models yet (leadlens train or leadlens import-model)');
    return { backend, models };
  },
};
