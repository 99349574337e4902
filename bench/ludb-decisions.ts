// The prolonged-interval rules' decisions (PR > 200, QRS >= 120, QTc > 460 by each formula) taken on our intervals and
// on the cardiologists' reference intervals of the same LUDB record: how often a cardiologist reading the annotated
// intervals would decide as the rule did. The reference QT is corrected with our median RR (the rate is not in question).
import { isProlonged } from '../src-main/rules/prolonged-intervals.ts';
import type { EcgMeasurements } from '../src-main/dsp/measurements.ts';
import { correctQt, QTC_FORMULAS } from '../src-shared/qtc.ts';
import { roundTo } from '../src-main/dsp/wave-math.ts';
import type { Interval } from './ludb-global-reference.ts';

export const DECISIONS = ['prolongedPr', 'prolongedQrs', ...QTC_FORMULAS.map((f) => `prolongedQtc.${f}` as const)] as const;
export type DecisionName = (typeof DECISIONS)[number];

/** Ours and the reference's decision on one record; null where that side has no value. */
export type DecisionPair = { ours: boolean | null; ref: boolean | null };

export function recordDecisions(m: EcgMeasurements, ref: Record<Interval, number | null>): Record<DecisionName, DecisionPair> {
  const rrS = m.rr ? m.rr.medianMs / 1000 : null;
  const on = (k: 'pr' | 'qrs' | 'qtc', v: number | null): boolean | null => (v === null ? null : isProlonged(k, v));
  const out = {
    prolongedPr: { ours: on('pr', m.prMs), ref: on('pr', ref.pr) },
    prolongedQrs: { ours: on('qrs', m.qrsMs), ref: on('qrs', ref.qrs) },
  } as Record<DecisionName, DecisionPair>;
  for (const f of QTC_FORMULAS)
    out[`prolongedQtc.${f}`] = { ours: on('qtc', m.qtc[f]), ref: on('qtc', ref.qt !== null && rrS ? correctQt(ref.qt, rrS, f) : null) };
  return out;
}

export interface DecisionAgreement {
  /** Records with a reference decision. */
  referenced: number;
  bothProlonged: number;
  oursOnly: number;
  referenceOnly: number;
  neither: number;
  /** Referenced records where we measured nothing to decide on. */
  notMeasured: number;
  /** Share of the decided records where both say the same. */
  agreement: number;
  /** Cohen's kappa over the decided records (agreement beyond chance). */
  kappa: number | null;
}

export function decisionAgreement(pairs: DecisionPair[]): DecisionAgreement {
  const referenced = pairs.filter((p) => p.ref !== null);
  const decided = referenced.filter((p) => p.ours !== null);
  const count = (ours: boolean, ref: boolean): number => decided.filter((p) => p.ours === ours && p.ref === ref).length;
  const [tp, fp, fn, tn] = [count(true, true), count(true, false), count(false, true), count(false, false)];
  const n = decided.length;
  const observed = n ? (tp + tn) / n : NaN;
  const chance = n ? ((tp + fp) * (tp + fn) + (fn + tn) * (fp + tn)) / (n * n) : NaN;
  return {
    referenced: referenced.length,
    bothProlonged: tp,
    oursOnly: fp,
    referenceOnly: fn,
    neither: tn,
    notMeasured: referenced.length - n,
    agreement: roundTo(observed, 3),
    kappa: n && chance < 1 ? roundTo((observed - chance) / (1 - chance), 3) : null,
  };
}
