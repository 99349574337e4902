import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TRIAGE_SETTINGS, triageRecord } from '../../src-shared/label-quality/triage-score.ts';
import { migrate } from '../../src-main/store/migrate.ts';
import { saveModel } from '../../src-main/store/model-store.ts';
import { savePredictions } from '../../src-main/store/prediction-store.ts';
import { setTriageSettings } from '../../src-main/store/triage-store.ts';
import { listWorklist, worklistQueues } from '../../src-main/store/worklist.ts';

const NSR = '426783006';
const AF = '164889003';
const SB = '426177001';
const STACH = '427084000';
const CLASSES = [NSR, AF, SB, STACH];
const THRESHOLDS = [0.5, 0.3, 0.6, 0.4];

function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32;
}

function workspaceWithPredictions(n: number): { db: Database.Database; probs: Map<number, number[]> } {
  const db = new Database(':memory:');
  migrate(db);
  const rec = db.prepare(
    "INSERT INTO record (content_hash, record_name, format, sampling_rate, length, lead_count, created_at) VALUES (?, ?, 'test', 500, 5000, 12, 'now')",
  );
  const ids = Array.from({ length: n }, (_, i) => Number(rec.run(`h${i}`, `R${i}`).lastInsertRowid));
  const modelId = saveModel(db, {
    name: 'm',
    kind: 'tfjs',
    architecture: 'small-cnn',
    hyperparameters: {},
    classes: CLASSES,
    leadSet: ['I'],
    inputSpec: {},
    metrics: { thresholds: CLASSES.map((code, i) => ({ code, threshold: THRESHOLDS[i], rule: 'max-f1' })) },
    runtime: 'test',
    weights: new Uint8Array(4),
    records: [],
    labelIds: [],
  });
  const r = rng(7);
  const probs = new Map<number, number[]>();
  const rows = ids.flatMap((id, i) => {
    // Every fifth record is confidently sinus rhythm and nothing else.
    const p = i % 5 === 0 ? [0.97, 0.01, 0.02, 0.01] : CLASSES.map(() => r());
    probs.set(id, p);
    return CLASSES.map((classCode, c) => ({ recordId: id, classCode, probability: p[c], predicted: p[c] >= THRESHOLDS[c] }));
  });
  savePredictions(db, modelId, rows);
  return { db, probs };
}

describe('triage queues (record_triage)', () => {
  it('flags only records with a weighted class above its threshold, most urgent first, rows with top class and probability', () => {
    const { db, probs } = workspaceWithPredictions(200);
    const reference = [...probs]
      .map(([id, p]) => ({ id, t: triageRecord(CLASSES, p, THRESHOLDS, DEFAULT_TRIAGE_SETTINGS) }))
      .filter((x) => x.t.score !== null)
      .sort((a, b) => b.t.score! - a.t.score! || a.id - b.id);
    const page = listWorklist(db, { queue: 'flagged', limit: 1000 });
    expect(page.records.map((x) => x.id)).toEqual(reference.map((x) => x.id));
    expect(page.total).toBe(reference.length);
    // Sinus-rhythm-only records (40 of 200) never flag; the rest mostly do, so the count is neither 0 nor everything.
    expect(page.total).toBeLessThan(160 + 1);
    expect(page.total).toBeGreaterThan(0);
    for (const [id, p] of probs) if (p[0] === 0.97) expect(page.records.some((x) => x.id === id)).toBe(false);
    const first = page.records[0];
    expect(first.model?.triage).toMatchObject({ classCode: reference[0].t.topClass, score: reference[0].t.score });
    expect(first.model!.triage!.probability).toBeCloseTo(reference[0].t.topProbability, 10);
    const scores = page.records.map((x) => x.model!.triage!.score!);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const counts = Object.fromEntries(worklistQueues(db).queues.map((q) => [q.id, q.count]));
    expect(counts.flagged).toBe(reference.length);
    const low = [...probs].filter(([, p]) => p.some((v, c) => Math.abs(v - THRESHOLDS[c]) < DEFAULT_TRIAGE_SETTINGS.lowConfidenceMargin));
    expect(counts['low-confidence']).toBe(low.length);
    expect(low.length).toBeLessThan(probs.size / 2);
  });

  it('re-triages every record when the weights or the margin change', () => {
    const { db, probs } = workspaceWithPredictions(60);
    const before = Object.fromEntries(worklistQueues(db).queues.map((q) => [q.id, q.count]));
    // Only AF counts now: the queue holds exactly the records with AF above its threshold.
    setTriageSettings(db, { defaultWeight: 0, classWeights: { [SB]: 0, [STACH]: 0, [AF]: 1 }, lowConfidenceMargin: 0.2 });
    const af = [...probs].filter(([, p]) => p[1] >= THRESHOLDS[1]).map(([id]) => id);
    const page = listWorklist(db, { queue: 'flagged', limit: 1000 });
    expect(new Set(page.records.map((x) => x.id))).toEqual(new Set(af));
    expect(page.records.every((x) => x.model?.triage?.classCode === AF)).toBe(true);
    const after = Object.fromEntries(worklistQueues(db).queues.map((q) => [q.id, q.count]));
    expect(after['low-confidence']).toBeGreaterThan(before['low-confidence']);
    expect(() => setTriageSettings(db, { lowConfidenceMargin: 0.9 })).toThrow(/low-confidence margin/);
  });
});
