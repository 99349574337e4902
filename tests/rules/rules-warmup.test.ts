// The worker's warm-up record must take the paths a real record takes (beats, P, QRS and T delineated, every detector
// deciding), or the first real record would still meet unoptimised code.
import { describe, expect, it } from 'vitest';
import { RULE_DETECTORS } from '../../src-main/rules/detectors.ts';
import { ruleInput, runRules } from '../../src-main/rules/run-rules.ts';
import { syntheticSinusRecord, warmUpRules } from '../../src-main/rules/rules-warmup.ts';

describe('rules warm-up', () => {
  it('reads its synthetic record as a delineated 75 bpm sinus rhythm', () => {
    const m = ruleInput(syntheticSinusRecord(), 12).measurements;
    expect(m.beats).toHaveLength(13);
    expect(m.heartRateBpm).toBeCloseTo(75, 5);
    expect(m.notMeasurable).toEqual({});
    expect(m.prMs).toBeGreaterThan(120);
    expect(m.prMs).toBeLessThan(200);
    expect(m.qrsMs).toBeGreaterThan(60);
    expect(m.qrsMs).toBeLessThan(120);
    expect(m.qtMs).toBeGreaterThan(300);
    expect(m.qtMs).toBeLessThan(420);
  });

  it('runs every detector, and they take it for what it is', () => {
    expect(warmUpRules()).toBe(RULE_DETECTORS.length);
    const results = runRules(syntheticSinusRecord(), 12);
    expect(results.filter((r) => r.decision === 'not-applicable').map((r) => r.detectorId)).toEqual([]);
    // A normal ECG at 75 bpm: no detector finds anything.
    expect(results.filter((r) => r.decision !== false).map((r) => r.detectorId)).toEqual([]);
  });
});
