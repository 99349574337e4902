// A small pool of worker threads for record analysis, rules and prediction, so the API's event loop keeps answering
// (with 20 clients asking for analyses, a trivial call waited up to 3.4 s behind them on the event loop).
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../ml/run-training.ts';
import type { Workspace } from '../store/workspace.ts';
import { ANALYSIS_TASKS, type AnalysisTaskName, type AnalysisTasks } from './analysis-tasks.ts';
import type { AnalysisJob, AnalysisReply, AnalysisWorkerData } from './analysis-worker.ts';

export interface AnalysisPool {
  /** Worker threads (0: tasks run inline on the caller's event loop). */
  readonly size: number;
  /** The better-sqlite3 addon the workers load (Electron run from source), for other workers of the session. */
  readonly sqliteBinding?: string;
  run<K extends AnalysisTaskName>(name: K, params: AnalysisTasks[K]['params']): Promise<AnalysisTasks[K]['result']>;
  close(): Promise<void>;
}

/** One worker per core but one (the main thread keeps that), at least one, at most four. */
export const defaultPoolSize = (): number => Math.max(1, Math.min(4, os.availableParallelism() - 1));
/** For a batch command (`predict --all`, `rules --all`): one worker per core, at most four, as the caller mostly waits. */
export const batchPoolSize = (): number => Math.min(4, os.availableParallelism());

interface Slot {
  worker?: Worker;
  busy?: { job: AnalysisJob; resolve(v: unknown): void; reject(e: Error): void };
}

/**
 * Workers start on first use and take queued tasks in order. A worker that dies fails its task with one line
 * and is replaced on the next task. `size` 0 runs every task inline (the old behaviour, kept for the bench).
 */
export function createAnalysisPool(ws: Workspace, opts: { size?: number; sqliteBinding?: string } = {}): AnalysisPool {
  const size = opts.size ?? defaultPoolSize();
  if (size === 0) {
    return {
      size,
      sqliteBinding: opts.sqliteBinding,
      run: async (name, params) => (ANALYSIS_TASKS[name] as (w: Workspace, p: unknown) => never)(ws, params),
      close: async () => undefined,
    };
  }
  const slots: Slot[] = Array.from({ length: size }, () => ({}));
  const queue: NonNullable<Slot['busy']>[] = [];
  let nextId = 1;
  let closed = false;
  const workerData: AnalysisWorkerData = { dir: ws.dir, ...(opts.sqliteBinding ? { sqliteBinding: opts.sqliteBinding } : {}) };

  const spawn = (slot: Slot): Worker => {
    const w = startWorker('analysis-worker', import.meta.url, { workerData });
    w.unref();
    w.on('message', (m: AnalysisReply) => {
      const task = slot.busy;
      if (!task || task.job.id !== m.id) return;
      slot.busy = undefined;
      if ('error' in m) task.reject(new Error(m.error));
      else task.resolve(m.result);
      dispatch();
    });
    const fail = (why: string) => {
      if (slot.worker !== w) return;
      slot.worker = undefined;
      const task = slot.busy;
      slot.busy = undefined;
      task?.reject(new Error(`analysis worker ${why}`));
      dispatch();
    };
    w.on('error', (e) => fail(`crashed: ${e.message.split('\n')[0]}`));
    w.on('exit', (code) => fail(`exited with code ${code}`));
    return w;
  };

  const dispatch = (): void => {
    for (const slot of slots) {
      if (closed || queue.length === 0) return;
      if (slot.busy) continue;
      const task = queue.shift()!;
      slot.worker ??= spawn(slot);
      slot.busy = task;
      slot.worker.postMessage(task.job);
    }
  };

  return {
    size,
    sqliteBinding: opts.sqliteBinding,
    run: (name, params) =>
      new Promise((resolve, reject) => {
        if (closed) return reject(new Error('the analysis pool is closed'));
        queue.push({ job: { id: nextId++, name, params }, resolve: resolve as (v: unknown) => void, reject });
        dispatch();
      }),
    async close() {
      closed = true;
      for (const t of queue.splice(0)) t.reject(new Error('the analysis pool is closed'));
      await Promise.all(
        slots.map(async (s) => {
          const w = s.worker;
          s.worker = undefined;
          s.busy?.reject(new Error('the analysis pool is closed'));
          s.busy = undefined;
          if (w) await w.terminate();
        }),
      );
    },
  };
}
