// Confident learning (Northcutt et al. 2021) for multi-label records: each class is a yes/no question, scored from
// out-of-fold probabilities. A class's threshold is the mean probability the model gives it on the records labelled
// with it (its self-confidence); a given label below its class's threshold, or a class not given but above its
// threshold, is a suspected label error. Equivalent classes are merged before this (one column per class).

/**
 * How records are ranked. 'normalized-margin' (default), the multi-label analogue of cleanlab's p(given) - max p(other):
 * the mean of the worst given label's suspicion and the worst missing class's suspicion, so a label that looks swapped
 * for another class ranks above a single doubtful class. 'worst-class': the single most suspect class.
 * 'self-confidence': 1 - the lowest P(given answer).
 */
export type LabelErrorRanking = 'normalized-margin' | 'worst-class' | 'self-confidence';
export const LABEL_ERROR_RANKINGS: readonly LabelErrorRanking[] = ['normalized-margin', 'worst-class', 'self-confidence'];

export type LabelIssue = 'given-unlikely' | 'missing-likely';

export interface ClassLabelQuality {
  classIndex: number;
  given: boolean;
  probability: number;
  /** The class's confident-learning threshold (NaN when no record carries the class: it is not judged). */
  threshold: number;
  /** P(given answer): p when labelled, 1 - p when not. */
  selfConfidence: number;
  /**
   * Where the probability sits against the threshold, toward the wrong answer, as a fraction of the room on that side:
   * in [-1, 1], > 0 = suspect (1 = given with p = 0, or missing with p = 1; -1 = as right as can be).
   */
  suspicion: number;
  issue: LabelIssue | null;
}

export interface RecordLabelQuality {
  /** Higher = more likely a label error (under the chosen ranking). */
  score: number;
  flagged: boolean;
  /** Classes ordered most suspect first. */
  classes: ClassLabelQuality[];
}

/** Per class: the mean probability over the records labelled with it; NaN for a class no record carries. */
export function classThresholds(probs: ArrayLike<number>, labels: ArrayLike<number>, n: number, k: number): Float64Array {
  const sum = new Float64Array(k);
  const count = new Float64Array(k);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < k; c++)
      if (labels[i * k + c]) {
        sum[c] += probs[i * k + c];
        count[c]++;
      }
  return sum.map((s, c) => (count[c] > 0 ? s / count[c] : NaN));
}

/** One record-class judgement against threshold t. */
export function classLabelQuality(classIndex: number, given: boolean, p: number, t: number): ClassLabelQuality {
  const selfConfidence = given ? p : 1 - p;
  if (Number.isNaN(t)) return { classIndex, given, probability: p, threshold: t, selfConfidence, suspicion: -1, issue: null };
  // Normalised by the room on each side of the threshold, so classes with different thresholds compare.
  const excess = p >= t ? (t >= 1 ? 0 : (p - t) / (1 - t)) : t <= 0 ? 0 : (p - t) / t;
  const suspicion = given ? -excess : excess;
  const issue = suspicion > 0 ? (given ? 'given-unlikely' : 'missing-likely') : null;
  return { classIndex, given, probability: p, threshold: t, selfConfidence, suspicion, issue };
}

/** Label quality of every record (n x k probabilities and 0/1 labels, row-major), with the class thresholds. */
export function labelQuality(
  probs: ArrayLike<number>,
  labels: ArrayLike<number>,
  n: number,
  k: number,
  ranking: LabelErrorRanking = 'normalized-margin',
): { thresholds: Float64Array; records: RecordLabelQuality[] } {
  if (probs.length !== n * k || labels.length !== n * k)
    throw new Error(`label quality: expected ${n} x ${k} probabilities and labels, got ${probs.length} and ${labels.length}`);
  const thresholds = classThresholds(probs, labels, n, k);
  const records = Array.from({ length: n }, (_, i) => {
    const classes = Array.from({ length: k }, (_, c) => classLabelQuality(c, labels[i * k + c] === 1, probs[i * k + c], thresholds[c]));
    const judged = classes.filter((q) => !Number.isNaN(q.threshold));
    classes.sort((a, b) => b.suspicion - a.suspicion || a.selfConfidence - b.selfConfidence);
    const flagged = judged.some((q) => q.issue !== null);
    const worst = (qs: ClassLabelQuality[]): number => (qs.length ? Math.max(...qs.map((q) => q.suspicion)) : -1);
    const score =
      judged.length === 0
        ? -1
        : ranking === 'normalized-margin'
          ? (worst(judged.filter((q) => q.given)) + worst(judged.filter((q) => !q.given))) / 2
          : ranking === 'worst-class'
            ? worst(judged)
            : 1 - Math.min(...judged.map((q) => q.selfConfidence));
    return { score, flagged, classes };
  });
  return { thresholds, records };
}

/**
 * The plain "model != label" ordering for comparison: per record, the largest |p - label| over the classes where the
 * 0.5 decision disagrees with the label (0 when the model agrees with every label).
 */
export function modelLabelDisagreement(probs: ArrayLike<number>, labels: ArrayLike<number>, n: number, k: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < k; c++) {
      const p = probs[i * k + c];
      const y = labels[i * k + c];
      if (p >= 0.5 !== (y === 1)) out[i] = Math.max(out[i], Math.abs(p - y));
    }
  return out;
}
