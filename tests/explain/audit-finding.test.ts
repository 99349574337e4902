// The audit's stated finding: per pair, median agreement with a bootstrap interval, share below the level,
// the sanity-passing subset and the sentence.
import { describe, expect, it } from 'vitest';
import { auditFindings, methodDisplayName } from '../../src-main/explain/audit-finding.ts';
import type { MapRow, PairRow } from '../../src-main/explain/audit.ts';
import type { ConsistencyMetrics } from '../../src-main/explain/consistency.ts';

const METHOD = 'guided-grad-cam@block2';
const metrics = (leadSpearman: number): ConsistencyMetrics =>
  ({ leadSpearman, topKOverlap: 0, k: 3, meanTimeProfileCorrelation: 0, ssim: 0 }) as ConsistencyMetrics;

/** n records, agreement values given; maps of record i flagged by the sanity check when `failed(i)`, checked when `checked(i)`. */
function audit(values: number[], checked: (i: number) => boolean, failed: (i: number) => boolean): { pairs: PairRow[]; maps: MapRow[] } {
  const pairs: PairRow[] = values.map((v, i) => ({
    recordId: i + 1,
    recordName: `R${i + 1}`,
    method: METHOD,
    a: '3x4+II',
    b: '6x2',
    metrics: metrics(v),
  }));
  const maps: MapRow[] = values.flatMap((_, i) =>
    ['3x4+II', '6x2'].map((variant) => ({
      recordId: i + 1,
      recordName: `R${i + 1}`,
      method: METHOD,
      variant,
      targetClass: 0,
      layer: 'block2',
      leadShares: {},
      measures: checked(i) ? { sanity: { spearman: failed(i) ? 0.9 : 0.1, ssim: 0.2, flagged: failed(i) } } : {},
    })),
  );
  return { pairs, maps };
}

describe('auditFindings', () => {
  it('states median, interval, share below 0.5, sanity failures and the passing subset', () => {
    // 10 records: 3 below 0.5; records 0-4 checked, 0 and 1 fail (their agreement is the lowest).
    const values = [0.1, 0.2, 0.3, 0.6, 0.65, 0.66, 0.7, 0.72, 0.8, 0.9];
    const [f] = auditFindings(
      audit(
        values,
        (i) => i < 5,
        (i) => i < 2,
      ),
    );
    expect(f.label).toBe('Guided Grad-CAM (layer block2), 3x4+II vs 6x2');
    expect(f.all.n).toBe(10);
    expect(f.all.median.estimate).toBeCloseTo(0.655, 6);
    expect(f.all.median.lo).toBeLessThanOrEqual(0.655);
    expect(f.all.median.hi).toBeGreaterThanOrEqual(0.655);
    expect(f.all.belowShare).toBeCloseTo(0.3, 6);
    // Record 0 and 1 have both maps flagged: 4 of 10 checked maps fail.
    expect(f.sanity).toEqual({ checked: 10, failed: 4 });
    expect(f.passing!.n).toBe(3);
    expect(f.passing!.median.estimate).toBeCloseTo(0.6, 6);
    expect(f.passing!.belowShare).toBeCloseTo(1 / 3, 6);
    expect(f.verdict).toBe('partial');
    expect(f.sentence).toMatch(
      /^Guided Grad-CAM \(layer block2\), 3x4\+II vs 6x2: median per-lead Spearman 0\.66 \[0\.\d\d, 0\.\d\d\] over 10 records, 30 % of records below 0\.5; 40 % of maps fail the randomisation check \(4 of 10\) — treat with caution\. Verdict: only partly consistent/,
    );
    expect(f.sentence).toMatch(/Over the 3 records whose maps pass it: median 0\.60 \[0\.\d\d, 0\.\d\d\], 33 % below 0\.5\.$/);
  });

  it('says the layouts agree when the whole interval is high, and that no map was checked', () => {
    const values = Array.from({ length: 40 }, (_, i) => 0.85 + (i % 10) / 100);
    const [f] = auditFindings(
      audit(
        values,
        () => false,
        () => false,
      ),
    );
    expect(f.verdict).toBe('agree');
    expect(f.passing).toBeNull();
    expect(f.sentence).toContain('0 % of records below 0.5; no map had the randomisation check. Verdict: consistent');
  });

  it('says they disagree when the whole interval is low; no caution below a 20 % failure share', () => {
    const values = Array.from({ length: 30 }, (_, i) => -0.2 + (i % 5) / 20);
    const [f] = auditFindings(
      audit(
        values,
        () => true,
        (i) => i === 0,
      ),
    );
    expect(f.verdict).toBe('disagree');
    expect(f.sentence).toContain('3 % of maps fail the randomisation check (2 of 60). Verdict: inconsistent');
    expect(f.sentence).not.toContain('caution');
  });

  it('names methods when methods are compared, one finding per pair', () => {
    const pairs: PairRow[] = [
      { recordId: 1, recordName: 'A', method: 'methods', a: 'grad-cam', b: 'occlusion', metrics: metrics(0.4) },
      { recordId: 1, recordName: 'A', method: 'methods', a: 'grad-cam', b: 'integrated-gradients:mean', metrics: metrics(0.2) },
    ];
    const found = auditFindings({ pairs, maps: [] });
    expect(found.map((f) => f.label)).toEqual(['Grad-CAM vs Occlusion', 'Grad-CAM vs Integrated gradients (mean baseline)']);
    expect(found[0].verdict).toBe('undetermined');
    expect(methodDisplayName('smoothgrad')).toBe('SmoothGrad');
  });
});
