import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, dataPath } from '../helpers/shared-data.ts';
import {
  challengeScore,
  loadChallengeWeights,
  parseChallengeWeights,
  scoredClassIndex,
  toScoredMatrix,
} from '../../src-main/ml/metrics/challenge-metric.ts';
import { averagePrecision, f1Scores, multiLabelReport, reliabilityBins, rocAuc } from '../../src-main/ml/metrics/classification.ts';
import { predictLabels } from '../../src-main/ml/prediction-rule.ts';

// Reference values from scikit-learn and the official CinC 2021 formulas: scripts/make-ml-golden.py.
const golden = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'tests/fixtures/ml/golden.json'), 'utf8'));
const g = golden.classification;
const col = (m: number[][], c: number): number[] => m.map((r) => r[c]);

describe('classification metrics match scikit-learn', () => {
  it('F1 per class, macro and micro', () => {
    const f1 = f1Scores(g.labels, g.outputs, 5);
    f1.perClass.forEach((v, c) => expect(v).toBeCloseTo(g.f1PerClass[c], 12));
    expect(f1.macro).toBeCloseTo(g.macroF1, 12);
    expect(f1.micro).toBeCloseTo(g.microF1, 12);
  });

  it('ROC-AUC and average precision per class, with tied scores', () => {
    for (let c = 0; c < 5; c++) {
      expect(rocAuc(col(g.labels, c), col(g.probs, c))).toBeCloseTo(g.rocAuc[c], 12);
      expect(averagePrecision(col(g.labels, c), col(g.probs, c))).toBeCloseTo(g.prAuc[c], 12);
    }
    expect(rocAuc([1, 1, 1], [0.2, 0.4, 0.9])).toBeNaN();
  });

  it('reliability bins agree with calibration_curve on the non-empty bins', () => {
    const bins = reliabilityBins(col(g.labels, 2), col(g.probs, 2)).filter((b) => b.count > 0);
    expect(bins.map((b) => b.fractionPositive)).toEqual(g.calibrationClass2.fractionPositive.map((v: number) => expect.closeTo(v, 12)));
    expect(bins.map((b) => b.meanPredicted)).toEqual(g.calibrationClass2.meanPredicted.map((v: number) => expect.closeTo(v, 12)));
  });

  it('report gathers everything with confusion counts that add up', () => {
    const r = multiLabelReport(g.labels, g.probs, g.outputs, 5);
    expect(r.macroF1).toBeCloseTo(g.macroF1, 12);
    for (const k of r.confusion) expect(k.tp + k.fp + k.fn + k.tn).toBe(120);
  });
});

describe('CinC 2021 challenge metric', () => {
  const weights = loadChallengeWeights(dataPath('cinc', 'scoring-2021', 'weights.csv'));

  it('reads the 26 scored classes of the real table with equivalent codes merged', () => {
    expect(weights.classes).toHaveLength(26);
    expect(scoredClassIndex(weights, '59118001')).toBe(scoredClassIndex(weights, '713427006'));
    expect(scoredClassIndex(weights, '17338001')).toBeGreaterThanOrEqual(0);
    expect(scoredClassIndex(weights, '55827005')).toBe(-1);
  });

  it('matches the official formula on a fixture (codes from merged classes map together)', () => {
    const L = toScoredMatrix(weights, golden.challenge.labelCodes);
    const O = toScoredMatrix(weights, golden.challenge.outputCodes);
    expect(challengeScore(weights, L, O)).toBeCloseTo(golden.challenge.score, 12);
    expect(challengeScore(weights, L, L)).toBeCloseTo(1, 12);
    const sinusOnly = L.map(() => toScoredMatrix(weights, [['426783006']])[0]);
    expect(challengeScore(weights, L, sinusOnly)).toBeCloseTo(0, 12);
  });

  it('rejects a malformed table with one clear line', () => {
    expect(() => parseChallengeWeights(',a,b\na,1,0\n', 'w.csv')).toThrow(/w.csv: expected a square table/);
    expect(() => parseChallengeWeights(',a,b\na,1,x\nb,0,1', 'w.csv')).toThrow(/row 2 column 3 is not a number/);
  });
});

describe('prediction rule', () => {
  it('thresholds at 0.5, else the top class plus any within 0.03', () => {
    expect([...predictLabels([0.7, 0.2, 0.5])]).toEqual([1, 0, 1]);
    expect([...predictLabels([0.3, 0.28, 0.26, 0.1])]).toEqual([1, 1, 0, 0]);
    expect([...predictLabels([0.1, 0.4])]).toEqual([0, 1]);
  });
});
