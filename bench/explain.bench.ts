// Time per saliency method for one 10 s 12-lead record (JS00001) with the ML engine's small CNN
// (src-main/ml/models/small-cnn.ts, untrained weights, default input 100 Hz x 1000 samples, 2 classes)
// on the backend initBackend picks (wasm with gradient kernels here).
import os from 'node:os';
import { initBackend } from '../src-main/ml/backend.ts';
import { createModel } from '../src-main/ml/models/index.ts';
import { recordToInput } from '../src-main/ml/input-pipeline.ts';
import { DEFAULT_INPUT } from '../src-main/workspace/train-model.ts';
import { readWfdbRecord } from '../src-main/formats/wfdb-record.ts';
import { STANDARD_LEADS } from '../src-shared/record.ts';
import { ecgClassifier } from '../src-main/explain/saliency/classifier.ts';
import { signalTarget } from '../src-main/explain/saliency/explain-target.ts';
import { vanillaGradient } from '../src-main/explain/saliency/vanilla-gradient.ts';
import { gradientXInput } from '../src-main/explain/saliency/gradient-x-input.ts';
import { integratedGradients } from '../src-main/explain/saliency/integrated-gradients.ts';
import { smoothGrad } from '../src-main/explain/saliency/smoothgrad.ts';
import { gradCam } from '../src-main/explain/saliency/grad-cam.ts';
import { guidedBackprop } from '../src-main/explain/saliency/guided-backprop.ts';
import { guidedGradCam } from '../src-main/explain/saliency/guided-grad-cam.ts';
import { occlusion, tfSignalPredict } from '../src-main/explain/saliency/occlusion.ts';
import { dataPath } from '../tests/helpers/shared-data.ts';

const REPEATS = 5;

const backend = await initBackend();
process.stderr.write(`explain bench: backend ${backend.name}, load ${os.loadavg()[0].toFixed(2)}\n`);
const record = await readWfdbRecord(dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01', '010', 'JS00001.hea'));
const spec = {
  samplingRate: DEFAULT_INPUT.samplingRate,
  samples: DEFAULT_INPUT.samples,
  leads: [...STANDARD_LEADS],
  bandpass: DEFAULT_INPUT.bandpass,
};
const input = recordToInput(record, spec);
const L = spec.leads.length;
const signals = spec.leads.map((_, l) => Float32Array.from({ length: spec.samples }, (_, t) => input[t * L + l]));
const model = createModel({ arch: 'small-cnn', channels: L, inputShape: [spec.samples], classes: 2, seed: 1 });
// Grad-CAM on the model's last named stage (block2), as `leadlens explain` uses by default.
const classifier = ecgClassifier(model, 'small-cnn');
const target = signalTarget({ model: classifier, signals, leads: spec.leads, preprocessing: '100 Hz, band-pass 0.5-40 Hz, z-score' });

const methods: Record<string, () => unknown> = {
  'vanilla-gradient': () => vanillaGradient(target, { targetClass: 0 }),
  'gradient-x-input': () => gradientXInput(target, { targetClass: 0 }),
  'integrated-gradients(32 steps)': () => integratedGradients(target, { targetClass: 0, steps: 32 }),
  'smoothgrad(16 samples)': () => smoothGrad(target, { targetClass: 0, samples: 16 }),
  'grad-cam': () => gradCam(target, { targetClass: 0 }),
  'guided-backprop': () => guidedBackprop(target, { targetClass: 0 }),
  'guided-grad-cam': () => guidedGradCam(target, { targetClass: 0 }),
  'occlusion(0.5 s x lead windows)': () =>
    occlusion(
      { modelId: 'small-cnn', predict: tfSignalPredict(classifier), signals, leads: spec.leads },
      { targetClass: 0, window: 50, batch: 48 },
    ),
};

const msPerMethod: Record<string, { medianMs: number; minMs: number }> = {};
for (const [name, run] of Object.entries(methods)) {
  await run(); // warm-up (kernel compilation, weight creation)
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  msPerMethod[name] = { medianMs: Math.round(times[REPEATS >> 1] * 10) / 10, minMs: Math.round(times[0] * 10) / 10 };
  process.stderr.write(`  ${name}: median ${msPerMethod[name].medianMs} ms\n`);
}
console.log(
  JSON.stringify({
    model: 'small-cnn (src-main/ml/models/small-cnn.ts, untrained, seed 1)',
    record: 'chapman-ningbo JS00001, 12 leads, 10 s',
    input: '100 Hz x 1000 samples x 12 leads',
    backend: backend.name,
    repeats: REPEATS,
    loadAvgAtStart: os.loadavg()[0],
    msPerMethod,
  }),
);
