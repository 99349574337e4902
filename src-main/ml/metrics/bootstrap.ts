// Bootstrap intervals of a scored set's metrics (src-shared/bootstrap-interval.ts resamples the records).
import { bootstrapIntervals, type BootstrapOptions, type ConfidenceInterval } from '../../../src-shared/bootstrap-interval.ts';
import { expectedCalibrationError } from './classification.ts';
import { scoredSetMetrics } from './test-metrics.ts';
import type { ChallengeWeights } from './challenge-metric.ts';

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
