// Worker-thread entry of the analysis pool: opens the workspace once (its own SQLite connection, WAL lets it read
// beside the main thread) and runs one task per message. In: {id, name, params, dir}. Out: {id, result} | {id, error}.
import { parentPort, workerData } from 'node:worker_threads';
import { openWorkspace, type Workspace } from '../store/workspace.ts';
import { ANALYSIS_TASKS, type AnalysisTaskName, type TaskControl } from './analysis-tasks.ts';

export interface AnalysisWorkerData {
  dir: string;
  sqliteBinding?: string;
}
export interface AnalysisJob {
  id: number;
  name: AnalysisTaskName;
  params: unknown;
  /** Int32 flag the pool sets to 1 to cancel the job: read between the task's steps, so a busy worker still sees it. */
  cancel?: SharedArrayBuffer;
}
export type AnalysisReply = { id: number; result: unknown } | { id: number; error: string } | { id: number; progress: [number, number] };

const data = workerData as AnalysisWorkerData;
let ws: Workspace | undefined;
// Opened as the worker starts, not on its first task: a worker started ahead of use (AnalysisPool.warm) then has
// its connection ready.
try {
  ws = openWorkspace(data.dir, data.sqliteBinding);
} catch {
  // Reported by the first task, which opens again.
}

parentPort?.on('message', async (job: AnalysisJob) => {
  try {
    ws ??= openWorkspace(data.dir, data.sqliteBinding);
    const run = ANALYSIS_TASKS[job.name] as (w: Workspace, p: unknown, c: TaskControl) => unknown;
    const flag = job.cancel ? new Int32Array(job.cancel) : undefined;
    const abort = new AbortController();
    const control: TaskControl = {
      signal: abort.signal,
      onProgress(done, total) {
        parentPort!.postMessage({ id: job.id, progress: [done, total] } satisfies AnalysisReply);
        if (flag && Atomics.load(flag, 0) === 1) abort.abort();
      },
    };
    if (flag && Atomics.load(flag, 0) === 1) abort.abort();
    parentPort!.postMessage({ id: job.id, result: await run(ws, job.params, control) } satisfies AnalysisReply);
  } catch (e) {
    parentPort!.postMessage({ id: job.id, error: ((e as Error).message ?? String(e)).split('\n')[0] } satisfies AnalysisReply);
  }
});
