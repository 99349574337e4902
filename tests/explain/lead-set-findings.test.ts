// What a reduced-lead model loses against the reference lead set, per class, and the sentence that says it.
import { describe, expect, it } from 'vitest';
import { className, leadSetFindings, leadShares, type LeadSetOutcome } from '../../src-main/explain/lead-set-findings.ts';

const AF = '164889003';
const SB = '426177001';

function outcome(recordId: number, leadSet: number, pAf: number, waves: [number, number, number] | null, labels: string[]): LeadSetOutcome {
  return {
    recordId,
    recordName: `R${recordId}`,
    leadSet,
    modelId: leadSet,
    probabilities: { [AF]: pAf, [SB]: 0.1 },
    explainedClass: AF,
    leadShares: {},
    waveShares: waves && { qrs: waves[0], p: waves[1], stT: waves[2] },
    labels,
  };
}

describe('leadSetFindings', () => {
  // 4 records, two labelled AF. 12 leads: AF probabilities 0.9, 0.8, 0.3, 0.2; 2 leads: 0.6, 0.4, 0.2, 0.2.
  const outcomes = [
    outcome(1, 12, 0.9, [0.5, 0.2, 0.2], [AF]),
    outcome(2, 12, 0.8, [0.5, 0.2, 0.2], [AF]),
    outcome(3, 12, 0.3, [0.5, 0.2, 0.2], [SB]),
    outcome(4, 12, 0.2, null, [SB]),
    outcome(1, 2, 0.6, [0.7, 0.05, 0.2], [AF]),
    outcome(2, 2, 0.4, [0.7, 0.05, 0.2], [AF]),
    outcome(3, 2, 0.2, [0.7, 0.05, 0.2], [SB]),
    outcome(4, 2, 0.2, null, [SB]),
  ];

  it('gives the mean probability change, detections among labelled records and the wave shares', () => {
    const [af, sb] = leadSetFindings(outcomes, [AF, SB], 12);
    expect(af).toMatchObject({
      classCode: AF,
      leadSet: 2,
      reference: 12,
      records: 4,
      labelled: 2,
      detected: 1,
      referenceDetected: 2,
      explained: 3,
    });
    expect(af.meanChange).toBeCloseTo(-0.2, 10);
    expect(af.waveShares!.qrs).toBeCloseTo(0.7, 10);
    expect(af.referenceWaveShares!.p).toBeCloseTo(0.2, 10);
    expect(af.sameWaves).toBe(false);
    expect(af.sentence).toBe(
      'AF 164889003 (atrial fibrillation), 2 vs 12 leads: mean probability 0.35 vs 0.55 (change -0.20) over 4 records; ' +
        'of 2 labelled records 1 detected vs 2 at 0.5; saliency share QRS 70 % vs 50 %, P 5 % vs 20 %, ST-T 20 % vs 20 % over 3 records' +
        ' — looks elsewhere: more on QRS (+20 points).',
    );
    // SB: never explained (the reference explains AF everywhere), so no saliency comparison; its probability does not change.
    expect(sb.meanChange).toBeCloseTo(0, 10);
    expect(sb.sameWaves).toBeNull();
    expect(sb.sentence).toMatch(/change \+0\.00\) over 4 records; of 2 labelled records 0 detected vs 0 at 0\.5; saliency not compared/);
  });

  it('says the same waves when every share is within 10 points', () => {
    const same = outcomes.map((o) => (o.leadSet === 2 && o.waveShares ? { ...o, waveShares: { qrs: 0.55, p: 0.15, stT: 0.25 } } : o));
    const [af] = leadSetFindings(same, [AF], 12);
    expect(af.sameWaves).toBe(true);
    expect(af.sentence).toMatch(/— looks at the same waves \(within 10 %\)\.$/);
  });

  it('names unknown codes bare and computes lead shares over the model leads only', () => {
    expect(className('999')).toBe('999');
    const map = { map: Float32Array.from([1, 1, 2, 2, 5, 5]), leads: ['I', 'II', 'V1'], samples: 2 };
    expect(leadShares(map, ['I', 'II'])).toEqual({ I: 1 / 3, II: 2 / 3 });
    expect(leadShares(map).V1).toBeCloseTo(0.625, 10);
  });
});
