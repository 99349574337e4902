// Consensus of reviewers on one binary class, weighting each by their estimated quality (Dawid & Skene 1979, EM).

/** One reviewer's answer on one record. */
export interface BinaryRating {
  record: number;
  reviewer: string;
  present: boolean;
}

export interface ReviewerQuality {
  reviewer: string;
  /** P(says present | present). */
  sensitivity: number;
  /** P(says absent | absent). */
  specificity: number;
  /** P(answer is right) at the estimated prevalence: the ranking of reviewers. */
  accuracy: number;
  ratings: number;
}

export interface BinaryConsensus {
  /** Per record: P(present | all answers). */
  posterior: Map<number, number>;
  reviewers: ReviewerQuality[];
  prevalence: number;
  iterations: number;
}

// Keeps every estimate off 0 and 1, so one answer never has infinite weight (a reviewer perfect on few records).
const SMOOTHING = 0.5;

/** Majority vote per record: the share of reviewers who said present. */
export function voteShare(ratings: readonly BinaryRating[]): Map<number, number> {
  const yes = new Map<number, number>();
  const all = new Map<number, number>();
  for (const r of ratings) {
    all.set(r.record, (all.get(r.record) ?? 0) + 1);
    yes.set(r.record, (yes.get(r.record) ?? 0) + (r.present ? 1 : 0));
  }
  return new Map([...all].map(([rec, m]) => [rec, (yes.get(rec) ?? 0) / m]));
}

/**
 * Dawid-Skene for one binary class: starts from the vote share, then alternates estimating each reviewer's
 * sensitivity and specificity (smoothed counts) and each record's posterior, until the posteriors settle.
 */
export function dawidSkene(ratings: readonly BinaryRating[], opts: { maxIterations?: number; tolerance?: number } = {}): BinaryConsensus {
  const maxIterations = opts.maxIterations ?? 100;
  const tolerance = opts.tolerance ?? 1e-6;
  let posterior = voteShare(ratings);
  const reviewerNames = [...new Set(ratings.map((r) => r.reviewer))].sort();
  let quality = new Map<string, ReviewerQuality>();
  let prevalence = 0.5;
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    // M step: reviewer confusion and prevalence from the current posteriors.
    const tp = new Map<string, number>(),
      pos = new Map<string, number>(),
      tn = new Map<string, number>(),
      neg = new Map<string, number>(),
      count = new Map<string, number>();
    for (const r of ratings) {
      const q = posterior.get(r.record)!;
      pos.set(r.reviewer, (pos.get(r.reviewer) ?? 0) + q);
      neg.set(r.reviewer, (neg.get(r.reviewer) ?? 0) + 1 - q);
      if (r.present) tp.set(r.reviewer, (tp.get(r.reviewer) ?? 0) + q);
      else tn.set(r.reviewer, (tn.get(r.reviewer) ?? 0) + 1 - q);
      count.set(r.reviewer, (count.get(r.reviewer) ?? 0) + 1);
    }
    quality = new Map(
      reviewerNames.map((name) => [
        name,
        {
          reviewer: name,
          sensitivity: ((tp.get(name) ?? 0) + SMOOTHING) / ((pos.get(name) ?? 0) + 2 * SMOOTHING),
          specificity: ((tn.get(name) ?? 0) + SMOOTHING) / ((neg.get(name) ?? 0) + 2 * SMOOTHING),
          accuracy: 0,
          ratings: count.get(name) ?? 0,
        },
      ]),
    );
    let sum = 0;
    for (const q of posterior.values()) sum += q;
    prevalence = (sum + SMOOTHING) / (posterior.size + 2 * SMOOTHING);
    // E step: each record's posterior from the answers it got (log odds, so many answers do not underflow).
    const logOdds = new Map<number, number>([...posterior.keys()].map((rec) => [rec, Math.log(prevalence / (1 - prevalence))]));
    for (const r of ratings) {
      const q = quality.get(r.reviewer)!;
      const lr = r.present ? Math.log(q.sensitivity / (1 - q.specificity)) : Math.log((1 - q.sensitivity) / q.specificity);
      logOdds.set(r.record, logOdds.get(r.record)! + lr);
    }
    const next = new Map([...logOdds].map(([rec, l]) => [rec, 1 / (1 + Math.exp(-l))]));
    let change = 0;
    for (const [rec, q] of next) change = Math.max(change, Math.abs(q - posterior.get(rec)!));
    posterior = next;
    if (change < tolerance) {
      iterations++;
      break;
    }
  }
  const reviewers = reviewerNames.map((n) => {
    const q = quality.get(n)!;
    return { ...q, accuracy: prevalence * q.sensitivity + (1 - prevalence) * q.specificity };
  });
  return { posterior, reviewers, prevalence, iterations };
}
