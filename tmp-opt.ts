import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from './src-main/ml/backend.ts';
import { createModel } from './src-main/ml/models/index.ts';
import { createAdamW } from './src-main/ml/optim/adamw.ts';
await initBackend('wasm');
const m = createModel({ arch: 'small-cnn', channels: 12, inputShape: [1000], classes: 4, seed: 1 });
const x = tf.randomNormal([32, 1000, 12]);
const vars = m.store.params;
const opt = createAdamW();
let tg = 0, to = 0;
for (let i = 0; i < 12; i++) {
  const t0 = performance.now();
  const { value, grads } = tf.tidy(() => { m.store.training = true; return tf.variableGrads(() => tf.mean(tf.square(m.head(m.backbone(x)))) as tf.Scalar, [...vars.values()]); });
  value.dataSync();
  const t1 = performance.now();
  const byName: Record<string, tf.Tensor> = {}; for (const [n, v] of vars) byName[n] = grads[v.name];
  opt.step(vars, byName, 1e-3); vars.get('head/fc2/bias')!.dataSync();
  const t2 = performance.now();
  if (i >= 2) { tg += t1 - t0; to += t2 - t1; }
  tf.dispose([value, ...Object.values(grads)]);
}
console.log('grad ms', (tg/10).toFixed(1), 'opt ms', (to/10).toFixed(1));
