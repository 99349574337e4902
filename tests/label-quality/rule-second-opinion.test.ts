import { describe, expect, it } from 'vitest';
import { labelQuality } from '../../src-shared/label-quality/confident-learning.ts';
import { labelErrorReason, type RuleFinding } from '../../src-shared/label-quality/label-error-reason.ts';
import { fitLogistic, ruleLogOdds, ruleSecondOpinion } from '../../src-shared/label-quality/rule-second-opinion.ts';
import { seededRandom } from '../../src-shared/seeded-random.ts';
import { rocAuc } from '../../src-main/ml/metrics/classification.ts';

const SB = '426177001';
const SR = '426783006';

describe('logistic fit', () => {
  it('recovers the weights that generated the data', () => {
    const rand = seededRandom(3);
    const x: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 6000; i++) {
      const a = rand() * 4 - 2;
      const b = rand() < 0.3 ? 1 : 0;
      x.push([1, a, b]);
      y.push(rand() < 1 / (1 + Math.exp(-(-0.5 + 1.5 * a + 2 * b))) ? 1 : 0);
    }
    const w = fitLogistic(x, y, 0);
    expect(w[0]).toBeCloseTo(-0.5, 0);
    expect(w[1]).toBeCloseTo(1.5, 0);
    expect(w[2]).toBeCloseTo(2, 0);
  });
});

/**
 * 500 records, SB or SR (exclusive), 10 % of labels swapped. The model's out-of-fold P is weak (truth + wide noise);
 * the bradycardia rule is right 95 % of the time. Labels never see the swaps.
 */
function world(seed: number) {
  const rand = seededRandom(seed);
  const n = 500;
  const probs = new Float64Array(n * 2);
  const labels = new Uint8Array(n * 2);
  const swapped = new Float64Array(n);
  const rules: RuleFinding[][] = [];
  const foldOf = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const sb = rand() < 0.4;
    const noise = () => (rand() - 0.5) * 1.6;
    const pSb = Math.min(0.99, Math.max(0.01, (sb ? 0.6 : 0.4) + noise() / 2));
    probs.set([pSb, 1 - pSb], i * 2);
    swapped[i] = rand() < 0.1 ? 1 : 0;
    const labelSb = swapped[i] ? !sb : sb;
    labels.set([labelSb ? 1 : 0, labelSb ? 0 : 1], i * 2);
    const brady = rand() < 0.95 ? sb : !sb;
    rules.push([
      { detectorId: 'sinus-bradycardia', decision: brady, codes: [SB], heartRateBpm: brady ? 48 : 75 },
      { detectorId: 'low-qrs-voltage', decision: rand() < 0.2, codes: ['251146004'] },
    ]);
    foldOf[i] = i % 5;
  }
  return { n, probs, labels, swapped, rules, foldOf };
}

describe('rules as a second opinion on out-of-fold probabilities', () => {
  it('learns how far to trust each rule from the labels and ranks swapped labels better than the model alone', () => {
    for (const seed of [1, 2]) {
      const w = world(seed);
      const so = ruleSecondOpinion(w.probs, w.labels, w.n, [SB, SR], (i) => w.rules[i], w.foldOf);
      const [sb, sr] = so.classes;
      const brady = (c: typeof sb) => c.rules.find((r) => r.detectorId === 'sinus-bradycardia')!;
      // The bradycardia rule speaks for SB and against SR; the voltage rule, unrelated, barely moves either.
      expect(brady(sb).positive - brady(sb).negative).toBeGreaterThan(2);
      expect(brady(sr).positive - brady(sr).negative).toBeLessThan(-2);
      const voltage = sb.rules.find((r) => r.detectorId === 'low-qrs-voltage')!;
      expect(Math.abs(voltage.positive - voltage.negative)).toBeLessThan(0.8);
      const score = (p: ArrayLike<number>) => labelQuality(p, w.labels, w.n, 2).records.map((q) => q.score);
      const alone = rocAuc(w.swapped, score(w.probs));
      const combined = rocAuc(w.swapped, score(so.probabilities));
      expect(combined).toBeGreaterThan(0.9);
      expect(combined).toBeGreaterThan(alone + 0.1);
    }
  });

  it("is cross-fitted: a record's own label never moves its combined probability", () => {
    const w = world(4);
    const before = ruleSecondOpinion(w.probs, w.labels, w.n, [SB, SR], (i) => w.rules[i], w.foldOf).probabilities;
    const labels = Uint8Array.from(w.labels);
    labels[7 * 2] = 1 - labels[7 * 2];
    const after = ruleSecondOpinion(w.probs, labels, w.n, [SB, SR], (i) => w.rules[i], w.foldOf).probabilities;
    expect(after[7 * 2]).toBe(before[7 * 2]);
    expect(after[8 * 2]).not.toBe(before[8 * 2]);
  });

  it("scope 'covering' keeps only the rules whose codes are the class", () => {
    const w = world(1);
    const so = ruleSecondOpinion(
      w.probs,
      w.labels,
      w.n,
      [SB, SR],
      (i) => w.rules[i],
      w.foldOf,
      (c) => c,
      'covering',
    );
    expect(so.classes[0].rules.map((r) => r.detectorId)).toEqual(['sinus-bradycardia']);
    expect(so.classes[1].rules).toEqual([]);
    for (let i = 0; i < w.n; i++) expect(so.probabilities[i * 2 + 1]).toBe(w.probs[i * 2 + 1]);
  });

  it('names the rules that moved a suspect class in the reason, with the out-of-fold and combined probabilities', () => {
    const w = world(1);
    const so = ruleSecondOpinion(w.probs, w.labels, w.n, [SB, SR], (i) => w.rules[i], w.foldOf);
    const quality = labelQuality(so.probabilities, w.labels, w.n, 2).records;
    // A record labelled SR whose bradycardia rule fired: the rule is named, the unrelated voltage rule is not.
    const i = w.rules.findIndex((r, j) => r[0].decision === true && w.labels[j * 2] === 0 && quality[j].classes[0].issue !== null);
    expect(i).toBeGreaterThanOrEqual(0);
    const reason = labelErrorReason(quality[i], [SB, SR], w.rules[i], (c) => c, {
      outOfFold: w.probs.subarray(i * 2, i * 2 + 2),
      classes: so.classes,
    });
    expect(reason).toMatch(
      /^labelled NSR, out-of-fold P\((SB|NSR)\) = 0\.\d\d.*; rule sinus-bradycardia positive, HR 48; with the rules P\((SB|NSR)\) = 0\.\d\d/,
    );
    expect(reason).not.toContain('low-qrs-voltage');
    expect(ruleLogOdds(so.classes[0], w.rules[i][0])).toBeGreaterThan(0.5);
  });
});
