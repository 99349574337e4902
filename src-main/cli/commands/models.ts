import type { CliCommand } from '../command.ts';
import { activeBackend, initBackend } from '../../ml/backend.ts';
import { listModels } from '../../store/model-store.ts';
import type { ClassThreshold } from '../../../src-shared/label-quality/operating-thresholds.ts';

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
    for (const m of models) {
      ctx.log(
        `${m.id}\t${m.kind}\t${m.architecture}\t${m.leadSet.length} leads\t${m.classes.length} classes\t${m.runtime}\t${m.createdAt}${m.parentId ? `\tfrom ${m.parentId}` : ''}`,
      );
      // Per-class operating thresholds (chosen on the validation split at training time); --json has them in metrics.
      const thresholds = Array.isArray(m.metrics.thresholds) ? (m.metrics.thresholds as ClassThreshold[]) : [];
      if (thresholds.length)
        ctx.log(
          `\tthresholds: ${thresholds.map((t) => `${t.code} ${t.threshold.toFixed(2)} (${t.rule}, F1 ${t.f1.toFixed(2)})`).join('; ')}`,
        );
    }
    if (models.length === 0) ctx.log('no models yet (leadlens train or leadlens import-model)');
    return { backend, models };
  },
};
