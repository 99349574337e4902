// The QTc-recompute fast path (issue 13): after a formula change, a stored prolonged-QTc decision whose evidence holds
// all four QTc values is re-decided from it without measuring the record again, and says the same as a full
// re-measure; records whose evidence cannot decide (an older version, a correction newer than the result) are measured.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QtcFormula } from '../../src-shared/qtc.ts';
import type { RuleResult } from '../../src-shared/rules.ts';
import { prolongedQtc, redecideProlongedQtc } from '../../src-main/rules/prolonged-intervals.ts';
import { runRules } from '../../src-main/rules/run-rules.ts';
import { correctBoundary, currentBoundaries } from '../../src-main/store/boundary-store.ts';
import { getRecordSignal } from '../../src-main/store/record-store.ts';
import { getReviewSettings, setReviewSettings } from '../../src-main/store/review-store.ts';
import { ruleResultsForRecord, saveRuleResults } from '../../src-main/store/rule-store.ts';
import type { Workspace } from '../../src-main/store/workspace.ts';
import { QTC_RULE_DETECTORS, recomputeQtcBatch, recomputeQtcRules, redecideQtcRules } from '../../src-main/workspace/qtc-recompute.ts';
import { measureAndStoreRules, runStoredRules } from '../../src-main/workspace/run-rules.ts';
import { chapmanWorkspace } from '../helpers/chapman-workspace.ts';

let ws: Workspace;
let ids: number[];

const storedQtc = (id: number) => ruleResultsForRecord(ws.db, id, 12).find((r) => r.detectorId === 'prolonged-qtc')!;

/** What a full re-measure decides on the record with `formula` (nothing stored). */
function remeasured(id: number, formula: QtcFormula): RuleResult {
  const record = getRecordSignal(ws.db, id)!;
  return runRules(record, 12, QTC_RULE_DETECTORS, currentBoundaries(ws.db, id), { qtcFormula: formula })[0];
}

beforeAll(async () => {
  ({ ws } = await chapmanWorkspace(16));
  ids = ws.db.prepare('SELECT id FROM record ORDER BY id').pluck().all() as number[];
  runStoredRules(ws.db, ids, 12);
}, 300_000);
afterAll(() => ws.close());

describe('QTc recompute fast path', () => {
  it('re-decides from the stored evidence without measuring, and agrees with a full re-measure for every formula', async () => {
    const decided = ids.filter((id) => storedQtc(id).decision !== 'not-applicable');
    expect(decided.length).toBeGreaterThan(8);
    // One record's result as an older detector version stored it: its evidence is not trusted, it is measured again.
    const old = decided[3];
    saveRuleResults(ws.db, old, [{ ...storedQtc(old), detectorVersion: '0.9.0' }]);
    for (const formula of ['fridericia', 'framingham', 'hodges', 'bazett'] as const) {
      setReviewSettings(ws.db, { qtcFormula: formula, author: 'dr q' });
      const measuredAgain: number[] = [];
      const run = await recomputeQtcBatch(ws.db, {
        recompute: (id, leadSet) => {
          measuredAgain.push(id);
          return recomputeQtcRules(ws.db, id, leadSet);
        },
      });
      expect(run).toMatchObject({ state: 'finished', total: ids.length, done: ids.length, remaining: 0, skipped: [] });
      expect(run.redecided! + run.remeasured!).toBe(ids.length);
      expect(run.remeasured).toBe(measuredAgain.length);
      // Every result was re-decided but the old version's, measured again on the first change.
      const firstRun = formula === 'fridericia';
      expect(measuredAgain).toEqual(firstRun ? [old] : []);
      expect(run.redecided).toBe(ids.length - (firstRun ? 1 : 0));
      for (const id of ids) {
        const fast = storedQtc(id);
        const full = remeasured(id, formula);
        expect(fast.evidence.qtcFormula).toBe(formula);
        expect({ id, decision: fast.decision }).toEqual({ id, decision: full.decision });
        // The score is taken on the stored value (0.1 ms): within 0.05 ms / 460 ms of the measured one.
        expect(Math.abs(fast.score - full.score)).toBeLessThan(1.2e-4);
        expect(fast.evidence).toEqual(full.evidence);
      }
    }
    // Both outcomes occur under some formula, so agreement is not agreement on one answer.
    expect(new Set(ids.map((id) => storedQtc(id).decision)).size).toBeGreaterThan(1);
  }, 300_000);

  it('lets other work run between re-decisions, which never wait on their own', async () => {
    setReviewSettings(ws.db, { qtcFormula: 'framingham', author: 'dr q' });
    let timerRan = false;
    const seenByTimer: boolean[] = [];
    setTimeout(() => (timerRan = true), 0);
    const run = await recomputeQtcBatch(ws.db, {
      redecide: (id, leadSet) => {
        seenByTimer.push(timerRan);
        const until = performance.now() + 60; // a slow re-decision: a break is due after each one
        while (performance.now() < until);
        return redecideQtcRules(ws.db, id, leadSet);
      },
    });
    expect(run.redecided).toBe(ids.length);
    // The timer set before the batch ran while it was still going, not only after it.
    expect(seenByTimer[0]).toBe(false);
    expect(seenByTimer.slice(0, 4)).toContain(true);
  });

  it('measures again when a boundary correction is newer than the stored result', () => {
    const id = ids.find((i) => storedQtc(i).decision !== 'not-applicable')!;
    const before = storedQtc(id);
    correctBoundary(ws.db, { recordId: id, boundary: 'tOffset', offset: null, author: 'dr q' });
    // A result stored before the correction (as one taken in flight would be, had nothing checked it).
    saveRuleResults(ws.db, id, [before], '2000-01-01T00:00:00.000Z');
    const other = before.evidence.qtcFormula === 'fridericia' ? 'hodges' : 'fridericia';
    setReviewSettings(ws.db, { qtcFormula: other, author: 'dr q' });
    expect(redecideQtcRules(ws.db, id, 12)).toBe(false);
    expect(storedQtc(id).evidence.qtcFormula).toBe(before.evidence.qtcFormula);
    saveRuleResults(ws.db, id, [before]);
    expect(redecideQtcRules(ws.db, id, 12)).toBe(true);
    expect(storedQtc(id).evidence.qtcFormula).toBe(other);
  });

  it('a measurement the formula changed under is measured again with the formula in force when it commits', () => {
    // Another process changes the formula while this one measures: what was measured with the old one is not stored.
    const id = ids[5];
    const old = getReviewSettings(ws.db).qtcFormula;
    const other = old === 'hodges' ? 'fridericia' : 'hodges';
    const usedFormulas: string[] = [];
    const results = measureAndStoreRules(ws.db, id, (corrections, qtcFormula) => {
      usedFormulas.push(qtcFormula);
      if (usedFormulas.length === 1) setReviewSettings(ws.db, { qtcFormula: other, author: 'dr elsewhere' });
      return runRules(getRecordSignal(ws.db, id)!, 12, QTC_RULE_DETECTORS, corrections, { qtcFormula });
    });
    expect(usedFormulas).toEqual([old, other]);
    expect(results[0].evidence.qtcFormula).toBe(other);
    expect(storedQtc(id).evidence).toEqual(remeasured(id, other).evidence);
    // A formula that never settles stores nothing and says so in one line.
    const before = storedQtc(id);
    const formulas = ['bazett', 'fridericia', 'framingham', 'hodges'] as const;
    let n = 0;
    expect(() =>
      measureAndStoreRules(ws.db, id, (corrections, qtcFormula) => {
        setReviewSettings(ws.db, { qtcFormula: formulas[n++ % 4], author: 'dr elsewhere' });
        return runRules(getRecordSignal(ws.db, id)!, 12, QTC_RULE_DETECTORS, corrections, { qtcFormula });
      }),
    ).toThrow(/^the QTc formula setting changed 3 times while record \d+'s rules were measured; nothing stored$/);
    expect(storedQtc(id)).toEqual(before);
  });

  it('leaves to a re-measure what the stored value cannot settle: on the limit, a value missing, an old version', () => {
    const base = storedQtc(ids.find((i) => storedQtc(i).decision !== 'not-applicable')!);
    const withHodges = (v: number, version = prolongedQtc.version): RuleResult => ({
      ...base,
      detectorVersion: version,
      evidence: { ...base.evidence, measurements: { ...base.evidence.measurements, qtcHodgesMs: v } },
    });
    expect(redecideProlongedQtc(withHodges(460), 'hodges')).toBeUndefined();
    expect(redecideProlongedQtc(withHodges(447.5), 'hodges')?.evidence.note).toMatch(/^QTc \(Hodges\) 448 ms on the median of \d+ beats$/);
    expect(redecideProlongedQtc(withHodges(470.2, '0.9.0'), 'hodges')).toBeUndefined();
    expect(redecideProlongedQtc(withHodges(460.1), 'hodges')).toMatchObject({ decision: true });
    expect(redecideProlongedQtc(withHodges(459.9), 'hodges')).toMatchObject({ decision: false });
    const noValue = { ...base, evidence: { ...base.evidence, measurements: { ...base.evidence.measurements, qtcFraminghamMs: null } } };
    expect(redecideProlongedQtc(noValue, 'hodges')).toBeUndefined();
  });
});
