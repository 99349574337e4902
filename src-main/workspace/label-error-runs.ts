// Label-error runs started from the UI: streamed as progress events (fold and epoch, then the rules), cancellable;
// the stored run fills the worklist's "Suspected label error" queue. The registry lives as long as the process.
import type { LabelErrorRunProgress, LabelErrorStart } from '../../src-shared/api.ts';
import type { Workspace } from '../store/workspace.ts';
import { LABEL_ERROR_DEFAULTS, rankLabelErrors, type LabelErrorRequest, type LabelErrorSummary } from './label-errors.ts';

const runs = new Map<number, { run: LabelErrorRunProgress; abort: AbortController }>();
let nextRun = 1;

export function listLabelErrorRuns(): LabelErrorRunProgress[] {
  return [...runs.values()].map((r) => r.run);
}

export function startLabelErrorRun(
  ws: Workspace,
  req: LabelErrorStart,
  onUpdate: (run: LabelErrorRunProgress) => void,
  rank: (r: LabelErrorRequest) => Promise<LabelErrorSummary> = (r) => rankLabelErrors(ws, r),
  weightsCsv?: string,
): LabelErrorRunProgress {
  const abort = new AbortController();
  const folds = req.folds ?? LABEL_ERROR_DEFAULTS.folds;
  const epochs = req.epochs ?? LABEL_ERROR_DEFAULTS.epochs;
  const run: LabelErrorRunProgress = {
    id: nextRun++,
    arch: req.arch,
    folds,
    epochs,
    selection: req.selection ?? null,
    state: 'running',
    startedAt: new Date().toISOString(),
    phase: 'preparing',
    done: 0,
    total: 1000,
  };
  runs.set(run.id, { run, abort });
  // Progress over the whole run in thousandths: each fold one share, the rules one more.
  let last = 0;
  const update = (phase: string, share: number, force = false): void => {
    Object.assign(run, { phase, done: Math.round((share / (folds + 1)) * 1000), total: 1000 });
    const now = Date.now();
    if (force || now - last > 250) {
      last = now;
      onUpdate(run);
    }
  };
  void rank({
    arch: req.arch,
    folds,
    epochs,
    ...(req.selection ? { selection: req.selection } : {}),
    ...(weightsCsv ? { weightsCsv } : {}),
    signal: abort.signal,
    onProgress: (label, e) => {
      const fold = Number(/(\d+)/.exec(label)?.[1] ?? 1) - 1;
      update(`${label} epoch ${e.epoch}/${e.epochs}`, fold + (e.epoch - 1 + e.step / e.steps) / e.epochs);
    },
    onRules: (done, total) => update(`rules ${done}/${total}`, folds + done / total),
  }).then(
    (s) => {
      Object.assign(run, { state: 'finished', runId: s.runId, flagged: s.flagged, records: s.records });
      update('finished', folds + 1, true);
    },
    (e: Error) => {
      run.state = abort.signal.aborted ? 'cancelled' : 'failed';
      run.error = e.message.split('\n')[0];
      Object.assign(run, { phase: run.state });
      onUpdate(run);
    },
  );
  return run;
}

export function cancelLabelErrorRun(id: number): LabelErrorRunProgress {
  const r = runs.get(id);
  if (!r) throw new Error(`no label-error run ${id}`);
  r.abort.abort();
  return r.run;
}
