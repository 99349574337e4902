// Model review from the ML engine's stored predictions against the records' current labels: per-class metrics,
// confusion cells that list their records, ROC and PR curves, reliability bins.
import type { Database } from 'better-sqlite3';
import type { ModelClassReview, ModelReview, ModelReviewScope } from '../../src-shared/api.ts';
import { averagePrecision, reliabilityBins, rocAuc } from '../ml/metrics/classification.ts';
import { getModelInfo, modelLineage } from '../store/model-store.ts';
import { predictionRuns, predictionsFor } from '../store/prediction-store.ts';
import { effectiveLabels } from '../store/label-store.ts';

/** Up to `points` (threshold-ordered) points of the ROC curve (fpr, tpr) and PR curve (recall, precision). */
function curves(y: number[], p: number[], points = 101): { roc: [number, number][]; pr: [number, number][] } {
  const order = p.map((_, i) => i).sort((a, b) => p[b] - p[a]);
  const pos = y.reduce((a, b) => a + b, 0);
  const neg = y.length - pos;
  const roc: [number, number][] = [[0, 0]];
  const pr: [number, number][] = [];
  let tp = 0,
    fp = 0;
  const every = Math.max(1, Math.floor(order.length / points));
  order.forEach((i, k) => {
    if (y[i]) tp++;
    else fp++;
    const last = k === order.length - 1 || p[order[k + 1]] !== p[i];
    if (last && (k % every === 0 || k === order.length - 1)) {
      roc.push([neg ? fp / neg : 0, pos ? tp / pos : 0]);
      pr.push([pos ? tp / pos : 0, tp / (tp + fp)]);
    }
  });
  return { roc, pr };
}

/**
 * Scope 'test' (the default) scores only the model's held-out test records, so records it trained on do not
 * flatter it; models without a test split (imported ones) are scored on every record they have predictions for.
 */
export function modelReview(db: Database, modelId: number, requested: ModelReviewScope = 'test'): ModelReview {
  const model = getModelInfo(db, modelId);
  const preds = predictionsFor(db, modelId);
  const byRecord = new Map<number, Map<string, { probability: number; predicted: boolean }>>();
  for (const p of preds) {
    if (!byRecord.has(p.recordId)) byRecord.set(p.recordId, new Map());
    byRecord.get(p.recordId)!.set(p.classCode, p);
  }
  const testIds = new Set(
    modelLineage(db, modelId)
      .records.filter((r) => r.split === 'test')
      .map((r) => r.recordId),
  );
  const scope: ModelReviewScope = requested === 'test' && testIds.size > 0 ? 'test' : 'all';
  const recordIds = [...byRecord.keys()].filter((id) => scope === 'all' || testIds.has(id)).sort((a, b) => a - b);
  const labels = new Map(recordIds.map((id) => [id, new Set(effectiveLabels(db, id).map((l) => l.code))]));
  const classes: ModelClassReview[] = model.classes.map((code) => {
    const ids = recordIds.filter((id) => byRecord.get(id)!.has(code));
    const y: number[] = ids.map((id) => (labels.get(id)!.has(code) ? 1 : 0));
    const p = ids.map((id) => byRecord.get(id)!.get(code)!.probability);
    const cells = { tp: [] as number[], fp: [] as number[], fn: [] as number[], tn: [] as number[] };
    ids.forEach((id, i) => {
      const predicted = byRecord.get(id)!.get(code)!.predicted;
      cells[predicted ? (y[i] ? 'tp' : 'fp') : y[i] ? 'fn' : 'tn'].push(id);
    });
    const f1 =
      2 * cells.tp.length + cells.fp.length + cells.fn.length === 0
        ? 0
        : (2 * cells.tp.length) / (2 * cells.tp.length + cells.fp.length + cells.fn.length);
    const num = (x: number) => (Number.isFinite(x) ? x : null);
    return {
      code,
      records: ids.length,
      positives: y.reduce((a, b) => a + b, 0),
      f1,
      rocAuc: num(rocAuc(y, p)),
      prAuc: num(averagePrecision(y, p)),
      cells,
      ...curves(y, p),
      reliability: reliabilityBins(y, p).map((b) => ({
        lower: b.lower,
        upper: b.upper,
        count: b.count,
        meanPredicted: num(b.meanPredicted),
        fractionPositive: num(b.fractionPositive),
      })),
    };
  });
  return {
    model: { id: model.id, name: model.name, architecture: model.architecture, createdAt: model.createdAt, metrics: model.metrics },
    scope,
    classes,
    predictionRuns: predictionRuns(db, modelId).map((r) => ({
      id: r.id,
      scope: r.scope,
      selection: r.selection?.name ?? null,
      records: r.records,
      stored: r.stored,
      createdAt: r.createdAt,
    })),
  };
}
