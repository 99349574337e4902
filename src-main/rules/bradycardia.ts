// Sinus bradycardia: regular rhythm with heart rate below 60 bpm.
import { baseEvidence, notApplicable, round, type RuleDetector } from './rule-detector.ts';
import { isRegular, IRREGULARITY_THRESHOLD } from './rhythm-regularity.ts';

const LIMIT_BPM = 60;

export const bradycardia: RuleDetector = {
  id: 'sinus-bradycardia',
  version: '1.0.0',
  title: 'Sinus bradycardia (HR < 60 bpm, regular rhythm)',
  codes: [
    { code: '426177001', abbreviation: 'SB' },
    { code: '426627000', abbreviation: 'Brady' },
  ],
  requiredLeads: ['I'],
  run(input) {
    const m = input.measurements;
    const thresholds = { heartRateBpm: LIMIT_BPM, irregularity: IRREGULARITY_THRESHOLD };
    if (m.heartRateBpm === null || !m.rr) return notApplicable(input, 'fewer than 3 beats detected: no heart rate', thresholds);
    const score = (LIMIT_BPM - m.heartRateBpm) / LIMIT_BPM;
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
