// The median-beat view of a stored record: each lead's representative beat, the automatic global boundaries and a
// reviewer's corrections, and the measurements on both. Taken over the record's first span, as the rules are.
import type { Database } from 'better-sqlite3';
import { STANDARD_LEADS, canonicalLeadName, leadMillivolts } from '../../src-shared/record.ts';
import { BOUNDARY_NAMES, mergeBoundaries, type Boundaries, type MedianBeats } from '../../src-shared/median-beats.ts';
import type { Delineation } from '../dsp/delineation.ts';
import { intervalMeasurements, measureWithCorrections } from '../dsp/corrected-measurements.ts';
import { leadBoundariesMs } from '../dsp/measurements.ts';
import { boundaryHistory, currentBoundaries } from '../store/boundary-store.ts';
import { loadSpan } from './analyse-record.ts';

/** The boundaries of a delineation that were found (undefined ones left out). */
function foundBoundaries(d: Delineation): Boundaries {
  const out: Boundaries = {};
  for (const k of BOUNDARY_NAMES) if (d[k] !== undefined) out[k] = d[k];
  return out;
}

export function recordMedianBeats(db: Database, recordId: number): MedianBeats {
  const { record } = loadSpan(db, recordId);
  const leads: Record<string, Float32Array> = {};
  for (const l of record.leads) leads[canonicalLeadName(l.name)] = leadMillivolts(l);
  const corrected = currentBoundaries(db, recordId);
  const m = measureWithCorrections(leads, record.samplingRate, corrected);
  if (!m.automatic.delineation || m.automatic.beats.length === 0)
    throw new Error(`record ${recordId} has no median beat: no QRS complex was detected`);
  // The beat measureRecord delineated, its templates in the standard lead order (derived limb leads are stored after
  // the recorded ones), other leads after them.
  const beat = m.automatic.medianBeat;
  if (!beat) throw new Error(`record ${recordId} has no median beat: no beat lies wholly inside the record`);
  const measured = Object.keys(leads);
  const rank = (n: string) => ((STANDARD_LEADS as readonly string[]).indexOf(n) + 100) % 100;
  const names = [...measured].sort((a, b) => rank(a) - rank(b));
  const automatic = foundBoundaries(m.automatic.delineation);
  return {
    recordId,
    samplingRate: record.samplingRate,
    pre: beat.pre,
    length: beat.length,
    beatsUsed: beat.beatsUsed.length,
    leads: names.map((name) => ({ name, values: beat.templates[measured.indexOf(name)] })),
    automatic,
    corrected,
    boundaries: mergeBoundaries(automatic, corrected),
    automaticMeasurements: intervalMeasurements(m.automatic),
    measurements: intervalMeasurements(m.corrected),
    history: boundaryHistory(db, recordId),
    leadBoundaries: leadBoundariesMs(m.automatic),
  };
}
