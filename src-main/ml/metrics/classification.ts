// Multi-label classification metrics over per-class scores: F1, ROC-AUC, PR-AUC (average precision),
// confusion counts, reliability bins. Definitions follow scikit-learn so fixtures can check them.

export interface ClassCounts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

/** Column c of a row-major matrix given as rows. */
const column = <T extends ArrayLike<number>>(rows: T[], c: number): number[] => rows.map((r) => r[c]);

export function classCounts(labels: ArrayLike<number>[], outputs: ArrayLike<number>[], c: number): ClassCounts {
  const k: ClassCounts = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i][c] ? 1 : 0;
    const p = outputs[i][c] ? 1 : 0;
    if (y && p) k.tp++;
    else if (p) k.fp++;
    else if (y) k.fn++;
    else k.tn++;
  }
  return k;
}

/** F1 = 2tp / (2tp + fp + fn); 0 when the class is neither present nor predicted (sklearn zero_division=0). */
export const f1FromCounts = (k: ClassCounts): number => (2 * k.tp + k.fp + k.fn === 0 ? 0 : (2 * k.tp) / (2 * k.tp + k.fp + k.fn));

export function f1Scores(
  labels: ArrayLike<number>[],
  outputs: ArrayLike<number>[],
  classes: number,
): { perClass: number[]; macro: number; micro: number } {
  const counts = Array.from({ length: classes }, (_, c) => classCounts(labels, outputs, c));
  const perClass = counts.map(f1FromCounts);
  const sum = counts.reduce((a, k) => ({ tp: a.tp + k.tp, fp: a.fp + k.fp, fn: a.fn + k.fn, tn: a.tn + k.tn }), {
    tp: 0,
    fp: 0,
    fn: 0,
    tn: 0,
  });
  return { perClass, macro: perClass.reduce((a, b) => a + b, 0) / Math.max(classes, 1), micro: f1FromCounts(sum) };
}

/** ROC-AUC as the Mann-Whitney statistic with tied scores sharing ranks; NaN when one class is absent. */
export function rocAuc(y: ArrayLike<number>, score: ArrayLike<number>): number {
  const n = y.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[a] - score[b]);
  let pos = 0;
  let rankSumPos = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && score[order[j + 1]] === score[order[i]]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++)
      if (y[order[k]]) {
        pos++;
        rankSumPos += avgRank;
      }
    i = j + 1;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Average precision (sklearn): sum over distinct thresholds of (R_k - R_{k-1}) * P_k; NaN without positives. */
export function averagePrecision(y: ArrayLike<number>, score: ArrayLike<number>): number {
  const n = y.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[b] - score[a]);
  let totalPos = 0;
  for (let i = 0; i < n; i++) if (y[i]) totalPos++;
  if (totalPos === 0) return NaN;
  let tp = 0;
  let ap = 0;
  let prevRecall = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && score[order[j + 1]] === score[order[i]]) j++;
    for (let k = i; k <= j; k++) if (y[order[k]]) tp++;
    const recall = tp / totalPos;
    ap += (recall - prevRecall) * (tp / (j + 1));
    prevRecall = recall;
    i = j + 1;
  }
  return ap;
}

export interface ReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  meanPredicted: number;
  fractionPositive: number;
}

/** Calibration data: equal-width probability bins (sklearn calibration_curve 'uniform'); empty bins kept with count 0. */
export function reliabilityBins(y: ArrayLike<number>, prob: ArrayLike<number>, bins = 10): ReliabilityBin[] {
  const step = 1 / bins;
  const out = Array.from({ length: bins }, (_, b) => ({ lower: b / bins, upper: (b + 1) / bins, count: 0, sumP: 0, sumY: 0 }));
  for (let i = 0; i < y.length; i++) {
    // Bins are (lower, upper] like numpy's searchsorted over linspace edges (j * step, as numpy computes them).
    let b = 0;
    while (b < bins - 1 && (b + 1) * step < prob[i]) b++;
    out[b].count++;
    out[b].sumP += prob[i];
    out[b].sumY += y[i] ? 1 : 0;
  }
  return out.map(({ lower, upper, count, sumP, sumY }) => ({
    lower,
    upper,
    count,
    meanPredicted: count ? sumP / count : NaN,
    fractionPositive: count ? sumY / count : NaN,
  }));
}

export interface MultiLabelReport {
  f1: number[];
  macroF1: number;
  microF1: number;
  rocAuc: number[];
  prAuc: number[];
  /** Mean over classes where defined. */
  macroRocAuc: number;
  macroPrAuc: number;
  confusion: ClassCounts[];
  reliability: ReliabilityBin[][];
}

const nanMean = (xs: number[]): number => {
  const ok = xs.filter(Number.isFinite);
  return ok.length ? ok.reduce((a, b) => a + b, 0) / ok.length : NaN;
};

export function multiLabelReport(
  labels: ArrayLike<number>[],
  probs: ArrayLike<number>[],
  outputs: ArrayLike<number>[],
  classes: number,
): MultiLabelReport {
  const f1 = f1Scores(labels, outputs, classes);
  const roc: number[] = [];
  const pr: number[] = [];
  const rel: ReliabilityBin[][] = [];
  for (let c = 0; c < classes; c++) {
    const y = column(labels, c);
    const s = column(probs, c);
    roc.push(rocAuc(y, s));
    pr.push(averagePrecision(y, s));
    rel.push(reliabilityBins(y, s));
  }
  return {
    f1: f1.perClass,
    macroF1: f1.macro,
    microF1: f1.micro,
    rocAuc: roc,
    prAuc: pr,
    macroRocAuc: nanMean(roc),
    macroPrAuc: nanMean(pr),
    confusion: Array.from({ length: classes }, (_, c) => classCounts(labels, outputs, c)),
    reliability: rel,
  };
}

/** Expected calibration error over every (record, class) probability: the count-weighted gap of the reliability bins. */
export function expectedCalibrationError(y: ArrayLike<number>, prob: ArrayLike<number>, bins = 10): number {
  if (y.length === 0) return NaN;
  let gap = 0;
  for (const b of reliabilityBins(y, prob, bins)) if (b.count) gap += b.count * Math.abs(b.meanPredicted - b.fractionPositive);
  return gap / y.length;
}
