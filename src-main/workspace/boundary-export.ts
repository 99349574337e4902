// What the dataset export writes about corrected wave boundaries: per corrected record, the automatic and the
// corrected boundary with who moved it and when, and the interval measurements on both sets of boundaries.
import type { Database } from 'better-sqlite3';
import { canonicalLeadName, leadMillivolts } from '../../src-shared/record.ts';
import type { BoundaryCorrection, IntervalMeasurements } from '../../src-shared/median-beats.ts';
import type { QtcFormula } from '../../src-shared/qtc.ts';
import { intervalMeasurements, measureWithCorrections } from '../dsp/corrected-measurements.ts';
import type { EcgMeasurements } from '../dsp/measurements.ts';
import { boundaryHistory } from '../store/boundary-store.ts';
import { getReviewSettings } from '../store/review-store.ts';
import { loadSpan } from './analyse-record.ts';

export const BOUNDARY_CORRECTION_COLUMNS = [
  'record',
  'record_id',
  'boundary',
  'automatic_ms_from_r',
  'corrected_ms_from_r',
  'author',
  'corrected_at',
] as const;
export const CORRECTED_MEASUREMENT_COLUMNS = [
  'record',
  'record_id',
  'boundaries',
  'heart_rate_bpm',
  'pr_ms',
  'p_duration_ms',
  'qrs_ms',
  'qt_ms',
  'qtc_ms',
  'qtc_formula',
  'qtc_bazett_ms',
  'axis_deg',
] as const;

type Cell = string | number | null;

export interface RecordBoundaryExport {
  /** One row per current correction (BOUNDARY_CORRECTION_COLUMNS but the record name). */
  corrections: Cell[][];
  /** Two rows, 'automatic' then 'corrected' (CORRECTED_MEASUREMENT_COLUMNS but the record name). */
  measurements: Cell[][];
}

const round1 = (v: number | null | undefined): number | null => (v === null || v === undefined ? null : Math.round(v * 10) / 10);

function measurementRow(id: number, which: string, m: EcgMeasurements, formula: QtcFormula): Cell[] {
  const i: IntervalMeasurements = intervalMeasurements(m);
  return [
    id,
    which,
    round1(i.heartRateBpm),
    round1(i.prMs),
    round1(m.pDurationMs),
    round1(i.qrsMs),
    round1(i.qtMs),
    round1(m.qtc[formula]),
    formula,
    round1(i.qtcBazettMs),
    round1(i.axisDegrees),
  ];
}

/** The record's corrected boundaries and the measurements on them; undefined when no boundary is corrected now. */
export function recordBoundaryExport(db: Database, recordId: number): RecordBoundaryExport | undefined {
  const current = boundaryHistory(db, recordId).filter(
    (c): c is BoundaryCorrection & { offset: number } => c.isCurrent && c.offset !== null,
  );
  if (current.length === 0) return undefined;
  // The span the rules and the median-beat view measure (the record's first).
  const { record } = loadSpan(db, recordId);
  const fs = record.samplingRate;
  const leads: Record<string, Float32Array> = {};
  for (const l of record.leads) leads[canonicalLeadName(l.name)] = leadMillivolts(l);
  const m = measureWithCorrections(leads, fs, Object.fromEntries(current.map((c) => [c.boundary, c.offset])));
  const ms = (samples: number | undefined): number | null => (samples === undefined ? null : round1((samples / fs) * 1000));
  const formula = getReviewSettings(db).qtcFormula;
  return {
    corrections: current.map((c) => [
      recordId,
      c.boundary,
      ms(m.automatic.delineation?.[c.boundary]),
      ms(c.offset),
      c.author,
      c.correctedAt,
    ]),
    measurements: [
      measurementRow(recordId, 'automatic', m.automatic, formula),
      measurementRow(recordId, 'corrected', m.corrected, formula),
    ],
  };
}
