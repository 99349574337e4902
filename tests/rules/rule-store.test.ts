// Rule results stored per record x detector x lead set, re-runs replace rows, evidence round-trips.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { dataPath } from '../helpers/shared-data.ts';
import { readWfdbRecord } from '../../src-main/formats/wfdb-record.ts';
import { migrate } from '../../src-main/store/migrate.ts';
import { MIGRATIONS } from '../../src-main/store/migrations/index.ts';
import { migration as rulesMigration } from '../../src-main/store/migrations/002-rules.ts';
import { storeRecord } from '../../src-main/store/record-store.ts';
import { recordsWithFinding, ruleResultsForRecord } from '../../src-main/store/rule-store.ts';
import { runStoredRules } from '../../src-main/workspace/run-rules.ts';

function openDb(): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  const all = MIGRATIONS.some((m) => m.version === rulesMigration.version)
    ? MIGRATIONS
    : [...MIGRATIONS, rulesMigration].sort((a, b) => a.version - b.version);
  migrate(db, all);
  return db;
}

describe('rule store', () => {
  it('runs the detectors on a stored LUDB record, stores decision/score/evidence and replaces them on re-run', async () => {
    const db = openDb();
    const rec = await readWfdbRecord(dataPath('ludb', 'data', '1.hea'));
    const { recordId } = db.transaction(() => storeRecord(db, rec, { path: dataPath('ludb', 'data', '1.hea'), format: 'wfdb' }))();
    const [outcome] = runStoredRules(db, [recordId], 12);
    expect(outcome.error).toBeUndefined();
    const stored = ruleResultsForRecord(db, recordId, 12);
    expect(stored).toHaveLength(outcome.results.length);
    const brady = stored.find((r) => r.detectorId === 'sinus-bradycardia')!;
    expect(brady.decision).toBe(true);
    expect(brady.codes.map((c) => c.code)).toContain('426177001');
    expect(brady.evidence.beats.length).toBeGreaterThan(5);
    expect(brady.detectorVersion).toBe('1.0.1');
    runStoredRules(db, [recordId], 12);
    expect(ruleResultsForRecord(db, recordId, 12)).toHaveLength(stored.length);
    runStoredRules(db, [recordId], 3);
    expect(ruleResultsForRecord(db, recordId)).toHaveLength(2 * stored.length);
    expect(ruleResultsForRecord(db, recordId, 3).find((r) => r.detectorId === 'atrial-fibrillation')!.decision).toBe(false);
    expect(recordsWithFinding(db, 'sinus-bradycardia', 12)).toEqual([recordId]);
  });
  it('reports, not throws, a record lacking the lead set (MIT-BIH 100 has no lead I)', async () => {
    const db = openDb();
    const rec = await readWfdbRecord(dataPath('mitdb', '100.hea'));
    const { recordId } = db.transaction(() => storeRecord(db, rec, { path: dataPath('mitdb', '100.hea'), format: 'wfdb' }))();
    const [o] = runStoredRules(db, [recordId, 999], 2);
    expect(o.error).toMatch(/lacks I, II of the 2-lead set \(has MLII, V5\)/);
    expect(runStoredRules(db, [999], 2)[0].error).toMatch(/does not exist/);
  });
});
