// Runs trainInWorkspace in a worker thread (train-model-worker.ts): the API keeps answering while the records are
// read and the datasets built. Cancelling terminates the worker (and the training worker it started).
import { startWorker } from '../ml/run-training.ts';
import type { TrainProgress } from '../ml/train.ts';
import type { TrainRequest, TrainSummary } from './train-model.ts';
import type { Workspace } from '../store/workspace.ts';
import type { TrainModelWorkerData } from './train-model-worker.ts';

type Reply =
  { type: 'progress'; label: string; event: TrainProgress } | { type: 'done'; summary: TrainSummary } | { type: 'error'; message: string };

export function trainInWorker(ws: Workspace, req: TrainRequest, sqliteBinding?: string): Promise<TrainSummary> {
  const { signal, onProgress, ...request } = req;
  return new Promise((resolve, reject) => {
    const cancelled = () => Object.assign(new Error('training cancelled'), { name: 'AbortError' });
    if (signal?.aborted) return reject(cancelled());
    const workerData: TrainModelWorkerData = { dir: ws.dir, request, ...(sqliteBinding ? { sqliteBinding } : {}) };
    const worker = startWorker('train-model-worker', import.meta.url, { workerData });
    let settled = false;
    const finish = (f: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      f();
    };
    const onAbort = (): void => {
      finish(() => reject(cancelled()));
      void worker.terminate();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: Reply) => {
      if (m.type === 'progress') {
        if (!settled) onProgress?.(m.label, m.event);
      } else if (m.type === 'done') finish(() => resolve(m.summary));
      else finish(() => reject(new Error(m.message)));
    });
    worker.on('error', (e) => finish(() => reject(new Error(`training run worker crashed: ${e.message.split('\n')[0]}`))));
    worker.on('exit', (code) => finish(() => reject(new Error(`training run worker exited with code ${code} before finishing`))));
  });
}
