// Done-when figure for the ML engine: trains the small CNN on the 800 Chapman-Ningbo records (rhythm classes) and
// evaluates on a held-out test split. Run: node --import tsx scripts/ml-chapman-eval.ts [--epochs N] [--seed S]
// Writes bench/ml-chapman-results.json and prints the same JSON as the last stdout line.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend } from '../src-main/ml/backend.ts';
import { buildDataset, findHeaders, frequentCodes, loadCincRecords } from '../src-main/ml/dataset.ts';
import { loadChallengeWeights } from '../src-main/ml/metrics/challenge-metric.ts';
import { multiLabelReport } from '../src-main/ml/metrics/classification.ts';
import { predictLabels } from '../src-main/ml/prediction-rule.ts';
import { patientSplit } from '../src-main/ml/splits.ts';
import { predictProbabilities, trainModel, validationScore } from '../src-main/ml/train.ts';
import { STANDARD_LEADS } from '../src-shared/record.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const data = path.resolve(root, '../shared/data/cinc');
const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const log = (s: string): void => void process.stderr.write(`${s}\n`);
const EPOCHS = arg('epochs', 30);
const SEED = arg('seed', 1);
// Rhythm classes: sinus bradycardia, sinus rhythm, atrial fibrillation, sinus tachycardia, atrial flutter.
const CLASSES = ['426177001', '426783006', '164889003', '427084000', '164890007'];
const NAMES = ['SB', 'SR', 'AF', 'STach', 'AFL'];

const backend = await initBackend();
log(`backend ${backend.name}`);
const { records, skipped } = await loadCincRecords(findHeaders(path.join(data, 'chapman-ningbo', 'WFDBRecords')));
log(`${records.length} records read, ${skipped.length} skipped`);
const counts = frequentCodes(records, 1).filter((c) => CLASSES.includes(c.code));
const split = patientSplit(records.map((r) => ({ id: r.id, patientId: r.patientId })), 0.15, 0.15, SEED);
const pick = (ids: string[]) => records.filter((r) => ids.includes(r.id));
const spec = { samplingRate: 100, samples: 1000, leads: [...STANDARD_LEADS], bandpass: { lowHz: 0.5, highHz: 40 }, padShort: true };
const train = buildDataset(pick(split.train), spec, CLASSES);
const val = buildDataset(pick(split.validation), spec, CLASSES);
const test = buildDataset(pick(split.test), spec, CLASSES);
log(`split by record (no patient ids in this set), seed ${SEED}: train ${train.n}, validation ${val.n}, test ${test.n}`);
const weights = loadChallengeWeights(path.join(data, 'scoring-2021', 'weights.csv'));
const result = await trainModel(train, val, {
  spec: { arch: 'small-cnn', channels: 12, inputShape: [1000], classes: CLASSES.length, seed: SEED },
  classes: CLASSES, epochs: EPOCHS, batchSize: 32, maxLr: 3e-3, weightDecay: 1e-2, patience: 10,
  challengeWeights: weights, maskFraction: 0.1,
  onProgress: (e) => { if (e.validationScore !== undefined) log(`epoch ${e.epoch}/${e.epochs} loss ${e.loss.toFixed(4)} validation challenge ${e.validationScore.toFixed(3)}`); },
});
const probs = predictProbabilities(result.model, test.x, test.n);
const k = CLASSES.length;
const rows = (flat: ArrayLike<number>) => Array.from({ length: test.n }, (_, i) => Array.from({ length: k }, (_, c) => flat[i * k + c]));
const P = rows(probs);
const Y = rows(test.y);
const O = P.map((p) => [...predictLabels(p)]);
const report = multiLabelReport(Y, P, O, k);
const testChallenge = validationScore(probs, test.y, test.n, CLASSES, weights).score;
const out = {
  dataset: 'cinc/chapman-ningbo WFDBRecords/01/010-017 (800 records, 500 Hz, 10 s)',
  split: `by record (no patient ids), seeded shuffle seed ${SEED}: train ${train.n} / validation ${val.n} / test ${test.n}; early stopping on validation, figures on test`,
  classes: Object.fromEntries(CLASSES.map((c, i) => [NAMES[i], { code: c, records: counts.find((x) => x.code === c)?.count ?? 0 }])),
  input: '12 leads x 1000 samples (100 Hz, 10 s), band-pass 0.5-40 Hz, z-score per lead',
  model: 'small-cnn', epochsRun: result.history.length, bestEpoch: result.bestEpoch, backend: backend.name,
  trainSeconds: result.trainSeconds, trainSamplesPerSecond: result.samplesPerSecond,
  test: {
    challengeMetric: testChallenge,
    macroF1: report.macroF1, microF1: report.microF1, macroRocAuc: report.macroRocAuc, macroPrAuc: report.macroPrAuc,
    perClass: Object.fromEntries(NAMES.map((n, c) => [n, { f1: report.f1[c], rocAuc: report.rocAuc[c], prAuc: report.prAuc[c], ...report.confusion[c] }])),
  },
  validationChallengeMetric: result.validationScore,
  history: result.history,
};
fs.writeFileSync(path.join(root, 'bench', 'ml-chapman-results.json'), JSON.stringify(out, null, 2) + '\n');
console.log(JSON.stringify(out));
