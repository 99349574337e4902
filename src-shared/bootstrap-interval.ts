// Percentile bootstrap confidence intervals: records resampled with replacement, a fixed number of seeded rounds, so
// the same data give the same intervals. Pure: a statistic is a function of the resampled record indices.
import type { ConfidenceInterval } from './selection-evaluation.ts';
import { seededRandom } from './seeded-random.ts';

export type { ConfidenceInterval };

export interface BootstrapOptions {
  rounds?: number;
  seed?: number;
  /** Coverage, 0.95 by default. */
  level?: number;
}

/** The q-quantile of sorted values, linearly interpolated (numpy's default). */
function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Percentile intervals of several statistics of n records at once: each round draws n record indices with
 * replacement and evaluates every statistic on them. A statistic that is NaN in a round is left out of that round.
 */
export function bootstrapIntervals(
  n: number,
  statistics: (indices: Uint32Array) => Record<string, number>,
  o: BootstrapOptions = {},
): Record<string, ConfidenceInterval> {
  const rounds = o.rounds ?? 1000;
  const level = o.level ?? 0.95;
  if (!Number.isInteger(n) || n < 1) throw new Error(`bootstrap: needs at least one record, got ${n}`);
  if (!(level > 0 && level < 1)) throw new Error(`bootstrap: level must be between 0 and 1, got ${level}`);
  const all = Uint32Array.from({ length: n }, (_, i) => i);
  const estimates = statistics(all);
  const draws = new Map<string, number[]>(Object.keys(estimates).map((k) => [k, []]));
  const rand = seededRandom(o.seed ?? 1);
  const idx = new Uint32Array(n);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < n; i++) idx[i] = Math.floor(rand() * n);
    const s = statistics(idx);
    for (const [k, list] of draws) if (Number.isFinite(s[k])) list.push(s[k]);
  }
  const tail = (1 - level) / 2;
  const out: Record<string, ConfidenceInterval> = {};
  for (const [k, list] of draws) {
    list.sort((a, b) => a - b);
    out[k] = { estimate: estimates[k], low: quantile(list, tail), high: quantile(list, 1 - tail), rounds: list.length };
  }
  return out;
}

/** One statistic's interval (see bootstrapIntervals). */
export function bootstrapInterval(n: number, statistic: (indices: Uint32Array) => number, o: BootstrapOptions = {}): ConfidenceInterval {
  return bootstrapIntervals(n, (idx) => ({ value: statistic(idx) }), o).value;
}

/** Median of finite values; NaN when there are none. */
export function finiteMedian(values: readonly number[]): number {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return Number.NaN;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/** An interval of a statistic of plain values, with the options it was made with. */
export interface BootstrapInterval {
  estimate: number;
  lo: number;
  hi: number;
  /** Coverage, e.g. 0.95. */
  level: number;
  rounds: number;
  seed: number;
}

/**
 * `statistic` of the finite `values` with a percentile bootstrap interval (default: the median, 1,000 rounds, seed 1,
 * level 0.95). NaN bounds when there are no finite values.
 */
export function valuesBootstrapInterval(
  values: readonly number[],
  statistic: (sample: readonly number[]) => number = finiteMedian,
  { rounds = 1000, level = 0.95, seed = 1 }: BootstrapOptions = {},
): BootstrapInterval {
  const v = values.filter(Number.isFinite);
  if (v.length === 0) return { estimate: Number.NaN, lo: Number.NaN, hi: Number.NaN, level, rounds, seed };
  const ci = bootstrapInterval(v.length, (idx) => statistic(Array.from(idx, (i) => v[i])), { rounds, level, seed });
  return { estimate: ci.estimate, lo: ci.low, hi: ci.high, level, rounds, seed };
}
