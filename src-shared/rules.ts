// Results of the clinical rule detectors and the evidence the UI draws on the trace.
import type { LeadSetSize } from './lead-sets.ts';
import type { QtcFormula } from './qtc.ts';

export interface SnomedCode {
  code: string;
  abbreviation: string;
}

/** A measured value for one lead (e.g. QRS peak-to-peak), with the threshold it was compared to. */
export interface LeadEvidence {
  lead: string;
  peakToPeakMv?: number;
  netDeflectionMv?: number;
  thresholdMv?: number;
  /** True when this lead passed its criterion. */
  passes?: boolean;
  /** True when computed from I and II rather than recorded. */
  derived?: boolean;
}

/** A sample range on one lead (or all leads when `lead` is absent) the rule looked at. */
export interface EvidenceWindow {
  start: number;
  end: number;
  lead?: string;
  label: string;
}

/** A candidate pacemaker spike. */
export interface PacingSpike {
  sample: number;
  lead: string;
  /** Largest slope at the spike, mV/ms. */
  slewMvPerMs: number;
  /** Width at half height, ms. */
  widthMs: number;
  /** Height relative to the surrounding level, mV. */
  amplitudeMv: number;
}

export interface RuleEvidence {
  /** R fiducials (sample indices) the rule used. */
  beats: number[];
  samplingRate: number;
  /** Named measurements (heart rate, intervals, axis...), null when not measurable. */
  measurements: Record<string, number | null>;
  /** Named thresholds the decision applied. */
  thresholds: Record<string, number>;
  leads?: LeadEvidence[];
  /** Leads the axis was computed from, and the method. */
  axis?: { method: '2-lead' | '3-lead'; leads: string[]; degrees: number | null };
  spikes?: PacingSpike[];
  windows?: EvidenceWindow[];
  /** One line on how the decision was reached (or why the rule did not apply). */
  note: string;
  /** The QTc formula the decision used, on rules that depend on it (stored results say which they were taken with). */
  qtcFormula?: QtcFormula;
}

export type RuleDecision = boolean | 'not-applicable';

export interface RuleResult {
  detectorId: string;
  detectorVersion: string;
  leadSet: LeadSetSize;
  decision: RuleDecision;
  /** Signed, graded distance past the threshold (> 0 when positive, < 0 when negative, 0 when not applicable). */
  score: number;
  codes: SnomedCode[];
  evidence: RuleEvidence;
}
