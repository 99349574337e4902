// The test workspace most ML, explain and viewer tests start from: a new workspace with the first records of the
// Chapman-Ningbo folder WFDBRecords/01/010 (real 12-lead, 500 Hz, 10 s, SNOMED-labelled) ingested, and the tiny
// training run tests use when they need a model but not a good one (or an untrained one, stored without training).
import type { Database } from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { READERS } from '../../src-main/formats/readers.ts';
import { ingestPaths } from '../../src-main/ingest/ingest-files.ts';
import { serializeWeights } from '../../src-main/ml/model-weights.ts';
import { createModel } from '../../src-main/ml/models/index.ts';
import { saveModel } from '../../src-main/store/model-store.ts';
import { openWorkspace, type Workspace } from '../../src-main/store/workspace.ts';
import { trainInWorkspace, type TrainRequest, type TrainSummary } from '../../src-main/workspace/train-model.ts';
import { STANDARD_LEADS } from '../../src-shared/record.ts';
import { dataPath } from './shared-data.ts';

export const CHAPMAN_DIR = dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01', '010');
export const CHALLENGE_WEIGHTS = dataPath('cinc', 'scoring-2021', 'weights.csv');

/** The names of the first `count` records of the folder, in name order. */
export function chapmanNames(count: number): string[] {
  return fs
    .readdirSync(CHAPMAN_DIR)
    .filter((f) => f.endsWith('.hea'))
    .sort()
    .slice(0, count)
    .map((f) => f.slice(0, -4));
}

/** The records' files: each .hea with its .mat, or the headers alone (ingest finds the .mat beside them). */
export function chapmanFiles(records: number | string[], opts: { headersOnly?: boolean } = {}): string[] {
  const names = typeof records === 'number' ? chapmanNames(records) : records;
  return names.flatMap((n) => [path.join(CHAPMAN_DIR, `${n}.hea`), ...(opts.headersOnly ? [] : [path.join(CHAPMAN_DIR, `${n}.mat`)])]);
}

/**
 * A workspace in a new temporary folder (or `dir`) with the first `records` Chapman records (or the named ones)
 * ingested; throws unless every one was stored as new.
 */
export async function chapmanWorkspace(records: number | string[], opts: { dir?: string } = {}): Promise<{ ws: Workspace; dir: string }> {
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-chapman-'));
  const ws = openWorkspace(dir);
  const expected = typeof records === 'number' ? records : records.length;
  const r = await ingestPaths(ws, chapmanFiles(records), { readers: READERS });
  if (r.newRecords !== expected) {
    ws.close();
    throw new Error(`chapmanWorkspace: expected ${expected} new records, got ${JSON.stringify(r)}`);
  }
  return { ws, dir };
}

/** The `n` most frequent current SNOMED labels of the workspace, most frequent first (ties by code). */
export function topLabelCodes(db: Database, n: number): string[] {
  return db
    .prepare("SELECT code FROM label WHERE is_current = 1 AND vocabulary = 'SNOMED' GROUP BY code ORDER BY COUNT(*) DESC, code LIMIT ?")
    .pluck()
    .all(n) as string[];
}

/** The tiny run: a 2-lead small CNN for one epoch with the challenge weights; `over` changes any of it. */
export function trainTinyModel(ws: Workspace, over: Partial<TrainRequest> & { classes: string[] }): Promise<TrainSummary> {
  return trainInWorkspace(ws, { arch: 'small-cnn', leads: 2, epochs: 1, seed: 1, weightsCsv: CHALLENGE_WEIGHTS, ...over });
}

/** The classes of the untrained model: atrial fibrillation and sinus rhythm. */
export const UNTRAINED_CLASSES = ['164889003', '426783006'];

/**
 * Stores an untrained 12-lead small CNN (100 Hz x 1000, band-pass 0.5-40 Hz, UNTRAINED_CLASSES; random weights from
 * `seed`) for tests that need a model to run, not a good one; returns its id. Needs initBackend first.
 */
export function saveUntrainedModel(db: Database, opts: { name?: string; seed?: number } = {}): number {
  const model = createModel({
    arch: 'small-cnn',
    channels: 12,
    inputShape: [1000],
    classes: UNTRAINED_CLASSES.length,
    seed: opts.seed ?? 3,
  });
  return saveModel(db, {
    name: opts.name ?? 'tiny',
    kind: 'tfjs',
    architecture: 'small-cnn',
    hyperparameters: {},
    classes: UNTRAINED_CLASSES,
    leadSet: [...STANDARD_LEADS],
    inputSpec: { samplingRate: 100, samples: 1000, leads: [...STANDARD_LEADS], bandpass: { lowHz: 0.5, highHz: 40 } },
    metrics: {},
    runtime: 'test',
    weights: serializeWeights(model),
    records: [],
    labelIds: [],
  });
}

/** The image CNN the saliency tests explain: 12 leads drawn on two chart layouts, sinus bradycardia vs AF, one epoch. */
export function trainTinyImageCnn(ws: Workspace): Promise<TrainSummary> {
  return trainInWorkspace(ws, {
    arch: 'image-cnn',
    leads: 12,
    layouts: ['3x4+II', '6x2'],
    epochs: 1,
    seed: 1,
    classes: ['426177001', '164889003'],
  });
}
