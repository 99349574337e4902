// Atrial fibrillation by RR irregularity: the median absolute successive RR difference relative to
// the median RR. A median (not RMSSD) ignores one or two ectopic beats in a 10 s record.
import { baseEvidence, notApplicable, round, type RuleDetector } from './rule-detector.ts';
import { IRREGULARITY_THRESHOLD } from './rhythm-regularity.ts';

const MIN_RR = 6;

export const atrialFibrillation: RuleDetector = {
  id: 'atrial-fibrillation',
  // 1.0.1: pWavePresent follows the P wave's beat-to-beat check (dsp/p-wave-consistency.ts).
  version: '1.0.2',
  title: 'Atrial fibrillation (irregularly irregular RR)',
  codes: [{ code: '164889003', abbreviation: 'AF' }],
  requiredLeads: ['I'],
  run(input) {
    const rr = input.measurements.rr;
    const thresholds = { irregularity: IRREGULARITY_THRESHOLD, minRrIntervals: MIN_RR };
    if (!rr || rr.count < MIN_RR) return notApplicable(input, `needs at least ${MIN_RR} RR intervals`, thresholds);
    const score = rr.irregularity - IRREGULARITY_THRESHOLD;
    const evidence = baseEvidence(
      input,
      `median |dRR| is ${(rr.irregularity * 100).toFixed(1)} % of the median RR over ${rr.count} intervals`,
      thresholds,
    );
    evidence.measurements = {
      irregularity: round(rr.irregularity),
      medianRrMs: round(rr.medianMs, 1),
      rmssdMs: round(rr.rmssdMs, 1),
      sdRrMs: round(rr.sdMs, 1),
      pWavePresent: input.measurements.prMs === null ? 0 : 1,
    };
    return { decision: score > 0, score, evidence };
  },
};
