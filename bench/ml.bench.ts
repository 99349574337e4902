// Small CNN (12 x 1000, batch 32) training and inference samples/s on each LeadLens runtime, side by side with
// PyTorch CPU (2 threads, bench/torch_small_cnn.py) and onnxruntime-node, in alternating rounds of one run.
// Usage: node --import tsx bench/ml.bench.ts [--rounds N] [--seconds S] [--profile] [--no-cpu]. Last stdout line: one
// JSON object. --profile adds CPU ms per training step by kernel (single thread, bench/kernel-profile.ts).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src-main/ml/backend.ts';
import { createModel, parameterCount } from '../src-main/ml/models/index.ts';
import type { EcgModel, ModelSpec } from '../src-main/ml/models/model.ts';
import { createAdamW } from '../src-main/ml/optim/adamw.ts';
import { weightedBce } from '../src-main/ml/losses/weighted-bce.ts';
import { exportModelOnnx, exportedCard } from '../src-main/ml/onnx-export.ts';
import { loadOnnxModel } from '../src-main/ml/onnx-model.ts';
import type { OnnxModel } from '../src-main/ml/onnx-model.ts';
import * as ort from 'onnxruntime-node';
import { STANDARD_LEADS } from '../src-shared/record.ts';
import { workersStepper } from '../src-main/ml/parallel-train.ts';
import type { Stepper } from '../src-main/ml/train.ts';
import { cpuMs, profileKernels } from './kernel-profile.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const ROUNDS = arg('rounds', 3);
const SECONDS = arg('seconds', 4);
const BATCH = 32;
const CLASSES = 4;
const SPEC: ModelSpec = { arch: 'small-cnn', channels: 12, inputShape: [1000], classes: CLASSES, seed: 1 };
const log = (s: string): void => void process.stderr.write(`${s}\n`);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function rateFor(seconds: number, step: () => void, warmup = 2): number {
  for (let i = 0; i < warmup; i++) step();
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000 || n === 0) {
    step();
    n++;
  }
  return (n * BATCH) / ((performance.now() - t0) / 1000);
}

async function rateForAsync(seconds: number, step: () => Promise<void>): Promise<number> {
  for (let i = 0; i < 3; i++) await step();
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    await step();
    n++;
  }
  return (n * BATCH) / ((performance.now() - t0) / 1000);
}

/** One training step on a fixed random batch (forward, gradients, AdamW), as in-thread training runs it. */
function trainStep(model: EcgModel): { step: () => void; dispose: () => void } {
  const x = tf.randomNormal([BATCH, 1000, 12], 0, 1, 'float32', 1);
  const y = tf.cast(tf.less(tf.randomUniform([BATCH, CLASSES], 0, 1, 'float32', 2), 0.3), 'float32') as tf.Tensor2D;
  const vars = model.store.params;
  const opt = createAdamW();
  const step = (): void => {
    model.store.training = true;
    const loss = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => weightedBce(model.head(model.backbone(x)), y), [...vars.values()]);
      const byName: Record<string, tf.Tensor> = {};
      for (const [name, v] of vars) byName[name] = grads[v.name];
      opt.step(vars, byName, 1e-3);
      return value;
    });
    loss.dataSync();
    loss.dispose();
    model.store.training = false;
  };
  return {
    step,
    dispose: () => {
      opt.dispose();
      tf.dispose([x, y]);
    },
  };
}

function tfjsRates(model: EcgModel, seconds: number, warmup = 2): { train: number; infer: number } {
  const training = trainStep(model);
  const train = rateFor(seconds, training.step, warmup);
  training.dispose();
  const x = tf.randomNormal([BATCH, 1000, 12], 0, 1, 'float32', 1);
  const infer = rateFor(
    seconds,
    () => {
      const p = tf.tidy(() => tf.sigmoid(model.head(model.backbone(x))));
      p.dataSync();
      p.dispose();
    },
    warmup,
  );
  x.dispose();
  return { train, infer };
}

/** CPU ms per training step by kernel (self time), and the step's CPU ms outside any kernel (engine, tape, JS). */
function profileTrainStep(
  model: EcgModel,
  steps = 10,
): { stepMs: number; outsideKernelsMs: number; kernels: Array<{ kernel: string; ms: number; calls: number }> } {
  const training = trainStep(model);
  for (let i = 0; i < 3; i++) training.step();
  const profiler = profileKernels(tf.getBackend());
  training.step();
  profiler.reset();
  const t0 = cpuMs();
  for (let i = 0; i < steps; i++) training.step();
  const stepMs = (cpuMs() - t0) / steps;
  const kernels = profiler.times().map((t) => ({ kernel: t.kernel, ms: +(t.ms / steps).toFixed(2), calls: t.calls / steps }));
  profiler.stop();
  training.dispose();
  return {
    stepMs: +stepMs.toFixed(1),
    outsideKernelsMs: +(stepMs - kernels.reduce((a, k) => a + k.ms, 0)).toFixed(1),
    kernels: kernels.filter((k) => k.ms >= 0.05),
  };
}

/** Training samples/s with the gradient work on `workers` threads (steps timed after warm-up; start-up excluded). */
async function parallelTrainRate(stepper: Stepper, seconds: number): Promise<number> {
  const xs = Float32Array.from({ length: BATCH * 12_000 }, (_, i) => Math.sin(i * 0.37));
  const ys = Float32Array.from({ length: BATCH * CLASSES }, (_, i) => (i % 3 === 0 ? 1 : 0));
  return rateForAsync(seconds, async () => {
    await stepper.step(xs, ys, BATCH, 1e-3);
  });
}

async function ortRate(model: OnnxModel | ort.InferenceSession, seconds: number): Promise<number> {
  const session = 'session' in model ? model.session : model;
  const input = new ort.Tensor(
    'float32',
    Float32Array.from({ length: BATCH * 12 * 1000 }, (_, i) => Math.sin(i * 0.37)),
    [BATCH, 12, 1000],
  );
  return rateForAsync(seconds, async () => {
    await session.run({ [session.inputNames[0]]: input });
  });
}

function torchRates(seconds: number, exportPath?: string): { trainSps: number; inferSps: number; params: number } | { error: string } {
  try {
    const out = execFileSync(
      '/usr/bin/python3',
      [path.join(here, 'torch_small_cnn.py'), String(seconds), ...(exportPath ? [exportPath] : [])],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return JSON.parse(out.trim().split('\n').pop() ?? '{}');
  } catch (e) {
    return { error: (e instanceof Error ? e.message : String(e)).split('\n')[0] };
  }
}

const loadAtStart = os.loadavg();
log(`load average at start: ${loadAtStart.map((l) => l.toFixed(2)).join(' ')}`);
const backend = await initBackend();
log(`tfjs backend: ${backend.name} (skipped: ${backend.skipped.join('; ') || 'none'})`);
const model = createModel(SPEC);
const torchOnnx = path.join(os.tmpdir(), `leadlens-bench-torch-${process.pid}.onnx`);
const first = torchRates(1, torchOnnx);
const torchSession = 'error' in first ? undefined : await ort.InferenceSession.create(torchOnnx, { executionProviders: ['cpu'] });
const ours = await loadOnnxModel(
  exportModelOnnx(model),
  exportedCard(model, ['a', 'b', 'c', 'd'], 100, [...STANDARD_LEADS], { zscore: true, bandpass: null }),
);

// The stepper `leadlens train --workers 2` trains with (train-worker.ts resolves --workers through workersStepper).
const twoWorkers = await workersStepper(2, backend.name)!({
  model: createModel(SPEC),
  inputShape: [1000, 12],
  classes: CLASSES,
  posWeight: new Float32Array(CLASSES).fill(1),
  loss: 'weighted-bce',
  weightDecay: 1e-2,
});
const samples: Record<string, number[]> = {
  torchTrain: [],
  torchInfer: [],
  tfjsTrain: [],
  tfjsTrain2Workers: [],
  tfjsInfer: [],
  ortTorchGraph: [],
  ortLeadLensExport: [],
};
for (let r = 0; r < ROUNDS; r++) {
  log(`round ${r + 1}/${ROUNDS}: pytorch`);
  const t = torchRates(SECONDS);
  if (!('error' in t)) {
    samples.torchTrain.push(t.trainSps);
    samples.torchInfer.push(t.inferSps);
  } else log(`pytorch failed: ${t.error}`);
  log(`round ${r + 1}/${ROUNDS}: leadlens tfjs-${backend.name}`);
  const l = tfjsRates(model, SECONDS);
  samples.tfjsTrain.push(l.train);
  samples.tfjsInfer.push(l.infer);
  log(`round ${r + 1}/${ROUNDS}: leadlens tfjs-${backend.name}, 2 gradient workers`);
  samples.tfjsTrain2Workers.push(await parallelTrainRate(twoWorkers, SECONDS));
  log(`round ${r + 1}/${ROUNDS}: onnxruntime-node`);
  if (torchSession) samples.ortTorchGraph.push(await ortRate(torchSession, SECONDS));
  samples.ortLeadLensExport.push(await ortRate(ours, SECONDS));
  log(
    `  torch ${t && 'trainSps' in t ? t.trainSps.toFixed(0) : '-'} / ${'inferSps' in t ? t.inferSps.toFixed(0) : '-'}; tfjs ${l.train.toFixed(0)} / ${l.infer.toFixed(0)}`,
  );
}

await twoWorkers.dispose();

const profile = process.argv.includes('--profile') ? profileTrainStep(model) : undefined;
if (profile) {
  log(`training step: ${profile.stepMs} ms CPU, ${profile.outsideKernelsMs} ms outside kernels`);
  for (const k of profile.kernels.slice(0, 12))
    log(`  ${k.kernel.padEnd(32)} ${k.ms.toFixed(2).padStart(7)} ms ${String(k.calls).padStart(4)} calls`);
}

// The pure-JS cpu backend is ~1 sample/s: one step each, no warm-up (--no-cpu skips it).
log('leadlens tfjs-cpu (one step each)');
await initBackend('cpu');
const cpuModel = createModel({ ...SPEC, seed: 2 });
const cpu = process.argv.includes('--no-cpu') ? { train: null, infer: null } : tfjsRates(cpuModel, 0, 0);
if (fs.existsSync(torchOnnx)) fs.unlinkSync(torchOnnx);

const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, v.length ? median(v) : null])) as Record<string, number | null>;
const ratio = (a: number | null, b: number | null): number | null => (a && b ? a / b : null);
const result = {
  model: { arch: 'small-cnn', params: parameterCount(model), input: '12 x 1000', batch: BATCH },
  rounds: ROUNDS,
  secondsPerMeasurement: SECONDS,
  loadavgAtStart: loadAtStart,
  loadavgAtEnd: os.loadavg(),
  backendChosen: backend.name,
  backendsSkipped: backend.skipped,
  samplesPerSecond: {
    pytorchCpu2Threads: { train: m.torchTrain, infer: m.torchInfer },
    [`leadlensTfjs_${backend.name}`]: { train: m.tfjsTrain, infer: m.tfjsInfer },
    [`leadlensTfjs_${backend.name}_2workers`]: { train: m.tfjsTrain2Workers },
    leadlensTfjs_cpu: { train: cpu.train, infer: cpu.infer },
    onnxruntimeNode_pytorchExport: { infer: m.ortTorchGraph },
    onnxruntimeNode_leadlensExport: { infer: m.ortLeadLensExport },
  },
  ratios: {
    [`trainTfjs_${backend.name}_vsPytorch`]: ratio(m.tfjsTrain, m.torchTrain),
    [`trainTfjs_${backend.name}_2workers_vsPytorch`]: ratio(m.tfjsTrain2Workers, m.torchTrain),
    [`inferTfjs_${backend.name}_vsOnnxruntime`]: ratio(m.tfjsInfer, m.ortTorchGraph),
    inferLeadLensOnnxExport_vsOnnxruntimePytorchGraph: ratio(m.ortLeadLensExport, m.ortTorchGraph),
    inferOnnxruntime_vsPytorch: ratio(m.ortTorchGraph, m.torchInfer),
    trainTfjsCpu_vsPytorch: ratio(cpu.train, m.torchTrain),
  },
  allSamples: samples,
  ...(profile ? { trainStepProfile: profile } : {}),
};
console.log(JSON.stringify(result));
