// Worker-thread entry: trains one model off the main thread, posting progress and, at the end, the weights.
// Messages out: {type:'progress', event} | {type:'done', result} | {type:'error', message}.
import { parentPort } from 'node:worker_threads';
import { initBackend } from './backend.ts';
import type { BackendName } from './backend.ts';
import { deserializeWeights, serializeWeights } from './model-weights.ts';
import { workersStepper } from './parallel-train.ts';
import { fineTuneHead, trainModel } from './train.ts';
import type { Dataset, Inputs, TrainOptions, TrainProgress } from './train.ts';

export interface TrainJob<X extends Inputs = Float32Array> {
  train: Dataset<X>;
  validation: Dataset<X>;
  options: Omit<TrainOptions, 'onProgress' | 'signal'>;
  backend?: BackendName;
  /** Fine-tuning: start from these weights, keep the backbone frozen and retrain the head on cached embeddings. */
  baseWeights?: Uint8Array;
  /** Gradient worker threads (data-parallel, parallel-train.ts); 1 (default) computes gradients in this worker. */
  workers?: number;
}

export interface TrainJobResult {
  weights: Uint8Array;
  backend: string;
  bestEpoch: number;
  validationScore: number;
  metricName: string;
  history: Array<{ epoch: number; loss: number; validationScore: number }>;
  trainSeconds: number;
  samplesPerSecond: number;
}

parentPort?.once('message', async (job: TrainJob<Inputs>) => {
  try {
    const backend = await initBackend(job.backend);
    const onProgress = (event: TrainProgress): void => parentPort?.postMessage({ type: 'progress', event });
    const r = job.baseWeights
      ? await fineTuneHead(deserializeWeights(job.baseWeights, 'base model'), job.train, job.validation, { ...job.options, onProgress })
      : await trainModel(job.train, job.validation, {
          ...job.options,
          onProgress,
          stepper: workersStepper(job.workers ?? 1, backend.name),
        });
    const result: TrainJobResult = {
      weights: serializeWeights(r.model),
      backend: backend.name,
      bestEpoch: r.bestEpoch,
      validationScore: r.validationScore,
      metricName: r.metricName,
      history: r.history,
      trainSeconds: r.trainSeconds,
      samplesPerSecond: r.samplesPerSecond,
    };
    parentPort?.postMessage({ type: 'done', result }, [result.weights.buffer as ArrayBuffer]);
  } catch (e) {
    parentPort?.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
});
