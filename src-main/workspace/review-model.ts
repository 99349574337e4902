// Model review from the ML engine's stored predictions against the records' current labels: per-class metrics,
// confusion cells that list their records, ROC and PR curves, reliability bins; and training runs with live progress.
import type { Database } from 'better-sqlite3';
import type { ModelClassReview, ModelReview, ModelReviewScope, TrainingRun } from '../../src-shared/api.ts';
import { averagePrecision, reliabilityBins, rocAuc } from '../ml/metrics/classification.ts';
import { listModels, modelLineage, predictionsFor } from '../ml/model-store.ts';
import { predictInWorkspace, trainInWorkspace } from './train-model.ts';
import { effectiveLabels } from '../store/label-store.ts';
import type { Workspace } from '../store/workspace.ts';
import { hasTable } from './analyse-record.ts';

/** Up to `points` (threshold-ordered) points of the ROC curve (fpr, tpr) and PR curve (recall, precision). */
function curves(y: number[], p: number[], points = 101): { roc: [number, number][]; pr: [number, number][] } {
  const order = p.map((_, i) => i).sort((a, b) => p[b] - p[a]);
  const pos = y.reduce((a, b) => a + b, 0);
  const neg = y.length - pos;
  const roc: [number, number][] = [[0, 0]];
  const pr: [number, number][] = [];
  let tp = 0, fp = 0;
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
  if (!hasTable(db, 'ml_prediction')) throw new Error('this workspace has no models yet (the ML tables are missing)');
  const model = listModels(db).find((m) => m.id === modelId);
  if (!model) throw new Error(`no model with id ${modelId} in this workspace`);
  const preds = predictionsFor(db, modelId);
  const byRecord = new Map<number, Map<string, { probability: number; predicted: boolean }>>();
  for (const p of preds) {
    if (!byRecord.has(p.recordId)) byRecord.set(p.recordId, new Map());
    byRecord.get(p.recordId)!.set(p.classCode, p);
  }
  const testIds = new Set(modelLineage(db, modelId).records.filter((r) => r.split === 'test').map((r) => r.recordId));
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
    const f1 = 2 * cells.tp.length + cells.fp.length + cells.fn.length === 0 ? 0 : (2 * cells.tp.length) / (2 * cells.tp.length + cells.fp.length + cells.fn.length);
    const num = (x: number) => (Number.isFinite(x) ? x : null);
    return {
      code, records: ids.length, positives: y.reduce((a, b) => a + b, 0), f1, rocAuc: num(rocAuc(y, p)), prAuc: num(averagePrecision(y, p)),
      cells, ...curves(y, p),
      reliability: reliabilityBins(y, p).map((b) => ({ lower: b.lower, upper: b.upper, count: b.count, meanPredicted: num(b.meanPredicted), fractionPositive: num(b.fractionPositive) })),
    };
  });
  return { model: { id: model.id, name: model.name, architecture: model.architecture, createdAt: model.createdAt, metrics: model.metrics }, scope, classes };
}

/** Training runs of this process: started from the UI, streamed as progress events, cancellable. */
const runs = new Map<number, { run: TrainingRun; abort: AbortController }>();
let nextRun = 1;

export function listTrainingRuns(): TrainingRun[] {
  return [...runs.values()].map((r) => r.run);
}

export function startTrainingRun(ws: Workspace, req: { arch: string; leads: number; epochs?: number; layouts?: string[] }, onUpdate: (run: TrainingRun) => void): TrainingRun {
  const abort = new AbortController();
  const run: TrainingRun = { id: nextRun++, arch: req.arch, leads: req.leads, state: 'running', startedAt: new Date().toISOString(), points: [] };
  runs.set(run.id, { run, abort });
  void trainInWorkspace(ws, {
    arch: req.arch, leads: req.leads, ...(req.epochs ? { epochs: req.epochs } : {}), ...(req.layouts ? { layouts: req.layouts } : {}), signal: abort.signal,
    onProgress: (_label, e) => {
      run.points.push({ epoch: e.epoch, step: e.step, steps: e.steps, epochs: e.epochs, loss: e.loss, ...(e.validationScore !== undefined ? { validationScore: e.validationScore } : {}) });
      onUpdate(run);
    },
  }).then(async (s) => {
    run.modelId = s.modelId;
    // Predictions for every record feed the worklist's model queues and the review; the model is stored either way.
    await predictInWorkspace(ws, s.modelId).catch((e: Error) => (run.error = `model stored, but predicting failed: ${e.message.split('\n')[0]}`));
    run.state = 'finished';
    onUpdate(run);
  }, (e: Error) => {
    run.state = abort.signal.aborted ? 'cancelled' : 'failed';
    run.error = e.message.split('\n')[0];
    onUpdate(run);
  });
  return run;
}

export function cancelTrainingRun(id: number): TrainingRun {
  const r = runs.get(id);
  if (!r) throw new Error(`no training run ${id}`);
  r.abort.abort();
  return r.run;
}
