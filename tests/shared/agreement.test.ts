import { describe, expect, it } from 'vitest';
import { cohenKappa, fleissKappa } from '../../src-shared/agreement/kappa.ts';
import { dawidSkene, voteShare, type BinaryRating } from '../../src-shared/agreement/dawid-skene.ts';
import { crowdlab } from '../../src-shared/agreement/crowdlab.ts';
import { seededRandom } from '../../src-shared/seeded-random.ts';

const repeat = (v: boolean, n: number) => new Array<boolean>(n).fill(v);

describe('kappa', () => {
  it("Cohen's kappa of the textbook 2x2 table (20 yes-yes, 5 yes-no, 10 no-yes, 15 no-no) is 0.4", () => {
    const a = [...repeat(true, 20), ...repeat(true, 5), ...repeat(false, 10), ...repeat(false, 15)];
    const b = [...repeat(true, 20), ...repeat(false, 5), ...repeat(true, 10), ...repeat(false, 15)];
    const r = cohenKappa(a, b);
    expect(r.n).toBe(50);
    expect(r.agreement).toBeCloseTo(0.7, 12);
    expect(r.kappa).toBeCloseTo(0.4, 12);
  });
  it('is null when chance agreement is certain, and refuses answers of different lengths', () => {
    expect(cohenKappa([true, true], [true, true]).kappa).toBeNull();
    expect(() => cohenKappa([true], [])).toThrow('1 answers against 0');
  });
  it("Fleiss' kappa of Fleiss (1971)'s 10 subjects x 14 raters x 5 categories is 0.210 (P-bar 0.378)", () => {
    const counts = [
      [0, 0, 0, 0, 14],
      [0, 2, 6, 4, 2],
      [0, 0, 3, 5, 6],
      [0, 3, 9, 2, 0],
      [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0],
      [3, 2, 6, 3, 0],
      [2, 5, 3, 2, 2],
      [6, 5, 2, 1, 0],
      [0, 2, 2, 3, 7],
    ];
    const r = fleissKappa(counts);
    expect(r.n).toBe(10);
    expect(r.agreement).toBeCloseTo(0.378, 3);
    expect(r.kappa).toBeCloseTo(0.21, 3);
  });
  it("with two raters Fleiss' kappa is Scott's pi (hand computed: (0.7 - 0.505) / 0.495), and single ratings are left out", () => {
    const rows = [...repeat(true, 20).map(() => [0, 2]), ...repeat(true, 15).map(() => [1, 1]), ...repeat(true, 15).map(() => [2, 0])];
    const r = fleissKappa([...rows, [0, 1], [1, 0]]);
    expect(r.n).toBe(50);
    expect(r.kappa).toBeCloseTo((0.7 - 0.505) / 0.495, 12);
  });
});

/** Seeded simulation: `accuracies[j]` is reviewer j's chance of giving the true answer; each record gets `perRecord` reviewers. */
function simulate(accuracies: number[], records: number, perRecord: number, seed: number) {
  const rand = seededRandom(seed);
  const truth = Array.from({ length: records }, () => rand() < 0.3);
  const ratings: BinaryRating[] = [];
  for (let rec = 0; rec < records; rec++) {
    const order = accuracies.map((_, j) => j).sort(() => rand() - 0.5);
    for (const j of order.slice(0, perRecord))
      ratings.push({ record: rec, reviewer: `r${j}`, present: rand() < accuracies[j] ? truth[rec] : !truth[rec] });
  }
  return { truth, ratings };
}

/** Accuracy of `decide` on the records whose reviewers did not all agree. */
function accuracyOnDisagreements(truth: boolean[], ratings: BinaryRating[], decide: (rec: number) => boolean) {
  const share = voteShare(ratings);
  const disputed = [...share].filter(([, s]) => s > 0 && s < 1).map(([rec]) => rec);
  return { n: disputed.length, accuracy: disputed.filter((rec) => decide(rec) === truth[rec]).length / disputed.length };
}

describe('Dawid-Skene consensus', () => {
  const accuracies = [0.95, 0.88, 0.78, 0.68, 0.58];
  for (const seed of [1, 2, 3]) {
    it(`ranks simulated reviewers of known accuracy correctly and beats majority vote where they disagree (seed ${seed})`, () => {
      const { truth, ratings } = simulate(accuracies, 400, 3, seed);
      const ds = dawidSkene(ratings);
      const ranked = [...ds.reviewers].sort((a, b) => b.accuracy - a.accuracy).map((q) => q.reviewer);
      expect(ranked).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
      const share = voteShare(ratings);
      const majority = accuracyOnDisagreements(truth, ratings, (rec) => share.get(rec)! > 0.5);
      const consensus = accuracyOnDisagreements(truth, ratings, (rec) => ds.posterior.get(rec)! > 0.5);
      expect(majority.n).toBeGreaterThan(50);
      expect(consensus.accuracy).toBeGreaterThan(majority.accuracy);
      expect(ds.prevalence).toBeGreaterThan(0.2);
      expect(ds.prevalence).toBeLessThan(0.4);
    });
  }
  it('with two reviewers who always agree the posterior follows them with high confidence', () => {
    const ratings: BinaryRating[] = [];
    for (let rec = 0; rec < 40; rec++) for (const reviewer of ['a', 'b']) ratings.push({ record: rec, reviewer, present: rec % 4 === 0 });
    const ds = dawidSkene(ratings);
    for (let rec = 0; rec < 40; rec++) {
      const p = ds.posterior.get(rec)!;
      expect(rec % 4 === 0 ? p : 1 - p).toBeGreaterThan(0.9);
    }
  });
});

describe('CROWDLAB-style consensus', () => {
  it('a good model breaks the ties of two reviewers and lifts accuracy over majority vote where reviewers disagree', () => {
    const { truth, ratings } = simulate([0.8, 0.75, 0.7], 400, 2, 7);
    const rand = seededRandom(99);
    // A model right 90 % of the time, confident in proportion.
    const model = new Map(truth.map((t, rec) => [rec, (rand() < 0.9 ? t : !t) ? 0.6 + 0.4 * rand() : 0.4 * rand()]));
    const c = crowdlab(ratings, model);
    const share = voteShare(ratings);
    const majority = accuracyOnDisagreements(truth, ratings, (rec) => share.get(rec)! > 0.5);
    const consensus = accuracyOnDisagreements(truth, ratings, (rec) => c.posterior.get(rec)! > 0.5);
    // Two answers that differ are a tie: majority vote can only guess (here: absent, the commoner answer).
    expect(consensus.accuracy).toBeGreaterThan(majority.accuracy + 0.1);
    expect(c.model.weight).toBeGreaterThan(0);
    expect(c.reviewers.map((r) => r.reviewer)).toEqual(['r0', 'r1', 'r2']);
  });
  it('without model probabilities it is a quality-weighted vote of the reviewers', () => {
    const ratings: BinaryRating[] = [
      { record: 1, reviewer: 'a', present: true },
      { record: 1, reviewer: 'b', present: true },
      { record: 2, reviewer: 'a', present: false },
      { record: 2, reviewer: 'b', present: false },
    ];
    const c = crowdlab(ratings, new Map());
    expect(c.posterior.get(1)).toBeCloseTo(1, 9);
    expect(c.posterior.get(2)).toBeCloseTo(0, 9);
    expect(c.model.weight).toBe(0);
  });
});
