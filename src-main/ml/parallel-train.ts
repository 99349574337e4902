// Data-parallel training over worker threads (one model replica each): every batch is split into shards, the
// workers return gradients, and this thread averages them and applies AdamW/AMSGrad in one JS loop. Batch-norm
// statistics are per shard (as PyTorch DistributedDataParallel without SyncBatchNorm); running stats are averaged.
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { BackendName } from './backend.ts';
import { assignFlat, readFlat } from './flat-weights.ts';
import type { GradInit, GradResult, GradStep } from './grad-worker.ts';
import { adamwStepFlat, createFlatAdamWState } from './optim/adamw.ts';
import { startWorker } from './run-training.ts';
import { trainModel } from './train.ts';
import type { Dataset, Stepper, StepperContext, TrainOptions, TrainResult } from './train.ts';

function request<T>(worker: Worker, message: unknown, expect: string, transfer: ArrayBuffer[] = []): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { type: string; result?: T; message?: string }): void => {
      cleanup();
      if (m.type === expect) resolve(m.result as T);
      else reject(new Error(m.message ?? `gradient worker sent '${m.type}'`));
    };
    const onError = (e: Error): void => {
      cleanup();
      reject(new Error(`gradient worker crashed: ${e.message.split('\n')[0]}`));
    };
    const cleanup = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.postMessage(message, transfer);
  });
}

export function parallelStepper(workers = Math.min(2, os.availableParallelism()), backend?: BackendName) {
  return async (c: StepperContext): Promise<Stepper> => {
    const paramNames = [...c.model.store.params.keys()];
    const stateNames = [...c.model.store.state.keys()];
    const params = readFlat(c.model.store.params, paramNames);
    let state = readFlat(c.model.store.state, stateNames);
    const decay = new Uint8Array(params.length);
    let at = 0;
    for (const name of paramNames) {
      const size = c.model.store.params.get(name)!.size;
      decay.fill(/(bias|beta|gamma)$/.test(name) ? 0 : 1, at, at + size);
      at += size;
    }
    const adam = createFlatAdamWState(params.length);
    const pool = Array.from({ length: workers }, () => startWorker('grad-worker'));
    const init: GradInit = { type: 'init', spec: c.model.spec, backend, loss: c.loss, posWeight: c.posWeight, paramNames, stateNames };
    try {
      await Promise.all(pool.map((w) => request(w, init, 'ready')));
    } catch (e) {
      await Promise.all(pool.map((w) => w.terminate()));
      throw e;
    }
    const size = c.inputShape.reduce((a, b) => a * b, 1);
    return {
      async step(xs, ys, b, lr) {
        const per = Math.ceil(b / pool.length);
        const shards = pool.map((_, i) => [i * per, Math.min(b, (i + 1) * per)] as const).filter(([s, e]) => e > s);
        const results = await Promise.all(
          shards.map(([s, e], i) => {
            // Each shard is a fresh copy, moved to its worker rather than cloned again.
            const shard: GradStep = {
              type: 'step',
              params,
              state,
              xs: xs.slice(s * size, e * size),
              ys: ys.slice(s * c.classes, e * c.classes),
              batch: e - s,
            };
            return request<GradResult>(pool[i], shard, 'grads', [shard.xs.buffer as ArrayBuffer, shard.ys.buffer as ArrayBuffer]);
          }),
        );
        const grads = new Float32Array(params.length);
        const newState = new Float32Array(state.length);
        let loss = 0;
        results.forEach((r, i) => {
          const w = (shards[i][1] - shards[i][0]) / b;
          for (let j = 0; j < grads.length; j++) grads[j] += w * r.grads[j];
          for (let j = 0; j < newState.length; j++) newState[j] += r.state[j] / results.length;
          loss += w * r.loss;
        });
        state = newState;
        adamwStepFlat(params, grads, adam, lr, decay, { weightDecay: c.weightDecay });
        return loss;
      },
      async sync() {
        assignFlat(c.model.store.params, paramNames, params);
        assignFlat(c.model.store.state, stateNames, state);
      },
      async dispose() {
        await Promise.all(pool.map((w) => w.terminate()));
      },
    };
  };
}

/**
 * The stepper `train --workers N` trains with (train-worker.ts) and the ML bench measures: undefined (gradients in
 * the training thread) for one worker, else data-parallel over N gradient workers.
 */
export function workersStepper(workers: number, backend?: BackendName): ((c: StepperContext) => Promise<Stepper>) | undefined {
  return workers > 1 ? parallelStepper(workers, backend) : undefined;
}

/** trainModel with the gradient work spread over `workers` threads. */
export function trainModelParallel(
  train: Dataset,
  val: Dataset,
  o: TrainOptions,
  workers?: number,
  backend?: BackendName,
): Promise<TrainResult> {
  return trainModel(train, val, { ...o, stepper: parallelStepper(workers, backend) });
}
