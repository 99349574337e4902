import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWfdbRecord } from '../../src-main/formats/wfdb-record.ts';
import { runRules } from '../../src-main/rules/run-rules.ts';
import { explainRuleScore } from '../../src-shared/rule-score-text.ts';
import type { RuleResult } from '../../src-shared/rules.ts';
import { REPO_ROOT } from '../helpers/shared-data.ts';

const sample = (name: string) => readWfdbRecord(path.join(REPO_ROOT, 'resources', 'samples', `${name}.hea`));

const rule = (over: Partial<RuleResult> & Pick<RuleResult, 'detectorId'>): RuleResult => ({
  detectorVersion: '1.0.0',
  leadSet: 12,
  decision: false,
  score: -1e-3,
  codes: [],
  evidence: { beats: [], samplingRate: 500, measurements: {}, thresholds: {}, note: '' },
  ...over,
});

describe('rule scores in words', () => {
  it('states the sinus-bradycardia rule on an SB record as the heart rate against its 60 bpm threshold', async () => {
    const r = runRules(await sample('JS00004'), 12).find((x) => x.detectorId === 'sinus-bradycardia')!;
    expect(r.decision).toBe(true);
    const hr = r.evidence.measurements.heartRateBpm!;
    expect(explainRuleScore(r)).toBe(`HR ${hr.toFixed(0)} bpm, ${(60 - hr).toFixed(0)} bpm below the 60 bpm threshold`);
  });

  it('never prints a bare or negative-zero score on the demo records, and names a unit in every explanation', async () => {
    for (const name of ['JS00004', 'JS00008', 'JS00012', 'JS00036', 'JS00049']) {
      for (const r of runRules(await sample(name), 12)) {
        const text = explainRuleScore(r);
        expect(text, `${name} ${r.detectorId}`).not.toMatch(/[-−]0\.0+\b(?!\d)/);
        expect(text, `${name} ${r.detectorId}`).not.toMatch(/^score /);
        if (r.decision !== 'not-applicable') expect(text, `${name} ${r.detectorId}`).toMatch(/ (bpm|ms|mV|%)(\W|$)/);
      }
    }
  });

  it('says "at the threshold" rather than a signed zero, and explains margins in the measurement units', () => {
    const rate = (hr: number) =>
      rule({
        detectorId: 'sinus-bradycardia',
        evidence: {
          beats: [],
          samplingRate: 500,
          measurements: { heartRateBpm: hr, irregularity: 0.2 },
          thresholds: { heartRateBpm: 60, irregularity: 0.08 },
          note: '',
        },
      });
    expect(explainRuleScore(rate(60.2))).toBe(
      'HR 60 bpm, at the 60 bpm threshold; rhythm irregular (median |ΔRR| 20.0 % of RR, over 8.0 %)',
    );
    const qtc = rule({
      detectorId: 'prolonged-qtc',
      decision: true,
      evidence: { beats: [], samplingRate: 500, measurements: { qtcBazettMs: 471.4 }, thresholds: { qtcBazettMs: 460 }, note: '' },
    });
    expect(explainRuleScore(qtc)).toBe('QTc (Bazett) 471 ms, 11 ms above the 460 ms threshold');
    const lad = rule({
      detectorId: 'left-axis-deviation-2-lead',
      score: -1.01,
      evidence: {
        beats: [],
        samplingRate: 500,
        measurements: {},
        thresholds: {},
        leads: [
          { lead: 'I', netDeflectionMv: 0.8, passes: true },
          { lead: 'aVF', netDeflectionMv: 1.01, passes: false },
        ],
        axis: { method: '2-lead', leads: ['I', 'aVF'], degrees: 52 },
        note: '',
      },
    });
    expect(explainRuleScore(lad)).toBe('axis 52°; weakest criterion aVF net +1.01 mV, 1.01 mV on the wrong side of 0 mV');
    const na = rule({ detectorId: 'pacing', decision: 'not-applicable', score: 0 });
    na.evidence.note = 'fewer than 2 QRS complexes detected';
    expect(explainRuleScore(na)).toBe('not applicable: fewer than 2 QRS complexes detected');
  });
});
