// The PhysioNet/CinC 2021 challenge metric: reward-weighted modified confusion matrix, normalised so that
// always answering sinus rhythm scores 0 and answering the true labels scores 1 (as the official evaluate_model.py).
import fs from 'node:fs';
import { challengeWeightsCsv } from '../../resources.ts';

export const SINUS_RHYTHM = '426783006';

export interface ChallengeWeights {
  /** Scored classes; equivalent codes share one class (e.g. ['713427006', '59118001']). */
  classes: string[][];
  /** Row-major reward matrix, [label class][output class]. */
  weights: Float64Array;
}

export function parseChallengeWeights(csv: string, where = 'weights.csv'): ChallengeWeights {
  const rows = csv
    .trim()
    .split(/\r?\n/)
    .map((l) => l.split(',').map((s) => s.trim()));
  const header = rows[0].slice(1);
  const n = header.length;
  if (n === 0 || rows.length - 1 !== n) throw new Error(`${where}: expected a square table, got ${rows.length - 1} rows for ${n} columns`);
  const weights = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    if (rows[i + 1][0] !== header[i])
      throw new Error(`${where}: row ${i + 2} is '${rows[i + 1][0]}' but column ${i + 2} is '${header[i]}'`);
    for (let j = 0; j < n; j++) {
      const v = Number(rows[i + 1][j + 1]);
      if (!Number.isFinite(v)) throw new Error(`${where}: row ${i + 2} column ${j + 2} is not a number`);
      weights[i * n + j] = v;
    }
  }
  return { classes: header.map((h) => h.split('|')), weights };
}

export function loadChallengeWeights(file: string): ChallengeWeights {
  return parseChallengeWeights(fs.readFileSync(file, 'utf8'), file);
}

/**
 * The challenge weights table `file`, else the one shipped in resources/. A missing or unreadable table is an error,
 * not a quiet switch to macro-F1: model selection and the stored metrics would silently mean something else.
 */
export function challengeWeightsTable(file = challengeWeightsCsv()): ChallengeWeights {
  try {
    return loadChallengeWeights(file);
  } catch (e) {
    throw new Error(`cannot read the CinC challenge weights ${file}: ${(e as Error).message.split('\n')[0]}`, { cause: e });
  }
}

/** Index of the scored class holding `code` (equivalent codes merged), or -1 when unscored. */
export function scoredClassIndex(w: ChallengeWeights, code: string): number {
  return w.classes.findIndex((c) => c.includes(code));
}

/** Multi-hot rows over the scored classes from per-record code lists (unscored codes dropped). */
export function toScoredMatrix(w: ChallengeWeights, codesPerRecord: string[][]): Uint8Array[] {
  return codesPerRecord.map((codes) => {
    const row = new Uint8Array(w.classes.length);
    for (const code of codes) {
      const k = scoredClassIndex(w, code);
      if (k >= 0) row[k] = 1;
    }
    return row;
  });
}

function rewardSum(w: ChallengeWeights, labels: ArrayLike<number>[], outputs: ArrayLike<number>[]): number {
  const n = w.classes.length;
  let total = 0;
  for (let r = 0; r < labels.length; r++) {
    const l = labels[r];
    const o = outputs[r];
    let union = 0;
    for (let k = 0; k < n; k++) if (l[k] || o[k]) union++;
    const norm = Math.max(union, 1);
    for (let j = 0; j < n; j++) {
      if (!l[j]) continue;
      for (let k = 0; k < n; k++) if (o[k]) total += w.weights[j * n + k] / norm;
    }
  }
  return total;
}

/** Normalised challenge score of binary outputs against labels, both multi-hot over w.classes. */
export function challengeScore(
  w: ChallengeWeights,
  labels: ArrayLike<number>[],
  outputs: ArrayLike<number>[],
  normalClass = SINUS_RHYTHM,
): number {
  if (labels.length !== outputs.length) throw new Error(`challenge metric: ${labels.length} label rows but ${outputs.length} output rows`);
  const normal = scoredClassIndex(w, normalClass);
  if (normal < 0) throw new Error(`challenge metric: normal class ${normalClass} is not in the weights table`);
  const observed = rewardSum(w, labels, outputs);
  const correct = rewardSum(w, labels, labels);
  const inactiveRow = new Uint8Array(w.classes.length);
  inactiveRow[normal] = 1;
  const inactive = rewardSum(
    w,
    labels,
    labels.map(() => inactiveRow),
  );
  return correct === inactive ? 0 : (observed - inactive) / (correct - inactive);
}

/** Each code of a merged class (e.g. 59118001 CRBBB) mapped to the class's first code (713427006 RBBB). */
export function equivalentCodes(w: ChallengeWeights): Record<string, string> {
  const out: Record<string, string> = {};
  for (const codes of w.classes) for (const c of codes.slice(1)) out[c] = codes[0];
  return out;
}
