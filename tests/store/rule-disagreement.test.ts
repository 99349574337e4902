import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src-main/store/migrate.ts';
import { MIGRATIONS } from '../../src-main/store/migrations/index.ts';
import { saveRuleResults } from '../../src-main/store/rule-store.ts';
import type { RuleResult } from '../../src-shared/rules.ts';
import { listWorklist, worklistQueues } from '../../src-main/store/worklist.ts';

// The queue's definition before migration 13 (correlated over every record), the reference for the triggers.
const REFERENCE = `EXISTS (SELECT 1 FROM ml_prediction p JOIN rule_result rr ON rr.record_id = p.record_id
  WHERE p.record_id = r.id AND rr.decision IS NOT NULL AND rr.codes LIKE '%"' || p.class_code || '"%' AND rr.decision <> p.predicted)`;
const CODES = ['426783006', '164889003', '59118001', '270492004'];

function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32;
}

function addRecords(db: Database.Database, n: number): void {
  const rec = db.prepare(
    "INSERT INTO record (content_hash, record_name, format, sampling_rate, length, lead_count, created_at) VALUES (?, ?, 'test', 500, 5000, 12, 'now')",
  );
  for (let i = 0; i < n; i++) rec.run(`h${i}`, `R${i}`);
}

function predict(db: Database.Database, model: number, r: () => number): void {
  db.prepare(
    "INSERT OR IGNORE INTO ml_model (id, name, kind, architecture, classes, lead_set, input_spec, runtime, weights, created_at) VALUES (?, 'm', 'onnx', 'onnx', '[]', '[]', '{}', 'x', x'00', 'now')",
  ).run(model);
  db.prepare('DELETE FROM ml_prediction WHERE model_id = ?').run(model);
  const ins = db.prepare(
    "INSERT INTO ml_prediction (model_id, record_id, class_code, probability, predicted, predicted_at) VALUES (?, ?, ?, ?, ?, 'now')",
  );
  for (const { id } of db.prepare('SELECT id FROM record').all() as { id: number }[]) {
    if (r() < 0.2) continue;
    for (const c of CODES) {
      const p = r();
      ins.run(model, id, c, p, p >= 0.8 ? 1 : 0);
    }
  }
}

/** Rule results of every record through the store's upsert: decisions flip, some are not applicable. */
function runRules(db: Database.Database, r: () => number): void {
  for (const { id } of db.prepare('SELECT id FROM record').all() as { id: number }[]) {
    if (r() < 0.2) continue;
    saveRuleResults(
      db,
      id,
      ['af', 'brady'].map((detectorId, k): RuleResult => {
        const x = r();
        return {
          detectorId,
          detectorVersion: '1',
          leadSet: 12,
          decision: x < 0.15 ? 'not-applicable' : x < 0.3,
          score: x,
          codes: [CODES[1 + k], ...(x > 0.9 ? [CODES[3]] : [])].map((code) => ({ code, abbreviation: code.slice(0, 2) })),
          evidence: { beats: [], samplingRate: 500, measurements: {}, thresholds: {}, note: '' },
        };
      }),
    );
  }
}

function expectMatchesReference(db: Database.Database): void {
  const want = (db.prepare(`SELECT r.id FROM record r WHERE ${REFERENCE} ORDER BY r.id`).all() as { id: number }[]).map((x) => x.id);
  const got = listWorklist(db, { queue: 'model-vs-rule', limit: 100_000, sort: 'id' });
  expect(want.length).toBeGreaterThan(0);
  expect(got.records.map((x) => x.id)).toEqual(want);
  expect(got.total).toBe(want.length);
  expect(worklistQueues(db).queues.find((q) => q.id === 'model-vs-rule')!.count).toBe(want.length);
}

describe('record_rule_disagreement (the "model ≠ rule" queue kept by triggers)', () => {
  it('matches the queue definition through predictions, rule re-runs, a second model, deletions and re-predictions', () => {
    const db = new Database(':memory:');
    migrate(db);
    const r = rng(5);
    addRecords(db, 150);
    predict(db, 1, r);
    runRules(db, r);
    expectMatchesReference(db);
    runRules(db, r); // upserts: decisions change in place
    expectMatchesReference(db);
    predict(db, 2, r);
    db.prepare('DELETE FROM rule_result WHERE record_id % 5 = 0').run();
    expectMatchesReference(db);
    db.prepare('DELETE FROM record WHERE id % 7 = 0').run();
    predict(db, 1, r);
    db.prepare('UPDATE ml_prediction SET predicted = 1 - predicted WHERE record_id % 3 = 0').run();
    expectMatchesReference(db);
    expect(db.prepare('SELECT COUNT(*) AS n FROM record_rule_disagreement WHERE record_id NOT IN (SELECT id FROM record)').get()).toEqual({
      n: 0,
    });
  });

  it('is filled from existing predictions and rule results when a workspace migrates from version 8', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS, 8);
    const r = rng(11);
    addRecords(db, 100);
    predict(db, 1, r);
    runRules(db, r);
    migrate(db);
    expectMatchesReference(db);
  });
});
