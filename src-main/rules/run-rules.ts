// Runs every detector applicable to a lead set on one record, sharing QRS detection and measurements.
import { canonicalLeadName, leadMillivolts, type EcgRecord } from '../../src-shared/record.ts';
import { LEAD_SETS, missingLeads, restrictToLeadSet, type LeadSetSize } from '../../src-shared/lead-sets.ts';
import { deriveLimbLeads } from '../../src-shared/derived-leads.ts';
import type { RuleEvidence, RuleResult } from '../../src-shared/rules.ts';
import { measureWithCorrections } from '../dsp/corrected-measurements.ts';
import type { Boundaries } from '../../src-shared/median-beats.ts';
import { DEFAULT_QTC_FORMULA, type QtcFormula } from '../../src-shared/qtc.ts';
import { detectQrs } from '../dsp/qrs-detector.ts';
import { RULE_DETECTORS } from './detectors.ts';
import { notApplicable, type RuleDetector, type RuleInput } from './rule-detector.ts';

/** Workspace settings the detectors follow. */
export interface RuleOptions {
  qtcFormula?: QtcFormula;
}

/**
 * The shared input of all detectors for `record` restricted to `leadSet` (throws when leads are missing).
 * Limb leads the set lacks are derived from I and II (flagged in `derivedLeads`); beats and pacemaker spikes are
 * found on the recorded leads only. `corrections`: a reviewer's global boundaries, measured in place of the automatic ones.
 */
export function ruleInput(record: EcgRecord, leadSet: LeadSetSize, corrections: Boundaries = {}, opts: RuleOptions = {}): RuleInput {
  const restricted = restrictToLeadSet(record, leadSet);
  const leads = deriveLimbLeads(restricted.leads.map((l) => ({ ...l, name: canonicalLeadName(l.name) })));
  const leadsMv: Record<string, Float32Array> = {};
  const derivedLeads: string[] = [];
  for (const l of leads) {
    leadsMv[l.name] = leadMillivolts(l);
    if (l.derived && !restricted.leads.some((r) => canonicalLeadName(r.name) === l.name)) derivedLeads.push(l.name);
  }
  const fs = record.samplingRate;
  const recorded = Object.keys(leadsMv)
    .filter((n) => !derivedLeads.includes(n))
    .map((n) => leadsMv[n]);
  const measurements = measureWithCorrections(leadsMv, fs, corrections, { beats: detectQrs(recorded, fs), derivedLeads }).corrected;
  return { recordName: record.recordName, leadSet, samplingRate: fs, leadsMv, derivedLeads, measurements, qtcFormula: opts.qtcFormula };
}

/** Why `record` cannot be read as `leadSet` ('lacks I, II of the 2-lead set (has MLII, V5)'), or undefined when it can. */
export function leadSetMismatch(record: EcgRecord, leadSet: LeadSetSize): string | undefined {
  const missing = missingLeads(record, LEAD_SETS[leadSet]);
  return missing.length
    ? `lacks ${missing.join(', ')} of the ${leadSet}-lead set (has ${record.leads.map((l) => l.name).join(', ')})`
    : undefined;
}

/**
 * Runs `detectors` (all by default); those needing leads outside the set report 'not-applicable', and so does every
 * detector when the record lacks the set's leads (a 2-lead MIT-BIH record asked for the 12-lead set), with the reason.
 * `corrections`: a reviewer's corrected global boundaries (store/boundary-store.ts), used in place of the automatic ones.
 */
export function runRules(
  record: EcgRecord,
  leadSet: LeadSetSize,
  detectors: readonly RuleDetector[] = RULE_DETECTORS,
  corrections: Boundaries = {},
  opts: RuleOptions = {},
): RuleResult[] {
  const mismatch = leadSetMismatch(record, leadSet);
  if (mismatch) {
    const evidence = {
      beats: [],
      samplingRate: record.samplingRate,
      measurements: {},
      thresholds: {},
      note: `not applicable: the record ${mismatch}`,
    };
    return detectors.map((d) => ({
      detectorId: d.id,
      detectorVersion: d.version,
      leadSet,
      decision: 'not-applicable',
      score: 0,
      codes: d.codes,
      evidence: withFormula(d, evidence, opts),
    }));
  }
  const input = ruleInput(record, leadSet, corrections, opts);
  return detectors.map((d) => {
    const missing = d.requiredLeads.filter((l) => !input.leadsMv[l]);
    // A record of noise alone (no lead's QRS repeats; notMeasurable.qrs is given only then): its "beats" decide nothing.
    const noise = input.measurements.notMeasurable.qrs;
    const out = missing.length
      ? notApplicable(input, `the ${leadSet}-lead set lacks ${missing.join(', ')}`)
      : noise
        ? notApplicable(input, `not decided: ${noise}`)
        : d.run(input);
    return {
      detectorId: d.id,
      detectorVersion: d.version,
      leadSet,
      decision: out.decision,
      score: out.score,
      codes: d.codes,
      evidence: withFormula(d, out.evidence, opts),
    };
  });
}

/** Results of rules that follow the QTc setting name the formula, not-applicable ones too (so none looks stale). */
function withFormula(d: RuleDetector, evidence: RuleEvidence, opts: RuleOptions): RuleEvidence {
  return d.usesQtcFormula ? { ...evidence, qtcFormula: opts.qtcFormula ?? DEFAULT_QTC_FORMULA } : evidence;
}
