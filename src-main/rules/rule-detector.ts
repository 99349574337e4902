// The interface every clinical rule detector implements, and what they all receive.
import { LEAD_SETS, LEAD_SET_SIZES, type LeadSetSize } from '../../src-shared/lead-sets.ts';
import type { RuleDecision, RuleEvidence, SnomedCode } from '../../src-shared/rules.ts';
import type { EcgMeasurements } from '../dsp/measurements.ts';

/** Shared inputs: the record's leads (mV, by canonical name) restricted to a lead set, and the measurements. */
export interface RuleInput {
  recordName: string;
  leadSet: LeadSetSize;
  samplingRate: number;
  /** Leads of the set, in mV, by canonical name. */
  leadsMv: Record<string, Float32Array>;
  measurements: EcgMeasurements;
}

export interface RuleOutput {
  decision: RuleDecision;
  score: number;
  evidence: RuleEvidence;
}

export interface RuleDetector {
  id: string;
  version: string;
  title: string;
  /** CinC 2021 SNOMED CT codes the detector asserts when positive (equivalent codes listed together). */
  codes: SnomedCode[];
  /** Leads the rule cannot run without. */
  requiredLeads: readonly string[];
  run(input: RuleInput): RuleOutput;
}

/** Lead sets containing every lead the detector needs. */
export function applicableLeadSets(detector: RuleDetector): LeadSetSize[] {
  return LEAD_SET_SIZES.filter((s) => detector.requiredLeads.every((l) => (LEAD_SETS[s] as readonly string[]).includes(l)));
}

/** Evidence skeleton common to every detector. */
export function baseEvidence(input: RuleInput, note: string, thresholds: Record<string, number> = {}): RuleEvidence {
  return { beats: input.measurements.beats, samplingRate: input.samplingRate, measurements: {}, thresholds, note };
}

/** A 'not-applicable' result with the reason. */
export function notApplicable(input: RuleInput, note: string, thresholds: Record<string, number> = {}): RuleOutput {
  return { decision: 'not-applicable', score: 0, evidence: baseEvidence(input, note, thresholds) };
}

/** Rounds for evidence display (keeps stored JSON small). */
export function round(x: number | null | undefined, digits = 3): number | null {
  if (x === null || x === undefined || !Number.isFinite(x)) return null;
  const k = 10 ** digits;
  return Math.round(x * k) / k;
}
