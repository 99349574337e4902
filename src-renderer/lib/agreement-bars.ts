// Bars of a histogram of per-record agreement (Spearman, -1 to 1) for a small SVG: equal-width bins, heights
// relative to the fullest bin. NaN (a flat map) is left out.
export interface AgreementBar {
  x: number;
  y: number;
  width: number;
  height: number;
  count: number;
}

export function agreementBars(values: readonly number[], bins: number, width: number, height: number): AgreementBar[] {
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) if (Number.isFinite(v)) counts[Math.min(bins - 1, Math.max(0, Math.floor(((v + 1) / 2) * bins)))]++;
  const most = Math.max(1, ...counts);
  const w = width / bins;
  return counts.map((count, k) => {
    const h = (count / most) * height;
    return { x: k * w, y: height - h, width: Math.max(0, w - 1), height: h, count };
  });
}
