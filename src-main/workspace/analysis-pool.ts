// A small pool of worker threads for record analysis, rules and prediction, so the API's event loop keeps answering
// (with 20 clients asking for analyses, a trivial call waited up to 3.4 s behind them on the event loop).
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../ml/run-training.ts';
import type { Workspace } from '../store/workspace.ts';
import { ANALYSIS_TASKS, LONG_TASKS, type AnalysisTaskName, type AnalysisTasks, type TaskControl } from './analysis-tasks.ts';
import type { AnalysisJob, AnalysisReply, AnalysisWorkerData } from './analysis-worker.ts';

export interface AnalysisPool {
  /** Worker threads (0: tasks run inline on the caller's event loop). */
  readonly size: number;
  /** The better-sqlite3 addon the workers load (Electron run from source), for other workers of the session. */
  readonly sqliteBinding?: string;
  /** `control`: progress reports and a cancel, for the tasks that take them (explain); a cancelled task rejects. */
  run<K extends AnalysisTaskName>(name: K, params: AnalysisTasks[K]['params'], control?: TaskControl): Promise<AnalysisTasks[K]['result']>;
  /**
   * Starts one record-analysis worker now instead of at the first task, and has it run the decoder and the rules
   * once on synthetic data: loading the worker's modules (the ML stack among them), opening its connection and the
   * first, unoptimised run of that code made the first record's rules about 0.6 s slower than the next record's.
   */
  warm(): void;
  /** Worker threads running now. */
  readonly workers: number;
  close(): Promise<void>;
}

/** One worker per core but one (the main thread keeps that), at least one, at most four. */
export const defaultPoolSize = (): number => Math.max(1, Math.min(4, os.availableParallelism() - 1));
/** For a batch command (`predict --all`, `rules --all`): one worker per core, at most four, as the caller mostly waits. */
export const batchPoolSize = (): number => Math.min(4, os.availableParallelism());

interface Task {
  job: AnalysisJob;
  control?: TaskControl;
  resolve(v: unknown): void;
  reject(e: Error): void;
}

interface Slot {
  /** The long-task slot takes only LONG_TASKS; the others take only the rest. */
  long: boolean;
  worker?: Worker;
  busy?: Task;
}

/**
 * Workers start on first use (or at warm()) and take queued tasks in order. A worker that dies fails its task with
 * one line and is replaced on the next task. `size` 0 runs every task inline (the old behaviour, kept for the bench).
 * Long tasks (a saliency run) get one more worker of their own, so `size` workers stay free for record analysis.
 */
export function createAnalysisPool(ws: Workspace, opts: { size?: number; sqliteBinding?: string } = {}): AnalysisPool {
  const size = opts.size ?? defaultPoolSize();
  if (size === 0) {
    return {
      size,
      sqliteBinding: opts.sqliteBinding,
      run: async (name, params, control = {}) =>
        (ANALYSIS_TASKS[name] as (w: Workspace, p: unknown, c: TaskControl) => never)(ws, params, control),
      warm: () => undefined,
      workers: 0,
      close: async () => undefined,
    };
  }
  const slots: Slot[] = [...Array.from({ length: size }, () => ({ long: false })), { long: true }];
  const queue: Task[] = [];
  let nextId = 1;
  let closed = false;
  const workerData: AnalysisWorkerData = { dir: ws.dir, ...(opts.sqliteBinding ? { sqliteBinding: opts.sqliteBinding } : {}) };

  const spawn = (slot: Slot): Worker => {
    const w = startWorker('analysis-worker', import.meta.url, { workerData });
    w.unref();
    w.on('message', (m: AnalysisReply) => {
      const task = slot.busy;
      if (!task || task.job.id !== m.id) return;
      if ('progress' in m) return task.control?.onProgress?.(...m.progress);
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
      const next = queue.findIndex((t) => LONG_TASKS.has(t.job.name) === slot.long);
      if (next < 0) continue;
      const [task] = queue.splice(next, 1);
      slot.worker ??= spawn(slot);
      slot.busy = task;
      slot.worker.postMessage(task.job);
    }
  };

  const run: AnalysisPool['run'] = (name, params, control) =>
    new Promise((resolve, reject) => {
      if (closed) return reject(new Error('the analysis pool is closed'));
      if (control?.signal?.aborted) return reject(new Error('cancelled'));
      const cancel = control?.signal ? new SharedArrayBuffer(4) : undefined;
      const task: Task = { job: { id: nextId++, name, params, cancel }, control, resolve: resolve as (v: unknown) => void, reject };
      control?.signal?.addEventListener(
        'abort',
        () => {
          // Still queued: drop it. Running: the worker reads the flag between the task's steps and stops there.
          const queued = queue.indexOf(task);
          if (queued >= 0) {
            queue.splice(queued, 1);
            reject(new Error('cancelled'));
          } else Atomics.store(new Int32Array(cancel!), 0, 1);
        },
        { once: true },
      );
      queue.push(task);
      dispatch();
    });

  return {
    size,
    sqliteBinding: opts.sqliteBinding,
    run,
    warm() {
      if (closed || slots.some((s) => s.worker)) return;
      // A warm-up that fails leaves the first task as slow as before, nothing worse.
      run('warmUp', {}).catch(() => undefined);
    },
    get workers() {
      return slots.filter((s) => s.worker).length;
    },
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
