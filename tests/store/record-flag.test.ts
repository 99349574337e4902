import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src-main/store/migrate.ts';
import { MIGRATIONS } from '../../src-main/store/migrations/index.ts';
import { listWorklist, worklistQueues } from '../../src-main/store/worklist.ts';

// The model-vs-label queue's definition before record_flag (correlated over every record), the reference for the
// triggers. (Flagged and low-confidence read record_triage since migration 11: tests/store/triage-queue.test.ts.)
const present = (
  code: string,
) => `(EXISTS (SELECT 1 FROM label l WHERE l.record_id = r.id AND l.code = ${code} AND l.is_current = 1 AND l.present = 1 AND l.source_kind IN ('dataset', 'annotator'))
  AND NOT EXISTS (SELECT 1 FROM label l WHERE l.record_id = r.id AND l.code = ${code} AND l.is_current = 1 AND l.present = 0 AND l.source_kind = 'annotator'))`;
const REFERENCE: Record<string, string> = {
  'model-vs-label': `EXISTS (SELECT 1 FROM ml_prediction p WHERE p.record_id = r.id AND p.predicted <> ${present('p.class_code')})`,
};
const RANK = `(SELECT MAX(ABS(p.probability - ${present('p.class_code')})) FROM ml_prediction p WHERE p.record_id = r.id AND p.predicted <> ${present('p.class_code')})`;

const CODES = ['426783006', '164889003', '59118001', '270492004'];

function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32;
}

function addRecords(db: Database.Database, n: number, r: () => number): void {
  const rec = db.prepare(
    "INSERT INTO record (content_hash, record_name, format, sampling_rate, length, lead_count, created_at) VALUES (?, ?, 'test', 500, 5000, 12, 'now')",
  );
  const lab = db.prepare(
    "INSERT INTO label (record_id, vocabulary, code, present, source_kind, source_name, asserted_at) VALUES (?, 'SNOMED', ?, 1, 'dataset', 'test', 'now')",
  );
  for (let i = 0; i < n; i++) {
    const id = Number(rec.run(`h${i}`, `R${i}`).lastInsertRowid);
    for (const c of CODES) if (r() < 0.3) lab.run(id, c);
  }
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
    if (r() < 0.2) continue; // some records never scored
    for (const c of CODES) {
      const p = r();
      ins.run(model, id, c, p, p >= 0.5 ? 1 : 0);
    }
  }
}

function expectMatchesReference(db: Database.Database): void {
  for (const [queue, where] of Object.entries(REFERENCE)) {
    const want = (db.prepare(`SELECT r.id FROM record r WHERE ${where} ORDER BY r.id`).all() as { id: number }[]).map((x) => x.id);
    const got = listWorklist(db, { queue, limit: 100_000, sort: 'id' });
    expect(got.records.map((x) => x.id)).toEqual(want);
    expect(got.total).toBe(want.length);
    expect(worklistQueues(db).queues.find((q) => q.id === queue)!.count).toBe(want.length);
  }
  // The label-error ranking: most confident disagreement first.
  const ranked = (
    db.prepare(`SELECT r.id FROM record r WHERE ${REFERENCE['model-vs-label']} ORDER BY ${RANK} DESC, r.id`).all() as { id: number }[]
  ).map((x) => x.id);
  expect(listWorklist(db, { queue: 'model-vs-label', limit: 100_000 }).records.map((x) => x.id)).toEqual(ranked);
}

describe('record_flag (model worklist queues kept by triggers)', () => {
  it('matches the queue definitions through predictions, label corrections, deletions and re-predictions', () => {
    const db = new Database(':memory:');
    migrate(db);
    const r = rng(3);
    addRecords(db, 120, r);
    predict(db, 1, r);
    expectMatchesReference(db);
    // An annotator corrects labels: absent overrides a dataset label, present adds one.
    const setLabel = db.prepare(
      "INSERT INTO label (record_id, vocabulary, code, present, source_kind, source_name, author, asserted_at) VALUES (?, 'SNOMED', ?, ?, 'annotator', 'a', 'a', 'now')",
    );
    for (let id = 1; id <= 120; id += 3) setLabel.run(id, CODES[id % 4], id % 2);
    expectMatchesReference(db);
    // A correction superseded (is_current cleared), a second model, records deleted, a re-prediction.
    db.prepare("UPDATE label SET is_current = 0 WHERE source_kind = 'annotator' AND record_id % 2 = 0").run();
    predict(db, 2, r);
    db.prepare('DELETE FROM record WHERE id % 7 = 0').run();
    predict(db, 1, r);
    expectMatchesReference(db);
    expect(db.prepare('SELECT COUNT(*) AS n FROM record_flag WHERE record_id NOT IN (SELECT id FROM record)').get()).toEqual({ n: 0 });
  });

  it('is filled from existing predictions when a workspace migrates from version 7', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS, 7);
    const r = rng(9);
    addRecords(db, 80, r);
    predict(db, 1, r);
    migrate(db);
    expectMatchesReference(db);
  });

  it('loses only its flagged and low_confidence columns when a workspace migrates from version 13', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS, 13);
    const r = rng(5);
    addRecords(db, 80, r);
    predict(db, 1, r);
    const disagreements = db.prepare(
      'SELECT record_id, label_disagreement FROM record_flag WHERE label_disagreement IS NOT NULL ORDER BY 1',
    );
    const before = disagreements.all();
    const otherTables = () =>
      ['record', 'label', 'ml_prediction', 'record_triage', 'record_rule_disagreement'].map((t) => db.prepare(`SELECT * FROM ${t}`).all());
    const kept = otherTables();
    // Version 13 also kept rows for records flagged or low-confidence without a disagreement.
    expect(db.prepare('SELECT COUNT(*) AS n FROM record_flag WHERE label_disagreement IS NULL').get()).not.toEqual({ n: 0 });
    migrate(db, MIGRATIONS, 14); // the record_flag migration itself (later ones add columns to other tables)
    const columns = (db.prepare('PRAGMA table_info(record_flag)').all() as { name: string }[]).map((c) => c.name);
    expect(columns).toEqual(['record_id', 'label_disagreement']);
    expect(db.prepare('SELECT record_id, label_disagreement FROM record_flag ORDER BY 1').all()).toEqual(before);
    expect(before.length).toBeGreaterThan(0);
    expect(otherTables()).toEqual(kept);
    expect(db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
    // The triggers go on keeping the queue after the migration.
    db.prepare(
      "INSERT INTO label (record_id, vocabulary, code, present, source_kind, source_name, author, asserted_at) VALUES (2, 'SNOMED', '59118001', 0, 'annotator', 'a', 'a', 'now')",
    ).run();
    predict(db, 1, r);
    expectMatchesReference(db);
  });
});
