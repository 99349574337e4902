// Worker-thread entry of the analysis pool: opens the workspace once (its own SQLite connection, WAL lets it read
// beside the main thread) and runs one task per message. In: {id, name, params, dir}. Out: {id, result} | {id, error}.
import { parentPort, workerData } from 'node:worker_threads';
import { openWorkspace, type Workspace } from '../store/workspace.ts';
import { ANALYSIS_TASKS, type AnalysisTaskName } from './analysis-tasks.ts';

export interface AnalysisWorkerData {
  dir: string;
  sqliteBinding?: string;
}
export interface AnalysisJob {
  id: number;
  name: AnalysisTaskName;
  params: unknown;
}
export type AnalysisReply = { id: number; result: unknown } | { id: number; error: string };

const data = workerData as AnalysisWorkerData;
let ws: Workspace | undefined;

parentPort?.on('message', async (job: AnalysisJob) => {
  try {
    ws ??= openWorkspace(data.dir, data.sqliteBinding);
    const run = ANALYSIS_TASKS[job.name] as (w: Workspace, p: unknown) => unknown;
    parentPort!.postMessage({ id: job.id, result: await run(ws, job.params) } satisfies AnalysisReply);
  } catch (e) {
    parentPort!.postMessage({ id: job.id, error: ((e as Error).message ?? String(e)).split('\n')[0] } satisfies AnalysisReply);
  }
});
