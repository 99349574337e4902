// Where a record's waves are, for localising saliency: R peaks, the median-beat delineation and pacing
// spikes as the rule engine finds them (same QRS detector, measurements and spike criteria).
import type { EcgRecord } from '../../src-shared/record.ts';
import { LEAD_SET_SIZES } from '../../src-shared/lead-sets.ts';
import { pacing } from '../rules/pacing.ts';
import { ruleInput } from '../rules/run-rules.ts';
import type { RuleInput } from '../rules/rule-detector.ts';
import { waveIntervals, type WaveIntervals } from './localisation.ts';

/** Wave intervals in record samples; null when no lead set fits the record or no beat could be delineated. */
export function recordWaveIntervals(record: EcgRecord): WaveIntervals | null {
  let input: RuleInput | undefined;
  for (const size of LEAD_SET_SIZES) {
    try {
      input = ruleInput(record, size);
      break;
    } catch {
      // the record lacks a lead of this set: try the next smaller one
    }
  }
  const d = input?.measurements.delineation;
  if (!input || !d) return null;
  const spikes = input.leadsMv.I ? (pacing.run(input).evidence.spikes ?? []) : [];
  // One pacing pulse shows on several leads within a sample: keep one sample per pulse.
  const pulses: number[] = [];
  for (const s of spikes.map((x) => x.sample).sort((a, b) => a - b))
    if (!pulses.length || s - pulses[pulses.length - 1] > 1) pulses.push(s);
  return waveIntervals(input.measurements.beats, d, record.length, pulses);
}
