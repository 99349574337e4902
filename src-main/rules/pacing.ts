// Pacing rhythm from pacemaker spikes (dsp/pacing-spikes.ts, found on the recorded leads once per record by the
// measurements): paced rhythm = spikes in the 400 ms before the R peak of more than 30 % of beats (atrial spikes
// precede P, ventricular spikes the QRS).
import {
  isPaced,
  LEAD_IN_MS,
  LOCKED_BEAT_FRACTION,
  MIN_BEAT_FRACTION,
  MIN_VIEWS,
  SLEW_MV_PER_MS,
  SMALL_SPIKE_MV,
  SPIKE_MV,
  spikesByBeat,
} from '../dsp/pacing-spikes.ts';
import { baseEvidence, notApplicable, round, type RuleDetector } from './rule-detector.ts';

export const pacing: RuleDetector = {
  id: 'pacing',
  version: '1.2.1',
  title: 'Pacing rhythm (pacemaker spikes before QRS complexes)',
  codes: [{ code: '10370003', abbreviation: 'PR' }],
  requiredLeads: ['I'],
  run(input) {
    const m = input.measurements;
    const fs = input.samplingRate;
    const thresholds = {
      spikeMv: SPIKE_MV,
      slewMvPerMs: SLEW_MV_PER_MS,
      leadInMs: LEAD_IN_MS,
      minBeatFraction: MIN_BEAT_FRACTION,
      minViews: MIN_VIEWS,
      smallSpikeMv: SMALL_SPIKE_MV,
      lockedBeatFraction: LOCKED_BEAT_FRACTION,
    };
    if (m.beats.length < 2) return notApplicable(input, 'fewer than 2 QRS complexes detected', thresholds);
    const { spikes, pacedBeats: paced, pacedBeatFraction: fraction } = m.pacing;
    // Relative to R, not to the delineated onset: a ventricular spike's slope is itself taken as QRS onset.
    const used = spikesByBeat(spikes, m.beats, fs).flat();
    const score = fraction - MIN_BEAT_FRACTION;
    const evidence = baseEvidence(
      input,
      `${paced} of ${m.beats.length} beats have a spike in the ${LEAD_IN_MS} ms before their R peak; ${spikes.length} spikes in all`,
      thresholds,
    );
    evidence.spikes = used.slice(0, 200);
    evidence.measurements = { pacedBeatFraction: round(fraction), spikeCount: spikes.length };
    return { decision: isPaced(m.pacing), score, evidence };
  },
};
