// The median-beat view's contract: global wave boundaries of a record's representative beat, a reviewer's
// corrections of them, and the interval measurements they give.
import type { LeadBoundariesMs } from './api.ts';

/** The global boundaries a reviewer can correct, in the order they fall in a beat. */
export const BOUNDARY_NAMES = ['pOnset', 'pOffset', 'qrsOnset', 'qrsOffset', 'tOffset'] as const;
export type BoundaryName = (typeof BOUNDARY_NAMES)[number];

export const BOUNDARY_LABELS: Record<BoundaryName, string> = {
  pOnset: 'P on',
  pOffset: 'P off',
  qrsOnset: 'QRS on',
  qrsOffset: 'QRS off',
  tOffset: 'T end',
};

export function isBoundaryName(name: string): name is BoundaryName {
  return (BOUNDARY_NAMES as readonly string[]).includes(name);
}

/** Offsets from R in samples; a boundary the delineation did not find is absent. */
export type Boundaries = Partial<Record<BoundaryName, number>>;

/** One stored correction; `offset` null puts the automatic boundary back (an undone correction). */
export interface BoundaryCorrection {
  id: number;
  recordId: number;
  boundary: BoundaryName;
  offset: number | null;
  author: string;
  isCurrent: boolean;
  supersedes: number | null;
  correctedAt: string;
}

/** The global measurements a cardiologist reads first, from one set of boundaries. */
export interface IntervalMeasurements {
  heartRateBpm: number | null;
  prMs: number | null;
  qrsMs: number | null;
  qtMs: number | null;
  qtcBazettMs: number | null;
  axisDegrees: number | null;
}

/** A record's median beat per lead (millivolts, R at sample `pre`), carried as bytes (see BINARY_RESULT_METHODS). */
export interface MedianBeats {
  recordId: number;
  samplingRate: number;
  pre: number;
  length: number;
  beatsUsed: number;
  leads: { name: string; values: Float32Array }[];
  automatic: Boundaries;
  /** The current corrections only (a boundary put back to automatic is absent). */
  corrected: Boundaries;
  /** What the measurements use: the automatic boundaries with the corrections over them. */
  boundaries: Boundaries;
  automaticMeasurements: IntervalMeasurements;
  measurements: IntervalMeasurements;
  /** Every correction ever made on the record, oldest first. */
  history: BoundaryCorrection[];
  /** Each lead's own boundaries on this (automatic) median beat, ms from R: the global ones are derived from them. */
  leadBoundaries: LeadBoundariesMs[];
}

/** The automatic boundaries with the corrections over them. */
export function mergeBoundaries(automatic: Boundaries, corrected: Boundaries): Boundaries {
  return { ...automatic, ...corrected };
}
