// Chance-corrected agreement between reviewers on one binary class (present / absent).

/** Agreement of two reviewers over the records both rated. */
export interface PairAgreement {
  /** Records both rated. */
  n: number;
  /** Share of those records where they gave the same answer. */
  agreement: number;
  /** Cohen's kappa; null when chance agreement is 1 (both always gave the same single answer). */
  kappa: number | null;
}

/** Cohen's kappa of two reviewers' binary answers on the same records (a[i] and b[i] rate record i). */
export function cohenKappa(a: readonly boolean[], b: readonly boolean[]): PairAgreement {
  if (a.length !== b.length) throw new Error(`cohenKappa: ${a.length} answers against ${b.length}`);
  const n = a.length;
  if (n === 0) return { n, agreement: 0, kappa: null };
  let same = 0,
    aYes = 0,
    bYes = 0;
  for (let i = 0; i < n; i++) {
    if (a[i] === b[i]) same++;
    if (a[i]) aYes++;
    if (b[i]) bYes++;
  }
  const po = same / n;
  const pe = (aYes / n) * (bYes / n) + (1 - aYes / n) * (1 - bYes / n);
  return { n, agreement: po, kappa: pe === 1 ? null : (po - pe) / (1 - pe) };
}

/** Agreement of several reviewers: Fleiss' kappa over records with at least two ratings. */
export interface GroupAgreement {
  /** Records with at least two ratings. */
  n: number;
  /** Mean over records of the share of agreeing rater pairs (Fleiss' P-bar). */
  agreement: number;
  kappa: number | null;
}

/**
 * Fleiss' kappa from per-record category counts (counts[i][k]: raters who put record i in category k). Records may
 * have different numbers of raters (each record's pair agreement uses its own count); records with fewer than two are
 * left out, as they carry no agreement.
 */
export function fleissKappa(counts: readonly (readonly number[])[]): GroupAgreement {
  const rows = counts.filter((c) => c.reduce((s, v) => s + v, 0) >= 2);
  const n = rows.length;
  if (n === 0) return { n, agreement: 0, kappa: null };
  const categories = rows[0].length;
  const totals = new Array<number>(categories).fill(0);
  let ratings = 0,
    pBar = 0;
  for (const c of rows) {
    const m = c.reduce((s, v) => s + v, 0);
    let pairs = 0;
    for (let k = 0; k < categories; k++) {
      pairs += c[k] * (c[k] - 1);
      totals[k] += c[k];
    }
    ratings += m;
    pBar += pairs / (m * (m - 1));
  }
  pBar /= n;
  const pe = totals.reduce((s, t) => s + (t / ratings) ** 2, 0);
  return { n, agreement: pBar, kappa: pe === 1 ? null : (pBar - pe) / (1 - pe) };
}
