import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { effectiveLabels, setAnnotatorLabel } from '../../src-main/store/label-store.ts';
import { latestLabelErrorRun, suspectedRecordIds } from '../../src-main/store/label-error-store.ts';
import { getModel } from '../../src-main/store/model-store.ts';
import { listWorklist, worklistQueues } from '../../src-main/store/worklist.ts';
import type { Workspace } from '../../src-main/store/workspace.ts';
import { rankLabelErrors } from '../../src-main/workspace/label-errors.ts';
import { predictInWorkspace } from '../../src-main/workspace/predict-records.ts';
import { modelReview } from '../../src-main/workspace/review-model.ts';
import { CHALLENGE_WEIGHTS, chapmanWorkspace, trainTinyModel } from '../helpers/chapman-workspace.ts';

// 40 real Chapman-Ningbo records: a model's operating thresholds and triage, and a label-error run with its queue.
const CLASSES = ['426177001', '426783006', '164889003', '427084000'];
let ws: Workspace;
let dir: string;

beforeAll(async () => {
  ({ ws, dir } = await chapmanWorkspace(40));
}, 120_000);

afterAll(() => {
  ws.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('operating thresholds and triage from a trained model', () => {
  it('states a threshold per class chosen on the validation split, predicts at it and triages every scored record', async () => {
    const r = await trainTinyModel(ws, { classes: CLASSES, seed: 2 });
    expect(r.thresholds.map((t) => t.code)).toEqual(CLASSES);
    for (const t of r.thresholds) {
      expect(t.threshold).toBeGreaterThan(0);
      expect(t.threshold).toBeLessThan(1);
      expect(t.rule).toMatch(/max-f1|no positive validation records/);
    }
    expect((getModel(ws.db, r.modelId).metrics as { thresholds: unknown }).thresholds).toEqual(r.thresholds);
    const p = await predictInWorkspace(ws, r.modelId);
    expect(p.stored).toBe(40);
    // The model review says what the predictions were made for (every record here; a selection when one was asked).
    expect(modelReview(ws.db, r.modelId).predictionRuns).toEqual([
      expect.objectContaining({ id: p.runId, scope: 'all', selection: null, records: 40, stored: 40 }),
    ]);
    const triaged = ws.db.prepare('SELECT COUNT(*) FROM record_triage WHERE model_id = ?').pluck().get(r.modelId);
    expect(triaged).toBe(40);
    const flagged = listWorklist(ws.db, { queue: 'flagged', limit: 100 });
    // (A one-epoch model on 40 records is no basis for saying how many should flag; the count only matches the page.)
    const counts = Object.fromEntries(worklistQueues(ws.db).queues.map((q) => [q.id, q.count]));
    expect(counts.flagged).toBe(flagged.total);
    const scores = flagged.records.map((x) => x.model!.triage!.score!);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    for (const row of flagged.records) {
      expect(CLASSES).toContain(row.model!.triage!.classCode);
      expect(row.model!.triage!.classCode).not.toBe('426783006'); // sinus rhythm never flags
      expect(row.model!.triage!.probability).toBeGreaterThanOrEqual(row.model!.triage!.threshold);
    }
  }, 300_000);
});

describe('label-error ranking', () => {
  it('stores out-of-fold scores for every labelled record, skips the unlabelled one with the reason, and feeds the queue', async () => {
    expect(latestLabelErrorRun(ws.db)).toBeUndefined();
    // Before any run the queue says so instead of a count of 0.
    expect(worklistQueues(ws.db).queues.find((q) => q.id === 'label-errors')).toMatchObject({ count: 0, none: 'no run' });
    // One record loses all its labels: it cannot be judged and must be listed as skipped.
    const bare = 1;
    for (const l of effectiveLabels(ws.db, bare).filter((x) => x.vocabulary === 'SNOMED'))
      setAnnotatorLabel(ws.db, { recordId: bare, vocabulary: 'SNOMED', code: l.code, present: false, author: 'test' });
    const r = await rankLabelErrors(ws, {
      arch: 'small-cnn',
      leads: 2,
      folds: 3,
      epochs: 1,
      seed: 4,
      classes: CLASSES,
      weightsCsv: CHALLENGE_WEIGHTS,
    });
    expect(r.records).toBe(39);
    expect(r.skipped).toEqual([expect.objectContaining({ recordId: bare, reason: 'no SNOMED labels' })]);
    expect(r.foldScores).toHaveLength(3);
    expect(ws.db.prepare('SELECT COUNT(*) FROM label_error_record WHERE run_id = ?').pluck().get(r.runId)).toBe(39);
    expect(ws.db.prepare('SELECT COUNT(*) FROM label_error_class WHERE run_id = ?').pluck().get(r.runId)).toBe(39 * CLASSES.length);
    // Each record was held out in exactly one fold, and every fold holds some records.
    const folds = ws.db.prepare('SELECT fold, COUNT(*) AS n FROM label_error_record WHERE run_id = ? GROUP BY fold').all(r.runId);
    expect(folds).toHaveLength(3);
    const count = Object.fromEntries(worklistQueues(ws.db).queues.map((q) => [q.id, q.count]))['label-errors'];
    expect(count).toBe(r.flagged);
    expect(worklistQueues(ws.db).queues.find((q) => q.id === 'label-errors')!.none).toBeUndefined();
    const queue = listWorklist(ws.db, { queue: 'label-errors', limit: 100 });
    const scores = queue.records.map((x) => x.model!.labelError!.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    for (const row of queue.records) expect(row.model!.labelError!.reason).toMatch(/^(labelled|no model class labelled).*out-of-fold P\(/);
    expect(r.top.map((t) => t.recordId)).toEqual(queue.records.slice(0, 20).map((x) => x.id));
    // No rule results were stored, so the rules ran on every record; each class got its fitted rule weights, stored.
    expect(r.rulesRun).toBe(39);
    expect(r.ruleOpinion.map((c) => c.classCode)).toEqual(CLASSES);
    for (const c of r.ruleOpinion) expect(c.rules.map((x) => x.detectorId)).toContain('sinus-bradycardia');
    const stored = ws.db.prepare('SELECT rule_opinion, rules FROM label_error_run WHERE id = ?').get(r.runId) as {
      rule_opinion: string;
      rules: string;
    };
    expect(JSON.parse(stored.rule_opinion)).toEqual(r.ruleOpinion);
    expect(stored.rules).toBe('all');
    for (const row of queue.records) expect(row.model!.labelError!.reason).toMatch(/; with the rules P\(/);
    expect(latestLabelErrorRun(ws.db)).toMatchObject({ id: r.runId, flagged: r.flagged, records: 39 });
    const suspected = suspectedRecordIds(ws.db, r.runId, { top: 3 });
    expect(suspected).toEqual(queue.records.slice(0, 3).map((x) => x.id));
    const above = suspectedRecordIds(ws.db, r.runId, { minScore: scores[4] });
    expect(above).toEqual(queue.records.filter((x) => x.model!.labelError!.score >= scores[4]).map((x) => x.id));
    await expect(rankLabelErrors(ws, { arch: 'image-cnn' })).rejects.toThrow(/reads images/);
    await expect(rankLabelErrors(ws, { arch: 'small-cnn', folds: 2 })).rejects.toThrow(/--folds 3 or more/);
  }, 300_000);
});
