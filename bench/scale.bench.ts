// Scale: a synthetic 24 h, 12-lead, 500 Hz Holter ingested through the real pipeline (BENCH_HOLTER_RUNS runs, each
// stated, with the workspace size), and a workspace of BENCH_SCALE_RECORDS records (default 100,000) made from the
// 800 Chapman records, each copy shifted in time and offset so its content hash differs, with the original's labels.
// The workspace is built in phases, each timed: store (records/s), predict (`predict --all` with the small CNN, random
// weights: the speed does not depend on them) and rules (`rules --all`, 12-lead set), both on one worker per core as
// the CLI runs them. Then the p95 of the interactive API calls: worklist page, queue pages (incl. "model != rule"
// with rules stored), queue counts, label search, open record.
// BENCH_SCALE_PARTS=holter,workspace picks parts. BENCH_SCALE_WORKSPACE=DIR keeps the workspace there: its marker
// (scale-built.json) keeps each finished phase's figures and the store phase resumes where it stopped, so a run only
// does what is missing; BENCH_SCALE_REDO=predict,rules re-times those phases on the kept records, BENCH_SCALE_PHASES
// limits a run to some phases, BENCH_SCALE_RULES_RECORDS=N runs the rules on N records only (stated in the figures).
// Last stdout line: one JSON object.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServices } from '../src-main/api/services.ts';
import { READERS } from '../src-main/formats/readers.ts';
import { readWfdbRecord } from '../src-main/formats/wfdb-record.ts';
import { ingestPaths } from '../src-main/ingest/ingest-files.ts';
import { createModel } from '../src-main/ml/models/index.ts';
import { initBackend } from '../src-main/ml/backend.ts';
import { exportedCard, exportModelOnnx } from '../src-main/ml/onnx-export.ts';
import { importOnnxModel } from '../src-main/workspace/import-model.ts';
import { predictInWorkspace } from '../src-main/workspace/predict-records.ts';
import { batchPoolSize, createAnalysisPool } from '../src-main/workspace/analysis-pool.ts';
import { runStoredRulesInPool } from '../src-main/workspace/run-rules-in-pool.ts';
import { DEFAULT_INPUT } from '../src-main/workspace/train-model.ts';
import { allRecordIds, recordCount, storeRecord } from '../src-main/store/record-store.ts';
import { openWorkspace, type Workspace } from '../src-main/store/workspace.ts';
import { writeTransaction } from '../src-main/store/write-transaction.ts';
import { STANDARD_LEADS, type EcgRecord } from '../src-shared/record.ts';
import { SHARED_DATA } from '../tests/helpers/shared-data.ts';
import { writeHolter } from './holter-wfdb.ts';

const log = (s: string) => process.stderr.write(s + '\n');
const tmp = (p: string) => fs.mkdtempSync(path.join(os.tmpdir(), p));
const parts = (process.env.BENCH_SCALE_PARTS ?? 'holter,workspace').split(',');
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const pct = (xs: number[], p: number) => {
  const a = [...xs].sort((x, y) => x - y);
  return a[Math.min(a.length - 1, Math.floor((p / 100) * a.length))];
};
const fileMiB = (dir: string) => {
  const size = (f: string) => (fs.existsSync(f) ? fs.statSync(f).size : 0);
  const db = path.join(dir, 'leadlens.db');
  return (size(db) + size(`${db}-wal`)) / 2 ** 20;
};

async function holter(): Promise<Record<string, unknown>> {
  const hours = Number(process.env.BENCH_HOLTER_HOURS ?? 24);
  const runs = Number(process.env.BENCH_HOLTER_RUNS ?? 3);
  const dataDir = tmp('leadlens-bench-scale-holter-');
  const hea = writeHolter(dataDir, hours);
  const samples = Math.round(hours * 3600 * 500) * 12;
  const seconds: number[] = [];
  let workspaceMiB = 0;
  for (let k = 0; k < runs; k++) {
    const ws = openWorkspace(tmp('leadlens-bench-scale-holter-ws-'));
    const t0 = performance.now();
    const r = await ingestPaths(ws, [hea], { readers: READERS });
    const s = (performance.now() - t0) / 1000;
    if (r.newRecords !== 1) throw new Error(`Holter ingest stored ${r.newRecords} records: ${JSON.stringify(r.quarantined)}`);
    ws.close(); // checkpoints and removes the WAL: what stays on disk
    workspaceMiB = fileMiB(ws.dir);
    seconds.push(round(s));
    log(`holter ${hours} h run ${k + 1}: ingest ${s.toFixed(2)} s, workspace ${workspaceMiB.toFixed(0)} MiB`);
    fs.rmSync(ws.dir, { recursive: true, force: true });
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  const rawMiB = (2 * samples) / 2 ** 20;
  return {
    hours,
    samples,
    ingestSecondsRuns: seconds,
    workspaceMiB: Math.round(workspaceMiB),
    rawInt16MiB: Math.round(rawMiB),
    workspaceOverRaw: round(workspaceMiB / rawMiB, 3),
  };
}

/** Copy `v` of a record: shifted `7 v` samples in time (circularly) and offset by `v` counts, so its content hash differs. */
function variant(base: EcgRecord, v: number): EcgRecord {
  if (v === 0) return base;
  const shift = (7 * v) % base.length;
  return {
    ...base,
    recordName: `${base.recordName}_${v}`,
    ...(base.patientId ? { patientId: `${base.patientId}_${v}` } : {}),
    leads: base.leads.map((l) => {
      const d = new Int16Array(l.digital.length);
      const src = l.digital;
      for (let i = 0; i < d.length; i++) {
        const x = src[(i + shift) % d.length] + v;
        d[i] = x > 32767 ? 32767 : x;
      }
      return { ...l, digital: d };
    }),
  };
}

async function timed<T>(n: number, call: (k: number) => Promise<T>): Promise<number[]> {
  const ms: number[] = [];
  for (let k = 0; k < n; k++) {
    const t = performance.now();
    await call(k);
    ms.push(performance.now() - t);
  }
  return ms;
}

type Figures = Record<string, number>;
/** The kept workspace's marker: each phase's figures once it has finished, and the store phase's progress so far. */
interface Built {
  records: number;
  /** `timed` of the `stored` records were stored in `seconds` (records stored by a run killed before it saved are not). */
  store?: Figures & { stored: number; timed: number; seconds: number; done?: number };
  modelId?: number;
  predict?: Figures;
  rules?: Figures;
}

async function chapmanBases(): Promise<EcgRecord[]> {
  const root = path.join(SHARED_DATA, 'cinc', 'chapman-ningbo', 'WFDBRecords', '01');
  const heas = fs
    .readdirSync(root)
    .flatMap((d) =>
      fs
        .readdirSync(path.join(root, d))
        .filter((f) => f.endsWith('.hea'))
        .map((f) => path.join(root, d, f)),
    )
    .sort();
  const bases: EcgRecord[] = [];
  for (const h of heas) bases.push(await readWfdbRecord(h));
  return bases;
}

/**
 * Stores shifted copies of the Chapman records up to `built.records`, resuming after the records already stored (each
 * batch is one transaction, so an interrupted run leaves whole batches); the seconds add up over resumed runs.
 */
async function storePhase(ws: Workspace, built: Built, save: () => void): Promise<void> {
  const n = built.records;
  const bases = await chapmanBases();
  const from = recordCount(ws.db);
  const prior = built.store ?? { stored: 0, timed: 0, seconds: 0 };
  log(`store: ${bases.length} Chapman records read; ${from} of ${n} records stored, storing the rest...`);
  const t0 = performance.now();
  const batch = 200; // as the ingest pipeline batches small records
  const progress = (k: number) => {
    const seconds = prior.seconds + (performance.now() - t0) / 1000;
    // A marker from before `timed` was kept counted every stored record as timed (one run, from empty).
    const timed = (prior.timed ?? prior.stored) + k - from;
    built.store = { stored: k, timed, seconds: round(seconds, 1), recordsPerSecond: Math.round(timed / seconds) };
  };
  for (let i = from; i < n; i += batch) {
    const now = new Date().toISOString();
    writeTransaction(ws.db, () => {
      for (let k = i; k < Math.min(n, i + batch); k++) {
        const base = bases[k % bases.length];
        storeRecord(
          ws.db,
          variant(base, Math.floor(k / bases.length)),
          { path: `/bench/${base.recordName}_${k}.hea`, format: 'cinc' },
          now,
        );
      }
    });
    if (((i - from) / batch) % 5 === 4) {
      progress(Math.min(n, i + batch));
      save();
      log(`  ${built.store!.stored} stored, ${built.store!.recordsPerSecond}/s, load ${os.loadavg()[0].toFixed(1)}`);
    }
  }
  progress(recordCount(ws.db));
  built.store!.done = 1;
  built.store!.loadavg1 = round(os.loadavg()[0]);
  save();
  log(`stored ${n} records in ${built.store!.seconds} s (${built.store!.recordsPerSecond}/s), ${fileMiB(ws.dir).toFixed(0)} MiB`);
}

/** The small CNN as `leadlens train --arch small-cnn` makes it, exported to ONNX and imported: predict --all's path. */
async function importBenchModel(ws: Workspace): Promise<number> {
  await initBackend();
  const classes = [
    '426783006',
    '164889003',
    '426177001',
    '427084000',
    '164890007',
    '713427006',
    '270492004',
    '284470004',
    '39732003',
    '164934002',
  ];
  const model = createModel({ arch: 'small-cnn', channels: 12, inputShape: [DEFAULT_INPUT.samples], classes: classes.length, seed: 1 });
  const mdir = tmp('leadlens-bench-scale-model-');
  fs.writeFileSync(path.join(mdir, 'model.onnx'), exportModelOnnx(model));
  fs.writeFileSync(
    path.join(mdir, 'model.json'),
    JSON.stringify(
      exportedCard(model, classes, DEFAULT_INPUT.samplingRate, [...STANDARD_LEADS], { zscore: true, bandpass: DEFAULT_INPUT.bandpass }),
    ),
  );
  const { modelId } = await importOnnxModel(ws, path.join(mdir, 'model.onnx'), path.join(mdir, 'model.json'));
  fs.rmSync(mdir, { recursive: true, force: true });
  return modelId;
}

/** `predict --all` with the small CNN; re-running it replaces the predictions (same path, same figures). */
async function predictPhase(ws: Workspace, built: Built, save: () => void): Promise<void> {
  built.modelId ??= await importBenchModel(ws);
  save();
  const n = recordCount(ws.db);
  const tp = performance.now();
  let last = tp;
  // As `leadlens predict --all` runs it: records read and preprocessed on one worker per core.
  const pool = createAnalysisPool(ws, { size: batchPoolSize() });
  const onProgress = (done: number, total: number) => {
    if (performance.now() - last < 30_000) return;
    last = performance.now();
    log(`  predict: ${done} of ${total}, ${(done / ((last - tp) / 1000)).toFixed(0)}/s, load ${os.loadavg()[0].toFixed(1)}`);
  };
  const summary = await predictInWorkspace(ws, built.modelId, undefined, onProgress, { pool }).finally(() => pool.close());
  const seconds = (performance.now() - tp) / 1000;
  built.predict = {
    records: n,
    stored: summary.stored,
    seconds: round(seconds, 1),
    recordsPerSecond: Math.round(n / seconds),
    loadavg1: round(os.loadavg()[0]),
  };
  save();
  log(`predict --all: ${n} records in ${seconds.toFixed(1)} s (${(n / seconds).toFixed(0)}/s), ${summary.skipped.length} skipped`);
}

/** `rules --all` (12-lead set): every detector on every record, stored; re-running it replaces the results. */
async function rulesPhase(ws: Workspace, built: Built, save: () => void): Promise<void> {
  // BENCH_SCALE_RULES_RECORDS=N: rules on N records spread evenly over the workspace (a shorter run; the queue then
  // holds only their disagreements). Default: every record.
  const every = allRecordIds(ws.db);
  const want = Math.min(every.length, Number(process.env.BENCH_SCALE_RULES_RECORDS ?? every.length));
  const ids = want < every.length ? Array.from({ length: want }, (_, k) => every[Math.floor((k * every.length) / want)]) : every;
  const tr = performance.now();
  let last = tr;
  const outcomes = await runStoredRulesInPool(ws, ids, 12, {
    onProgress: (done) => {
      if (performance.now() - last < 30_000) return;
      last = performance.now();
      log(`  rules: ${done} of ${ids.length}, ${(done / ((last - tr) / 1000)).toFixed(0)}/s, load ${os.loadavg()[0].toFixed(1)}`);
    },
  });
  const seconds = (performance.now() - tr) / 1000;
  const skipped = outcomes.filter((o) => o.error).length;
  built.rules = {
    records: ids.length,
    stored: ids.length - skipped,
    seconds: round(seconds, 1),
    recordsPerSecond: Math.round(ids.length / seconds),
    loadavg1: round(os.loadavg()[0]),
  };
  save();
  log(`rules --all: ${ids.length} records in ${seconds.toFixed(1)} s (${(ids.length / seconds).toFixed(0)}/s), ${skipped} skipped`);
}

/**
 * Builds the workspace in phases (store, predict, rules). With BENCH_SCALE_WORKSPACE the marker keeps each finished
 * phase's figures, so a later run only does the phases still missing, plus those named in BENCH_SCALE_REDO
 * (predict,rules: re-timed on the kept records). BENCH_SCALE_PHASES limits this run to some phases (default all).
 */
async function workspace(): Promise<Record<string, unknown>> {
  const kept = process.env.BENCH_SCALE_WORKSPACE;
  const marker = kept && path.join(kept, 'scale-built.json');
  const ws: Workspace = openWorkspace(kept ?? tmp('leadlens-bench-scale-ws-'));
  const built: Built =
    marker && fs.existsSync(marker)
      ? (JSON.parse(fs.readFileSync(marker, 'utf8')) as Built)
      : { records: Number(process.env.BENCH_SCALE_RECORDS ?? 100_000) };
  const save = () => marker && fs.writeFileSync(marker, JSON.stringify(built, null, 2) + '\n');
  const phases = (process.env.BENCH_SCALE_PHASES ?? 'store,predict,rules').split(',');
  const redo = (process.env.BENCH_SCALE_REDO ?? '').split(',');
  if (phases.includes('store') && !built.store?.done) await storePhase(ws, built, save);
  if (!built.store?.done) throw new Error(`the store phase has not finished (${built.store?.stored ?? 0} of ${built.records} stored)`);
  if (phases.includes('predict') && (!built.predict || redo.includes('predict'))) await predictPhase(ws, built, save);
  if (phases.includes('rules') && (!built.rules || redo.includes('rules'))) await rulesPhase(ws, built, save);
  const n = recordCount(ws.db);
  // Interactive calls through the API services (what serve and Electron run), with the model queues present.
  const api = createServices(ws, () => undefined, 'http');
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const page = await timed(40, (k) =>
    api.call('records.list', { offset: Math.floor(rnd() * (n - 50)), limit: 50, ...(k % 2 ? { sort: 'name' } : {}) }),
  );
  const queuePage = await timed(20, (k) =>
    api.call('records.list', { queue: ['new', 'flagged', 'low-confidence', 'model-vs-label'][k % 4], offset: 0, limit: 50 }),
  );
  // The "model != rule" queue: its first page and a page deep in it, with rule results stored for every record.
  const ruleQueuePage = built.rules
    ? await timed(20, (k) => api.call('records.list', { queue: 'model-vs-rule', offset: k % 2 ? 0 : 1000, limit: 50 }))
    : undefined;
  const counts = await timed(10, () => api.call('worklist.queues', {}));
  const search = await timed(20, (k) =>
    api.call('records.list', k % 2 ? { search: '164889003', limit: 50 } : { label: '164889003', limit: 50 }),
  );
  const open = await timed(40, async () => {
    const id = 1 + Math.floor(rnd() * n);
    await api.call('records.get', { id });
    await api.call('records.signal', { id, maxPoints: 4000 });
  });
  const queueSizes = (await api.call('worklist.queues', {})) as unknown;
  ws.close();
  const workspaceMiB = fileMiB(ws.dir);
  if (!kept) fs.rmSync(ws.dir, { recursive: true, force: true });
  const p95 = (xs: number[]) => round(pct(xs, 95));
  const out = {
    records: n,
    storeRecordsPerSecond: built.store?.recordsPerSecond,
    predictAllRecordsPerSecond: built.predict?.recordsPerSecond,
    rulesAllRecordsPerSecond: built.rules?.recordsPerSecond,
    phases: { store: built.store, predict: built.predict, rules: built.rules },
    workspaceMiB: Math.round(workspaceMiB),
    worklistPageP95Ms: p95(page),
    queuePageP95Ms: p95(queuePage),
    ...(ruleQueuePage ? { modelVsRuleQueuePageP95Ms: p95(ruleQueuePage) } : {}),
    queueCountsP95Ms: p95(counts),
    labelSearchP95Ms: p95(search),
    openRecordP95Ms: p95(open),
    queueSizes,
  };
  log(`workspace: ${JSON.stringify(out)}`);
  return out;
}

const result: Record<string, unknown> = { loadavgAtStart: os.loadavg().map((x) => round(x)) };
if (parts.includes('holter')) result.holter = await holter();
if (parts.includes('workspace')) result.workspace = await workspace();
result.loadavgAtEnd = os.loadavg().map((x) => round(x));
process.stdout.write(JSON.stringify(result) + '\n');
