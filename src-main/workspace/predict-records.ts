// `leadlens predict` and the UI's training runs: a stored model's per-class probabilities for records, stored.
import { modelScorer, openModel } from '../ml/open-model.ts';
import { predictLabels } from '../ml/prediction-rule.ts';
import { savePredictions } from '../store/prediction-store.ts';
import { allRecordIds } from '../store/record-store.ts';
import type { Workspace } from '../store/workspace.ts';
import { storedRecord } from './labelled-records.ts';

/** Predicts and stores per-class probabilities for the records (all records when none given). */
export async function predictInWorkspace(ws: Workspace, modelId: number, recordIds?: number[], onProgress?: (done: number, total: number) => void): Promise<{ records: number; backend: string }> {
  const ids = recordIds ?? allRecordIds(ws.db);
  const scorer = await modelScorer(await openModel(ws.db, modelId));
  const classes = scorer.classes;
  const rows: Array<{ recordId: number; classCode: string; probability: number; predicted: boolean }> = [];
  for (let i = 0; i < ids.length; i += 64) {
    const batch = ids.slice(i, i + 64);
    const p = await scorer.predict(batch.map((id) => storedRecord(ws.db, id)));
    batch.forEach((id, b) => {
      const probs = p.subarray(b * classes.length, (b + 1) * classes.length);
      const out = predictLabels(probs);
      classes.forEach((c, k) => rows.push({ recordId: id, classCode: c, probability: probs[k], predicted: out[k] === 1 }));
    });
    onProgress?.(Math.min(i + 64, ids.length), ids.length);
  }
  savePredictions(ws.db, modelId, rows);
  return { records: ids.length, backend: scorer.runtime };
}
