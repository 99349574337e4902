import { describe, expect, it } from 'vitest';
import { valuesBootstrapInterval, finiteMedian } from '../../src-shared/bootstrap-interval.ts';
import { seededRandom } from '../../src-shared/seeded-random.ts';

describe('valuesBootstrapInterval', () => {
  const r = seededRandom(7);
  const sample = Array.from({ length: 200 }, () => r());

  it('is reproducible for a seed and brackets the sample median', () => {
    const a = valuesBootstrapInterval(sample);
    const b = valuesBootstrapInterval(sample);
    expect(a).toEqual(b);
    expect(a.estimate).toBe(finiteMedian(sample));
    expect(a.lo).toBeLessThan(a.estimate);
    expect(a.hi).toBeGreaterThan(a.estimate);
    expect(a.rounds).toBe(1000);
    expect(a.level).toBe(0.95);
    expect(valuesBootstrapInterval(sample, finiteMedian, { seed: 2 })).not.toEqual(a);
  });

  it('matches the normal-theory width of the median of a uniform sample', () => {
    // SE of the median of U(0,1) ~ 1 / (2 f(m) sqrt(n)) = 0.5 / sqrt(n): 95 % width ~ 3.92 * 0.5 / sqrt(200) = 0.139.
    const { lo, hi } = valuesBootstrapInterval(sample);
    expect(hi - lo).toBeGreaterThan(0.08);
    expect(hi - lo).toBeLessThan(0.2);
  });

  it('narrows with more values and widens with a higher level', () => {
    const big = Array.from({ length: 2000 }, () => r());
    const w = (v: number[], level = 0.95): number => {
      const i = valuesBootstrapInterval(v, finiteMedian, { level });
      return i.hi - i.lo;
    };
    expect(w(big)).toBeLessThan(w(sample) / 2);
    expect(w(sample, 0.99)).toBeGreaterThan(w(sample, 0.8));
  });

  it('ignores non-finite values and gives NaN for none', () => {
    expect(valuesBootstrapInterval([1, Number.NaN, 1, 1]).lo).toBe(1);
    const none = valuesBootstrapInterval([Number.NaN]);
    expect(Number.isNaN(none.estimate) && Number.isNaN(none.lo) && Number.isNaN(none.hi)).toBe(true);
  });

  it('takes another statistic (the mean)', () => {
    const mean = (v: readonly number[]): number => v.reduce((s, x) => s + x, 0) / v.length;
    const i = valuesBootstrapInterval([0, 0, 0, 10], mean);
    expect(i.estimate).toBe(2.5);
    expect(i.lo).toBeGreaterThanOrEqual(0);
    expect(i.hi).toBeLessThanOrEqual(10);
  });
});
