// Percentile bootstrap confidence interval of a statistic (seeded: the same values give the same interval).
import { seededRandom } from './seeded-random.ts';

export interface BootstrapInterval {
  estimate: number;
  lo: number;
  hi: number;
  /** Coverage, e.g. 0.95. */
  level: number;
  rounds: number;
  seed: number;
}

export interface BootstrapOptions {
  rounds?: number;
  level?: number;
  seed?: number;
}

/** Median of finite values; NaN when there are none. */
export function finiteMedian(values: readonly number[]): number {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return Number.NaN;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/** Linear-interpolated quantile of sorted values. */
function quantileSorted(sorted: Float64Array, q: number): number {
  const at = q * (sorted.length - 1);
  const i = Math.floor(at);
  return i + 1 < sorted.length ? sorted[i] + (at - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
}

/**
 * `statistic` of the finite `values` with a percentile bootstrap interval: `rounds` resamples with replacement
 * (default 1,000, seed 1, level 0.95). NaN bounds when there are no finite values.
 */
export function bootstrapInterval(
  values: readonly number[],
  statistic: (sample: readonly number[]) => number = finiteMedian,
  { rounds = 1000, level = 0.95, seed = 1 }: BootstrapOptions = {},
): BootstrapInterval {
  const v = values.filter(Number.isFinite);
  if (v.length === 0) return { estimate: Number.NaN, lo: Number.NaN, hi: Number.NaN, level, rounds, seed };
  const random = seededRandom(seed);
  const stats = new Float64Array(rounds);
  const sample = new Array<number>(v.length);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < v.length; i++) sample[i] = v[Math.floor(random() * v.length)];
    stats[r] = statistic(sample);
  }
  stats.sort();
  const tail = (1 - level) / 2;
  return { estimate: statistic(v), lo: quantileSorted(stats, tail), hi: quantileSorted(stats, 1 - tail), level, rounds, seed };
}
