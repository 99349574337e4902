// Training loop: seeded mini-batch training with AdamW/AMSGrad and a one-cycle schedule, early stopping on the
// validation challenge metric (macro F1 when no class is scored), best weights restored at the end.
import * as tf from '@tensorflow/tfjs-core';
import { seededRandom } from '../../src-shared/seeded-random.ts';
import { inkValues } from '../chart/chart-input.ts';
import { mixup, randomMask, smoothLabels } from './input-pipeline.ts';
import { asymmetricLoss } from './losses/asymmetric-loss.ts';
import { positiveWeights, weightedBce } from './losses/weighted-bce.ts';
import { challengeScore, scoredClassIndex } from './metrics/challenge-metric.ts';
import type { ChallengeWeights } from './metrics/challenge-metric.ts';
import { f1Scores } from './metrics/classification.ts';
import { createModel } from './models/index.ts';
import { HEAD_PREFIX } from './models/model.ts';
import type { EcgModel, ModelSpec } from './models/model.ts';
import { createAdamW } from './optim/adamw.ts';
import { oneCycleLr } from './optim/one-cycle.ts';
import { predictLabels } from './prediction-rule.ts';

/** Model inputs as floats, or as chart ink bytes (inputs x 255: a byte per pixel, not four). */
export type Inputs = Float32Array | Uint8Array;

/** Examples as one flat array of model inputs and one of multi-hot targets. */
export interface Dataset<X extends Inputs = Float32Array> {
  /** n x (input size), each example channels-last. */
  x: X;
  /** n x classes, 0/1. */
  y: Uint8Array;
  n: number;
}

export interface TrainOptions {
  spec: ModelSpec;
  /** Class codes in output order (SNOMED CT), used for the challenge metric. */
  classes: string[];
  epochs: number;
  batchSize?: number;
  maxLr?: number;
  weightDecay?: number;
  loss?: 'weighted-bce' | 'asymmetric';
  /** Epochs without a better validation score before stopping. */
  patience?: number;
  mixupAlpha?: number;
  maskFraction?: number;
  labelSmoothing?: number;
  challengeWeights?: ChallengeWeights;
  onProgress?: (event: TrainProgress) => void;
  signal?: AbortSignal;
  /** Computes and applies one update; default: in this thread with tfjs (parallel-train.ts spreads it over cores). */
  stepper?: (ctx: StepperContext) => Promise<Stepper>;
}

export interface TrainProgress {
  epoch: number;
  epochs: number;
  step: number;
  steps: number;
  loss: number;
  /** Set at the end of each epoch. */
  validationScore?: number;
}

export interface TrainResult {
  model: EcgModel;
  bestEpoch: number;
  validationScore: number;
  metricName: 'challenge' | 'macro-f1';
  history: Array<{ epoch: number; loss: number; validationScore: number }>;
  trainSeconds: number;
  samplesPerSecond: number;
}

/** Inputs [from, to) of a dataset's flat array as floats. */
export function inputValues(x: Inputs, from: number, to: number): Float32Array {
  const part = x.subarray(from, to);
  return part instanceof Float32Array ? part : inkValues(part);
}

export function exampleSize(spec: ModelSpec): number {
  return spec.inputShape.reduce((a, b) => a * b, 1) * spec.channels;
}

/** Sigmoid probabilities for all examples, n x classes, in batches, inference mode. */
export function predictProbabilities(model: EcgModel, x: Inputs, n: number, batchSize = 64): Float32Array {
  const size = exampleSize(model.spec);
  const k = model.spec.classes;
  const out = new Float32Array(n * k);
  model.store.training = false;
  for (let i = 0; i < n; i += batchSize) {
    const b = Math.min(batchSize, n - i);
    const probs = tf.tidy(() => {
      const input = tf.tensor(inputValues(x, i * size, (i + b) * size), [b, ...model.spec.inputShape, model.spec.channels]);
      return tf.sigmoid(model.head(model.backbone(input)));
    });
    out.set(probs.dataSync(), i * k);
    probs.dispose();
  }
  return out;
}

const rows = (flat: ArrayLike<number>, n: number, k: number): Float32Array[] =>
  Array.from({ length: n }, (_, i) => Float32Array.from({ length: k }, (_, c) => flat[i * k + c]));

/** The validation score used for early stopping, with the prediction rule applied to probabilities. */
export function validationScore(
  probs: Float32Array,
  y: Uint8Array,
  n: number,
  classes: string[],
  weights?: ChallengeWeights,
): { score: number; metric: 'challenge' | 'macro-f1' } {
  const k = classes.length;
  const outputs = rows(probs, n, k).map((p) => predictLabels(p));
  const labels = rows(y, n, k);
  const scored = weights ? classes.map((c) => scoredClassIndex(weights, c)) : [];
  if (weights && scored.some((s) => s >= 0) && scoredClassIndex(weights, '426783006') >= 0) {
    const toScored = (r: ArrayLike<number>): Uint8Array => {
      const row = new Uint8Array(weights.classes.length);
      scored.forEach((s, c) => {
        if (s >= 0 && r[c]) row[s] = 1;
      });
      return row;
    };
    return { score: challengeScore(weights, labels.map(toScored), outputs.map(toScored)), metric: 'challenge' };
  }
  return { score: f1Scores(labels, outputs, k).macro, metric: 'macro-f1' };
}

function snapshot(model: EcgModel): Map<string, Float32Array> {
  const s = new Map<string, Float32Array>();
  for (const [name, v] of [...model.store.params, ...model.store.state]) s.set(name, v.dataSync().slice() as Float32Array);
  return s;
}

function restore(model: EcgModel, s: Map<string, Float32Array>): void {
  for (const [name, v] of [...model.store.params, ...model.store.state]) {
    const data = s.get(name);
    if (data) v.assign(tf.tensor(data, v.shape));
  }
}

function abortError(): Error {
  const e = new Error('training cancelled');
  e.name = 'AbortError';
  return e;
}

interface LoopOptions extends TrainOptions {
  /** Only variables whose names pass are trained (fine-tuning trains the head). */
  trainable?: (name: string) => boolean;
  /** Forward pass from a batch tensor to logits; default backbone + head. */
  forward?: (x: tf.Tensor) => tf.Tensor2D;
  inputShape?: number[];
}

export interface StepperContext {
  model: EcgModel;
  inputShape: number[];
  classes: number;
  /** Per-class positive weights for weighted BCE. */
  posWeight: Float32Array;
  loss: 'weighted-bce' | 'asymmetric';
  weightDecay: number;
}

export interface Stepper {
  /** One optimisation step on a batch; returns the batch's mean loss. */
  step(xs: Float32Array, ys: Float32Array, batch: number, lr: number): Promise<number>;
  /** Makes `model` hold the current weights (before validation and snapshots). */
  sync(): Promise<void>;
  dispose(): Promise<void>;
}

/** The default stepper: tfjs gradients and AdamW/AMSGrad on the current backend, in this thread. */
function localStepper(forward: (x: tf.Tensor) => tf.Tensor2D, trainable?: (name: string) => boolean) {
  return async (c: StepperContext): Promise<Stepper> => {
    const vars = new Map([...c.model.store.params].filter(([name]) => (trainable ? trainable(name) : true)));
    const optimizer = createAdamW({ weightDecay: c.weightDecay, amsgrad: true });
    const posWeight = tf.tensor1d(c.posWeight);
    return {
      async step(xs, ys, b, lr) {
        c.model.store.training = true;
        const loss = tf.tidy(() => {
          const input = tf.tensor(xs, [b, ...c.inputShape]);
          const target = tf.tensor2d(ys, [b, c.classes]);
          const { value, grads } = tf.variableGrads(() => {
            const logits = forward(input);
            return c.loss === 'asymmetric' ? asymmetricLoss(logits, target) : weightedBce(logits, target, posWeight);
          }, [...vars.values()]);
          const byName: Record<string, tf.Tensor> = {};
          for (const [name, v] of vars) byName[name] = grads[v.name];
          optimizer.step(vars, byName, lr);
          return value;
        });
        c.model.store.training = false;
        const value = (await loss.data())[0];
        loss.dispose();
        return value;
      },
      async sync() {},
      async dispose() {
        optimizer.dispose();
        posWeight.dispose();
      },
    };
  };
}

async function runLoop(model: EcgModel, train: Dataset<Inputs>, val: Dataset<Inputs>, o: LoopOptions): Promise<TrainResult> {
  const started = performance.now();
  const batchSize = o.batchSize ?? 32;
  const k = o.classes.length;
  if (k !== model.spec.classes) throw new Error(`train: ${k} class codes for a model with ${model.spec.classes} outputs`);
  if (train.n === 0) throw new Error('train: no training examples');
  const inputShape = o.inputShape ?? [...model.spec.inputShape, model.spec.channels];
  const size = inputShape.reduce((a, b) => a * b, 1);
  if (train.x.length !== train.n * size) throw new Error(`train: inputs hold ${train.x.length} values, expected ${train.n} x ${size}`);
  const forward = o.forward ?? ((x: tf.Tensor) => model.head(model.backbone(x)));
  const rand = seededRandom(model.spec.seed ^ 0x5eed);
  const stepsPerEpoch = Math.ceil(train.n / batchSize);
  const totalSteps = stepsPerEpoch * o.epochs;
  const labelRows = Array.from({ length: train.n }, (_, i) => train.y.subarray(i * k, (i + 1) * k));
  const stepper = await (o.stepper ?? localStepper(forward, o.trainable))({
    model,
    inputShape,
    classes: k,
    posWeight: positiveWeights(labelRows, k),
    loss: o.loss ?? 'weighted-bce',
    weightDecay: o.weightDecay ?? 1e-2,
  });
  const history: TrainResult['history'] = [];
  let best = { score: -Infinity, epoch: -1, weights: snapshot(model) };
  let metricName: TrainResult['metricName'] = 'macro-f1';
  let step = 0;
  let seen = 0;
  const patience = o.patience ?? Infinity;
  const order = Array.from({ length: train.n }, (_, i) => i);
  const xb = new Float32Array(batchSize * size);
  const yb = new Float32Array(batchSize * k);
  try {
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      let lossSum = 0;
      for (let s = 0; s < stepsPerEpoch; s++) {
        if (o.signal?.aborted) throw abortError();
        const idx = order.slice(s * batchSize, (s + 1) * batchSize);
        const b = idx.length;
        idx.forEach((e, r) => {
          xb.set(inputValues(train.x, e * size, (e + 1) * size), r * size);
          for (let c = 0; c < k; c++) yb[r * k + c] = train.y[e * k + c];
        });
        const xs = xb.subarray(0, b * size);
        let ys: Float32Array = yb.subarray(0, b * k);
        if (o.maskFraction) randomMask(xs, b, inputShape[inputShape.length - 1], o.maskFraction, rand);
        if (o.mixupAlpha) mixup(xs, ys, b, o.mixupAlpha, rand);
        if (o.labelSmoothing) ys = smoothLabels(ys, o.labelSmoothing);
        const lr = oneCycleLr(step, { maxLr: o.maxLr ?? 3e-3, totalSteps });
        const lossValue = await stepper.step(xs, ys, b, lr);
        if (!Number.isFinite(lossValue))
          throw new Error(`train: loss became ${lossValue} at epoch ${epoch + 1} step ${s + 1}; lower the learning rate`);
        lossSum += lossValue * b;
        seen += b;
        step++;
        o.onProgress?.({ epoch: epoch + 1, epochs: o.epochs, step, steps: totalSteps, loss: lossValue });
      }
      await stepper.sync();
      const v =
        val.n > 0 ? evaluateForStopping(model, val, o, forward, inputShape) : { score: -lossSum / train.n, metric: 'macro-f1' as const };
      metricName = v.metric;
      history.push({ epoch: epoch + 1, loss: lossSum / train.n, validationScore: v.score });
      o.onProgress?.({ epoch: epoch + 1, epochs: o.epochs, step, steps: totalSteps, loss: lossSum / train.n, validationScore: v.score });
      if (v.score > best.score) best = { score: v.score, epoch: epoch + 1, weights: snapshot(model) };
      else if (epoch + 1 - best.epoch >= patience) break;
    }
  } finally {
    model.store.training = false;
    await stepper.dispose();
  }
  restore(model, best.weights);
  const trainSeconds = (performance.now() - started) / 1000;
  return {
    model,
    bestEpoch: best.epoch,
    validationScore: best.score,
    metricName,
    history,
    trainSeconds,
    samplesPerSecond: seen / trainSeconds,
  };
}

function evaluateForStopping(
  model: EcgModel,
  val: Dataset<Inputs>,
  o: LoopOptions,
  forward: (x: tf.Tensor) => tf.Tensor2D,
  inputShape: number[],
): { score: number; metric: 'challenge' | 'macro-f1' } {
  const size = inputShape.reduce((a, b) => a * b, 1);
  const k = o.classes.length;
  const probs = new Float32Array(val.n * k);
  for (let i = 0; i < val.n; i += 64) {
    const b = Math.min(64, val.n - i);
    const p = tf.tidy(() => tf.sigmoid(forward(tf.tensor(inputValues(val.x, i * size, (i + b) * size), [b, ...inputShape]))));
    probs.set(p.dataSync(), i * k);
    p.dispose();
  }
  return validationScore(probs, val.y, val.n, o.classes, o.challengeWeights);
}

/** Trains a new model of `o.spec` from scratch. Cancelling through `o.signal` throws an AbortError. */
export async function trainModel(train: Dataset<Inputs>, val: Dataset<Inputs>, o: TrainOptions): Promise<TrainResult> {
  return runLoop(createModel(o.spec), train, val, o);
}

/** Backbone embeddings of all examples (inference mode), computed once so head retraining is cheap. */
export function computeEmbeddings(model: EcgModel, data: Dataset<Inputs>, batchSize = 64): { x: Float32Array; dim: number } {
  const size = exampleSize(model.spec);
  model.store.training = false;
  const parts: Float32Array[] = [];
  let dim = 0;
  for (let i = 0; i < data.n; i += batchSize) {
    const b = Math.min(batchSize, data.n - i);
    const e = tf.tidy(() =>
      model.backbone(tf.tensor(inputValues(data.x, i * size, (i + b) * size), [b, ...model.spec.inputShape, model.spec.channels])),
    );
    dim = e.shape[1];
    parts.push(e.dataSync() as Float32Array);
    e.dispose();
  }
  const x = new Float32Array(data.n * dim);
  parts.reduce((at, p) => (x.set(p, at), at + p.length), 0);
  return { x, dim };
}

/**
 * Fine-tuning: the backbone stays frozen; only the head (weights under `head/`) is retrained, on cached embeddings.
 * The head keeps its current weights as the starting point.
 */
export async function fineTuneHead(
  model: EcgModel,
  train: Dataset<Inputs>,
  val: Dataset<Inputs>,
  o: Omit<TrainOptions, 'spec'>,
): Promise<TrainResult> {
  const te = computeEmbeddings(model, train);
  const ve = computeEmbeddings(model, val);
  return runLoop(
    model,
    { x: te.x, y: train.y, n: train.n },
    { x: ve.x, y: val.y, n: val.n },
    {
      ...o,
      spec: model.spec,
      trainable: (name) => name.startsWith(HEAD_PREFIX),
      forward: (e) => model.head(e as tf.Tensor2D),
      inputShape: [te.dim],
    },
  );
}
