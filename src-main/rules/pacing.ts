// Pacing rhythm from pacemaker spikes (found by dsp/pacing-spikes.ts): paced rhythm = spikes in the 400 ms before
// the R peak of at least 30 % of beats (atrial spikes precede P, ventricular spikes the QRS).
import {
  LEAD_IN_MS,
  LOCKED_BEAT_FRACTION,
  MIN_BEAT_FRACTION,
  MIN_VIEWS,
  pacemakerSpikes,
  SLEW_MV_PER_MS,
  SMALL_SPIKE_MV,
  SPIKE_MV,
  spikesByBeat,
} from '../dsp/pacing-spikes.ts';
import { baseEvidence, notApplicable, round, type RuleDetector } from './rule-detector.ts';

export const pacing: RuleDetector = {
  id: 'pacing',
  version: '1.2.0',
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
    // Recorded leads only: a derived lead repeats the spikes of I and II.
    const recorded = Object.entries(input.leadsMv).filter(([lead]) => !input.derivedLeads.includes(lead));
    const spikes = pacemakerSpikes(recorded, fs, m.beats);
    // Relative to R, not to the delineated onset: a ventricular spike's slope is itself taken as QRS onset.
    const perBeat = spikesByBeat(spikes, m.beats, fs);
    const paced = perBeat.filter((s) => s.length > 0).length;
    const used = perBeat.flat();
    const fraction = paced / m.beats.length;
    const score = fraction - MIN_BEAT_FRACTION;
    const evidence = baseEvidence(
      input,
      `${paced} of ${m.beats.length} beats have a spike in the ${LEAD_IN_MS} ms before their R peak; ${spikes.length} spikes in all`,
      thresholds,
    );
    evidence.spikes = used.slice(0, 200);
    evidence.measurements = { pacedBeatFraction: round(fraction), spikeCount: spikes.length };
    return { decision: score > 0, score, evidence };
  },
};
