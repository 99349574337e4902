// Prolonged PR (> 200 ms), QRS (>= 120 ms) and QTc (> 460 ms by the workspace's QTc formula, Bazett by default),
// measured on the median beat's global boundaries. "Not measurable" carries the delineation's reason.
import { baseEvidence, notApplicable, round, type RuleDetector, type RuleInput, type RuleOutput } from './rule-detector.ts';
import type { EcgMeasurements } from '../dsp/measurements.ts';
import type { SnomedCode } from '../../src-shared/rules.ts';
import { DEFAULT_QTC_FORMULA, QTC_FORMULA_NAMES, type QtcFormula } from '../../src-shared/qtc.ts';

interface IntervalRule {
  id: string;
  title: string;
  codes: SnomedCode[];
  name: string;
  /** What the evidence calls the value, e.g. 'QTc (Fridericia)'. */
  label: (input: RuleInput) => string;
  limitMs: number;
  /** True when the limit itself counts as prolonged (QRS >= 120). */
  inclusive: boolean;
  value: (m: EcgMeasurements, input: RuleInput) => number | null;
  /** Which not-measurable reason applies when the value is null. */
  interval: 'pr' | 'qrs' | 'qt';
  /** The QTc formula the value depends on, named in the evidence. */
  qtcFormula?: (input: RuleInput) => QtcFormula;
}

function runInterval(rule: IntervalRule, input: RuleInput): RuleOutput {
  const out = measureInterval(rule, input);
  if (rule.qtcFormula) out.evidence.qtcFormula = rule.qtcFormula(input);
  return out;
}

function measureInterval(rule: IntervalRule, input: RuleInput): RuleOutput {
  const m = input.measurements;
  const thresholds = { [rule.name]: rule.limitMs };
  const v = rule.value(m, input);
  if (v === null)
    return notApplicable(
      input,
      `${rule.label(input)} not measurable: ${m.notMeasurable[rule.interval] ?? 'no delineated wave'}`,
      thresholds,
    );
  const score = (v - rule.limitMs) / rule.limitMs;
  const decision = rule.inclusive ? v >= rule.limitMs : v > rule.limitMs;
  const evidence = baseEvidence(input, `${rule.label(input)} ${v.toFixed(0)} ms on the median of ${m.beats.length} beats`, thresholds);
  evidence.measurements = {
    prMs: round(m.prMs, 1),
    qrsMs: round(m.qrsMs, 1),
    qtMs: round(m.qtMs, 1),
    qtcBazettMs: round(m.qtcBazettMs, 1),
    qtcFridericiaMs: round(m.qtcFridericiaMs, 1),
    qtcFraminghamMs: round(m.qtc.framingham, 1),
    qtcHodgesMs: round(m.qtc.hodges, 1),
    pDurationMs: round(m.pDurationMs, 1),
    heartRateBpm: round(m.heartRateBpm, 1),
    // The value the decision was made on, under its threshold's name (QTc: by the chosen formula).
    [rule.name]: round(v, 1),
  };
  const d = m.delineation;
  if (d) {
    const first = m.beats[Math.floor(m.beats.length / 2)];
    evidence.windows = [{ start: first + d.qrsOnset, end: first + d.qrsOffset, label: 'QRS' }];
    if (d.pOnset !== undefined && d.pOffset !== undefined)
      evidence.windows.push({ start: first + d.pOnset, end: first + d.pOffset, label: 'P' });
    if (d.tOffset !== undefined) evidence.windows.push({ start: first + d.qrsOnset, end: first + d.tOffset, label: 'QT' });
  }
  return { decision, score: decision ? Math.max(score, 1e-3) : Math.min(score, -1e-3), evidence };
}

function intervalDetector(rule: IntervalRule): RuleDetector {
  return {
    id: rule.id,
    version: '1.2.0',
    title: rule.title,
    codes: rule.codes,
    requiredLeads: ['I'],
    ...(rule.qtcFormula ? { usesQtcFormula: true } : {}),
    run: (input) => runInterval(rule, input),
  };
}

export const prolongedPr = intervalDetector({
  id: 'prolonged-pr',
  title: 'Prolonged PR interval (> 200 ms)',
  name: 'prMs',
  label: () => 'PR',
  interval: 'pr',
  limitMs: 200,
  inclusive: false,
  codes: [
    { code: '164947007', abbreviation: 'LPR' },
    { code: '270492004', abbreviation: 'IAVB' },
  ],
  value: (m) => m.prMs,
});

export const prolongedQrs = intervalDetector({
  id: 'prolonged-qrs',
  title: 'Prolonged QRS duration (>= 120 ms)',
  name: 'qrsMs',
  label: () => 'QRS',
  interval: 'qrs',
  limitMs: 120,
  inclusive: true,
  // Wide QRS is the common criterion of the complete bundle branch blocks; CinC has no code of its own for it.
  codes: [{ code: '6374002', abbreviation: 'BBB' }],
  value: (m) => m.qrsMs,
});

const formulaOf = (input: RuleInput): QtcFormula => input.qtcFormula ?? DEFAULT_QTC_FORMULA;

export const prolongedQtc = intervalDetector({
  id: 'prolonged-qtc',
  title: 'Prolonged QTc (> 460 ms; Bazett unless the settings choose another formula)',
  name: 'qtcMs',
  label: (input) => `QTc (${QTC_FORMULA_NAMES[formulaOf(input)]})`,
  interval: 'qt',
  limitMs: 460,
  inclusive: false,
  codes: [{ code: '111975006', abbreviation: 'LQT' }],
  value: (m, input) => m.qtc[formulaOf(input)],
  qtcFormula: formulaOf,
});
