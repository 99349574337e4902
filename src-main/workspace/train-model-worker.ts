// Worker-thread entry for a training run started from the UI: reading every record, building the datasets, training
// (in its own nested worker), scoring the test split and storing the model all happen here, off the API's event loop.
// In: workerData {dir, sqliteBinding, request}. Out: {type:'progress', label, event} | {type:'done', summary} | {type:'error', message}.
import { parentPort, workerData } from 'node:worker_threads';
import { trainInWorkspace, type TrainRequest } from './train-model.ts';
import { openWorkspace } from '../store/workspace.ts';

export interface TrainModelWorkerData {
  dir: string;
  sqliteBinding?: string;
  request: Omit<TrainRequest, 'signal' | 'onProgress'>;
}

const data = workerData as TrainModelWorkerData;
const ws = (() => {
  try {
    return openWorkspace(data.dir, data.sqliteBinding);
  } catch (e) {
    parentPort!.postMessage({ type: 'error', message: (e as Error).message.split('\n')[0] });
    return undefined;
  }
})();
if (ws) {
  trainInWorkspace(ws, { ...data.request, onProgress: (label, event) => parentPort!.postMessage({ type: 'progress', label, event }) })
    .then(
      (summary) => parentPort!.postMessage({ type: 'done', summary }),
      (e: Error) => parentPort!.postMessage({ type: 'error', message: (e.message ?? String(e)).split('\n')[0] }),
    )
    .finally(() => ws.close());
}
