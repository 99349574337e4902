// Sinus bradycardia and tachycardia are one rule with two limits: a regular rhythm whose heart rate is beyond a limit.
import { baseEvidence, notApplicable, round, type RuleDetector } from './rule-detector.ts';
import { isRegular, IRREGULARITY_THRESHOLD } from './rhythm-regularity.ts';

export interface SinusRateLimit {
  id: string;
  title: string;
  codes: RuleDetector['codes'];
  limitBpm: number;
  /** 'below': positive when HR < limit (bradycardia); 'above': when HR > limit (tachycardia). */
  beyond: 'below' | 'above';
}

export function sinusRateRule(limit: SinusRateLimit): RuleDetector {
  const { limitBpm } = limit;
  return {
    id: limit.id,
    version: '1.0.1',
    title: limit.title,
    codes: limit.codes,
    requiredLeads: ['I'],
    run(input) {
      const m = input.measurements;
      const thresholds = { heartRateBpm: limitBpm, irregularity: IRREGULARITY_THRESHOLD };
      if (m.heartRateBpm === null || !m.rr) return notApplicable(input, 'fewer than 3 beats detected: no heart rate', thresholds);
      // Graded: the fraction of the limit by which the rate is beyond it (negative when within it).
      const score = (limit.beyond === 'below' ? limitBpm - m.heartRateBpm : m.heartRateBpm - limitBpm) / limitBpm;
      const regular = isRegular(m.rr);
      const decision = score > 0 && regular;
      const evidence = baseEvidence(
        input,
        `heart rate ${m.heartRateBpm.toFixed(0)} bpm from ${m.rr.count} RR intervals; rhythm ${regular ? 'regular' : 'irregular'}`,
        thresholds,
      );
      evidence.measurements = {
        heartRateBpm: round(m.heartRateBpm, 1),
        medianRrMs: round(m.rr.medianMs, 1),
        irregularity: round(m.rr.irregularity),
      };
      return { decision, score: decision ? score : Math.min(score, -1e-3), evidence };
    },
  };
}
