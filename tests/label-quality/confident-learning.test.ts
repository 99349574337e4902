import { describe, expect, it } from 'vitest';
import { classThresholds, labelQuality, modelLabelDisagreement } from '../../src-shared/label-quality/confident-learning.ts';
import { labelErrorReason } from '../../src-shared/label-quality/label-error-reason.ts';

// Four records, two classes (SB, STach). Record 3 is labelled SB but the model says STach: a label error.
const SB = '426177001';
const STACH = '427084000';
const probs = Float32Array.from([
  0.9,
  0.1, // SB, labelled SB
  0.7,
  0.2, // SB, labelled SB
  0.1,
  0.8, // STach, labelled STach
  0.05,
  0.95, // labelled SB, looks like STach
]);
const labels = Uint8Array.from([1, 0, 1, 0, 0, 1, 1, 0]);

describe('confident learning (multi-label, per class)', () => {
  it('sets each class threshold to the mean probability over the records labelled with it', () => {
    const t = classThresholds(probs, labels, 4, 2);
    expect(t[0]).toBeCloseTo((0.9 + 0.7 + 0.05) / 3, 6);
    expect(t[1]).toBeCloseTo(0.8, 6);
    // A class nobody carries is not judged.
    expect(Number.isNaN(classThresholds(probs, new Uint8Array(8), 4, 2)[0])).toBe(true);
  });

  it('flags a given label below its threshold and a missing class above its own, and ranks that record first', () => {
    const { records } = labelQuality(probs, labels, 4, 2);
    const flagged = records.map((r) => r.flagged);
    expect(flagged).toEqual([false, false, false, true]);
    const worst = records[3];
    expect(worst.classes.map((c) => c.issue)).toEqual(['given-unlikely', 'missing-likely']);
    // Given SB: (t - p) / t with t = 0.55.
    expect(worst.classes[0].suspicion).toBeCloseTo((0.55 - 0.05) / 0.55, 5);
    // Missing STach: (p - t) / (1 - t) with t = 0.8.
    expect(worst.classes[1].suspicion).toBeCloseTo((0.95 - 0.8) / 0.2, 5);
    const order = records
      .map((r, i) => [r.score, i])
      .sort((a, b) => b[0] - a[0])
      .map(([, i]) => i);
    expect(order[0]).toBe(3);
    // Normalised margin: the mean of the worst given and the worst missing class.
    expect(worst.score).toBeCloseTo(((0.55 - 0.05) / 0.55 + (0.95 - 0.8) / 0.2) / 2, 5);
    // The record labelled SB at 0.7 (above 0.55, STach at 0.2 below 0.8) is fine: both sides negative.
    expect(records[1].classes.every((c) => c.suspicion < 0 && c.suspicion >= -1)).toBe(true);
    expect(records[1].score).toBeCloseTo((-(0.7 - 0.55) / 0.45 + (0.2 - 0.8) / 0.8) / 2, 5);
    expect(labelQuality(probs, labels, 4, 2, 'worst-class').records[3].score).toBeCloseTo((0.55 - 0.05) / 0.55, 5);
  });

  it('ranks by self-confidence when asked: 1 - the lowest P(given answer)', () => {
    const { records } = labelQuality(probs, labels, 4, 2, 'self-confidence');
    expect(records[3].score).toBeCloseTo(0.95, 6);
    expect(records[0].score).toBeCloseTo(0.1, 6);
  });

  it('compares with model != label: only records where the 0.5 call disagrees score above 0', () => {
    const d = modelLabelDisagreement(probs, labels, 4, 2);
    expect(Array.from(d, (v) => Number(v.toFixed(2)))).toEqual([0, 0, 0, 0.95]);
  });

  it('rejects a probability matrix of the wrong size', () => {
    expect(() => labelQuality(probs, labels, 5, 2)).toThrow(/expected 5 x 2/);
  });

  it('says why in words, with the rule decisions on the suspect classes', () => {
    const { records } = labelQuality(probs, labels, 4, 2);
    const reason = labelErrorReason(
      records[3],
      [SB, STACH],
      [
        { detectorId: 'sinus-tachycardia', decision: true, codes: [STACH], heartRateBpm: 112.4 },
        { detectorId: 'low-qrs-voltage', decision: false, codes: ['251146004'] },
      ],
    );
    expect(reason).toBe('labelled SB, out-of-fold P(SB) = 0.05, P(STach) = 0.95; rule sinus-tachycardia positive, HR 112');
    expect(labelErrorReason(records[0], [SB, STACH])).toMatch(/^labelled SB; agrees with the out-of-fold model/);
  });
});
