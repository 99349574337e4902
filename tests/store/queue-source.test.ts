// The model queues read their own tables (flagged, low confidence, model != label, model != rule) instead of testing
// every record; pages, totals and counts must equal the queue definitions over every record, ranks and ties included,
// and every queue's condition, pages, counts and export must select the same records.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { selectExportRecords } from '../../src-main/store/export-store.ts';
import { latestLabelErrorRun, saveLabelErrorRun, suspectedRecordIds } from '../../src-main/store/label-error-store.ts';
import { migrate } from '../../src-main/store/migrate.ts';
import { savePredictions } from '../../src-main/store/prediction-store.ts';
import { saveRuleResults } from '../../src-main/store/rule-store.ts';
import { listWorklist, queueCondition, worklistQueues } from '../../src-main/store/worklist.ts';
import { REVIEW_STATES } from '../../src-shared/review-vocabulary.ts';
import type { WorklistQuery } from '../../src-shared/api.ts';
import type { RuleResult } from '../../src-shared/rules.ts';

const CODES = ['426783006', '164889003', '426177001', '270492004'];
// The ranks as written before the queues had a source: correlated over every record.
const RANKS: Record<string, string> = {
  flagged: '(SELECT MAX(t.score) FROM record_triage t WHERE t.record_id = r.id) DESC',
  'model-vs-label': '(SELECT f.label_disagreement FROM record_flag f WHERE f.record_id = r.id) DESC',
};

function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32;
}

function workspace(n: number): Database.Database {
  const db = new Database(':memory:');
  migrate(db);
  const r = rng(11);
  const rec = db.prepare(
    "INSERT INTO record (content_hash, record_name, format, sampling_rate, length, lead_count, created_at) VALUES (?, ?, 'test', 500, 5000, ?, 'now')",
  );
  const lab = db.prepare(
    "INSERT INTO label (record_id, vocabulary, code, present, source_kind, source_name, asserted_at) VALUES (?, 'SNOMED', ?, 1, 'dataset', 'test', 'now')",
  );
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    // Names out of id order, so a sort by name differs from the id order.
    // Every fourth record has 6 leads, so a lead-count filter narrows every queue.
    const id = Number(rec.run(`h${i}`, `R${(i * 37) % n}`, i % 4 === 0 ? 6 : 12).lastInsertRowid);
    ids.push(id);
    if (r() < 0.7) lab.run(id, CODES[Math.floor(r() * CODES.length)]);
  }
  for (const model of [1, 2]) {
    db.prepare(
      "INSERT INTO ml_model (id, name, kind, architecture, classes, lead_set, input_spec, runtime, weights, created_at) VALUES (?, 'm', 'onnx', 'onnx', ?, '[]', '{}', 'x', x'00', 'now')",
    ).run(model, JSON.stringify(CODES));
    // Probabilities on a coarse grid, so scores tie within a model and across the two.
    const rows = ids
      .filter(() => r() < 0.8)
      .flatMap((recordId) =>
        CODES.map((classCode) => {
          const probability = Math.round(r() * 10) / 10;
          return { recordId, classCode, probability, predicted: probability >= 0.5 };
        }),
      );
    savePredictions(db, model, rows);
  }
  for (const id of ids) {
    if (r() < 0.3) continue;
    const x = r();
    const rule: RuleResult = {
      detectorId: 'af',
      detectorVersion: '1',
      leadSet: 12,
      decision: x < 0.5,
      score: x,
      codes: [{ code: CODES[1], abbreviation: 'AF' }],
      evidence: { beats: [], samplingRate: 500, measurements: {}, thresholds: {}, note: '' },
    };
    saveRuleResults(db, id, [rule]);
  }
  // Reviewers: two or three submit some records with their own labels (agreeing or not), one reviewer alone, or
  // one still at work; only records with two submitted reviews that differ on a code are in the disagreement queue.
  const review = db.prepare("INSERT INTO reviewer_review (record_id, reviewer, state, updated_at) VALUES (?, ?, ?, 'now')");
  const word = db.prepare(
    "INSERT INTO label (record_id, vocabulary, code, present, source_kind, source_name, author, asserted_at) VALUES (?, 'SNOMED', ?, ?, 'annotator', ?, ?, 'now')",
  );
  for (const id of ids) {
    if (r() < 0.5) continue;
    const reviewers = ['dr.a', 'dr.b', 'dr.c'].slice(0, 1 + Math.floor(r() * 3));
    for (const reviewer of reviewers) {
      review.run(id, reviewer, r() < 0.8 ? 'reviewed' : 'in-progress');
      if (r() < 0.6) word.run(id, CODES[Math.floor(r() * 2)], r() < 0.5 ? 1 : 0, reviewer, reviewer);
    }
  }
  // Half the records stay new; the rest take one of the other review states.
  const state = db.prepare('UPDATE record SET review_state = ? WHERE id = ?');
  for (const id of ids) if (r() < 0.5) state.run(REVIEW_STATES[1 + Math.floor(r() * (REVIEW_STATES.length - 1))], id);
  // Two label-error runs scoring different records, flagged or not: only the latest run's flagged records are suspects.
  const run = { architecture: 'small-cnn', folds: 5, seed: 1, epochs: 1, classes: CODES, thresholds: [], foldScores: [], skipped: [] };
  for (let k = 0; k < 2; k++)
    saveLabelErrorRun(
      db,
      run,
      ids
        .filter(() => r() < 0.6)
        .map((recordId) => ({ recordId, fold: 0, score: Math.round(r() * 10) / 10, flagged: r() < 0.4, reason: '', classes: [] })),
    );
  return db;
}

describe('model queues read from their own tables', () => {
  const db = workspace(400);
  const queues = ['flagged', 'low-confidence', 'model-vs-label', 'model-vs-rule', 'disagreement'];

  it('every page, total and count equals the queue definition over every record', () => {
    for (const queue of queues) {
      const where = queueCondition(db, queue);
      const all = (rank: string | undefined, sort: string) =>
        (
          db.prepare(`SELECT r.id FROM record r WHERE ${where} ORDER BY ${rank ? `${rank}, ` : ''}${sort}, r.id`).all() as { id: number }[]
        ).map((x) => x.id);
      const ranked = all(RANKS[queue], 'r.id ASC');
      expect(ranked.length, queue).toBeGreaterThan(20);
      expect(ranked.length, queue).toBeLessThan(400);
      expect(worklistQueues(db).queues.find((q) => q.id === queue)!.count, queue).toBe(ranked.length);
      for (const offset of [0, 7, ranked.length - 5]) {
        const page = listWorklist(db, { queue, offset, limit: 10 });
        expect(page.total, queue).toBe(ranked.length);
        expect(
          page.records.map((x) => x.id),
          `${queue} at ${offset}`,
        ).toEqual(ranked.slice(offset, offset + 10));
      }
      const byName = listWorklist(db, { queue, sort: 'name', descending: true, limit: 1000 });
      expect(
        byName.records.map((x) => x.id),
        queue,
      ).toEqual(all(undefined, 'r.record_name DESC'));
      // With a filter on top of the queue.
      const labelled = listWorklist(db, { queue, label: CODES[1], limit: 1000 });
      const want = (
        db
          .prepare(
            `SELECT r.id FROM record r WHERE ${where} AND r.id IN (SELECT record_id FROM label WHERE code = @c AND is_current = 1 AND present = 1) AND r.id NOT IN (SELECT record_id FROM label WHERE code = @c AND is_current = 1 AND present = 0 AND source_kind = 'annotator') ORDER BY ${RANKS[queue] ? `${RANKS[queue]}, ` : ''}r.id`,
          )
          .all({ c: CODES[1] }) as { id: number }[]
      ).map((x) => x.id);
      expect(
        labelled.records.map((x) => x.id),
        queue,
      ).toEqual(want);
      expect(labelled.total, queue).toBe(want.length);
    }
  });

  it("each queue's count from its own table equals the old count joined to every record row", () => {
    const db = workspace(300);
    // The count forms before the queues had a count of their own: record r joined to the queue's rows, and for the
    // flagged queue each record's top triage row picked by NOT EXISTS.
    const OLD: Record<string, string> = {
      flagged: `record_triage q ON r.id = q.record_id WHERE q.score IS NOT NULL AND NOT EXISTS (SELECT 1 FROM record_triage t2
        WHERE t2.record_id = q.record_id AND t2.score IS NOT NULL AND (t2.score > q.score OR (t2.score = q.score AND t2.model_id > q.model_id)))`,
      'low-confidence': '(SELECT DISTINCT record_id FROM record_triage WHERE low_confidence = 1) q ON r.id = q.record_id',
      'model-vs-label': 'record_flag q ON r.id = q.record_id WHERE q.label_disagreement IS NOT NULL',
      'model-vs-rule': 'record_rule_disagreement q ON r.id = q.record_id',
      disagreement: `(SELECT record_id FROM reviewer_review WHERE state IN ('reviewed', 'accepted', 'corrected') GROUP BY record_id
        HAVING COUNT(*) > 1) q ON r.id = q.record_id WHERE ${queueCondition(db, 'disagreement')}`,
    };
    // The workspace mixes records flagged by both models, by one only, triaged but flagged by neither, and untriaged.
    const kinds = db
      .prepare(
        `SELECT COUNT(t.record_id) AS triaged, COUNT(t.score) AS flagged FROM record r LEFT JOIN record_triage t ON t.record_id = r.id
         GROUP BY r.id`,
      )
      .all() as { triaged: number; flagged: number }[];
    for (const [triaged, flagged] of [
      [0, 0],
      [1, 0],
      [2, 0],
      [1, 1],
      [2, 1],
      [2, 2],
    ])
      expect(
        kinds.some((k) => k.triaged === triaged && k.flagged === flagged),
        `${triaged} triaged, ${flagged} flagged`,
      ).toBe(true);
    const compare = () => {
      const counts = new Map(worklistQueues(db).queues.map((q) => [q.id, q.count]));
      for (const [queue, old] of Object.entries(OLD)) {
        const want = (db.prepare(`SELECT COUNT(*) AS n FROM record r CROSS JOIN ${old}`).get() as { n: number }).n;
        expect(want, queue).toBeGreaterThan(0);
        expect(counts.get(queue), queue).toBe(want);
        expect(listWorklist(db, { queue, limit: 0 }).total, queue).toBe(want);
      }
    };
    compare();
    // A deleted record leaves no queue row behind (foreign keys cascade, triggers delete), so the counts still agree.
    const flagged = db.prepare('SELECT record_id FROM record_triage WHERE score IS NOT NULL LIMIT 5').pluck().all() as number[];
    const disagreeing = db.prepare('SELECT record_id FROM record_rule_disagreement LIMIT 5').pluck().all() as number[];
    const remove = db.prepare('DELETE FROM record WHERE id = ?');
    for (const id of new Set([...flagged, ...disagreeing])) remove.run(id);
    compare();
  });

  it("every queue's condition, fast pages, fast count, filtered count and export select the same records", () => {
    const db = workspace(300);
    const total = db.prepare('SELECT COUNT(*) FROM record').pluck().get() as number;
    const one = (sql: string) => db.prepare(sql).pluck().get();
    // Records just outside the queues: tied top scores across the two models, triaged records no model flags, low
    // confidence without a flag, a record flagged by the older label-error run only, reviewers agreeing and disagreeing.
    expect(
      one(`SELECT COUNT(*) FROM record_triage a JOIN record_triage b ON b.record_id = a.record_id AND b.model_id > a.model_id
        AND b.score = a.score`),
    ).toBeGreaterThan(0);
    expect(one('SELECT COUNT(*) FROM record_triage WHERE score IS NULL')).toBeGreaterThan(0);
    expect(one('SELECT COUNT(*) FROM record_triage WHERE low_confidence = 1 AND score IS NULL')).toBeGreaterThan(0);
    expect(
      one(`SELECT COUNT(*) FROM label_error_record WHERE run_id < (SELECT MAX(id) FROM label_error_run) AND flagged = 1
        AND record_id NOT IN (SELECT record_id FROM label_error_record WHERE run_id = (SELECT MAX(id) FROM label_error_run) AND flagged = 1)`),
    ).toBeGreaterThan(0);
    const submittedTwice = one(`SELECT COUNT(*) FROM (SELECT record_id FROM reviewer_review WHERE state = 'reviewed' GROUP BY record_id
      HAVING COUNT(*) > 1)`) as number;
    const queues = worklistQueues(db).queues;
    expect(queues.map((q) => q.id)).toEqual([
      'all',
      'new',
      'flagged',
      'model-vs-rule',
      'model-vs-label',
      'low-confidence',
      'label-errors',
      'reviewed',
      'second-opinion',
      'disagreement',
    ]);
    const ids = (sql: string) => db.prepare(`SELECT r.id FROM record r WHERE ${sql} ORDER BY r.id`).pluck().all() as number[];
    // Every page of a query, in the worklist's order, and the total each page gave.
    const pages = (q: Omit<WorklistQuery, 'offset' | 'limit'>) => {
      const listed: number[] = [];
      const totals = new Set<number>();
      for (let offset = 0; ; offset += 17) {
        const page = listWorklist(db, { ...q, offset, limit: 17 });
        totals.add(page.total);
        if (!page.records.length) return { listed, totals: [...totals] };
        listed.push(...page.records.map((x) => x.id));
      }
    };
    for (const { id: queue, count } of queues) {
      const where = queueCondition(db, queue);
      const members = ids(where);
      expect(members.length, queue).toBeGreaterThan(0);
      if (queue !== 'all') expect(members.length, queue).toBeLessThan(total);
      if (queue === 'disagreement') expect(members.length, queue).toBeLessThan(submittedTwice);
      // (c) the unfiltered count, in the queue list and as a page's total; (b) every page of the fast path, each record once.
      expect(count, queue).toBe(members.length);
      const unfiltered = pages({ queue });
      expect(unfiltered.totals, queue).toEqual([members.length]);
      expect(unfiltered.listed.length, queue).toBe(members.length);
      expect(
        [...unfiltered.listed].sort((a, b) => a - b),
        queue,
      ).toEqual(members);
      // (d) the filtered count and pages: the fast path under a filter that narrows every queue.
      const narrowed = ids(`${where} AND r.lead_count = 12`);
      expect(narrowed.length, queue).toBeLessThan(members.length);
      const filtered = pages({ queue, leadCount: 12 });
      expect(filtered.totals, queue).toEqual([narrowed.length]);
      expect(
        [...filtered.listed].sort((a, b) => a - b),
        queue,
      ).toEqual(narrowed);
      expect(filtered.listed.length, queue).toBe(narrowed.length);
      // Export by queue.
      expect(selectExportRecords(db, { queue }).ids, queue).toEqual(members);
    }
    // The label-error queue has one form: the latest run's suspects (what train --exclude-suspected leaves out).
    expect(ids(queueCondition(db, 'label-errors'))).toEqual(suspectedRecordIds(db, latestLabelErrorRun(db)!.id).sort((a, b) => a - b));
  });

  it('a ranked page reads the queue table by its index, not a sort of every member', () => {
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((p) => p.detail).join('; ');
    // The same SQL as listWorklist's page of the flagged queue, taken from the statement it prepares.
    const spy = db.prepare.bind(db);
    const seen: string[] = [];
    (db as unknown as { prepare: (s: string) => unknown }).prepare = (s: string) => (seen.push(s), spy(s));
    listWorklist(db, { queue: 'flagged', limit: 10 });
    (db as unknown as { prepare: typeof spy }).prepare = spy;
    const page = seen.find((s) => s.startsWith('SELECT r.id FROM') && s.includes('LIMIT'))!;
    expect(plan(page.replace('@limit', '10').replace('@offset', '0'))).toMatch(/SEARCH q USING (COVERING )?INDEX record_triage_score_idx/);
  });
});
