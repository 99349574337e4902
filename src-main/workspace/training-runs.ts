// Training runs started from the UI: streamed as progress events, cancellable, and on success followed by
// predictions for every record. The registry lives as long as the process (the API layer that starts runs).
import type { TrainingRun, TrainingStart } from '../../src-shared/api.ts';
import type { Workspace } from '../store/workspace.ts';
import { predictInWorkspace, type PredictSummary } from './predict-records.ts';
import { trainInWorkspace, type TrainRequest } from './train-model.ts';

/** Training runs of this process: started from the UI, streamed as progress events, cancellable. */
const runs = new Map<number, { run: TrainingRun; abort: AbortController }>();
let nextRun = 1;

export function listTrainingRuns(): TrainingRun[] {
  return [...runs.values()].map((r) => r.run);
}

/** Where a run's work happens: inline by default; the API passes worker-thread runners so it keeps answering. */
export interface TrainingRunner {
  train(req: TrainRequest): Promise<{ modelId: number }>;
  /** Scores every record with the new model (those it cannot read are skipped, with the reason). */
  predict(modelId: number): Promise<Pick<PredictSummary, 'stored' | 'skipped'>>;
}

export function startTrainingRun(
  ws: Workspace,
  req: TrainingStart,
  onUpdate: (run: TrainingRun) => void,
  runner: TrainingRunner = { train: (r) => trainInWorkspace(ws, r), predict: (modelId) => predictInWorkspace(ws, modelId) },
): TrainingRun {
  const abort = new AbortController();
  const run: TrainingRun = {
    id: nextRun++,
    arch: req.arch,
    leads: req.leads,
    state: 'running',
    startedAt: new Date().toISOString(),
    points: [],
  };
  runs.set(run.id, { run, abort });
  void runner
    .train({
      arch: req.arch,
      leads: req.leads,
      ...(req.epochs ? { epochs: req.epochs } : {}),
      ...(req.layouts ? { layouts: req.layouts } : {}),
      ...(req.input ? { input: req.input } : {}),
      ...(req.workers ? { workers: req.workers } : {}),
      ...(req.trainOn ? { trainOn: req.trainOn } : {}),
      ...(req.validateOn ? { validateOn: req.validateOn } : {}),
      ...(req.labelSource ? { labelSource: req.labelSource } : {}),
      ...(req.excludeSuspected ? { excludeSuspected: req.suspectedTop ? { top: req.suspectedTop } : {} } : {}),
      signal: abort.signal,
      onProgress: (_label, e) => {
        run.points.push({
          epoch: e.epoch,
          step: e.step,
          steps: e.steps,
          epochs: e.epochs,
          loss: e.loss,
          ...(e.validationScore !== undefined ? { validationScore: e.validationScore } : {}),
        });
        onUpdate(run);
      },
    })
    .then(
      async (s) => {
        run.modelId = s.modelId;
        // Predictions for every record feed the worklist's model queues and the review; the model is stored either way.
        // Records the model cannot read are skipped with their reason (listed with the run), never the whole batch.
        await runner.predict(s.modelId).then(
          (p) => (run.predictions = { stored: p.stored, skipped: p.skipped }),
          (e: Error) => (run.error = `model stored, but predicting failed: ${e.message.split('\n')[0]}`),
        );
        run.state = 'finished';
        onUpdate(run);
      },
      (e: Error) => {
        run.state = abort.signal.aborted ? 'cancelled' : 'failed';
        run.error = e.message.split('\n')[0];
        onUpdate(run);
      },
    );
  return run;
}

export function cancelTrainingRun(id: number): TrainingRun {
  const r = runs.get(id);
  if (!r) throw new Error(`no training run ${id}`);
  r.abort.abort();
  return r.run;
}
