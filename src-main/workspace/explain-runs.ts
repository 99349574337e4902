// Saliency runs started from the UI: maps for the open record, a queue or a selection with a stored model, streamed
// as progress events and cancellable between maps (maps made before a cancel stay stored). The API runs them in the
// analysis pool's long-task worker. Like training runs, the registry lives as long as the process.
import fs from 'node:fs';
import path from 'node:path';
import type { ExplainReportFile, ExplainRun, ExplainStart } from '../../src-shared/api.ts';
import type { Workspace } from '../store/workspace.ts';
import { explainInWorkspace, type ExplainRequest, type ExplainSummary } from './explain-records.ts';

const runs = new Map<number, { run: ExplainRun; abort: AbortController }>();
let nextRun = 1;

export function listExplainRuns(): ExplainRun[] {
  return [...runs.values()].map((r) => r.run);
}

/** Starts a run; `explain` is the service (replaceable in tests). Fidelity is left to the CLI: it costs 42 predictions a map. */
export function startExplainRun(
  ws: Workspace,
  req: Omit<ExplainStart, 'records' | 'queue'> & { recordIds: number[] },
  onUpdate: (run: ExplainRun) => void,
  explain: (ws: Workspace, r: ExplainRequest) => Promise<ExplainSummary> = explainInWorkspace,
): ExplainRun {
  const abort = new AbortController();
  const run: ExplainRun = {
    id: nextRun++,
    modelId: req.modelId,
    methods: req.methods,
    layouts: req.layouts ?? null,
    records: req.recordIds.length,
    state: 'running',
    startedAt: new Date().toISOString(),
    done: 0,
    total: 0,
  };
  runs.set(run.id, { run, abort });
  void explain(ws, {
    modelId: req.modelId,
    recordIds: req.recordIds,
    methods: req.methods,
    ...(req.layouts ? { layouts: req.layouts } : {}),
    fidelity: 0,
    signal: abort.signal,
    onProgress: (done, total) => {
      run.done = done;
      run.total = total;
      onUpdate(run);
    },
  }).then(
    (s) => {
      Object.assign(run, {
        state: 'finished',
        maps: s.maps,
        skipped: s.skipped,
        findings: s.findings,
        agreement: s.agreement,
        sanityFlagged: s.sanityFlagged.length,
        reportDir: s.reportFiles?.[0]?.replace(/[\\/][^\\/]*$/, ''),
        reportFiles: s.reportFiles,
      });
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

export function cancelExplainRun(id: number): ExplainRun {
  const r = runs.get(id);
  if (!r) throw new Error(`no saliency run ${id}`);
  r.abort.abort();
  return r.run;
}

/**
 * One file of a run's report, by its name as the run lists it: only the files the run wrote, read from its report
 * folder, so a name cannot reach beyond it (a path, '..', or a link pointing out of the folder).
 */
export function readExplainReportFile(id: number, name: string): ExplainReportFile {
  const r = runs.get(id);
  if (!r) throw new Error(`no saliency run ${id}`);
  const files = r.run.reportFiles ?? [];
  const file = name === path.basename(name) ? files.find((f) => path.basename(f) === name) : undefined;
  // Both resolved, so a link in the folder pointing elsewhere is refused; gone (deleted since the run) reads as absent.
  const real = (p: string | undefined): string | undefined => (p && fs.existsSync(p) ? fs.realpathSync(p) : undefined);
  const resolved = real(file);
  if (!resolved || path.dirname(resolved) !== real(r.run.reportDir))
    throw new Error(
      `no such report file '${name.slice(0, 80)}' in saliency run ${id} (${files.length ? `one of ${files.map((f) => path.basename(f)).join(', ')}` : 'it has no report'})`,
    );
  return { name, bytes: new Uint8Array(fs.readFileSync(resolved)) };
}
