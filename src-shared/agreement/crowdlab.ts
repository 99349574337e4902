// Consensus of reviewers and a model on one binary class, CROWDLAB style (Goh, Mueller et al. 2022): the model's
// probability and each reviewer's answer are averaged with weights from how much better than the trivial
// always-the-commonest-answer guess each agrees with the majority consensus.
import { voteShare, type BinaryRating } from './dawid-skene.ts';

export interface CrowdlabResult {
  /** Per record: P(present) from the weighted ensemble. */
  posterior: Map<number, number>;
  /** Per reviewer: share of their answers that match the majority consensus, and their weight. */
  reviewers: { reviewer: string; agreement: number; weight: number }[];
  model: { agreement: number; weight: number };
}

// Weights stay a little above zero, so a reviewer or model no better than the trivial guess still breaks ties.
const MIN_WEIGHT = 1e-3;

/** `modelProbability`: the model's P(present) per record; records without one use the reviewers alone. */
export function crowdlab(ratings: readonly BinaryRating[], modelProbability: ReadonlyMap<number, number>): CrowdlabResult {
  const share = voteShare(ratings);
  // Majority consensus (ties broken by the model) and how often each reviewer and the model agree with it.
  const majority = new Map<number, boolean>();
  for (const [rec, s] of share) majority.set(rec, s === 0.5 ? (modelProbability.get(rec) ?? 0.5) >= 0.5 : s > 0.5);
  const positives = [...majority.values()].filter(Boolean).length;
  const baseline = majority.size ? Math.max(positives, majority.size - positives) / majority.size : 0.5;
  const weightOf = (accuracy: number) => Math.max(MIN_WEIGHT, 1 - (1 - accuracy) / Math.max(1e-9, 1 - baseline));
  const agreeing = new Map<string, [number, number]>();
  for (const r of ratings) {
    const [a, n] = agreeing.get(r.reviewer) ?? [0, 0];
    agreeing.set(r.reviewer, [a + (r.present === majority.get(r.record) ? 1 : 0), n + 1]);
  }
  const reviewers = [...agreeing]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([reviewer, [a, n]]) => ({ reviewer, agreement: a / n, weight: weightOf(a / n) }));
  const weight = new Map(reviewers.map((r) => [r.reviewer, r]));
  let modelAgree = 0,
    modelN = 0;
  for (const [rec, m] of majority) {
    const p = modelProbability.get(rec);
    if (p === undefined) continue;
    modelN++;
    if (p >= 0.5 === m) modelAgree++;
  }
  const modelAgreement = modelN ? modelAgree / modelN : 0;
  // The model's weight grows with how many answers a record has on average (as in CROWDLAB), so it never outvotes a
  // well-covered record alone.
  const meanAnswers = share.size ? ratings.length / share.size : 0;
  const model = { agreement: modelAgreement, weight: modelN ? weightOf(modelAgreement) * Math.sqrt(meanAnswers) : 0 };
  const num = new Map<number, number>(),
    den = new Map<number, number>();
  for (const r of ratings) {
    const q = weight.get(r.reviewer)!;
    // A reviewer's answer as a distribution: their agreement rate on what they said, the rest on the other answer.
    const pPresent = r.present ? q.agreement : 1 - q.agreement;
    num.set(r.record, (num.get(r.record) ?? 0) + q.weight * pPresent);
    den.set(r.record, (den.get(r.record) ?? 0) + q.weight);
  }
  const posterior = new Map<number, number>();
  for (const rec of share.keys()) {
    const p = modelProbability.get(rec);
    const n = (num.get(rec) ?? 0) + (p === undefined ? 0 : model.weight * p);
    const d = (den.get(rec) ?? 0) + (p === undefined ? 0 : model.weight);
    posterior.set(rec, d > 0 ? n / d : share.get(rec)!);
  }
  return { posterior, reviewers, model };
}
