// Training on the reviewers' consensus names that consensus in the model's lineage (method, reviewers, a hash of the
// codes trained on), and not the current label versions of the records it came from.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { READERS } from '../../src-main/formats/readers.ts';
import { ingestPaths } from '../../src-main/ingest/ingest-files.ts';
import { currentLabelIds, setAnnotatorLabel, setReviewState } from '../../src-main/store/label-store.ts';
import { getModel, modelLineage } from '../../src-main/store/model-store.ts';
import { openWorkspace, type Workspace } from '../../src-main/store/workspace.ts';
import { workspaceRecords } from '../../src-main/workspace/labelled-records.ts';
import { trainInWorkspace, type TrainingRecords } from '../../src-main/workspace/train-model.ts';
import { dataPath } from '../helpers/shared-data.ts';

const CLASSES = ['426177001', '426783006', '164889003', '427084000'];
const AF = '164889003';
let ws: Workspace;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-consensus-'));
  ws = openWorkspace(dir);
  const src = dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01', '010');
  const files = fs
    .readdirSync(src)
    .filter((f) => f.endsWith('.hea'))
    .sort()
    .slice(0, 14)
    .flatMap((f) => [path.join(src, f), path.join(src, f.replace('.hea', '.mat'))]);
  expect((await ingestPaths(ws, files, { readers: READERS })).newRecords).toBe(14);
});

afterAll(() => {
  ws.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('a model trained on the consensus records the consensus it used, not the current label versions', async () => {
  const reviewed = [1, 2, 3];
  // Two of three reviewers add AF on record 1; every reviewer submits records 1-3.
  for (const who of ['dr.a', 'dr.b']) setAnnotatorLabel(ws.db, { recordId: 1, vocabulary: 'SNOMED', code: AF, present: true, author: who });
  setAnnotatorLabel(ws.db, { recordId: 1, vocabulary: 'SNOMED', code: AF, present: false, author: 'dr.c' });
  for (const id of reviewed)
    for (const who of ['dr.a', 'dr.b', 'dr.c']) setReviewState(ws.db, { recordId: id, state: 'accepted', author: who });
  const r = await trainInWorkspace(ws, { arch: 'small-cnn', leads: 2, classes: CLASSES, epochs: 1, seed: 1, labelSource: 'consensus' });
  const records = (getModel(ws.db, r.modelId).hyperparameters as { records: TrainingRecords }).records;
  expect(records.labels.source).toBe('consensus');
  const consensus = records.labels.source === 'consensus' ? records.labels.consensus : null;
  expect(consensus).toMatchObject({ method: 'dawid-skene', reviewers: ['dr.a', 'dr.b', 'dr.c'], records: 3 });
  // The hash is of the consensus codes the model trained on, recomputed here from the consensus label source.
  const codes = workspaceRecords(ws.db, reviewed, 'consensus').map((x) => `${x.recordId}\t${[...x.item.codes].sort().join(',')}`);
  expect(codes[0]).toContain(AF);
  expect(consensus!.labelsSha256).toBe(createHash('sha256').update(codes.join('\n')).digest('hex'));
  // Lineage label versions cover the other records only; record 1's annotator labels are not there.
  const lineage = modelLineage(ws.db, r.modelId);
  expect(lineage.records).toHaveLength(14);
  for (const id of reviewed) for (const l of currentLabelIds(ws.db, id)) expect(lineage.labelIds).not.toContain(l);
  expect(lineage.labelIds).toEqual(expect.arrayContaining(currentLabelIds(ws.db, 4)));
  // Training on the current labels says so.
  const plain = await trainInWorkspace(ws, { arch: 'small-cnn', leads: 2, classes: CLASSES, epochs: 1, seed: 1 });
  expect((getModel(ws.db, plain.modelId).hyperparameters as { records: TrainingRecords }).records.labels).toEqual({ source: 'current' });
  expect(modelLineage(ws.db, plain.modelId).labelIds).toEqual(expect.arrayContaining(currentLabelIds(ws.db, 1)));
});
