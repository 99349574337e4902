import { describe, expect, it } from 'vitest';
import { decisionChanges, measurementChanges } from '../../src-renderer/lib/serial-change.ts';
import type { RuleResult } from '../../src-shared/rules.ts';

const rule = (detectorId: string, decision: RuleResult['decision']): RuleResult => ({
  detectorId,
  detectorVersion: '1',
  leadSet: 12,
  decision,
  score: 0,
  codes: [],
  evidence: { beats: [], samplingRate: 500, measurements: {}, thresholds: {}, note: '' },
});

describe('serial change', () => {
  it('gives each measurement now, prior and the change, an axis by its shortest turn, unmeasured as null', () => {
    const now = { heartRateBpm: 72, prMs: 160, qrsMs: 130, qtMs: 420, qtcBazettMs: 460, axisDegrees: -170 };
    const prior = { heartRateBpm: 60, prMs: null, qrsMs: 96, qtMs: 400, qtcBazettMs: 400, axisDegrees: 170 };
    const c = measurementChanges(now, prior);
    expect(c.map((m) => [m.label, m.change])).toEqual([
      ['HR', 12],
      ['PR', null],
      ['QRS', 34],
      ['QT', 20],
      ['QTc', 60],
      ['Axis', 20],
    ]);
  });

  it('marks new and resolved findings and lists a detector either record lacks', () => {
    const d = decisionChanges(
      [rule('prolonged-qtc', true), rule('bradycardia', false), rule('pacing', 'not-applicable')],
      [rule('prolonged-qtc', false), rule('bradycardia', true), rule('atrial-fibrillation', false)],
    );
    expect(d.map((x) => [x.detectorId, x.current, x.prior, x.change])).toEqual([
      ['prolonged-qtc', 'yes', 'no', 'new'],
      ['bradycardia', 'no', 'yes', 'resolved'],
      ['pacing', 'n/a', '—', 'same'],
      ['atrial-fibrillation', '—', 'no', 'same'],
    ]);
  });
});
