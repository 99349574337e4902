// Scale: a synthetic 24 h, 12-lead, 500 Hz Holter ingested through the real pipeline (BENCH_HOLTER_RUNS runs, each
// stated, with the workspace size), and a workspace of BENCH_SCALE_RECORDS records (default 100,000) made from the
// 800 Chapman records, each copy shifted in time and offset so its content hash differs, with the original's labels:
// store records/s, workspace size, p95 of the interactive API calls (worklist page, queue counts, label search, open
// record) and `predict --all` records/s with the small CNN (random weights: the speed does not depend on them).
// BENCH_SCALE_PARTS=holter,workspace picks parts. BENCH_SCALE_WORKSPACE=DIR keeps the built workspace there and reuses
// it on the next run (only the interactive calls are measured again). Last stdout line: one JSON object.
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
import { DEFAULT_INPUT } from '../src-main/workspace/train-model.ts';
import { storeRecord } from '../src-main/store/record-store.ts';
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

/** Stores `n` shifted copies of the Chapman records and predicts them all; the store and predict rates. */
async function build(ws: Workspace, n: number): Promise<Record<string, number>> {
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
  log(`workspace: ${bases.length} Chapman records read; storing ${n} records...`);
  const t0 = performance.now();
  const batch = 200; // as the ingest pipeline batches small records
  for (let i = 0; i < n; i += batch) {
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
    if ((i / batch) % 50 === 0) log(`  ${i + batch} stored`);
  }
  const storeSeconds = (performance.now() - t0) / 1000;
  log(`stored ${n} records in ${storeSeconds.toFixed(1)} s (${(n / storeSeconds).toFixed(0)}/s), ${fileMiB(ws.dir).toFixed(0)} MiB`);

  // The small CNN as `leadlens train --arch small-cnn` makes it, exported to ONNX and imported: predict --all's path.
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
  const tp = performance.now();
  await predictInWorkspace(ws, modelId);
  const predictSeconds = (performance.now() - tp) / 1000;
  log(`predict --all: ${n} records in ${predictSeconds.toFixed(1)} s (${(n / predictSeconds).toFixed(0)}/s)`);
  return { records: n, storeRecordsPerSecond: Math.round(n / storeSeconds), predictAllRecordsPerSecond: Math.round(n / predictSeconds) };
}

async function workspace(): Promise<Record<string, unknown>> {
  const kept = process.env.BENCH_SCALE_WORKSPACE;
  const marker = kept && path.join(kept, 'scale-built.json');
  const ws: Workspace = openWorkspace(kept ?? tmp('leadlens-bench-scale-ws-'));
  const built =
    marker && fs.existsSync(marker)
      ? (JSON.parse(fs.readFileSync(marker, 'utf8')) as Record<string, number>)
      : await build(ws, Number(process.env.BENCH_SCALE_RECORDS ?? 100_000));
  if (marker) fs.writeFileSync(marker, JSON.stringify(built));
  const n = built.records;
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
  const counts = await timed(10, () => api.call('worklist.queues', {}));
  const search = await timed(20, (k) =>
    api.call('records.list', k % 2 ? { search: '164889003', limit: 50 } : { label: '164889003', limit: 50 }),
  );
  const open = await timed(40, async () => {
    const id = 1 + Math.floor(rnd() * n);
    await api.call('records.get', { id });
    await api.call('records.signal', { id, maxPoints: 4000 });
  });
  ws.close();
  const workspaceMiB = fileMiB(ws.dir);
  if (!kept) fs.rmSync(ws.dir, { recursive: true, force: true });
  const p95 = (xs: number[]) => round(pct(xs, 95));
  const out = {
    ...built,
    workspaceMiB: Math.round(workspaceMiB),
    worklistPageP95Ms: p95(page),
    queuePageP95Ms: p95(queuePage),
    queueCountsP95Ms: p95(counts),
    labelSearchP95Ms: p95(search),
    openRecordP95Ms: p95(open),
  };
  log(`workspace: ${JSON.stringify(out)}`);
  return out;
}

const result: Record<string, unknown> = { loadavgAtStart: os.loadavg().map((x) => round(x)) };
if (parts.includes('holter')) result.holter = await holter();
if (parts.includes('workspace')) result.workspace = await workspace();
result.loadavgAtEnd = os.loadavg().map((x) => round(x));
process.stdout.write(JSON.stringify(result) + '\n');
