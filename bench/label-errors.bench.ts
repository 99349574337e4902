// Label-error ranking on the 800 dev Chapman records: 10 % of the records get their rhythm label flipped to another
// rhythm class (seeded), out-of-fold probabilities come from k-fold training on the flipped labels, and we measure
// how well each ordering finds the flipped records: AUROC and precision at k = number of flips, for confident
// learning (normalised margin, self-confidence), for the plain "model != label" ordering, and for the default ranking:
// confident learning on the out-of-fold probabilities combined with the clinical rules' decisions as a calibrated
// second opinion (rule-second-opinion.ts; the rules run on every record, their weights are fitted cross-fold on the
// flipped labels themselves, never on the flip list).
// Usage: node --import tsx bench/label-errors.bench.ts [--folds 5] [--epochs 15] [--seed 1] [--flip 0.1] [--records N]
//   [--save-probabilities FILE]
// Last stdout line: one JSON object.
import fs from 'node:fs';
import os from 'node:os';
import { readWfdbRecord } from '../src-main/formats/wfdb-record.ts';
import { frequentCodes, type LabelledRecord } from '../src-main/ml/dataset.ts';
import { targetsFor } from '../src-main/ml/input-pipeline.ts';
import { challengeWeightsTable, equivalentCodes } from '../src-main/ml/metrics/challenge-metric.ts';
import { rocAuc } from '../src-main/ml/metrics/classification.ts';
import { outOfFoldProbabilities } from '../src-main/ml/out-of-fold.ts';
import { DEFAULT_INPUT } from '../src-main/workspace/train-model.ts';
import { labelQuality, modelLabelDisagreement } from '../src-shared/label-quality/confident-learning.ts';
import type { RuleFinding } from '../src-shared/label-quality/label-error-reason.ts';
import { ruleSecondOpinion } from '../src-shared/label-quality/rule-second-opinion.ts';
import { runRules } from '../src-main/rules/run-rules.ts';
import { STANDARD_LEADS } from '../src-shared/record.ts';
import { seededRandom } from '../src-shared/seeded-random.ts';
import { headerPaths } from './rule-validation.ts';
import { SHARED_DATA } from './shared-data-path.ts';

const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const FOLDS = arg('folds', 5);
const EPOCHS = arg('epochs', 15);
const SEED = arg('seed', 1);
const FLIP = arg('flip', 0.1);
const SAVE = (() => {
  const i = process.argv.indexOf('--save-probabilities');
  return i > 0 ? process.argv[i + 1] : undefined;
})();
/** A smoke run on the first N records. */
const LIMIT = arg('records', Infinity);
const log = (s: string): void => void process.stderr.write(`${s}\n`);
const load = (): number[] => os.loadavg().map((x) => Number(x.toFixed(2)));

/** CinC rhythm classes (SNOMED CT): SB, SR, AF, STach, AFL, SVT, sinus arrhythmia, atrial tachycardia. */
const RHYTHM = ['426177001', '426783006', '164889003', '427084000', '164890007', '426761007', '427393009', '713422000'];

const loadAtStart = load();
const t0 = performance.now();
const records: LabelledRecord[] = [];
for (const p of (await headerPaths(`${SHARED_DATA}/cinc/chapman-ningbo/WFDBRecords`)).slice(0, LIMIT)) {
  try {
    const record = await readWfdbRecord(p);
    const codes = record.labels.filter((l) => l.vocabulary === 'SNOMED').map((l) => l.code);
    records.push({ id: record.recordName, patientId: record.patientId, codes, record });
  } catch (e) {
    log(`skip ${p}: ${(e as Error).message.split('\n')[0]}`);
  }
}
log(`read ${records.length} records in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const weights = challengeWeightsTable();
const equivalent = equivalentCodes(weights);
const canonical = (c: string): string => equivalent[c] ?? c;
// The rhythm classes frequent enough to be model classes are the ones a label can be flipped to.
const classes = frequentCodes(records, 20, equivalent)
  .map((c) => c.code)
  .slice(0, 10);
const rhythms = RHYTHM.filter((c) => classes.includes(c));
const rand = seededRandom(SEED);
const candidates = records.map((r, i) => i).filter((i) => records[i].codes.some((c) => rhythms.includes(canonical(c))));
const flips = Math.round(FLIP * records.length);
for (let i = candidates.length - 1; i > 0; i--) {
  const j = Math.floor(rand() * (i + 1));
  [candidates[i], candidates[j]] = [candidates[j], candidates[i]];
}
const flipped = new Set(candidates.slice(0, flips));
const flipLog: Array<{ record: string; from: string[]; to: string }> = [];
for (const i of flipped) {
  const r = records[i];
  const from = r.codes.filter((c) => rhythms.includes(canonical(c)));
  const others = rhythms.filter((c) => !from.map(canonical).includes(c));
  const to = others[Math.floor(rand() * others.length)];
  records[i] = { ...r, codes: [...r.codes.filter((c) => !rhythms.includes(canonical(c))), to] };
  flipLog.push({ record: r.id, from, to });
}
log(`flipped ${flipped.size} of ${records.length} records among rhythm classes ${rhythms.join(', ')}`);

const spec = { ...DEFAULT_INPUT, leads: [...STANDARD_LEADS], activeLeads: [...STANDARD_LEADS], padShort: true };
const t1 = performance.now();
let lastLog = 0;
const oof = await outOfFoldProbabilities({
  records,
  classes,
  equivalent,
  arch: 'small-cnn',
  spec,
  folds: FOLDS,
  seed: SEED,
  epochs: EPOCHS,
  challengeWeights: weights,
  onProgress: (label, e) => {
    if (e.validationScore !== undefined || performance.now() - lastLog > 30_000) {
      lastLog = performance.now();
      log(
        `${label} epoch ${e.epoch}/${e.epochs} step ${e.step}/${e.steps} loss ${e.loss.toFixed(3)}${e.validationScore === undefined ? '' : ` val ${e.validationScore.toFixed(3)}`}`,
      );
    }
  },
});
const trainSeconds = (performance.now() - t1) / 1000;
const n = records.length;
const k = classes.length;
const labels = new Uint8Array(n * k);
records.forEach((r, i) => labels.set(targetsFor(r.codes, classes, equivalent), i * k));
if (SAVE) {
  fs.writeFileSync(
    SAVE,
    JSON.stringify({
      records: records.map((r) => r.id),
      classes,
      flipped: [...flipped],
      foldOf: [...oof.foldOf],
      labels: [...labels],
      probabilities: [...oof.probabilities],
    }),
  );
}
const t2 = performance.now();
const findings: RuleFinding[][] = records.map((r) =>
  runRules(r.record, 12).map((x) => ({
    detectorId: x.detectorId,
    decision: x.decision,
    codes: x.codes.map((c) => c.code),
    heartRateBpm: x.evidence.measurements?.heartRateBpm ?? null,
  })),
);
const rulesSeconds = (performance.now() - t2) / 1000;
log(`rules on ${n} records in ${rulesSeconds.toFixed(1)} s`);
const withRules = ruleSecondOpinion(oof.probabilities, labels, n, classes, (i) => findings[i], oof.foldOf, canonical);
const withCoveringRules = ruleSecondOpinion(oof.probabilities, labels, n, classes, (i) => findings[i], oof.foldOf, canonical, 'covering');
const truth = Float64Array.from(records, (_, i) => (flipped.has(i) ? 1 : 0));
const precisionAtK = (score: ArrayLike<number>): number => {
  const order = [...truth.keys()].sort((a, b) => score[b] - score[a] || a - b);
  return order.slice(0, flips).filter((i) => truth[i] === 1).length / flips;
};
const report = (score: ArrayLike<number>) => ({ auroc: rocAuc(truth, score), precisionAtK: precisionAtK(score) });
const margin = labelQuality(oof.probabilities, labels, n, k, 'normalized-margin');
const selfConfidence = labelQuality(oof.probabilities, labels, n, k, 'self-confidence');
const worstClass = labelQuality(oof.probabilities, labels, n, k, 'worst-class');
const flaggedIdx = margin.records.map((r, i) => (r.flagged ? i : -1)).filter((i) => i >= 0);
const flaggedTrue = flaggedIdx.filter((i) => truth[i] === 1).length;
const result = {
  dataset: `cinc/chapman-ningbo WFDBRecords/01/010-017 (${n} records)`,
  flips: { count: flipped.size, fraction: FLIP, seed: SEED, rhythmClasses: rhythms, sample: flipLog.slice(0, 5) },
  classes,
  model: 'small-cnn',
  input: '12 leads x 1000 samples (100 Hz, 10 s)',
  folds: FOLDS,
  epochs: EPOCHS,
  backend: oof.backend,
  foldScores: { metric: oof.metricName, values: oof.foldScores },
  k: flips,
  confidentLearning: {
    normalizedMargin: report(margin.records.map((r) => r.score)),
    worstClass: report(worstClass.records.map((r) => r.score)),
    selfConfidence: report(selfConfidence.records.map((r) => r.score)),
    flagged: {
      records: flaggedIdx.length,
      flipped: flaggedTrue,
      precision: flaggedTrue / Math.max(1, flaggedIdx.length),
      recall: flaggedTrue / flips,
    },
    thresholds: Object.fromEntries(classes.map((c, j) => [c, margin.thresholds[j]])),
  },
  modelVsLabel: report(modelLabelDisagreement(oof.probabilities, labels, n, k)),
  rulesSecondOpinion: {
    note: 'default ranking: normalised margin on out-of-fold P combined with every rule decision (cross-fitted logistic per class)',
    normalizedMargin: report(labelQuality(withRules.probabilities, labels, n, k, 'normalized-margin').records.map((r) => r.score)),
    selfConfidence: report(labelQuality(withRules.probabilities, labels, n, k, 'self-confidence').records.map((r) => r.score)),
    modelVsLabel: report(modelLabelDisagreement(withRules.probabilities, labels, n, k)),
    coveringRulesOnly: report(labelQuality(withCoveringRules.probabilities, labels, n, k, 'normalized-margin').records.map((r) => r.score)),
    weights: withRules.classes.map((c) => ({
      class: c.classCode,
      model: Number(c.modelWeight.toFixed(2)),
      rules: Object.fromEntries(
        c.rules
          .filter((r) => Math.abs(r.positive - r.negative) >= 0.5)
          .map((r) => [r.detectorId, Number((r.positive - r.negative).toFixed(2))]),
      ),
    })),
  },
  trainSeconds,
  rulesSeconds,
  note: 'accuracy figures are final; trainSeconds was taken on a shared, contended machine',
  loadavgAtStart: loadAtStart,
  loadavgAtEnd: load(),
};
log(JSON.stringify(result, null, 1));
console.log(JSON.stringify(result));
