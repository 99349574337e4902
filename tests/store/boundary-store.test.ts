import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listAudit } from '../../src-main/store/audit-log.ts';
import { boundaryHistory, correctBoundary, currentBoundaries } from '../../src-main/store/boundary-store.ts';
import { storeRecord } from '../../src-main/store/record-store.ts';
import { ruleResultsForRecord, saveRuleResults } from '../../src-main/store/rule-store.ts';
import { openWorkspace } from '../../src-main/store/workspace.ts';
import type { RuleResult } from '../../src-shared/rules.ts';
import { syntheticRecord } from '../helpers/synthetic-record.ts';

const ws = () => openWorkspace(fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-boundary-')));
const store = (w: ReturnType<typeof ws>, seed: number) =>
  w.db.transaction(() => storeRecord(w.db, syntheticRecord({ seed }), { path: `/in/${seed}.hea`, format: 'test' }))().recordId;

describe('boundary corrections', () => {
  it('stores each correction with author and time, superseding the previous one and never rewriting it', () => {
    const w = ws();
    const id = store(w, 1);
    expect(currentBoundaries(w.db, id)).toEqual({});
    const first = correctBoundary(w.db, { recordId: id, boundary: 'tOffset', offset: 180, author: 'dr a' }, '2026-01-01T10:00:00.000Z');
    expect(first).toMatchObject({ boundary: 'tOffset', offset: 180, author: 'dr a', isCurrent: true, supersedes: null });
    expect(first.correctedAt).toBe('2026-01-01T10:00:00.000Z');
    const second = correctBoundary(w.db, { recordId: id, boundary: 'tOffset', offset: 176, author: 'dr b' }, '2026-01-01T10:05:00.000Z');
    correctBoundary(w.db, { recordId: id, boundary: 'qrsOnset', offset: -22, author: 'dr b' });
    expect(second.supersedes).toBe(first.id);
    expect(currentBoundaries(w.db, id)).toEqual({ tOffset: 176, qrsOnset: -22 });
    const history = boundaryHistory(w.db, id);
    expect(history.map((h) => [h.boundary, h.offset, h.author, h.isCurrent])).toEqual([
      ['tOffset', 180, 'dr a', false],
      ['tOffset', 176, 'dr b', true],
      ['qrsOnset', -22, 'dr b', true],
    ]);
    const audit = listAudit(w.db, { recordId: id });
    expect(audit.filter((a) => a.action === 'boundary.correct').map((a) => [a.actor, a.detail])).toEqual([
      ['dr b', { boundary: 'qrsOnset', offset: -22, previous: null }],
      ['dr b', { boundary: 'tOffset', offset: 176, previous: 180 }],
      ['dr a', { boundary: 'tOffset', offset: 180, previous: null }],
    ]);
  });

  it('puts the automatic boundary back with a row of its own (undo), keeping the history', () => {
    const w = ws();
    const id = store(w, 2);
    correctBoundary(w.db, { recordId: id, boundary: 'pOnset', offset: -110, author: 'dr a' });
    const revert = correctBoundary(w.db, { recordId: id, boundary: 'pOnset', offset: null, author: 'dr a' });
    expect(revert).toMatchObject({ offset: null, isCurrent: true });
    expect(currentBoundaries(w.db, id)).toEqual({});
    expect(boundaryHistory(w.db, id).map((h) => h.offset)).toEqual([-110, null]);
    expect(listAudit(w.db, { recordId: id })[0].action).toBe('boundary.revert');
  });

  it("drops only that record's stored rule decisions, taken on the old boundaries", () => {
    const w = ws();
    const a = store(w, 3),
      b = store(w, 4);
    const result: RuleResult = {
      detectorId: 'prolonged-qtc',
      detectorVersion: '1.0.0',
      leadSet: 12,
      decision: true,
      score: 0.01,
      codes: [{ code: '111975006', abbreviation: 'LQT' }],
      evidence: { beats: [], samplingRate: 500, measurements: {}, thresholds: {}, note: '' },
    };
    saveRuleResults(w.db, a, [result]);
    saveRuleResults(w.db, b, [result]);
    correctBoundary(w.db, { recordId: a, boundary: 'tOffset', offset: 170, author: 'dr a' });
    expect(ruleResultsForRecord(w.db, a)).toEqual([]);
    expect(ruleResultsForRecord(w.db, b)).toHaveLength(1);
  });

  it('refuses an unknown boundary, a fractional offset and a missing record in one line, storing nothing', () => {
    const w = ws();
    const id = store(w, 5);
    expect(() => correctBoundary(w.db, { recordId: id, boundary: 'uOffset', offset: 1, author: 'x' })).toThrow(
      "unknown boundary 'uOffset' (one of pOnset, pOffset, qrsOnset, qrsOffset, tOffset)",
    );
    expect(() => correctBoundary(w.db, { recordId: id, boundary: 'tOffset', offset: 1.5, author: 'x' })).toThrow(/not a whole number/);
    expect(() => correctBoundary(w.db, { recordId: 999, boundary: 'tOffset', offset: 1, author: 'x' })).toThrow('no record with id 999');
    expect(boundaryHistory(w.db, id)).toEqual([]);
    expect(listAudit(w.db, {})).toEqual([]);
  });
});
