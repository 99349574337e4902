import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, createServices } from '../../src-main/api/services.ts';
import { effectiveLabels, setAnnotatorLabel, setReviewState } from '../../src-main/store/label-store.ts';
import { storeRecord } from '../../src-main/store/record-store.ts';
import { saveModel } from '../../src-main/store/model-store.ts';
import { savePredictions } from '../../src-main/store/prediction-store.ts';
import { openWorkspace, type Workspace } from '../../src-main/store/workspace.ts';
import { listWorklist } from '../../src-main/store/worklist.ts';
import { agreementReport } from '../../src-main/workspace/annotator-agreement.ts';
import { workspaceRecords } from '../../src-main/workspace/labelled-records.ts';
import { startTrainingRun } from '../../src-main/workspace/training-runs.ts';
import type { TrainRequest } from '../../src-main/workspace/train-model.ts';
import type { AgreementReport, AuditEntry, RecordDetail, ReviewSettings } from '../../src-shared/api.ts';
import { syntheticRecord } from '../helpers/synthetic-record.ts';

const NSR = '426783006';
const AF = '164889003';
const RBBB = '59118001';

let tmp: string;
let ws: Workspace;
let ids: number[];

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-annot-'));
  ws = openWorkspace(path.join(tmp, 'ws'));
  ids = [1, 2, 3, 4].map(
    (seed) =>
      ws.db.transaction(() => storeRecord(ws.db, syntheticRecord({ seed }), { path: `/syn/${seed}`, format: 'test' })).immediate().recordId,
  );
});
afterEach(() => {
  ws.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const label = (recordId: number, code: string, present: boolean, author: string) =>
  setAnnotatorLabel(ws.db, { recordId, vocabulary: 'SNOMED', code, present, author });
const submit = (recordId: number, author: string, state = 'accepted') => setReviewState(ws.db, { recordId, state, author });

describe('several reviewers', () => {
  it('keep their own label sets: one reviewer never supersedes another', () => {
    label(ids[0], AF, true, 'dr.a');
    label(ids[0], AF, false, 'dr.b');
    const current = ws.db
      .prepare("SELECT author, present FROM label WHERE record_id = ? AND source_kind = 'annotator' AND is_current = 1 ORDER BY author")
      .all(ids[0]);
    expect(current).toEqual([
      { author: 'dr.a', present: 1 },
      { author: 'dr.b', present: 0 },
    ]);
    expect(effectiveLabels(ws.db, ids[0], 'dr.a').map((l) => l.code)).toEqual([NSR, AF]);
    expect(effectiveLabels(ws.db, ids[0], 'dr.b').map((l) => l.code)).toEqual([NSR]);
    // The same reviewer's second word supersedes their first.
    label(ids[0], AF, false, 'dr.a');
    expect(effectiveLabels(ws.db, ids[0], 'dr.a').map((l) => l.code)).toEqual([NSR]);
  });

  it("in blind mode a reviewer sees the others' labels, history and worklist labels only after submitting", async () => {
    const services = createServices(ws, () => undefined, 'http');
    await services.call('settings.set', { blind: true, author: 'admin' });
    label(ids[0], AF, true, 'dr.a');
    submit(ids[0], 'dr.a');
    const asB = (await services.call('records.get', { id: ids[0], reviewer: 'dr.b' })) as RecordDetail;
    expect(asB.blind).toBe(true);
    expect(asB.labels.map((l) => l.code)).toEqual([NSR]);
    expect(asB.labelHistory.some((l) => l.author === 'dr.a')).toBe(false);
    const auditB = (await services.call('audit.list', { recordId: ids[0], reviewer: 'dr.b' })) as AuditEntry[];
    expect(auditB.some((e) => e.action === 'label.add')).toBe(false);
    const listB = (await services.call('records.list', { reviewer: 'dr.b' })) as { records: { id: number; labels: { code: string }[] }[] };
    expect(listB.records.find((r) => r.id === ids[0])!.labels.map((l) => l.code)).toEqual([NSR]);
    // dr.a, who submitted, sees everything; so does dr.b once they submit.
    const asA = (await services.call('records.get', { id: ids[0], reviewer: 'dr.a' })) as RecordDetail;
    expect(asA.blind).toBeUndefined();
    expect(asA.labels.map((l) => l.code)).toEqual([NSR, AF]);
    submit(ids[0], 'dr.b');
    const after = (await services.call('records.get', { id: ids[0], reviewer: 'dr.b' })) as RecordDetail;
    expect(after.blind).toBeUndefined();
    expect(after.labelHistory.some((l) => l.author === 'dr.a')).toBe(true);
    expect(after.reviewers!.map((r) => [r.reviewer, r.state])).toEqual([
      ['dr.a', 'accepted'],
      ['dr.b', 'accepted'],
    ]);
    // Blind mode off: everyone sees everything.
    await services.call('settings.set', { blind: false, author: 'admin' });
    label(ids[1], AF, true, 'dr.a');
    const open = (await services.call('records.get', { id: ids[1], reviewer: 'dr.b' })) as RecordDetail;
    expect(open.labels.map((l) => l.code)).toContain(AF);
  });

  it("in blind mode the worklist's label filter and label search match only the reviewer's own and the dataset's labels", async () => {
    const services = createServices(ws, () => undefined, 'http');
    await services.call('settings.set', { blind: true, author: 'admin' });
    label(ids[0], AF, true, 'dr.a');
    submit(ids[0], 'dr.a');
    label(ids[1], RBBB, true, 'dr.a');
    label(ids[2], AF, true, 'dr.b');
    label(ids[3], NSR, false, 'dr.b'); // dr.b's own "absent" overrides the dataset's NSR for them
    const list = async (q: Record<string, unknown>) =>
      ((await services.call('records.list', q)) as { records: { id: number }[] }).records.map((r) => r.id);
    // dr.b has submitted nothing: dr.a's AF and RBBB stay hidden, their own AF shows.
    expect(await list({ reviewer: 'dr.b', label: AF })).toEqual([ids[2]]);
    expect(await list({ reviewer: 'dr.b', search: RBBB })).toEqual([]);
    expect(await list({ reviewer: 'dr.b', search: AF.slice(0, 6) })).toEqual([ids[2]]);
    expect(await list({ reviewer: 'dr.b', label: NSR })).toEqual([ids[0], ids[1], ids[2]]);
    // Without a reviewer (or for dr.a, who submitted record 1 and wrote record 2's RBBB) the filter sees every label.
    expect(await list({ label: AF })).toEqual([ids[0], ids[2]]);
    expect(await list({ reviewer: 'dr.a', label: AF })).toEqual([ids[0]]);
    expect(await list({ reviewer: 'dr.a', search: RBBB })).toEqual([ids[1]]);
    // Once dr.b submits record 1 they may see dr.a's AF there.
    submit(ids[0], 'dr.b');
    expect(await list({ reviewer: 'dr.b', label: AF })).toEqual([ids[0], ids[2]]);
    await services.call('settings.set', { blind: false, author: 'admin' });
    expect(await list({ reviewer: 'dr.b', search: RBBB })).toEqual([ids[1]]);
  });

  it('agreement: Cohen kappa per class, reviewer agreement with the consensus, and the disagreement queue', () => {
    // dr.a and dr.b on four records: AF on 1 and 2 by dr.a, on 1 only by dr.b; RBBB by both on 3.
    label(ids[0], AF, true, 'dr.a');
    label(ids[1], AF, true, 'dr.a');
    label(ids[2], RBBB, true, 'dr.a');
    label(ids[0], AF, true, 'dr.b');
    label(ids[2], RBBB, true, 'dr.b');
    for (const id of ids) {
      submit(id, 'dr.a');
      submit(id, 'dr.b', id === ids[1] ? 'corrected' : 'accepted');
    }
    const r: AgreementReport = agreementReport(ws.db);
    expect(r.reviewers).toEqual(['dr.a', 'dr.b']);
    expect(r.records).toBe(4);
    const af = r.classes.find((c) => c.code === AF)!;
    // Hand computed: answers a = [1,1,0,0], b = [1,0,0,0]: po = 3/4, pe = 1/2*1/4 + 1/2*3/4 = 1/2, kappa = 1/2.
    expect(af).toMatchObject({ n: 4, reviewers: 2, kappaKind: 'cohen', method: 'dawid-skene' });
    expect(af.agreement).toBeCloseTo(0.75, 12);
    expect(af.kappa).toBeCloseTo(0.5, 12);
    const rbbb = r.classes.find((c) => c.code === RBBB)!;
    expect(rbbb.kappa).toBeCloseTo(1, 12);
    expect(r.disagreements).toEqual([{ recordId: ids[1], recordName: 'SYN2', codes: [AF] }]);
    expect(r.consensus.filter((c) => c.code === RBBB && c.present).map((c) => c.recordId)).toEqual([ids[2]]);
    for (const c of r.consensus) {
      expect(c.confidence).toBeGreaterThanOrEqual(0.5);
      expect(c.confidence).toBeLessThanOrEqual(1);
    }
    expect(r.reviewerAgreement.map((q) => q.records)).toEqual([4, 4]);
    const queue = listWorklist(ws.db, { queue: 'disagreement' });
    expect(queue.records.map((x) => x.id)).toEqual([ids[1]]);
    // Each reviewer's own queue: what they have not submitted.
    expect(listWorklist(ws.db, { unreviewedBy: 'dr.a' }).total).toBe(0);
    expect(listWorklist(ws.db, { unreviewedBy: 'dr.c' }).total).toBe(4);
    setReviewState(ws.db, { recordId: ids[3], state: 'second-opinion', author: 'dr.a' });
    expect(listWorklist(ws.db, { unreviewedBy: 'dr.a' }).records.map((x) => x.id)).toEqual([ids[3]]);
  });

  it("Fleiss' kappa with three reviewers, and a record reviewed by one counts in the consensus but not in the kappa", () => {
    for (const [who, afOn] of [
      ['a', [0, 1]],
      ['b', [0]],
      ['c', [0, 1]],
    ] as const) {
      for (const i of afOn) label(ids[i], AF, true, who);
      for (const i of [0, 1, 2]) submit(ids[i], who);
    }
    submit(ids[3], 'a');
    const r = agreementReport(ws.db);
    const af = r.classes.find((c) => c.code === AF)!;
    // Counts [absent, present]: [0,3], [1,2], [3,0]; P-bar = (1 + 1/3 + 1) / 3; pj = 4/9, 5/9; pe = 41/81.
    expect(af.kappaKind).toBe('fleiss');
    expect(af.n).toBe(3);
    expect(af.agreement).toBeCloseTo(7 / 9, 12);
    expect(af.kappa).toBeCloseTo((7 / 9 - 41 / 81) / (1 - 41 / 81), 12);
    expect(r.consensus.filter((c) => c.code === AF).map((c) => [c.recordId, c.present])).toEqual([
      [ids[0], true],
      [ids[1], true],
      [ids[2], false],
      [ids[3], false],
    ]);
  });

  it("with a model's probabilities the consensus is CROWDLAB-style and the model breaks the two reviewers' tie", () => {
    // Two reviewers, AF: they agree on records 1, 2 and 4 (AF on 1), split on record 3 (a says AF, b not).
    label(ids[0], AF, true, 'a');
    label(ids[0], AF, true, 'b');
    label(ids[2], AF, true, 'a');
    for (const id of ids) for (const who of ['a', 'b']) submit(id, who);
    const modelId = saveModel(ws.db, {
      name: 'probe',
      kind: 'tfjs',
      architecture: 'small-cnn',
      hyperparameters: {},
      classes: [AF],
      leadSet: ['I'],
      inputSpec: {},
      metrics: {},
      runtime: 'test',
      weights: new Uint8Array(1),
      records: [],
      labelIds: [],
    });
    const probabilities = [0.9, 0.1, 0.2, 0.1];
    savePredictions(
      ws.db,
      modelId,
      ids.map((recordId, i) => ({ recordId, classCode: AF, probability: probabilities[i], predicted: probabilities[i] >= 0.5 })),
    );
    const r = agreementReport(ws.db, { modelId });
    expect(r.modelId).toBe(modelId);
    expect(r.classes.find((c) => c.code === AF)!.method).toBe('crowdlab');
    // The model says no AF on record 3 (p = 0.2): the consensus follows it.
    const tie = r.consensus.find((c) => c.recordId === ids[2] && c.code === AF)!;
    expect(tie.present).toBe(false);
    expect(tie.confidence).toBeGreaterThan(0.5);
    expect(r.consensus.find((c) => c.recordId === ids[0] && c.code === AF)!.present).toBe(true);
    // Without the model the tie goes by the reviewers alone (Dawid-Skene), with a confidence near one half.
    const alone = agreementReport(ws.db).consensus.find((c) => c.recordId === ids[2] && c.code === AF)!;
    expect(alone.confidence).toBeLessThan(0.75);
  });

  it('training with the consensus label source reads the consensus on reviewed records and current labels elsewhere', () => {
    label(ids[0], AF, true, 'a');
    label(ids[0], AF, true, 'b');
    label(ids[0], AF, false, 'c'); // reviewers differ: the current labels say no AF
    for (const who of ['a', 'b', 'c']) submit(ids[0], who);
    const codes = (source: 'current' | 'consensus') =>
      new Map(workspaceRecords(ws.db, undefined, source).map((r) => [r.recordId, [...r.item.codes].sort()]));
    expect(codes('current').get(ids[0])).toEqual([NSR]);
    expect(codes('consensus').get(ids[0])).toEqual([AF, NSR].sort());
    expect(codes('consensus').get(ids[3])).toEqual([NSR]);
  });

  it('a training run started from the UI carries the consensus label source to the trainer', async () => {
    const seen: TrainRequest[] = [];
    const run = startTrainingRun(ws, { arch: 'small-cnn', leads: 12, labelSource: 'consensus' }, () => undefined, {
      train: (req) => {
        seen.push(req);
        return Promise.reject(new Error('stopped by the test'));
      },
      predict: () => Promise.resolve({ stored: 0, skipped: [] }),
    });
    await expect.poll(() => run.state).toBe('failed');
    expect(seen.map((r) => r.labelSource)).toEqual(['consensus']);
  });

  it('settings take more than nine label shortcuts; too many is a clear 400, not a server error', async () => {
    const services = createServices(ws, () => undefined, 'http');
    const codes = Array.from({ length: 14 }, (_, i) => String(100000 + i));
    const s = (await services.call('settings.set', { shortcuts: codes, author: 'admin' })) as ReviewSettings;
    expect(s.shortcuts).toHaveLength(14);
    const tooMany = Array.from({ length: 28 }, (_, i) => String(200000 + i));
    const e = await services.call('settings.set', { shortcuts: tooMany, author: 'admin' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).status).toBe(400);
    expect((e as ApiError).message).toContain('too many label shortcuts: 28, at most 27');
  });
});
