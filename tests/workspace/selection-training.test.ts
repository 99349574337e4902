// Training on selections and evaluating on them: unlabelled records left out (or trained as normal) and counted,
// patients never on both sides of a train/validation pair, an evaluation's leaking records dropped or refused, and
// the stored evaluation naming the model version and the selection.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listEvaluations, evaluationPredictions } from '../../src-main/store/evaluation-store.ts';
import { modelLineage } from '../../src-main/store/model-store.ts';
import { storeRecord } from '../../src-main/store/record-store.ts';
import { saveSelection } from '../../src-main/store/selection-store.ts';
import { openWorkspace, type Workspace } from '../../src-main/store/workspace.ts';
import { evaluateOnSelections } from '../../src-main/workspace/evaluate-on-selections.ts';
import { CHALLENGE_WEIGHTS, trainTinyModel } from '../helpers/chapman-workspace.ts';
import { syntheticRecord } from '../helpers/synthetic-record.ts';

const SR = '426783006';
const SB = '426177001';
const weightsCsv = CHALLENGE_WEIGHTS;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-selection-training-'));
let ws: Workspace;
const unlabelled: number[] = [];

beforeAll(() => {
  ws = openWorkspace(path.join(tmp, 'ws'));
  // Seeds stay below 97: syntheticRecord's content repeats every 97 seeds (the store would merge the duplicates).
  // 'dev': 36 labelled records of 18 patients + 3 unlabelled; 'val': 8 records of 4 patients, p0 also in dev.
  const add = (seed: number, format: string, patient: string, codes: string[]) => {
    const r = syntheticRecord({ seed, name: `R${seed}` });
    r.labels = codes.map((code) => ({ vocabulary: 'SNOMED', code }));
    r.patientId = patient;
    return ws.db.transaction(() => storeRecord(ws.db, r, { path: `/data/${format}/R${seed}.hea`, format })).immediate().recordId;
  };
  for (let i = 0; i < 36; i++) add(i + 1, 'dev', `p${Math.floor(i / 2)}`, [i % 2 ? SB : SR]);
  for (let i = 0; i < 3; i++) unlabelled.push(add(40 + i, 'dev', `u${i}`, []));
  for (let i = 0; i < 8; i++) add(50 + i, 'val', i < 2 ? 'p0' : `v${Math.floor(i / 2)}`, [i % 2 ? SB : SR]);
  saveSelection(ws.db, { name: 'dev', query: { sources: ['dev'] }, author: 'test' });
  saveSelection(ws.db, { name: 'val', query: { sources: ['val'] }, author: 'test' });
  saveSelection(ws.db, { name: 'everything', query: {}, author: 'test' });
});
afterAll(() => {
  ws.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('train --train-on / --validate-on', () => {
  let modelId: number;

  it('leaves unlabelled records out by default, validates on the other selection, drops the shared patient', async () => {
    const r = await trainTinyModel(ws, { classes: [SR, SB], trainOn: 'dev', validateOn: 'val' });
    modelId = r.modelId;
    expect(r.records).toEqual({
      trainOn: { name: 'dev', query: { sources: ['dev'] } },
      validateOn: { name: 'val', query: { sources: ['val'] } },
      unlabelled: { records: 3, policy: 'excluded' },
      droppedSharedPatients: { patients: 1, records: 2 },
      labels: { source: 'current' },
    });
    // 36 labelled dev records less p0's two; all 8 of val validate.
    expect(r.split).toMatchObject({ validation: 8 });
    expect(r.split.train + r.split.test).toBe(34);
    const lineage = modelLineage(ws.db, modelId).records;
    expect(lineage.filter((x) => unlabelled.includes(x.recordId))).toEqual([]);
    expect(lineage.filter((x) => x.split === 'validation')).toHaveLength(8);
  }, 300_000);

  it('--unlabelled-as-normal trains them as sinus rhythm', async () => {
    const r = await trainTinyModel(ws, { classes: [SR, SB], trainOn: 'dev', unlabelledAsNormal: true });
    expect(r.records.unlabelled).toEqual({ records: 3, policy: 'as-normal' });
    const ids = modelLineage(ws.db, r.modelId).records.map((x) => x.recordId);
    expect(unlabelled.every((id) => ids.includes(id))).toBe(true);
  }, 300_000);

  it('eval on a selection drops the records the model trained or validated on, or refuses them; stores what it scored', async () => {
    const r = await evaluateOnSelections(ws, { modelId, selections: ['everything'], weightsCsv, rounds: 100 });
    const [all] = r.selections;
    // Dropped: the records it trained or validated on, and p0's two dev records (p0 validated in 'val'). The rest of
    // 'everything' is the model's test split and the 3 unlabelled records.
    const trained = modelLineage(ws.db, modelId).records.filter((x) => x.split !== 'test').length;
    expect(all.sharedWithTraining.records).toBe(trained + 2);
    expect(all.sharedWithTraining.patients).toContain('p0');
    expect(all.leftOut.filter((l) => /no SNOMED label/.test(l.reason)).map((l) => l.recordId)).toEqual(unlabelled);
    expect(all.records).toBe(47 - trained - 2 - 3);
    // Every val record was a validation record: nothing is left to score, which fails rather than reporting nothing.
    await expect(evaluateOnSelections(ws, { modelId, selections: ['val'], weightsCsv, rounds: 100 })).rejects.toThrow(
      /selection 'val': none of its 8 records can be scored/,
    );
    await expect(evaluateOnSelections(ws, { modelId, selections: ['val'], weightsCsv, rounds: 100, overlap: 'refuse' })).rejects.toThrow(
      /selection 'val' shares \d+ patient\(s\) and 8 record\(s\) with model \d+'s training\/validation records/,
    );
    const stored = listEvaluations(ws.db, modelId);
    expect(stored[stored.length - 1]).toMatchObject({ selectionName: 'everything', modelVersion: r.modelVersion, selectionQuery: {} });
    expect(evaluationPredictions(ws.db, stored[stored.length - 1].id)).toHaveLength(all.records);
    expect(r.modelVersion).toMatch(new RegExp(`^${modelId}:sha256-[0-9a-f]{16}$`));
  }, 300_000);
});
