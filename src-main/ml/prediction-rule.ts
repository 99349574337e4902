// Turns class probabilities into labels: every class at or above its threshold (0.5, or the model's per-class operating
// thresholds); when none, the top class plus any within 0.03 of it.

export const THRESHOLD = 0.5;
export const NEAR_TOP = 0.03;

export function predictLabels(probs: ArrayLike<number>, threshold: number | ArrayLike<number> = THRESHOLD, nearTop = NEAR_TOP): Uint8Array {
  const out = new Uint8Array(probs.length);
  let any = false;
  let top = -Infinity;
  for (let c = 0; c < probs.length; c++) {
    if (probs[c] >= (typeof threshold === 'number' ? threshold : threshold[c])) {
      out[c] = 1;
      any = true;
    }
    top = Math.max(top, probs[c]);
  }
  if (!any) for (let c = 0; c < probs.length; c++) if (probs[c] >= top - nearTop) out[c] = 1;
  return out;
}
