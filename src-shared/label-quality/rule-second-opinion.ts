// The clinical rules as a calibrated second opinion on the out-of-fold model: per class, a small logistic regression
// on logit(out-of-fold P) and the rule detectors' decisions, fitted on the workspace's own labels. By default every
// rule speaks to every class (a positive sinus-bradycardia rule speaks for SB and against SR); scope 'covering' keeps
// only the rules whose codes are the class. How far to trust each rule is learned from how well it agrees
// with the labels on the records of the other folds (cross-fitted, so a record's own label never sets its weights);
// label noise only shrinks the weights. A flipped rhythm label (SB written as STach) then contradicts both the model
// and the heart rate the rules measured, and ranks above a record where only the model doubts the label.
import type { RuleFinding } from './label-error-reason.ts';

/** How much one rule's decision moves a class, fitted on the out-of-fold data. */
export interface RuleWeight {
  detectorId: string;
  /** Log-odds added to the class when the rule is positive / negative (mean over the cross-fits). */
  positive: number;
  negative: number;
  /** Records where the rule decided (positive or negative). */
  decided: number;
}

export interface ClassSecondOpinion {
  classCode: string;
  /** Rules covering the class; empty = the class keeps its out-of-fold probability. */
  rules: RuleWeight[];
  /** Weight on logit(out-of-fold P), mean over the cross-fits. */
  modelWeight: number;
}

/** Which rules may speak to a class: every rule (default), or only those whose codes are the class. */
export type RuleScope = 'all' | 'covering';

export interface SecondOpinion {
  /** n x k probabilities combining model and rules (row-major, like the input). */
  probabilities: Float64Array;
  classes: ClassSecondOpinion[];
}

const EPS = 1e-4;
const logit = (p: number): number => {
  const q = Math.min(1 - EPS, Math.max(EPS, p));
  return Math.log(q / (1 - q));
};
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/**
 * L2-penalised logistic regression by Newton's method (the intercept, column 0, unpenalised). `x` rows are features
 * with a leading 1. Small problems only (a handful of features).
 */
export function fitLogistic(x: number[][], y: ArrayLike<number>, l2 = 1, iterations = 25): number[] {
  const d = x[0]?.length ?? 0;
  const w = new Array<number>(d).fill(0);
  for (let it = 0; it < iterations; it++) {
    const grad = new Array<number>(d).fill(0);
    const hess = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    x.forEach((row, i) => {
      const p = sigmoid(row.reduce((s, v, j) => s + v * w[j], 0));
      const r = p * (1 - p);
      for (let a = 0; a < d; a++) {
        grad[a] += (p - y[i]) * row[a];
        for (let b = 0; b < d; b++) hess[a][b] += r * row[a] * row[b];
      }
    });
    for (let a = 1; a < d; a++) {
      grad[a] += l2 * w[a];
      hess[a][a] += l2;
    }
    hess[0][0] += 1e-9;
    const step = solve(hess, grad);
    let change = 0;
    for (let a = 0; a < d; a++) {
      w[a] -= step[a];
      change = Math.max(change, Math.abs(step[a]));
    }
    if (change < 1e-8) break;
  }
  return w;
}

/** Solves A s = b by Gaussian elimination with partial pivoting (A is small and positive definite here). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) pivot = r;
    [m[c], m[pivot]] = [m[pivot], m[c]];
    if (Math.abs(m[c][c]) < 1e-12) continue;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((row, i) => (Math.abs(row[i]) < 1e-12 ? 0 : row[n] / row[i]));
}

/**
 * Combines out-of-fold probabilities (n x k) with the rule findings of each record. `foldOf`: the record's fold; the
 * weights used on a fold are fitted on the other folds. A class no rule covers, or whose rules never decided, keeps its
 * out-of-fold probability.
 */
export function ruleSecondOpinion(
  probs: ArrayLike<number>,
  labels: ArrayLike<number>,
  n: number,
  classes: string[],
  rulesOf: (record: number) => RuleFinding[],
  foldOf: ArrayLike<number>,
  canonical: (code: string) => string = (c) => c,
  scope: RuleScope = 'all',
): SecondOpinion {
  const k = classes.length;
  const out = Float64Array.from({ length: n * k }, (_, i) => probs[i]);
  const findings = Array.from({ length: n }, (_, i) => rulesOf(i));
  const folds = [...new Set(Array.from({ length: n }, (_, i) => foldOf[i]))].sort((a, b) => a - b);
  const summary = classes.map((code, c): ClassSecondOpinion => {
    const detectors = [
      ...new Set(
        findings.flatMap((fs) => fs.filter((f) => scope === 'all' || f.codes.some((x) => canonical(x) === code)).map((f) => f.detectorId)),
      ),
    ].sort();
    const decidedCount = detectors.map(
      (id) => findings.filter((fs) => fs.some((f) => f.detectorId === id && f.decision !== 'not-applicable')).length,
    );
    const used = detectors.filter((_, j) => decidedCount[j] > 0);
    if (used.length === 0) return { classCode: code, rules: [], modelWeight: 1 };
    const features = findings.map((fs, i) => {
      const row = [1, logit(probs[i * k + c])];
      for (const id of used) {
        const d = fs.find((f) => f.detectorId === id)?.decision;
        row.push(d === true ? 1 : 0, d === false ? 1 : 0);
      }
      return row;
    });
    const y = Array.from({ length: n }, (_, i) => (labels[i * k + c] ? 1 : 0));
    const sums = new Array<number>(features[0].length).fill(0);
    let fits = 0;
    for (const f of folds.length > 1 ? folds : [undefined]) {
      const train = [...y.keys()].filter((i) => f === undefined || foldOf[i] !== f);
      const w = fitLogistic(
        train.map((i) => features[i]),
        train.map((i) => y[i]),
      );
      w.forEach((v, j) => (sums[j] += v));
      fits++;
      for (let i = 0; i < n; i++)
        if (f === undefined || foldOf[i] === f) out[i * k + c] = sigmoid(features[i].reduce((s, v, j) => s + v * w[j], 0));
    }
    const mean = sums.map((s) => s / fits);
    return {
      classCode: code,
      modelWeight: mean[1],
      rules: used.map((id, j) => ({
        detectorId: id,
        positive: mean[2 + 2 * j],
        negative: mean[3 + 2 * j],
        decided: decidedCount[detectors.indexOf(id)],
      })),
    };
  });
  return { probabilities: out, classes: summary };
}

/** Log-odds a rule's decision added to a class (0 when it did not decide or does not speak to the class). */
export function ruleLogOdds(opinion: ClassSecondOpinion, finding: RuleFinding): number {
  const w = opinion.rules.find((r) => r.detectorId === finding.detectorId);
  return !w || finding.decision === 'not-applicable' ? 0 : finding.decision ? w.positive : w.negative;
}
