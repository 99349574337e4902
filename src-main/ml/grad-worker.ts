// Worker-thread entry for data-parallel training: holds a model replica, computes loss gradients on its shard of
// each batch with the weights it is sent, and returns them flat (see parallel-train.ts).
import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from './backend.ts';
import type { BackendName } from './backend.ts';
import { asymmetricLoss } from './losses/asymmetric-loss.ts';
import { weightedBce } from './losses/weighted-bce.ts';
import { createModel } from './models/index.ts';
import type { EcgModel, ModelSpec } from './models/model.ts';
import { assignFlat, readFlat } from './flat-weights.ts';

export interface GradInit {
  type: 'init';
  spec: ModelSpec;
  backend?: BackendName;
  loss: 'weighted-bce' | 'asymmetric';
  posWeight: Float32Array;
  paramNames: string[];
  stateNames: string[];
}

export interface GradStep {
  type: 'step';
  params: Float32Array;
  state: Float32Array;
  xs: Float32Array;
  ys: Float32Array;
  batch: number;
}

export interface GradResult {
  grads: Float32Array;
  state: Float32Array;
  loss: number;
}

let ready: Promise<{ model: EcgModel; init: GradInit; posWeight: tf.Tensor1D }> | undefined;

parentPort?.on('message', async (m: GradInit | GradStep) => {
  try {
    if (m.type === 'init') {
      ready = (async () => {
        await initBackend(m.backend);
        return { model: createModel(m.spec), init: m, posWeight: tf.tensor1d(m.posWeight) };
      })();
      await ready;
      parentPort?.postMessage({ type: 'ready' });
      return;
    }
    const { model, init, posWeight } = await ready!;
    assignFlat(model.store.params, init.paramNames, m.params);
    assignFlat(model.store.state, init.stateNames, m.state);
    const vars = init.paramNames.map((n) => model.store.params.get(n)!);
    model.store.training = true;
    const { value, grads } = tf.tidy(() => {
      const input = tf.tensor(m.xs, [m.batch, ...model.spec.inputShape, model.spec.channels]);
      const target = tf.tensor2d(m.ys, [m.batch, model.spec.classes]);
      return tf.variableGrads(() => {
        const logits = model.head(model.backbone(input));
        return init.loss === 'asymmetric' ? asymmetricLoss(logits, target) : weightedBce(logits, target, posWeight);
      }, vars);
    });
    model.store.training = false;
    const flat = new Float32Array(m.params.length);
    let at = 0;
    for (const v of vars) {
      const d = grads[v.name].dataSync();
      flat.set(d, at);
      at += d.length;
    }
    const result: GradResult = { grads: flat, state: readFlat(model.store.state, init.stateNames), loss: value.dataSync()[0] };
    tf.dispose([value, ...Object.values(grads)]);
    parentPort?.postMessage({ type: 'grads', result }, [result.grads.buffer as ArrayBuffer, result.state.buffer as ArrayBuffer]);
  } catch (e) {
    parentPort?.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
});
