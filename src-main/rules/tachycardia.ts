// Sinus tachycardia: regular rhythm with heart rate above 100 bpm.
import { baseEvidence, notApplicable, round, type RuleDetector } from './rule-detector.ts';
import { isRegular, IRREGULARITY_THRESHOLD } from './rhythm-regularity.ts';

const LIMIT_BPM = 100;

export const tachycardia: RuleDetector = {
  id: 'sinus-tachycardia',
  version: '1.0.0',
  title: 'Sinus tachycardia (HR > 100 bpm, regular rhythm)',
  codes: [{ code: '427084000', abbreviation: 'STach' }],
  requiredLeads: ['I'],
  run(input) {
    const m = input.measurements;
    const thresholds = { heartRateBpm: LIMIT_BPM, irregularity: IRREGULARITY_THRESHOLD };
    if (m.heartRateBpm === null || !m.rr) return notApplicable(input, 'fewer than 3 beats detected: no heart rate', thresholds);
    const score = (m.heartRateBpm - LIMIT_BPM) / LIMIT_BPM;
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
