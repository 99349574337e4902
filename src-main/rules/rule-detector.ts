// The interface every clinical rule detector implements, and what they all receive.
import { LEAD_SETS, LEAD_SET_SIZES, type LeadSetSize } from '../../src-shared/lead-sets.ts';
import type { RuleDecision, RuleEvidence, SnomedCode } from '../../src-shared/rules.ts';
import type { EcgMeasurements } from '../dsp/measurements.ts';
import type { QtcFormula } from '../../src-shared/qtc.ts';

/** Shared inputs: the record's leads (mV, by canonical name) restricted to a lead set, and the measurements. */
export interface RuleInput {
  recordName: string;
  leadSet: LeadSetSize;
  samplingRate: number;
  /** Leads of the set plus limb leads derived from I and II, in mV, by canonical name. */
  leadsMv: Record<string, Float32Array>;
  /** Names in `leadsMv` computed from I and II rather than recorded. */
  derivedLeads: string[];
  measurements: EcgMeasurements;
  /** QT correction the prolonged-QTc rule applies (the workspace setting; Bazett by default). */
  qtcFormula?: QtcFormula;
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
  /** Leads the rule cannot run without (limb leads count as present when I and II are: they are derived). */
  requiredLeads: readonly string[];
  /** True when the decision depends on the workspace's QTc formula (recomputed when the setting changes). */
  usesQtcFormula?: boolean;
  run(input: RuleInput): RuleOutput;
}

const LIMB_DERIVED_FROM_I_II = ['III', 'aVR', 'aVL', 'aVF'];

/** Leads available on a lead set: its own plus the limb leads derivable from I and II. */
export function availableLeads(size: LeadSetSize): string[] {
  const own: string[] = [...LEAD_SETS[size]];
  return own.includes('I') && own.includes('II') ? [...new Set([...own, ...LIMB_DERIVED_FROM_I_II])] : own;
}

/** Lead sets on which every lead the detector needs is recorded or derivable. */
export function applicableLeadSets(detector: RuleDetector): LeadSetSize[] {
  return LEAD_SET_SIZES.filter((s) => detector.requiredLeads.every((l) => availableLeads(s).includes(l)));
}

/** Evidence skeleton common to every detector. */
export function baseEvidence(input: RuleInput, note: string, thresholds: Record<string, number> = {}): RuleEvidence {
  return { beats: input.measurements.beats, samplingRate: input.samplingRate, measurements: {}, thresholds, note };
}

/** Why a lead in EcgMeasurements.leftOutLeads decides nothing. */
export const LEFT_OUT_REASON = 'its QRS does not repeat from beat to beat (noise, or an electrode off)';

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
