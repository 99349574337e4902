// A prior ECG against the current one: the change in each global measurement and in each rule decision.
import type { IntervalMeasurements } from '../../src-shared/median-beats.ts';
import type { RuleResult } from '../../src-shared/rules.ts';

export const COMPARED_MEASUREMENTS: { key: keyof IntervalMeasurements; label: string; unit: string }[] = [
  { key: 'heartRateBpm', label: 'HR', unit: 'bpm' },
  { key: 'prMs', label: 'PR', unit: 'ms' },
  { key: 'qrsMs', label: 'QRS', unit: 'ms' },
  { key: 'qtMs', label: 'QT', unit: 'ms' },
  { key: 'qtcBazettMs', label: 'QTc', unit: 'ms' },
  { key: 'axisDegrees', label: 'Axis', unit: '°' },
];

export interface MeasurementChange {
  key: keyof IntervalMeasurements;
  label: string;
  unit: string;
  current: number | null;
  prior: number | null;
  /** current - prior (an axis: the signed shortest turn, -180..180); null when either is unmeasured. */
  change: number | null;
}

export function measurementChanges(current: IntervalMeasurements, prior: IntervalMeasurements): MeasurementChange[] {
  return COMPARED_MEASUREMENTS.map(({ key, label, unit }) => {
    const c = current[key],
      p = prior[key];
    let change = c === null || p === null ? null : c - p;
    if (change !== null && key === 'axisDegrees') change = ((((change + 180) % 360) + 360) % 360) - 180;
    return { key, label, unit, current: c, prior: p, change };
  });
}

export type DecisionText = 'yes' | 'no' | 'n/a' | '—';
export interface DecisionChange {
  detectorId: string;
  current: DecisionText;
  prior: DecisionText;
  /** 'new' finding, 'resolved' finding, or 'same'. */
  change: 'new' | 'resolved' | 'same';
}

const text = (r: RuleResult | undefined): DecisionText => (!r ? '—' : r.decision === 'not-applicable' ? 'n/a' : r.decision ? 'yes' : 'no');

/** Each detector's decision on both records, in the current record's order (then any the prior alone has). */
export function decisionChanges(current: readonly RuleResult[], prior: readonly RuleResult[]): DecisionChange[] {
  const ids = [...new Set([...current.map((r) => r.detectorId), ...prior.map((r) => r.detectorId)])];
  return ids.map((id) => {
    const c = text(current.find((r) => r.detectorId === id)),
      p = text(prior.find((r) => r.detectorId === id));
    return {
      detectorId: id,
      current: c,
      prior: p,
      change: c === 'yes' && p !== 'yes' ? 'new' : p === 'yes' && c !== 'yes' ? 'resolved' : 'same',
    };
  });
}
