// Measurements on a reviewer's corrected boundaries: the automatic delineation first, the corrected boundaries laid
// over it, then measured again on the same beats and pacemaker spikes. Only records with corrections pay for the second
// pass.
import type { Boundaries, IntervalMeasurements } from '../../src-shared/median-beats.ts';
import { measureRecord, type EcgMeasurements, type MeasureOptions } from './measurements.ts';

/** `measureRecord` with `corrections` (offsets from R, samples) in place of the automatic boundaries they name. */
export function measureWithCorrections(
  leads: Record<string, Float32Array>,
  fs: number,
  corrections: Boundaries,
  opts: MeasureOptions = {},
): { automatic: EcgMeasurements; corrected: EcgMeasurements } {
  const automatic = measureRecord(leads, fs, opts);
  if (Object.keys(corrections).length === 0 || !automatic.delineation) return { automatic, corrected: automatic };
  const boundaries = { ...automatic.delineation, ...corrections };
  return { automatic, corrected: measureRecord(leads, fs, { ...opts, beats: automatic.beats, pacing: automatic.pacing, boundaries }) };
}

/** The global figures of a measurement, as the viewer shows them. */
export function intervalMeasurements(m: EcgMeasurements): IntervalMeasurements {
  return {
    heartRateBpm: m.heartRateBpm,
    prMs: m.prMs,
    qrsMs: m.qrsMs,
    qtMs: m.qtMs,
    qtcBazettMs: m.qtcBazettMs,
    axisDegrees: m.axis.fromIIIAvf ?? m.axis.fromIAvf,
  };
}
