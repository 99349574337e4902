// Bootstrap intervals against a distribution whose sampling error is known: the mean of normal draws (sigma / sqrt(n)),
// a proportion's coverage over repeated samples, and the metric intervals of a scored set.
import { describe, expect, it } from 'vitest';
import { bootstrapInterval } from '../../src-shared/bootstrap-interval.ts';
import { metricIntervals } from '../../src-main/ml/metrics/bootstrap.ts';
import { seededRandom } from '../../src-shared/seeded-random.ts';

/** Standard normal draws (Box-Muller), seeded. */
function normals(n: number, seed: number): Float64Array {
  const rand = seededRandom(seed);
  return Float64Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()));
}
const meanOf = (xs: Float64Array) => (idx: Uint32Array) => {
  let s = 0;
  for (const i of idx) s += xs[i];
  return s / idx.length;
};

describe('bootstrapInterval', () => {
  it('the 95 % interval of a mean of 400 N(0, 1) draws is about mean ± 1.96 / sqrt(400)', () => {
    const xs = normals(400, 7);
    const ci = bootstrapInterval(xs.length, meanOf(xs), { rounds: 2000, seed: 3 });
    const m = meanOf(xs)(Uint32Array.from(xs.keys()));
    expect(ci.estimate).toBeCloseTo(m, 12);
    expect(ci.rounds).toBe(2000);
    // Half-width 1.96 * sd / sqrt(n) with the sample sd (the bootstrap's plug-in), within 12 %.
    const sd = Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / xs.length);
    const half = (1.96 * sd) / Math.sqrt(xs.length);
    expect((ci.high - ci.low) / 2).toBeGreaterThan(half * 0.88);
    expect((ci.high - ci.low) / 2).toBeLessThan(half * 1.12);
    expect(ci.low).toBeLessThan(m);
    expect(ci.high).toBeGreaterThan(m);
  });

  it('covers the true mean in about 95 % of repeated samples', () => {
    let covered = 0;
    const trials = 200;
    for (let t = 0; t < trials; t++) {
      const xs = normals(60, 1000 + t);
      const ci = bootstrapInterval(xs.length, meanOf(xs), { rounds: 1000, seed: t });
      if (ci.low <= 0 && 0 <= ci.high) covered++;
    }
    // Percentile bootstrap at n = 60: nominal 95 %, slightly below in practice; 200 trials give a binomial sd of ~1.6 %.
    expect(covered / trials).toBeGreaterThan(0.88);
    expect(covered / trials).toBeLessThan(0.99);
  });

  it('is reproducible with its seed, different with another, and narrows with the level', () => {
    const xs = normals(100, 1);
    const a = bootstrapInterval(100, meanOf(xs), { seed: 5 });
    expect(bootstrapInterval(100, meanOf(xs), { seed: 5 })).toEqual(a);
    expect(bootstrapInterval(100, meanOf(xs), { seed: 6 })).not.toEqual(a);
    const narrow = bootstrapInterval(100, meanOf(xs), { seed: 5, level: 0.5 });
    expect(narrow.high - narrow.low).toBeLessThan(a.high - a.low);
    expect(() => bootstrapInterval(0, () => 0)).toThrow(/at least one record/);
  });

  it('leaves out rounds where the statistic is undefined and counts the rest', () => {
    // Defined only when record 0 is drawn: P(not drawn in 5) = (4/5)^5 ≈ 0.33.
    const ci = bootstrapInterval(5, (idx) => (idx.includes(0) ? 1 : NaN), { rounds: 1000, seed: 2 });
    expect(ci.rounds).toBeGreaterThan(600);
    expect(ci.rounds).toBeLessThan(730);
    expect([ci.low, ci.high]).toEqual([1, 1]);
  });
});

describe('metricIntervals', () => {
  it('brackets each metric of a scored set; a perfect class has AUC 1 in every round', () => {
    const n = 300;
    const classes = ['426783006', '164889003'];
    const rand = seededRandom(9);
    const y = new Uint8Array(n * 2);
    const p = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) {
      const sr = rand() < 0.6 ? 1 : 0;
      y[i * 2] = sr;
      y[i * 2 + 1] = 1 - sr;
      p[i * 2] = sr ? 0.6 + 0.4 * rand() : 0.4 * rand(); // separable
      p[i * 2 + 1] = Math.min(1, Math.max(0, (1 - sr) * 0.3 + 0.7 * rand())); // weak
    }
    const ci = metricIntervals(p, y, n, classes, undefined, { rounds: 300, seed: 1 });
    expect(ci['426783006.rocAuc']).toMatchObject({ estimate: 1, low: 1, high: 1, rounds: 300 });
    const weak = ci['164889003.rocAuc'];
    expect(weak.estimate).toBeGreaterThan(0.55);
    expect(weak.estimate).toBeLessThan(0.95);
    for (const key of ['macroF1', 'microF1', 'macroRocAuc', 'macroPrAuc', 'calibrationError', 'macro-f1', '164889003.f1']) {
      expect(ci[key].low, key).toBeLessThanOrEqual(ci[key].estimate);
      expect(ci[key].high, key).toBeGreaterThanOrEqual(ci[key].estimate);
      expect(ci[key].high - ci[key].low, key).toBeGreaterThan(0);
    }
  });
});
