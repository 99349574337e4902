// Runs every detector applicable to a lead set on one record, sharing QRS detection and measurements.
import { canonicalLeadName, leadMillivolts, type EcgRecord } from '../../src-shared/record.ts';
import { restrictToLeadSet, type LeadSetSize } from '../../src-shared/lead-sets.ts';
import type { RuleResult } from '../../src-shared/rules.ts';
import { measureRecord } from '../dsp/measurements.ts';
import { RULE_DETECTORS } from './detectors.ts';
import { notApplicable, type RuleDetector, type RuleInput } from './rule-detector.ts';

/** The shared input of all detectors for `record` restricted to `leadSet` (throws when leads are missing). */
export function ruleInput(record: EcgRecord, leadSet: LeadSetSize): RuleInput {
  const restricted = restrictToLeadSet(record, leadSet);
  const leadsMv: Record<string, Float32Array> = {};
  for (const l of restricted.leads) leadsMv[canonicalLeadName(l.name)] = leadMillivolts(l);
  const fs = record.samplingRate;
  return { recordName: record.recordName, leadSet, samplingRate: fs, leadsMv, measurements: measureRecord(leadsMv, fs) };
}

/** Runs `detectors` (all by default); those needing leads outside the set report 'not-applicable'. */
export function runRules(record: EcgRecord, leadSet: LeadSetSize, detectors: readonly RuleDetector[] = RULE_DETECTORS): RuleResult[] {
  const input = ruleInput(record, leadSet);
  return detectors.map((d) => {
    const missing = d.requiredLeads.filter((l) => !input.leadsMv[l]);
    const out = missing.length
      ? notApplicable(input, `the ${leadSet}-lead set lacks ${missing.join(', ')}`)
      : d.run(input);
    return { detectorId: d.id, detectorVersion: d.version, leadSet, decision: out.decision, score: out.score, codes: d.codes, evidence: out.evidence };
  });
}
