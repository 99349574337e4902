// The prolonged-interval limits as the rules and the LUDB decision bench share them, and the bench's agreement figures.
import { describe, expect, it } from 'vitest';
import { isProlonged } from '../../src-main/rules/prolonged-intervals.ts';
import { decisionAgreement, type DecisionPair } from '../../bench/ludb-decisions.ts';

describe('prolonged-interval limits', () => {
  it('QRS counts its limit (>= 120); PR (> 200) and QTc (> 460) do not', () => {
    expect([isProlonged('qrs', 119.9), isProlonged('qrs', 120)]).toEqual([false, true]);
    expect([isProlonged('pr', 200), isProlonged('pr', 200.1)]).toEqual([false, true]);
    expect([isProlonged('qtc', 460), isProlonged('qtc', 460.1)]).toEqual([false, true]);
  });
});

describe('decision agreement', () => {
  const pairs = (ours: boolean | null, ref: boolean | null, n: number): DecisionPair[] => Array.from({ length: n }, () => ({ ours, ref }));

  it("counts the four cells, leaves out records without a reference and reports Cohen's kappa", () => {
    const a = decisionAgreement([
      ...pairs(true, true, 3),
      ...pairs(true, false, 1),
      ...pairs(false, true, 2),
      ...pairs(false, false, 4),
      ...pairs(null, true, 2),
      ...pairs(true, null, 5),
    ]);
    // 10 decided: observed 7/10; chance (4 x 5 + 6 x 5) / 100 = 0.5; kappa (0.7 - 0.5) / 0.5 = 0.4.
    expect(a).toEqual({
      referenced: 12,
      bothProlonged: 3,
      oursOnly: 1,
      referenceOnly: 2,
      neither: 4,
      notMeasured: 2,
      agreement: 0.7,
      kappa: 0.4,
    });
  });

  it('kappa is undefined when every decision on both sides is the same', () => {
    expect(decisionAgreement(pairs(false, false, 5))).toMatchObject({ agreement: 1, kappa: null });
  });
});
