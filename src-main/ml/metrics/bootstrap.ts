// Percentile bootstrap confidence intervals: records resampled with replacement, a fixed number of seeded rounds, so
// the same scores give the same intervals. Pure: the statistic is a function of the resampled record indices.
import type { ConfidenceInterval } from '../../../src-shared/selection-evaluation.ts';
import { seededRandom } from '../../../src-shared/seeded-random.ts';
import { expectedCalibrationError } from './classification.ts';
import { scoredSetMetrics } from './test-metrics.ts';
import type { ChallengeWeights } from './challenge-metric.ts';

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

/** The scalar metrics of a scored set, flat: challenge (or macro-f1), macro/micro F1, ROC/PR-AUC, ECE, per class. */
export function scalarMetrics(
  probs: Float32Array,
  y: Uint8Array,
  n: number,
  classes: string[],
  weights?: ChallengeWeights,
): Record<string, number> {
  const m = scoredSetMetrics(probs, y, n, classes, weights);
  const out: Record<string, number> = {};
  for (const key of ['challenge', 'macro-f1', 'macroF1', 'microF1', 'macroRocAuc', 'macroPrAuc'])
    if (typeof m[key] === 'number') out[key] = m[key] as number;
  out.calibrationError = expectedCalibrationError(y, probs);
  const perClass = m.perClass as Record<string, { f1: number; rocAuc: number; prAuc: number }>;
  for (const c of classes) {
    out[`${c}.f1`] = perClass[c].f1;
    out[`${c}.rocAuc`] = perClass[c].rocAuc;
    out[`${c}.prAuc`] = perClass[c].prAuc;
  }
  return out;
}

/** 95 % bootstrap intervals (records resampled) of every scalar metric of a scored set (records x classes). */
export function metricIntervals(
  probs: Float32Array,
  y: Uint8Array,
  n: number,
  classes: string[],
  weights: ChallengeWeights | undefined,
  o: BootstrapOptions = {},
): Record<string, ConfidenceInterval> {
  const k = classes.length;
  const p = new Float32Array(n * k);
  const t = new Uint8Array(n * k);
  return bootstrapIntervals(
    n,
    (idx) => {
      idx.forEach((src, i) => {
        p.set(probs.subarray(src * k, src * k + k), i * k);
        t.set(y.subarray(src * k, src * k + k), i * k);
      });
      return scalarMetrics(p, t, n, classes, weights);
    },
    o,
  );
}
