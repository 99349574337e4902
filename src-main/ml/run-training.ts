// Runs training in a worker thread: progress events, cancellation by AbortSignal (the worker is terminated), and
// nothing written anywhere — the caller stores the returned weights only when the run succeeds.
import type { Worker, WorkerOptions } from 'node:worker_threads';
import { startWorker as startWorkerBeside } from '../start-worker.ts';
import type { Inputs, TrainProgress } from './train.ts';
import type { TrainJob, TrainJobResult } from './train-worker.ts';

/** A worker entry beside this module (see start-worker.ts). */
export function startWorker(name: string, base: string = import.meta.url, options: WorkerOptions = {}): Worker {
  return startWorkerBeside(name, base, options);
}

export function runTrainingInWorker(
  job: TrainJob<Inputs>,
  o: { signal?: AbortSignal; onProgress?: (e: TrainProgress) => void } = {},
): Promise<TrainJobResult> {
  return new Promise((resolve, reject) => {
    if (o.signal?.aborted) {
      reject(Object.assign(new Error('training cancelled'), { name: 'AbortError' }));
      return;
    }
    const worker = startWorker('train-worker');
    let settled = false;
    const finish = (f: () => void): void => {
      if (settled) return;
      settled = true;
      o.signal?.removeEventListener('abort', onAbort);
      f();
    };
    const onAbort = (): void => {
      finish(() => reject(Object.assign(new Error('training cancelled'), { name: 'AbortError' })));
      void worker.terminate();
    };
    o.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on(
      'message',
      (m: { type: 'progress'; event: TrainProgress } | { type: 'done'; result: TrainJobResult } | { type: 'error'; message: string }) => {
        if (m.type === 'progress') {
          if (!settled) o.onProgress?.(m.event);
        } else if (m.type === 'done') {
          finish(() => resolve(m.result));
          void worker.terminate();
        } else {
          finish(() => reject(new Error(m.message)));
          void worker.terminate();
        }
      },
    );
    worker.on('error', (e) => finish(() => reject(new Error(`training worker crashed: ${e.message.split('\n')[0]}`))));
    worker.on('exit', (code) => finish(() => reject(new Error(`training worker exited with code ${code} before finishing`))));
    // Copies of the arrays go to the worker so the caller's datasets stay usable.
    worker.postMessage(job);
  });
}
