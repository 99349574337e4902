import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { REPO_ROOT } from '../helpers/shared-data.ts';
import { initBackend } from '../../src-main/ml/backend.ts';
import { weightedBce, positiveWeights } from '../../src-main/ml/losses/weighted-bce.ts';
import { asymmetricLoss } from '../../src-main/ml/losses/asymmetric-loss.ts';
import { createAdamW } from '../../src-main/ml/optim/adamw.ts';
import { oneCycleLr } from '../../src-main/ml/optim/one-cycle.ts';

// Reference values from PyTorch (BCEWithLogits pos_weight, AdamW amsgrad, OneCycleLR): scripts/make-ml-golden.py.
const golden = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'tests/fixtures/ml/golden.json'), 'utf8'));

describe('losses and optimiser against PyTorch', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('weighted BCE equals BCEWithLogitsLoss(pos_weight)', () => {
    const { logits, targets, posWeight } = golden.losses;
    const v = weightedBce(tf.tensor2d(logits), tf.tensor2d(targets), tf.tensor1d(posWeight)).dataSync()[0];
    expect(v).toBeCloseTo(golden.losses.weightedBce, 5);
  });

  it('asymmetric loss (gamma+ 0, gamma- 0.2, clip 0.05) equals the reference formula and ignores easy negatives', () => {
    const { logits, targets } = golden.losses;
    expect(asymmetricLoss(tf.tensor2d(logits), tf.tensor2d(targets)).dataSync()[0]).toBeCloseTo(golden.losses.asymmetric, 5);
    // A negative with p = sigmoid(-5) < clip contributes nothing.
    expect(asymmetricLoss(tf.tensor2d([[-5]]), tf.tensor2d([[0]])).dataSync()[0]).toBeCloseTo(0, 6);
  });

  it('positive weights are negatives/positives clipped to [1, 10]', () => {
    const rows = [
      [1, 0, 0],
      [0, 0, 0],
      [0, 1, 0],
      [0, 0, 0],
    ].map((r) => Uint8Array.from(r));
    expect([...positiveWeights(rows, 3)]).toEqual([3, 3, 1]);
  });

  it('AdamW with AMSGrad follows torch.optim.AdamW(amsgrad=True) over five steps', () => {
    const a = golden.adamw;
    const w = tf.variable(tf.tensor2d(a.w0), true, 'adamw-test/kernel');
    const opt = createAdamW({ weightDecay: a.weightDecay, amsgrad: true });
    for (const grad of a.grads) opt.step(new Map([['kernel', w]]), { kernel: tf.tensor2d(grad) }, a.lr);
    const got = w.dataSync();
    (a.after as number[][]).flat().forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
    opt.dispose();
  });

  it('one-cycle schedule equals OneCycleLR (cos)', () => {
    const o = golden.oneCycle;
    (o.lrs as number[]).forEach((lr, step) => expect(oneCycleLr(step, { maxLr: o.maxLr, totalSteps: o.totalSteps })).toBeCloseTo(lr, 9));
  });
});

describe('flat AdamW (data-parallel trainer)', () => {
  it('follows torch.optim.AdamW(amsgrad=True) over five steps', async () => {
    const { adamwStepFlat, createFlatAdamWState } = await import('../../src-main/ml/optim/adamw.ts');
    const a = golden.adamw;
    const w = Float32Array.from((a.w0 as number[][]).flat());
    const s = createFlatAdamWState(w.length);
    for (const grad of a.grads as number[][][])
      adamwStepFlat(w, Float32Array.from(grad.flat()), s, a.lr, new Uint8Array(w.length).fill(1), { weightDecay: a.weightDecay });
    (a.after as number[][]).flat().forEach((v, i) => expect(w[i]).toBeCloseTo(v, 5));
  });
});
