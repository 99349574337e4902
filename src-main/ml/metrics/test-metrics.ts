// The metrics stored with a model for a scored set of records: the validation score, macro/micro F1, ROC and PR AUC,
// per-class figures with their confusion counts, and reliability.
import type { ChallengeWeights } from './challenge-metric.ts';
import { multiLabelReport } from './classification.ts';
import { predictLabels } from '../prediction-rule.ts';
import { validationScore } from '../train.ts';

/** `probs` and `y` are records x classes. */
export function scoredSetMetrics(
  probs: Float32Array,
  y: Uint8Array,
  n: number,
  classes: string[],
  weights?: ChallengeWeights,
): Record<string, unknown> {
  const k = classes.length;
  const rows = (flat: ArrayLike<number>): number[][] =>
    Array.from({ length: n }, (_, i) => Array.from({ length: k }, (_, c) => flat[i * k + c]));
  const P = rows(probs);
  const r = multiLabelReport(
    rows(y),
    P,
    P.map((p) => [...predictLabels(p)]),
    k,
  );
  const v = validationScore(probs, y, n, classes, weights);
  return {
    records: n,
    [v.metric]: v.score,
    macroF1: r.macroF1,
    microF1: r.microF1,
    macroRocAuc: r.macroRocAuc,
    macroPrAuc: r.macroPrAuc,
    perClass: Object.fromEntries(classes.map((c, i) => [c, { f1: r.f1[i], rocAuc: r.rocAuc[i], prAuc: r.prAuc[i], ...r.confusion[i] }])),
    reliability: r.reliability,
  };
}
