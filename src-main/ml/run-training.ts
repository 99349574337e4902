// Runs training in a worker thread: progress events, cancellation by AbortSignal (the worker is terminated), and
// nothing written anywhere — the caller stores the returned weights only when the run succeeds.
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { Inputs, TrainProgress } from './train.ts';
import type { TrainJob, TrainJobResult } from './train-worker.ts';

/**
 * The worker beside this module: the built bundle (dist/main/train-worker.mjs), or from source the .ts through
 * tsx's loader (registered inside the worker; `--import tsx` in execArgv does not reach worker module loading).
 * `base` is the URL of the module the entry sits beside (a bundle puts every entry in dist/main).
 */
export function startWorker(name: string, base: string = import.meta.url, options: WorkerOptions = {}): Worker {
  if (!base.endsWith('.ts')) return new Worker(new URL(`./${name}.mjs`, base), options);
  const entry = new URL(`./${name}.ts`, base).href;
  return new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`, {
    ...options,
    eval: true,
  });
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
