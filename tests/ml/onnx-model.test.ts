import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, dataPath } from '../helpers/shared-data.ts';
import { readWfdbRecord } from '../../src-main/formats/wfdb-record.ts';
import { loadOnnxModel, onnxInputSpec, predictRecordOnnx } from '../../src-main/ml/onnx-model.ts';
import { recordToInput } from '../../src-main/ml/input-pipeline.ts';

// tiny-cnn.onnx: a seeded PyTorch Conv1d/BatchNorm/MaxPool/Linear/Sigmoid model exported by scripts/make-onnx-fixture.py,
// with PyTorch's probabilities on the first 0.5 s of JS00001 (raw mV).
const dir = path.join(REPO_ROOT, 'tests/fixtures/ml/onnx');
const modelPath = path.join(dir, 'tiny-cnn.onnx');
const expected = JSON.parse(fs.readFileSync(path.join(dir, 'tiny-cnn.expected.json'), 'utf8'));
const JS00001 = dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01', '010', 'JS00001.hea');
// float32 on both sides, different kernels: agreement within 1e-5 absolute.
const TOLERANCE = 1e-5;

describe('ONNX models with a model card', () => {
  it('reproduces PyTorch probabilities on a real record within 1e-5', async () => {
    const model = await loadOnnxModel(modelPath, path.join(dir, 'tiny-cnn.card.json'));
    const record = await readWfdbRecord(JS00001);
    expect(recordToInput(record, onnxInputSpec(model.card))[0]).toBeCloseTo(expected.input00, 6);
    const probs = await predictRecordOnnx(model, record);
    expect(probs).toHaveLength(3);
    probs.forEach((p, c) => expect(Math.abs(p - expected.probabilities[c])).toBeLessThan(TOLERANCE));
  });

  it('a card that disagrees with the graph is refused with one clear line', async () => {
    await expect(loadOnnxModel(modelPath, path.join(dir, 'wrong-classes.card.json'))).rejects.toThrow(
      /graph outputs 3 classes but the card lists 4/,
    );
    const card = JSON.parse(fs.readFileSync(path.join(dir, 'tiny-cnn.card.json'), 'utf8'));
    await expect(loadOnnxModel(modelPath, { ...card, inputLength: 500 })).rejects.toThrow(
      /takes 250 samples but the card says inputLength 500/,
    );
    await expect(loadOnnxModel(modelPath, { ...card, leads: ['I', 'II'] })).rejects.toThrow(/takes 12 leads but the card lists 2/);
    await expect(loadOnnxModel(modelPath, { ...card, layout: 'sideways' })).rejects.toThrow(/'layout' must be/);
  });

  it('bad model files and lead sets outside the card give clear errors', async () => {
    const bogus = path.join(os.tmpdir(), `leadlens-bogus-${process.pid}.onnx`);
    fs.writeFileSync(bogus, 'not a model');
    await expect(loadOnnxModel(bogus, path.join(dir, 'tiny-cnn.card.json'))).rejects.toThrow(/not a loadable ONNX model/);
    fs.unlinkSync(bogus);
    const model = await loadOnnxModel(modelPath, path.join(dir, 'tiny-cnn.card.json'));
    const record = await readWfdbRecord(JS00001);
    await expect(predictRecordOnnx(model, record, ['I', 'X7'])).rejects.toThrow(/was not trained on lead X7/);
    const short = { ...record, length: 100, leads: record.leads.map((l) => ({ ...l, digital: l.digital.subarray(0, 100) })) };
    await expect(predictRecordOnnx(model, short)).rejects.toThrow(/JS00001: 0.20 s is shorter than the model input of 0.50 s/);
  });
});
