// One-cycle learning-rate schedule (Smith 2018, as PyTorch's OneCycleLR with cosine annealing).

export interface OneCycleOptions {
  maxLr: number;
  totalSteps: number;
  /** Fraction of steps spent warming up. */
  pctStart?: number;
  /** Initial lr = maxLr / divFactor. */
  divFactor?: number;
  /** Final lr = initial / finalDivFactor. */
  finalDivFactor?: number;
}

/** Learning rate at step `step` (0-based). */
export function oneCycleLr(step: number, o: OneCycleOptions): number {
  const { maxLr, totalSteps, pctStart = 0.3, divFactor = 25, finalDivFactor = 1e4 } = o;
  const initial = maxLr / divFactor;
  const final = initial / finalDivFactor;
  const warm = pctStart * totalSteps - 1;
  const cos = (from: number, to: number, frac: number): number => to + ((from - to) * (1 + Math.cos(Math.PI * frac))) / 2;
  const s = Math.min(step, totalSteps - 1);
  if (s <= warm) return cos(initial, maxLr, s / warm);
  return cos(maxLr, final, (s - warm) / Math.max(1, totalSteps - 1 - warm));
}
