// Per-class operating thresholds chosen on a validation split: the probability above which a class is called,
// maximising F1 or reaching a stated sensitivity. One threshold for every class (0.5) over-calls rare classes and
// under-calls frequent ones; the model card states each class's threshold and how it was chosen.

export type ThresholdRule = { kind: 'max-f1' } | { kind: 'sensitivity'; target: number };

export interface ClassThreshold {
  code: string;
  threshold: number;
  /** How it was chosen: 'max-f1', 'sensitivity >= 0.9', or 'default 0.5 (no positive validation records)'. */
  rule: string;
  positives: number;
  /** On the validation split at this threshold (null: no positive, or no negative, records there). */
  f1: number;
  sensitivity: number | null;
  specificity: number | null;
}

export const DEFAULT_THRESHOLD = 0.5;

function countsAt(p: number[], y: number[], t: number): { tp: number; fp: number; fn: number; tn: number } {
  const c = { tp: 0, fp: 0, fn: 0, tn: 0 };
  p.forEach((v, i) => {
    if (v >= t) {
      if (y[i]) c.tp++;
      else c.fp++;
    } else if (y[i]) c.fn++;
    else c.tn++;
  });
  return c;
}

/** The threshold for one class from its validation probabilities and 0/1 labels. */
export function classOperatingThreshold(code: string, p: number[], y: number[], rule: ThresholdRule): ClassThreshold {
  const positives = y.filter((v) => v === 1).length;
  const describe = (threshold: number, how: string): ClassThreshold => {
    const c = countsAt(p, y, threshold);
    return {
      code,
      threshold,
      rule: how,
      positives,
      f1: c.tp === 0 ? 0 : (2 * c.tp) / (2 * c.tp + c.fp + c.fn),
      sensitivity: positives === 0 ? null : c.tp / positives,
      specificity: c.tn + c.fp === 0 ? null : c.tn / (c.tn + c.fp),
    };
  };
  if (positives === 0) return describe(DEFAULT_THRESHOLD, `default ${DEFAULT_THRESHOLD} (no positive validation records)`);
  // Candidate cut points: midway between consecutive distinct probabilities, so a record is never exactly on the cut.
  const distinct = [...new Set(p)].sort((a, b) => b - a);
  const cuts = distinct.map((v, i) => (i + 1 < distinct.length ? (v + distinct[i + 1]) / 2 : v / 2));
  if (rule.kind === 'sensitivity') {
    if (!(rule.target > 0 && rule.target <= 1)) throw new Error(`sensitivity target must be in (0, 1], got ${rule.target}`);
    // The highest cut that reaches the target: the fewest false positives for that sensitivity.
    const cut = cuts.find((t) => countsAt(p, y, t).tp / positives >= rule.target) ?? cuts[cuts.length - 1];
    return describe(cut, `sensitivity >= ${rule.target}`);
  }
  let best = cuts[0];
  let bestF1 = -1;
  for (const t of cuts) {
    const c = countsAt(p, y, t);
    const f1 = (2 * c.tp) / (2 * c.tp + c.fp + c.fn);
    if (f1 > bestF1) {
      bestF1 = f1;
      best = t;
    }
  }
  return describe(best, 'max-f1');
}

/** Thresholds for every class from n x k validation probabilities and 0/1 targets (row-major). */
export function operatingThresholds(
  classes: string[],
  probs: ArrayLike<number>,
  targets: ArrayLike<number>,
  n: number,
  rule: ThresholdRule = { kind: 'max-f1' },
): ClassThreshold[] {
  const k = classes.length;
  return classes.map((code, c) =>
    classOperatingThreshold(
      code,
      Array.from({ length: n }, (_, i) => probs[i * k + c]),
      Array.from({ length: n }, (_, i) => targets[i * k + c]),
      rule,
    ),
  );
}
