// A suspected label error in words, as a reviewer reads it:
// "labelled SB, out-of-fold P(SB) = 0.03, P(STach) = 0.91; rule sinus-tachycardia positive, HR 112".
import type { RecordLabelQuality } from './confident-learning.ts';
import { codeAbbreviation } from '../vocabulary-search.ts';

/** A stored rule decision on the record, reduced to what the reason needs. */
export interface RuleFinding {
  detectorId: string;
  decision: boolean | 'not-applicable';
  codes: string[];
  heartRateBpm?: number | null;
}

const p2 = (p: number): string => p.toFixed(2);

export function labelErrorReason(
  q: RecordLabelQuality,
  classes: string[],
  rules: RuleFinding[] = [],
  canonical: (code: string) => string = (c) => c,
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
  const probabilities = suspect.map((c) => `P(${codeAbbreviation(classes[c.classIndex])}) = ${p2(c.probability)}`).join(', ');
  const codes = new Set(suspect.map((c) => classes[c.classIndex]));
  const relevant = rules.filter((r) => r.decision !== 'not-applicable' && r.codes.some((c) => codes.has(canonical(c))));
  const ruleText = relevant.map(
    (r) =>
      `rule ${r.detectorId} ${r.decision ? 'positive' : 'negative'}${r.heartRateBpm != null ? `, HR ${r.heartRateBpm.toFixed(0)}` : ''}`,
  );
  return [`${labelled}, out-of-fold ${probabilities}`, ...ruleText].join('; ');
}
