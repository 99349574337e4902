// Stored rule decisions follow what they depend on without the record view asking: a boundary correction takes the
// record's decisions again at once (and the "model ≠ rule" queue with them), and a QTc formula change takes every
// stored prolonged-QTc decision again in a batch that can be cancelled between records and skips what fails.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiEventMessage, QtcRecomputeRun } from '../../src-shared/api.ts';
import { createServices } from '../../src-main/api/services.ts';
import { READERS } from '../../src-main/formats/readers.ts';
import { ingestPaths } from '../../src-main/ingest/ingest-files.ts';
import { saveModel } from '../../src-main/store/model-store.ts';
import { savePredictions } from '../../src-main/store/prediction-store.ts';
import { setReviewSettings } from '../../src-main/store/review-store.ts';
import { ruleResultsForRecord } from '../../src-main/store/rule-store.ts';
import { worklistQueues } from '../../src-main/store/worklist.ts';
import { openWorkspace, type Workspace } from '../../src-main/store/workspace.ts';
import { recordRules } from '../../src-main/workspace/analyse-record.ts';
import { correctBoundaryAndRules } from '../../src-main/workspace/boundary-rules.ts';
import { recordMedianBeats } from '../../src-main/workspace/median-beats.ts';
import { recomputeQtcBatch, recomputeQtcRules, staleQtcRules } from '../../src-main/workspace/qtc-recompute.ts';
import { runStoredRules } from '../../src-main/workspace/run-rules.ts';
import { NEAR_QTC_LIMIT_AECG, samePatientMuseFiles } from '../helpers/same-patient-muse.ts';

const LQT = '111975006';
let ws: Workspace;
let ids: number[];
let aecg: number;
let autoTEnd: number;

const modelVsRule = () => worklistQueues(ws.db).queues.find((q) => q.id === 'model-vs-rule')!.count;
const storedQtc = (id: number) => ruleResultsForRecord(ws.db, id, 12).find((r) => r.detectorId === 'prolonged-qtc')!;

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-rule-refresh-'));
  ws = openWorkspace(dir);
  const [cur, pri] = samePatientMuseFiles(dir);
  for (const f of [NEAR_QTC_LIMIT_AECG, cur, pri]) expect((await ingestPaths(ws, [f], { readers: READERS })).recordIds).toHaveLength(1);
  ids = ws.db.prepare('SELECT id FROM record ORDER BY id').pluck().all() as number[];
  aecg = ids[0];
  autoTEnd = recordMedianBeats(ws.db, aecg).automatic.tOffset!;
  runStoredRules(ws.db, ids, 12);
  // A model that calls subject 2 long-QT: the rule (QTc 471 ms by Bazett) agrees, so the record is not in the queue.
  const modelId = saveModel(ws.db, {
    name: 'lqt probe',
    kind: 'tfjs',
    architecture: 'small-cnn',
    hyperparameters: {},
    classes: [LQT],
    leadSet: ['I'],
    inputSpec: {},
    metrics: {},
    runtime: 'test',
    weights: new Uint8Array(1),
    records: [],
    labelIds: [],
  });
  savePredictions(ws.db, modelId, [{ recordId: aecg, classCode: LQT, probability: 0.9, predicted: true }]);
}, 120_000);

describe('a boundary correction', () => {
  it("takes the record's stored rule decisions again at once, and the model ≠ rule queue follows", () => {
    expect(storedQtc(aecg).decision).toBe(true);
    expect(modelVsRule()).toBe(0);
    // 6 samples (12 ms) earlier: QT 420 ms, Bazett 458 ms at 71 bpm, under the 460 ms limit.
    const { correction, rules } = correctBoundaryAndRules(ws.db, {
      recordId: aecg,
      boundary: 'tOffset',
      offset: autoTEnd - 6,
      author: 'dr r',
    });
    expect(correction.offset).toBe(autoTEnd - 6);
    expect(rules).toHaveLength(1);
    expect(rules[0].error).toBeUndefined();
    // Stored, every detector: nothing waits for the record view.
    expect(ruleResultsForRecord(ws.db, aecg, 12)).toHaveLength(rules[0].results.length);
    expect(storedQtc(aecg).decision).toBe(false);
    expect(storedQtc(aecg).evidence.qtcFormula).toBe('bazett');
    expect(modelVsRule()).toBe(1);

    correctBoundaryAndRules(ws.db, { recordId: aecg, boundary: 'tOffset', offset: null, author: 'dr r' });
    expect(storedQtc(aecg).decision).toBe(true);
    expect(modelVsRule()).toBe(0);
    correctBoundaryAndRules(ws.db, { recordId: aecg, boundary: 'tOffset', offset: autoTEnd - 6, author: 'dr r' });
    expect(modelVsRule()).toBe(1);
    // Back to the automatic T end for the formula changes below.
    correctBoundaryAndRules(ws.db, { recordId: aecg, boundary: 'tOffset', offset: null, author: 'dr r' });
    expect(modelVsRule()).toBe(0);
  });
});

/** Every stored prolonged-QTc decision agrees with the QTc of the formula its evidence names. */
function expectConsistent(): Record<string, number> {
  const formulas: Record<string, number> = {};
  for (const id of ids) {
    const r = storedQtc(id);
    const formula = r.evidence.qtcFormula!;
    formulas[formula] = (formulas[formula] ?? 0) + 1;
    const key = { bazett: 'qtcBazettMs', fridericia: 'qtcFridericiaMs', framingham: 'qtcFraminghamMs', hodges: 'qtcHodgesMs' }[formula];
    expect(r.evidence.measurements.qtcMs).toBe(r.evidence.measurements[key]);
    expect(r.decision).toBe(r.evidence.measurements.qtcMs! > 460);
    expect(r.evidence.note).toContain(formula[0].toUpperCase() + formula.slice(1));
  }
  return formulas;
}

describe('a QTc formula change', () => {
  it('a cancelled recompute leaves each stored decision true to the formula it names; the rest follows later', async () => {
    expect(storedQtc(aecg).decision).toBe(true);
    setReviewSettings(ws.db, { qtcFormula: 'fridericia', author: 'dr r' });
    expect(staleQtcRules(ws.db)).toHaveLength(3);
    const abort = new AbortController();
    const progress: QtcRecomputeRun[] = [];
    const run = await recomputeQtcBatch(ws.db, {
      signal: abort.signal,
      // Measured again record by record (no re-decision from the stored evidence), so the batch's steps are seen.
      redecide: () => false,
      recompute: (id, leadSet) => {
        recomputeQtcRules(ws.db, id, leadSet);
        abort.abort();
      },
      onProgress: (r) => progress.push(r),
    });
    expect(run).toMatchObject({ state: 'cancelled', formula: 'fridericia', done: 1, total: 3, remaining: 2, skipped: [] });
    expect(progress.map((p) => p.done)).toEqual([0, 1, 1]);
    expect(expectConsistent()).toEqual({ fridericia: 1, bazett: 2 });
    // Subject 2 (record 1, first in line) near the limit: 471 ms by Bazett, 458 ms by Fridericia at 71 bpm.
    expect(storedQtc(aecg).decision).toBe(false);
    expect(storedQtc(aecg).evidence.measurements.qtcMs).toBeLessThan(460);
    expect(modelVsRule()).toBe(1);
    // A record the batch has not reached is not served as current: the view takes it again with the formula.
    expect(recordRules(ws.db, ids[1], 12).find((r) => r.detectorId === 'prolonged-qtc')!.evidence.qtcFormula).toBe('fridericia');
    expect(staleQtcRules(ws.db)).toEqual([{ recordId: ids[2], leadSet: 12 }]);
  });

  it('a record that fails is listed as skipped and the batch does the rest, two records in flight', async () => {
    setReviewSettings(ws.db, { qtcFormula: 'hodges', author: 'dr r' });
    let inFlight = 0;
    let most = 0;
    const run = await recomputeQtcBatch(ws.db, {
      concurrency: 2,
      redecide: () => false,
      recompute: async (id, leadSet) => {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 20));
        inFlight--;
        if (id === ids[1]) throw new Error('signal unreadable\nstack');
        return recomputeQtcRules(ws.db, id, leadSet);
      },
    });
    expect(most).toBe(2);
    expect(run).toMatchObject({ state: 'finished', done: 3, total: 3, remaining: 1 });
    expect(run.skipped).toEqual([{ recordId: ids[1], recordName: expect.any(String), reason: '12-lead set: signal unreadable' }]);
    expect(expectConsistent()).toEqual({ hodges: 2, fridericia: 1 });
  });

  it('settings.set through the API recomputes in the background, with progress events, and cancel answers', async () => {
    const events: QtcRecomputeRun[] = [];
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const services = createServices(
      ws,
      (m: ApiEventMessage) => {
        if (m.event !== 'rules.qtcRecompute') return;
        const run = m.payload as QtcRecomputeRun;
        events.push(run);
        if (run.state !== 'running') done();
      },
      'http',
    );
    await services.call('settings.set', { qtcFormula: 'bazett', author: 'dr r' });
    await finished;
    const last = events.at(-1)!;
    // All three decided on stored evidence: none measured again.
    expect(last).toMatchObject({
      state: 'finished',
      formula: 'bazett',
      done: 3,
      total: 3,
      redecided: 3,
      remeasured: 0,
      remaining: 0,
      skipped: [],
    });
    expect(await services.call('rules.qtcRecompute', {})).toMatchObject({ id: last.id, state: 'finished' });
    expect(expectConsistent()).toEqual({ bazett: 3 });
    expect(storedQtc(aecg).decision).toBe(true);
    expect(modelVsRule()).toBe(0);
    // Setting the same formula again starts nothing.
    await services.call('settings.set', { qtcFormula: 'bazett', author: 'dr r' });
    expect(((await services.call('rules.qtcRecompute', {})) as QtcRecomputeRun).id).toBe(last.id);
    await expect(services.call('rules.qtcRecomputeCancel', { id: last.id + 5 })).rejects.toThrow(/no QTc recompute run/);
  });
});
