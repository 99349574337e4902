// Prolonged PR (> 200 ms), QRS (>= 120 ms) and QTc (> 460 ms by the workspace's QTc formula, Bazett by default),
// measured on the median beat's global boundaries. "Not measurable" carries the delineation's reason.
import { baseEvidence, notApplicable, round, type RuleDetector, type RuleInput, type RuleOutput } from './rule-detector.ts';
import type { EcgMeasurements } from '../dsp/measurements.ts';
import type { RuleResult, SnomedCode } from '../../src-shared/rules.ts';
import { DEFAULT_QTC_FORMULA, QTC_FORMULA_NAMES, QTC_FORMULAS, type QtcFormula } from '../../src-shared/qtc.ts';

/** The limits the prolonged-interval rules decide on (ms); the delineation bench takes the same decisions on LUDB's intervals. */
export const PROLONGED_LIMITS = {
  pr: { limitMs: 200, inclusive: false },
  // True when the limit itself counts as prolonged (QRS >= 120).
  qrs: { limitMs: 120, inclusive: true },
  qtc: { limitMs: 460, inclusive: false },
} as const;

/** Whether `v` (ms) is prolonged by the rule's limit for `interval`. */
export const isProlonged = (interval: keyof typeof PROLONGED_LIMITS, v: number): boolean =>
  intervalDecision(PROLONGED_LIMITS[interval], v).decision;

/** Where the interval rules' evidence keeps each formula's QTc (0.1 ms); redecideProlongedQtc reads them back. */
export const QTC_EVIDENCE_KEYS: Record<QtcFormula, string> = {
  bazett: 'qtcBazettMs',
  fridericia: 'qtcFridericiaMs',
  framingham: 'qtcFraminghamMs',
  hodges: 'qtcHodgesMs',
};

interface IntervalRule {
  id: string;
  title: string;
  codes: SnomedCode[];
  name: string;
  /** What the evidence calls the value, e.g. 'QTc (Fridericia)'. */
  label: (input: RuleInput) => string;
  limitMs: number;
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
  const { decision, score } = intervalDecision(rule, v);
  // The note's whole milliseconds come from the value as stored (0.1 ms), so a decision re-taken from the evidence says the same.
  const evidence = baseEvidence(input, valueNote(rule.label(input), round(v, 1)!, m.beats.length), thresholds);
  evidence.measurements = {
    prMs: round(m.prMs, 1),
    qrsMs: round(m.qrsMs, 1),
    qtMs: round(m.qtMs, 1),
    // Every formula's QTc, so a formula change re-decides from the evidence (redecideProlongedQtc).
    ...Object.fromEntries(QTC_FORMULAS.map((f) => [QTC_EVIDENCE_KEYS[f], round(m.qtc[f], 1)])),
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
  return { decision, score, evidence };
}

/** The decision on value `v` against the rule's limit, and its signed score (kept off zero on either side). */
function intervalDecision(rule: Pick<IntervalRule, 'limitMs' | 'inclusive'>, v: number): { decision: boolean; score: number } {
  const score = (v - rule.limitMs) / rule.limitMs;
  const decision = rule.inclusive ? v >= rule.limitMs : v > rule.limitMs;
  return { decision, score: decision ? Math.max(score, 1e-3) : Math.min(score, -1e-3) };
}

const valueNote = (label: string, v: number, beats: number) => `${label} ${v.toFixed(0)} ms on the median of ${beats} beats`;

function intervalDetector(rule: IntervalRule): RuleDetector {
  return {
    id: rule.id,
    version: '1.3.3',
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
  ...PROLONGED_LIMITS.pr,
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
  ...PROLONGED_LIMITS.qrs,
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
  ...PROLONGED_LIMITS.qtc,
  codes: [{ code: '111975006', abbreviation: 'LQT' }],
  value: (m, input) => m.qtc[formulaOf(input)],
  qtcFormula: formulaOf,
});

/**
 * A stored prolonged-QTc result taken again with `formula` from its own evidence, which holds all four QTc values of the
 * same QT and RR (a not-applicable one stays so, named for the formula): no signal is read or measured. Undefined where the evidence cannot decide as a measurement would: an
 * older detector version, a value missing, or a stored value (0.1 ms) exactly on the limit, which does not settle it.
 */
export function redecideProlongedQtc(stored: RuleResult, formula: QtcFormula): RuleResult | undefined {
  const e = stored.evidence;
  if (stored.detectorId !== prolongedQtc.id || stored.detectorVersion !== prolongedQtc.version) return undefined;
  if (stored.decision === 'not-applicable') return renamedNotApplicable(stored, formula);
  const values = Object.values(QTC_EVIDENCE_KEYS).map((k) => e.measurements[k]);
  if (!values.every((v) => typeof v === 'number' && Number.isFinite(v))) return undefined;
  const v = e.measurements[QTC_EVIDENCE_KEYS[formula]]!;
  if (Math.round(v * 10) === PROLONGED_LIMITS.qtc.limitMs * 10) return undefined;
  const { decision, score } = intervalDecision(PROLONGED_LIMITS.qtc, v);
  return {
    ...stored,
    decision,
    score,
    evidence: {
      ...e,
      measurements: { ...e.measurements, qtcMs: v },
      note: valueNote(`QTc (${QTC_FORMULA_NAMES[formula]})`, v, e.beats.length),
      qtcFormula: formula,
    },
  };
}

/**
 * A not-applicable result does not depend on the formula (no QT or RR to correct, or leads missing): only a "not
 * measurable" note names it. Undefined when the note names a formula some other way.
 */
function renamedNotApplicable(stored: RuleResult, formula: QtcFormula): RuleResult | undefined {
  const e = stored.evidence;
  const from = e.qtcFormula ? `QTc (${QTC_FORMULA_NAMES[e.qtcFormula]}) not measurable: ` : undefined;
  let note = e.note;
  if (from && note.startsWith(from)) note = `QTc (${QTC_FORMULA_NAMES[formula]}) not measurable: ${note.slice(from.length)}`;
  else if (note.includes('QTc (')) return undefined;
  return { ...stored, evidence: { ...e, note, qtcFormula: formula } };
}
