// `leadlens train --exclude-suspected`: the records a label-error run suspects are left out of training and the
// model's lineage says which run, how many and which records. `leadlens predict --selection` records what it scored,
// listed by `leadlens predictions`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveLabelErrorRun } from '../../src-main/store/label-error-store.ts';
import { getModel, modelLineage } from '../../src-main/store/model-store.ts';
import { openWorkspace } from '../../src-main/store/workspace.ts';
import type { TrainingRecords } from '../../src-main/workspace/train-model.ts';
import { runLeadlens } from '../helpers/run-cli.ts';
import { dataPath } from '../helpers/shared-data.ts';

const CLASSES = '426177001,426783006,164889003,427084000';
let ws: string;
let records: number[];

beforeAll(() => {
  ws = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-exclude-suspected-'));
  const src = dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01', '010');
  const files = fs
    .readdirSync(src)
    .filter((f) => f.endsWith('.hea'))
    .sort()
    .slice(0, 16)
    .flatMap((f) => [path.join(src, f), path.join(src, f.replace('.hea', '.mat'))]);
  expect(runLeadlens(['ingest', ...files, '--workspace', ws]).status).toBe(0);
  const w = openWorkspace(ws);
  records = w.db.prepare('SELECT id FROM record ORDER BY id').pluck().all() as number[];
  w.close();
});

afterAll(() => fs.rmSync(ws, { recursive: true, force: true }));

/** A stored label-error run over the records; record i scores 1 - i / 100, the first `flagged` are flagged. */
function storeRun(flagged: number): number {
  const w = openWorkspace(ws);
  try {
    return saveLabelErrorRun(
      w.db,
      { architecture: 'small-cnn', folds: 3, seed: 1, epochs: 1, classes: [], thresholds: [], foldScores: [], skipped: [] },
      records.map((recordId, i) => ({ recordId, fold: i % 3, score: 1 - i / 100, flagged: i < flagged, reason: 'test', classes: [] })),
    );
  } finally {
    w.close();
  }
}

const lineageOf = (modelId: number): { records: TrainingRecords; ids: number[] } => {
  const w = openWorkspace(ws);
  try {
    const m = getModel(w.db, modelId);
    return {
      records: (m.hyperparameters as { records: TrainingRecords }).records,
      ids: modelLineage(w.db, modelId).records.map((r) => r.recordId),
    };
  } finally {
    w.close();
  }
};

const train = (...extra: string[]) =>
  runLeadlens([
    'train',
    '--arch',
    'small-cnn',
    '--leads',
    '2',
    '--classes',
    CLASSES,
    '--epochs',
    '1',
    ...extra,
    '--workspace',
    ws,
    '--json',
  ]);

describe('leadlens train --exclude-suspected', () => {
  it('says in one line (exit 1) that no label-error run exists yet, and refuses bad flags with exit 2', () => {
    const none = train('--exclude-suspected');
    expect(none.status).toBe(1);
    expect(none.stderr.trim()).toMatch(/^.*no label-error run in this workspace: run `leadlens label-errors` first$/);
    for (const [args, message] of [
      [['--suspected-top', '3'], /need --exclude-suspected/],
      [['--exclude-suspected', '--suspected-top', '3', '--suspected-min-score', '0.5'], /not both/],
      [['--exclude-suspected', '--suspected-top', '0'], /--suspected-top needs a positive integer/],
      [['--exclude-suspected', '--suspected-min-score', 'high'], /--suspected-min-score needs a number/],
      [['--exclude-suspected', 'latest'], /takes one label-error run id/],
    ] as const) {
      const r = train(...args);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  });

  it("leaves out the newest run's top K, or a named run's records above a score, and records it in the lineage", () => {
    const older = storeRun(6);
    const newest = storeRun(4);
    const top = train('--exclude-suspected', '--suspected-top', '3');
    expect(top.status, top.stderr).toBe(0);
    const a = lineageOf(JSON.parse(top.stdout).modelId);
    expect(a.records.excludedSuspected).toEqual({ runId: newest, top: 3, minScore: null, records: 3, recordIds: records.slice(0, 3) });
    expect(a.ids.sort((x, y) => x - y)).toEqual(records.slice(3));
    expect(JSON.parse(top.stdout).records.excludedSuspected.runId).toBe(newest);
    // Run `older` flags six; those scoring 0.96 or more are the first five.
    const min = train('--exclude-suspected', String(older), '--suspected-min-score', '0.955');
    expect(min.status, min.stderr).toBe(0);
    const b = lineageOf(JSON.parse(min.stdout).modelId);
    expect(b.records.excludedSuspected).toMatchObject({ runId: older, minScore: 0.955, records: 5, recordIds: records.slice(0, 5) });
    expect(b.ids.sort((x, y) => x - y)).toEqual(records.slice(5));
    const missing = train('--exclude-suspected', '99');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/no label-error run 99 in this workspace/);
  });
});

describe('leadlens predict --selection and leadlens predictions', () => {
  it('stores which selection the predictions were made for, and lists each predict run', () => {
    const trained = train();
    expect(trained.status, trained.stderr).toBe(0);
    const modelId = JSON.parse(trained.stdout).modelId as number;
    const w = openWorkspace(ws);
    const names = w.db.prepare('SELECT record_name FROM record ORDER BY id LIMIT 3').pluck().all() as string[];
    w.close();
    expect(runLeadlens(['selection', 'save', 'three', '--record', names.join(','), '--workspace', ws]).status).toBe(0);
    const both = runLeadlens(['predict', '--model', String(modelId), '--all', '--selection', 'three', '--workspace', ws]);
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/exactly one of --all, --record ID\|NAME and --selection NAME/);
    const unknown = runLeadlens(['predict', '--model', String(modelId), '--selection', 'four', '--workspace', ws]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/no saved selection named 'four'/);
    const p = runLeadlens(['predict', '--model', String(modelId), '--selection', 'three', '--workspace', ws, '--json']);
    expect(p.status, p.stderr).toBe(0);
    const predicted = JSON.parse(p.stdout) as { stored: number; runId: number; selection: string };
    expect(predicted).toMatchObject({ stored: 3, selection: 'three' });
    expect(runLeadlens(['predict', '--model', String(modelId), '--record', names[0], '--workspace', ws]).status).toBe(0);
    const listed = runLeadlens(['predictions', '--model', String(modelId), '--workspace', ws, '--json']);
    expect(listed.status, listed.stderr).toBe(0);
    const runs = (JSON.parse(listed.stdout) as { runs: Array<Record<string, unknown>> }).runs;
    expect(runs.map((r) => r.scope)).toEqual(['records', 'selection']);
    expect(runs[1]).toMatchObject({ id: predicted.runId, records: 3, stored: 3, selection: { name: 'three', query: { records: names } } });
    const text = runLeadlens(['predictions', '--model', String(modelId), '--workspace', ws]);
    expect(text.stderr + text.stdout).toMatch(/selection 'three'/);
    // Each stored prediction names its run: the first record's rows the newer 'records' run, the others the selection's.
    const v = openWorkspace(ws);
    const byRecord = v.db
      .prepare(
        'SELECT DISTINCT r.record_name AS name, p.run_id AS run FROM ml_prediction p JOIN record r ON r.id = p.record_id WHERE p.model_id = ? ORDER BY r.id',
      )
      .all(modelId);
    v.close();
    expect(byRecord).toEqual([
      { name: names[0], run: runs[0].id },
      { name: names[1], run: predicted.runId },
      { name: names[2], run: predicted.runId },
    ]);
    const missing = runLeadlens(['predictions', '--model', '999', '--workspace', ws]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/no model with id 999/);
  });
});
