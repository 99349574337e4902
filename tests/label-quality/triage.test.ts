import { describe, expect, it } from 'vitest';
import { classOperatingThreshold, operatingThresholds } from '../../src-shared/label-quality/operating-thresholds.ts';
import { DEFAULT_TRIAGE_SETTINGS, readTriageSettings, thresholdExcess, triageRecord } from '../../src-shared/label-quality/triage-score.ts';

const NSR = '426783006';
const AF = '164889003';
const SB = '426177001';

describe('operating thresholds on the validation split', () => {
  it('picks the cut that maximises F1, midway between neighbouring probabilities', () => {
    // Positives at 0.9, 0.6, 0.3; negatives at 0.5, 0.2, 0.1. Cutting between 0.3 and 0.2 keeps every positive
    // and one false positive: F1 = 6/7, better than any other cut (0.55 gives 4/5 with a miss).
    const t = classOperatingThreshold(AF, [0.9, 0.6, 0.3, 0.5, 0.2, 0.1], [1, 1, 1, 0, 0, 0], { kind: 'max-f1' });
    expect(t.threshold).toBeCloseTo(0.25, 10);
    expect(t.f1).toBeCloseTo(6 / 7, 10);
    expect(t.sensitivity).toBe(1);
    expect(t.specificity).toBeCloseTo(2 / 3, 10);
    expect(t.rule).toBe('max-f1');
  });

  it('reaches a stated sensitivity with the highest such cut', () => {
    const t = classOperatingThreshold(AF, [0.9, 0.6, 0.3, 0.5, 0.2, 0.1], [1, 1, 1, 0, 0, 0], { kind: 'sensitivity', target: 0.6 });
    expect(t.threshold).toBeCloseTo(0.55, 10); // 2 of 3 positives, no false positive
    expect(t.sensitivity).toBeCloseTo(2 / 3, 10);
    expect(t.rule).toBe('sensitivity >= 0.6');
  });

  it('keeps 0.5 for a class without positive validation records, and says so', () => {
    const [t] = operatingThresholds([SB], Float32Array.from([0.2, 0.7]), Uint8Array.from([0, 0]), 2);
    expect(t.threshold).toBe(0.5);
    expect(t.rule).toMatch(/no positive validation records/);
  });
});

describe('triage score', () => {
  const classes = [NSR, AF, SB];
  const thresholds = [0.5, 0.3, 0.6];

  it('never flags on sinus rhythm, however sure', () => {
    const t = triageRecord(classes, [0.99, 0.05, 0.1], thresholds, DEFAULT_TRIAGE_SETTINGS);
    expect(t.score).toBeNull();
  });

  it('ranks a borderline AF above a certain SB (AF weighs more), and names the class', () => {
    const af = triageRecord(classes, [0.1, 0.35, 0.1], thresholds, DEFAULT_TRIAGE_SETTINGS);
    const sb = triageRecord(classes, [0.1, 0.05, 0.99], thresholds, DEFAULT_TRIAGE_SETTINGS);
    expect(af.topClass).toBe(AF);
    expect(af.topProbability).toBeCloseTo(0.35, 6);
    expect(sb.topClass).toBe(SB);
    expect(af.score!).toBeGreaterThan(sb.score!);
    // Within a class, further above the threshold ranks higher.
    const afSure = triageRecord(classes, [0.1, 0.9, 0.1], thresholds, DEFAULT_TRIAGE_SETTINGS);
    expect(afSure.score!).toBeGreaterThan(af.score!);
    expect(afSure.score!).toBeCloseTo((1 * (1 + thresholdExcess(0.9, 0.3))) / 2, 10);
  });

  it('follows the configured class weights', () => {
    const s = readTriageSettings({ classWeights: { [SB]: 1, [AF]: 0.2 } });
    const af = triageRecord(classes, [0.1, 0.35, 0.1], thresholds, s);
    const sb = triageRecord(classes, [0.1, 0.05, 0.99], thresholds, s);
    expect(sb.score!).toBeGreaterThan(af.score!);
  });

  it('calls a record low confidence when some class is within the margin of its threshold', () => {
    expect(triageRecord(classes, [0.1, 0.32, 0.1], thresholds, DEFAULT_TRIAGE_SETTINGS).lowConfidence).toBe(true);
    expect(triageRecord(classes, [0.1, 0.5, 0.1], thresholds, DEFAULT_TRIAGE_SETTINGS).lowConfidence).toBe(false);
    const wide = readTriageSettings({ lowConfidenceMargin: 0.25 });
    expect(triageRecord(classes, [0.1, 0.5, 0.1], thresholds, wide).lowConfidence).toBe(true);
  });

  it('refuses bad settings with a line that names the field', () => {
    expect(() => readTriageSettings({ lowConfidenceMargin: 0.7 })).toThrow(/low-confidence margin/);
    expect(() => readTriageSettings({ classWeights: { [AF]: -1 } })).toThrow(/weight for 164889003/);
  });
});
