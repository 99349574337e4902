// Train/validation/test splits and k folds that never put one patient's records on both sides.
import { seededRandom } from '../../src-shared/seeded-random.ts';

export interface SplitItem {
  id: string;
  /** Records without a patient id are their own group. */
  patientId?: string;
}

function groupsOf(items: SplitItem[]): string[][] {
  const groups = new Map<string, string[]>();
  for (const it of items) {
    const key = it.patientId ? `p:${it.patientId}` : `r:${it.id}`;
    const g = groups.get(key);
    if (g) g.push(it.id);
    else groups.set(key, [it.id]);
  }
  return [...groups.values()];
}

function shuffle<T>(xs: T[], seed: number): T[] {
  const rand = seededRandom(seed);
  const out = xs.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** k folds of record ids, patient groups kept whole; groups go to the currently smallest fold. */
export function patientKFold(items: SplitItem[], k: number, seed: number): string[][] {
  if (!Number.isInteger(k) || k < 2) throw new Error(`k-fold: k must be an integer >= 2, got ${k}`);
  const groups = shuffle(groupsOf(items), seed);
  if (groups.length < k) throw new Error(`k-fold: ${groups.length} patients cannot fill ${k} folds`);
  // Largest groups first so the folds balance; ties keep the shuffled order.
  groups.sort((a, b) => b.length - a.length);
  const folds: string[][] = Array.from({ length: k }, () => []);
  for (const g of groups) {
    let smallest = 0;
    for (let f = 1; f < k; f++) if (folds[f].length < folds[smallest].length) smallest = f;
    folds[smallest].push(...g);
  }
  return folds;
}

export interface HoldoutSplit {
  train: string[];
  validation: string[];
  test: string[];
}

/** Patient-level split into train / validation / test by fractions of records (approximately, groups kept whole). */
export function patientSplit(items: SplitItem[], validationFraction: number, testFraction: number, seed: number): HoldoutSplit {
  if (validationFraction < 0 || testFraction < 0 || validationFraction + testFraction >= 1) {
    throw new Error(`split: fractions validation=${validationFraction} test=${testFraction} must be >= 0 and sum below 1`);
  }
  const groups = shuffle(groupsOf(items), seed);
  const n = items.length;
  const split: HoldoutSplit = { train: [], validation: [], test: [] };
  for (const g of groups) {
    if (split.test.length < testFraction * n) split.test.push(...g);
    else if (split.validation.length < validationFraction * n) split.validation.push(...g);
    else split.train.push(...g);
  }
  return split;
}

/**
 * The patients two sets of records share (sorted): records of one patient on both sides of a train/test pair leak.
 * Records without a patient id belong to no shared patient (each is its own patient).
 */
export function sharedPatients(a: SplitItem[], b: SplitItem[]): string[] {
  const left = new Set(a.flatMap((r) => (r.patientId ? [r.patientId] : [])));
  return [...new Set(b.flatMap((r) => (r.patientId && left.has(r.patientId) ? [r.patientId] : [])))].sort();
}
