import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { dataPath } from '../helpers/shared-data.ts';
import { initBackend } from '../../src-main/ml/backend.ts';
import { batchNorm, conv1d, createParamStore, maxPool1d } from '../../src-main/ml/layers.ts';
import { createModel, parameterCount } from '../../src-main/ml/models/index.ts';
import { ARCHITECTURES } from '../../src-main/ml/models/model.ts';
import { mixup, randomMask, recordToInput, smoothLabels, targetsFor } from '../../src-main/ml/input-pipeline.ts';
import type { InputSpec } from '../../src-main/ml/input-pipeline.ts';
import { readWfdbRecord } from '../../src-main/formats/wfdb-record.ts';
import { seededRandom } from '../../src-shared/seeded-random.ts';
import { STANDARD_LEADS } from '../../src-shared/record.ts';

const JS00001 = dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01', '010', 'JS00001.hea');
const SPEC: InputSpec = { samplingRate: 100, samples: 1000, leads: [...STANDARD_LEADS], bandpass: { lowHz: 0.5, highHz: 40 } };

beforeAll(async () => {
  await initBackend('wasm');
});

describe('input pipeline on a real CinC record', () => {
  it('JS00001 (500 Hz, 10 s) becomes 1000 x 12 at 100 Hz, each lead z-scored', async () => {
    const rec = await readWfdbRecord(JS00001);
    const x = recordToInput(rec, SPEC);
    expect(x.length).toBe(12_000);
    for (let c = 0; c < 12; c++) {
      let m = 0;
      let v = 0;
      for (let t = 0; t < 1000; t++) m += x[t * 12 + c] / 1000;
      for (let t = 0; t < 1000; t++) v += (x[t * 12 + c] - m) ** 2 / 1000;
      expect(Math.abs(m)).toBeLessThan(1e-4);
      expect(v).toBeCloseTo(1, 3);
    }
  });

  it('a 2-lead set keeps I and II and zero-fills the rest', async () => {
    const rec = await readWfdbRecord(JS00001);
    const x = recordToInput(rec, { ...SPEC, activeLeads: ['I', 'II'] });
    const energy = (c: number): number => {
      let e = 0;
      for (let t = 0; t < 1000; t++) e += x[t * 12 + c] ** 2;
      return e;
    };
    expect(energy(0)).toBeCloseTo(1000, 0);
    expect(energy(1)).toBeCloseTo(1000, 0);
    for (let c = 2; c < 12; c++) expect(energy(c)).toBe(0);
  });

  it('bad inputs give one clear line: short record, unknown lead, missing lead', async () => {
    const rec = await readWfdbRecord(JS00001);
    expect(() => recordToInput(rec, { ...SPEC, samples: 1500 })).toThrow(/JS00001: 10.00 s is shorter than the model input of 15.00 s/);
    expect(recordToInput(rec, { ...SPEC, samples: 1500, padShort: true }).length).toBe(18_000);
    expect(() => recordToInput(rec, { ...SPEC, activeLeads: ['X1'] })).toThrow(/lead X1 of the lead set is not a model input/);
    const noV6 = { ...rec, leads: rec.leads.filter((l) => l.name !== 'V6') };
    expect(() => recordToInput(noV6, SPEC)).toThrow(/JS00001: lacks lead V6 \(has I, II/);
  });

  it('targets merge equivalent codes: JS00001 (AF, CRBBB 59118001, T-wave abnormal) hits AF and RBBB', async () => {
    const rec = await readWfdbRecord(JS00001);
    const codes = rec.labels.map((l) => l.code);
    expect(codes).toEqual(['164889003', '59118001', '164934002']);
    expect([...targetsFor(codes, ['426783006', '164889003', '713427006'], { '59118001': '713427006' })]).toEqual([0, 1, 1]);
  });

  it('augmentations: mixup keeps target mass, masking zeros a window, smoothing moves targets inward', () => {
    const rand = seededRandom(3);
    const x = Float32Array.from({ length: 4 * 50 * 2 }, (_, i) => 1 + (i % 7));
    const y = Float32Array.from([1, 0, 0, 1, 1, 0, 0, 1]);
    mixup(x, y, 4, 0.4, rand);
    for (let i = 0; i < 4; i++) expect(y[2 * i] + y[2 * i + 1]).toBeCloseTo(1, 6);
    const before = x.filter((v) => v === 0).length;
    randomMask(x, 4, 2, 0.5, rand);
    expect(x.filter((v) => v === 0).length).toBeGreaterThan(before);
    expect([...smoothLabels(Float32Array.from([1, 0]), 0.1)]).toEqual([expect.closeTo(0.95, 6), expect.closeTo(0.05, 6)]);
  });
});

describe('architectures', () => {
  it('the small CNN has 47,124 parameters for 12 leads and 4 classes (3 x conv k7, BN, 16-unit head)', () => {
    const m = createModel({ arch: 'small-cnn', channels: 12, inputShape: [1000], classes: 4, seed: 1 });
    expect(parameterCount(m)).toBe(47_124);
  });

  it.each(ARCHITECTURES)('%s: forward shape and finite gradients for every weight', (arch) => {
    const image = arch === 'image-cnn';
    const spec = { arch, channels: image ? 1 : 12, inputShape: image ? [32, 64] : [256], classes: 3, seed: 7 };
    const m = createModel(spec);
    const x = tf.randomNormal([2, ...spec.inputShape, spec.channels], 0, 1, 'float32', 1);
    m.store.training = true;
    const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(m.head(m.backbone(x)))) as tf.Scalar, [...m.store.params.values()]);
    m.store.training = false;
    expect(m.head(m.backbone(x)).shape).toEqual([2, 3]);
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    expect(Object.keys(grads)).toHaveLength(m.store.params.size);
    for (const g of Object.values(grads)) expect(g.dataSync().every(Number.isFinite)).toBe(true);
  });

  it('dilated convolution via space-to-batch equals tfjs conv1d with dilation', () => {
    for (const [n, d] of [
      [50, 2],
      [61, 4],
      [33, 3],
    ]) {
      const p = createParamStore(2);
      const x = tf.randomNormal([2, n, 3], 0, 1, 'float32', 4) as tf.Tensor3D;
      const ours = conv1d(p, 'c', x, 4, 5, { dilation: d });
      const ref = tf.conv1d(x, p.params.get('c/kernel') as unknown as tf.Tensor3D, 1, 'same', 'NWC', d);
      const a = ours.dataSync();
      const b = ref.dataSync();
      expect(ours.shape).toEqual(ref.shape);
      for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 4);
    }
  });

  it('lead-wise grouped convolution keeps leads apart: lead 0 does not influence group 1', () => {
    const p = createParamStore(3);
    const x = tf.randomNormal([1, 40, 2], 0, 1, 'float32', 5) as tf.Tensor3D;
    const y1 = conv1d(p, 'g', x, 4, 3, { groups: 2 });
    const x2 = tf.concat([tf.zeros([1, 40, 1]), tf.slice(x, [0, 0, 1], [1, 40, 1])], 2) as tf.Tensor3D;
    const y2 = conv1d(p, 'g', x2, 4, 3, { groups: 2 });
    const group1 = (t: tf.Tensor): Float32Array => tf.slice(t, [0, 0, 2], [1, 40, 2]).dataSync() as Float32Array;
    expect([...group1(y2)]).toEqual([...group1(y1)]);
  });
});

describe('custom-gradient layers match tfjs reference gradients', () => {
  it('batch norm (training) gradients for input, gamma and beta', () => {
    const p = createParamStore(5);
    p.training = true;
    const x = tf.add(tf.mul(tf.randomNormal([3, 20, 4], 0, 1, 'float32', 8), 2), 1);
    const up = tf.randomNormal([3, 20, 4], 0, 1, 'float32', 9);
    batchNorm(p, 'bn', x);
    const gamma = p.params.get('bn/gamma')!;
    const beta = p.params.get('bn/beta')!;
    gamma.assign(tf.tensor1d([0.5, 1.5, -1, 2]));
    const ours = tf.grads((xx: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      void g;
      void b;
      return tf.sum(tf.mul(batchNorm(p, 'bn', xx), up));
    })([x, gamma, beta]);
    const ref = tf.grads((xx: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      const { mean, variance } = tf.moments(xx, [0, 1]);
      return tf.sum(tf.mul(tf.batchNorm(xx, mean, variance, b, g, 1e-5), up));
    })([x, gamma, beta]);
    const dxOurs = ours[0].dataSync();
    const dxRef = ref[0].dataSync();
    for (let i = 0; i < dxRef.length; i++) expect(dxOurs[i]).toBeCloseTo(dxRef[i], 4);
    // gamma and beta enter our op through the store, so check them by variableGrads.
    const vg = tf.variableGrads(() => tf.sum(tf.mul(batchNorm(p, 'bn', x), up)) as tf.Scalar, [gamma, beta]);
    const rg = tf.variableGrads(() => {
      const { mean, variance } = tf.moments(x, [0, 1]);
      return tf.sum(tf.mul(tf.batchNorm(x, mean, variance, beta, gamma, 1e-5), up)) as tf.Scalar;
    }, [gamma, beta]);
    for (const v of [gamma, beta]) {
      const a = vg.grads[v.name].dataSync();
      const b = rg.grads[v.name].dataSync();
      for (let i = 0; i < b.length; i++) expect(a[i]).toBeCloseTo(b[i], 3);
    }
  });

  it('max-pool gradient on wasm routes to the window maximum like tf.maxPool on cpu', async () => {
    const grads = async (backend: string, ours: boolean): Promise<Float32Array> => {
      await tf.setBackend(backend);
      const x = tf.randomNormal([2, 43, 3], 0, 1, 'float32', 10) as tf.Tensor3D;
      const up = tf.randomNormal([2, 10, 3], 0, 1, 'float32', 11);
      const pool = (xx: tf.Tensor): tf.Tensor =>
        ours
          ? maxPool1d(xx as tf.Tensor3D, 4)
          : tf.reshape(tf.maxPool(tf.reshape(xx, [2, 1, 43, 3]) as tf.Tensor4D, [1, 4], [1, 4], 'valid'), [2, 10, 3]);
      return tf
        .grad((xx: tf.Tensor) => tf.sum(tf.mul(pool(xx), up)))(x)
        .dataSync() as Float32Array;
    };
    const ref = await grads('cpu', false);
    const ours = await grads('wasm', true);
    await tf.setBackend('wasm');
    expect(ours.length).toBe(258);
    expect(ref.filter((v) => v !== 0).length).toBe(60);
    for (let i = 0; i < ref.length; i++) expect(ours[i] + 0).toBe(ref[i] + 0);
  });
});
