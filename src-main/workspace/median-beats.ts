// The median-beat view of a stored record: each lead's representative beat, the automatic global boundaries and a
// reviewer's corrections, and the measurements on both. Taken over the record's first span, as the rules are.
import type { Database } from 'better-sqlite3';
import { STANDARD_LEADS, canonicalLeadName, leadMillivolts } from '../../src-shared/record.ts';
import { BOUNDARY_NAMES, mergeBoundaries, type Boundaries, type MedianBeats } from '../../src-shared/median-beats.ts';
import { medianBeat, type Delineation } from '../dsp/delineation.ts';
import { ecgClean } from '../dsp/ecg-clean.ts';
import { intervalMeasurements, measureWithCorrections } from '../dsp/corrected-measurements.ts';
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
  const fs = record.samplingRate;
  const leads: Record<string, Float32Array> = {};
  for (const l of record.leads) leads[canonicalLeadName(l.name)] = leadMillivolts(l);
  const corrected = currentBoundaries(db, recordId);
  const m = measureWithCorrections(leads, fs, corrected);
  if (!m.automatic.delineation || m.automatic.beats.length === 0)
    throw new Error(`record ${recordId} has no median beat: no QRS complex was detected`);
  // The same window around R as measureRecord's, so the templates are the beat that was delineated.
  const rrSamples = m.automatic.rr ? (m.automatic.rr.medianMs / 1000) * fs : fs;
  const pre = Math.round(Math.min(0.35 * fs, 0.45 * rrSamples));
  const post = Math.round(Math.min(0.65 * fs, 0.8 * rrSamples));
  // In the standard order (derived limb leads are stored after the recorded ones), other leads after them.
  const rank = (n: string) => ((STANDARD_LEADS as readonly string[]).indexOf(n) + 100) % 100;
  const names = Object.keys(leads).sort((a, b) => rank(a) - rank(b));
  const beat = medianBeat(
    names.map((n) => ecgClean(leads[n], fs, 'measurement')),
    m.automatic.beats,
    pre,
    post,
  );
  if (!beat) throw new Error(`record ${recordId} has no median beat: no beat lies wholly inside the record`);
  const automatic = foundBoundaries(m.automatic.delineation);
  return {
    recordId,
    samplingRate: fs,
    pre: beat.pre,
    length: beat.length,
    beatsUsed: beat.beatsUsed.length,
    leads: names.map((name, k) => ({ name, values: beat.templates[k] })),
    automatic,
    corrected,
    boundaries: mergeBoundaries(automatic, corrected),
    automaticMeasurements: intervalMeasurements(m.automatic),
    measurements: intervalMeasurements(m.corrected),
    history: boundaryHistory(db, recordId),
  };
}
