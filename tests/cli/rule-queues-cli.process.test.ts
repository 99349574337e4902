// Through the built CLI: a corrected T end (`leadlens boundaries --set`) and a QTc formula change (`leadlens settings`)
// take the stored rule decisions again at once, so `leadlens worklist` counts change without the record being opened.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { saveModel } from '../../src-main/store/model-store.ts';
import { savePredictions } from '../../src-main/store/prediction-store.ts';
import { openWorkspace } from '../../src-main/store/workspace.ts';
import { runLeadlens } from '../helpers/run-cli.ts';
import { NEAR_QTC_LIMIT_AECG } from '../helpers/same-patient-muse.ts';

let dir: string;
const cli = (...args: string[]) => runLeadlens([...args, '--workspace', dir]);
const json = (...args: string[]) => {
  const r = cli(...args, '--json');
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};
const modelVsRule = () => json('worklist').queues.find((q: { id: string }) => q.id === 'model-vs-rule')?.count;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-cli-rule-queues-'));
  const r = cli('ingest', NEAR_QTC_LIMIT_AECG);
  expect(r.status, r.stderr).toBe(0);
  expect(json('rules', '--all').stored).toBe(1);
  // A model calling subject 2 long-QT, as the rule does (QTc 471 ms by Bazett): the record is not in the "model ≠ rule" queue.
  const ws = openWorkspace(dir);
  const modelId = saveModel(ws.db, {
    name: 'lqt probe',
    kind: 'tfjs',
    architecture: 'small-cnn',
    hyperparameters: {},
    classes: ['111975006'],
    leadSet: ['I'],
    inputSpec: {},
    metrics: {},
    runtime: 'test',
    weights: new Uint8Array(1),
    records: [],
    labelIds: [],
  });
  savePredictions(ws.db, modelId, [{ recordId: 1, classCode: '111975006', probability: 0.9, predicted: true }]);
  ws.close();
}, 120_000);

describe('rule queues after a correction and a QTc formula change', () => {
  it('leadlens settings --qtc-formula changes the model ≠ rule count; leadlens boundaries --set changes it back', () => {
    expect(modelVsRule()).toBe(0);
    // QTc 471 ms by Bazett (over 460), 458 ms by Fridericia at 71 bpm.
    const text = cli('settings', '--qtc-formula', 'fridericia', '--author', 'dr cli');
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(
      /QTc formula fridericia: 1 of 1 stored decisions taken again, 0 skipped, 0 on another formula; 1 re-decided from the stored evidence, 0 measured again$/m,
    );
    expect(modelVsRule()).toBe(1);
    expect(json('worklist', '--queue', 'model-vs-rule').records.map((r: { id: number }) => r.id)).toEqual([1]);
    expect(json('settings').settings.qtcFormula).toBe('fridericia');
    expect(json('settings').staleQtcDecisions).toBe(0);

    const shown = json('boundaries', '--record', 'subject2_0');
    const tEndMs = (shown.automatic.tOffset / shown.samplingRate) * 1000;
    // 12 ms later: QTc 470 ms by Fridericia, over 460.
    const moved = json('boundaries', '--record', 'subject2_0', '--set', `tOffset=${tEndMs + 12}`, '--author', 'dr cli');
    expect(moved.rules[0].results.find((r: { detector: string }) => r.detector === 'prolonged-qtc').decision).toBe(true);
    expect(modelVsRule()).toBe(0);
  });

  it('refuses an unknown formula and an unknown queue in one line with exit code 2', () => {
    for (const args of [
      ['settings', '--qtc-formula', 'simpson'],
      ['worklist', '--queue', 'nope'],
    ]) {
      const r = cli(...args);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
