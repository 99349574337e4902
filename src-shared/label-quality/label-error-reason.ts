// A suspected label error in words, as a reviewer reads it:
// "labelled SB, out-of-fold P(SB) = 0.03, P(STach) = 0.91; rule sinus-tachycardia positive, HR 112".
import type { RecordLabelQuality } from './confident-learning.ts';
import { ruleLogOdds, type ClassSecondOpinion } from './rule-second-opinion.ts';
import { codeAbbreviation } from '../vocabulary-search.ts';

/** A stored rule decision on the record, reduced to what the reason needs. */
export interface RuleFinding {
  detectorId: string;
  decision: boolean | 'not-applicable';
  codes: string[];
  /** Signed, graded distance past the rule's threshold (rules.ts RuleResult.score). */
  score?: number;
  heartRateBpm?: number | null;
}

const p2 = (p: number): string => p.toFixed(2);

/** The rules' second opinion behind `q` (rule-second-opinion.ts): q's probabilities combine model and rules. */
export interface RuleOpinionOnRecord {
  /** The record's out-of-fold probabilities, per class. */
  outOfFold: ArrayLike<number>;
  classes: ClassSecondOpinion[];
}

/** A rule is named in a reason when its decision moved a suspect class by at least this many log-odds. */
const NAMED_RULE_LOG_ODDS = 0.5;

export function labelErrorReason(
  q: RecordLabelQuality,
  classes: string[],
  rules: RuleFinding[] = [],
  canonical: (code: string) => string = (c) => c,
  opinion?: RuleOpinionOnRecord,
): string {
  const given = q.classes.filter((c) => c.given).map((c) => codeAbbreviation(classes[c.classIndex]));
  const labelled = given.length ? `labelled ${given.join(' + ')}` : 'no model class labelled';
  const suspect = q.classes.filter((c) => c.issue !== null);
  if (suspect.length === 0) {
    const worst = q.classes.find((c) => !Number.isNaN(c.threshold));
    return worst
      ? `${labelled}; agrees with the out-of-fold model (closest: P(${codeAbbreviation(classes[worst.classIndex])}) = ${p2(worst.probability)}, threshold ${p2(worst.threshold)})`
      : `${labelled}; no class could be judged`;
  }
  const p = (c: (typeof suspect)[number], value: number): string => `P(${codeAbbreviation(classes[c.classIndex])}) = ${p2(value)}`;
  const probabilities = suspect.map((c) => p(c, opinion ? opinion.outOfFold[c.classIndex] : c.probability)).join(', ');
  const codes = new Set(suspect.map((c) => classes[c.classIndex]));
  // With a second opinion, the rules named are those whose decision moved a suspect class; without, those covering one.
  const weight = (r: RuleFinding): number =>
    opinion ? Math.max(0, ...suspect.map((c) => Math.abs(ruleLogOdds(opinion.classes[c.classIndex], r)))) : 0;
  const relevant = rules
    .filter((r) => r.decision !== 'not-applicable')
    .filter((r) => (opinion ? weight(r) >= NAMED_RULE_LOG_ODDS : r.codes.some((c) => codes.has(canonical(c)))))
    .sort((a, b) => weight(b) - weight(a));
  // One heart rate is enough: every rate rule measures the same one.
  let rateSaid = false;
  const ruleText = relevant.map((r) => {
    const rate = r.heartRateBpm != null && !rateSaid ? `, HR ${r.heartRateBpm.toFixed(0)}` : '';
    if (rate) rateSaid = true;
    return `rule ${r.detectorId} ${r.decision ? 'positive' : 'negative'}${rate}`;
  });
  const combined =
    opinion && suspect.some((c) => opinion.classes[c.classIndex].rules.length)
      ? [`with the rules ${suspect.map((c) => p(c, c.probability)).join(', ')}`]
      : [];
  return [`${labelled}, out-of-fold ${probabilities}`, ...ruleText, ...combined].join('; ');
}
