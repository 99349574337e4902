// `leadlens eval`: a stored model's metrics on its held-out test records (imported models: every labelled record),
// scored by the same runtime as predict, and stored with the model.
import { targetsFor } from '../ml/input-pipeline.ts';
import { challengeWeightsTable } from '../ml/metrics/challenge-metric.ts';
import { scoredSetMetrics } from '../ml/metrics/test-metrics.ts';
import { modelScorer, openModel } from '../ml/open-model.ts';
import { effectiveLabels, snomedLabelledRecordIds } from '../store/label-store.ts';
import { modelLineage, updateMetrics } from '../store/model-store.ts';
import type { Workspace } from '../store/workspace.ts';
import { storedRecord } from './labelled-records.ts';

export async function evaluateInWorkspace(ws: Workspace, modelId: number, weightsCsv?: string): Promise<Record<string, unknown>> {
  const m = await openModel(ws.db, modelId);
  const testIds = modelLineage(ws.db, modelId)
    .records.filter((r) => r.split === 'test')
    .map((r) => r.recordId);
  const ids = testIds.length ? testIds : snomedLabelledRecordIds(ws.db);
  if (ids.length === 0) throw new Error(`model ${modelId}: no labelled records to evaluate on`);
  const scorer = await modelScorer(m);
  const classes = scorer.classes;
  const probs = await scorer.predict(ids.map((id) => storedRecord(ws.db, id)));
  const y = new Uint8Array(ids.length * classes.length);
  ids.forEach((id, i) =>
    y.set(
      targetsFor(
        effectiveLabels(ws.db, id).map((l) => l.code),
        classes,
      ),
      i * classes.length,
    ),
  );
  const weights = challengeWeightsTable(weightsCsv);
  const metrics = { ...scoredSetMetrics(probs, y, ids.length, classes, weights), runtime: scorer.runtime };
  updateMetrics(ws.db, modelId, {
    ...m.info.metrics,
    evaluation: { ...metrics, on: testIds.length ? 'test split' : 'all labelled records', at: new Date().toISOString() },
  });
  return metrics;
}
