// Ingest throughput: CinC records/s end to end (read + dedupe + store) and a synthetic 24 h, 12-lead, 500 Hz
// Holter written as WFDB format 16, timed per stage.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { READERS } from '../src-main/formats/readers.ts';
import { readWfdbRecord } from '../src-main/formats/wfdb-record.ts';
import { ingestPaths } from '../src-main/ingest/ingest-files.ts';
import { signalContentHash } from '../src-main/store/content-hash.ts';
import { stageRecordSignal, storeRecord } from '../src-main/store/record-store.ts';
import { openWorkspace } from '../src-main/store/workspace.ts';
import { writeTransaction } from '../src-main/store/write-transaction.ts';
import { SHARED_DATA } from '../tests/helpers/shared-data.ts';
import { writeHolter } from './holter-wfdb.ts';

const tmp = (p: string) => fs.mkdtempSync(path.join(os.tmpdir(), p));
const log = (s: string) => process.stderr.write(s + '\n');

async function cincThroughput(): Promise<Record<string, number>> {
  const dir = path.join(SHARED_DATA, 'cinc', 'chapman-ningbo', 'WFDBRecords');
  const runs: number[] = [];
  let records = 0;
  for (let rep = 0; rep < 3; rep++) {
    const ws = openWorkspace(tmp('leadlens-bench-ingest-'));
    const t0 = performance.now();
    const r = await ingestPaths(ws, [dir], { readers: READERS });
    const s = (performance.now() - t0) / 1000;
    records = r.newRecords + r.duplicates;
    runs.push(records / s);
    log(`cinc: ${records} records in ${s.toFixed(2)} s (${(records / s).toFixed(0)}/s), ${r.quarantined.length} quarantined`);
    ws.close();
    fs.rmSync(ws.dir, { recursive: true, force: true });
  }
  runs.sort((a, b) => a - b);
  return { records, recordsPerSecondMedian: Math.round(runs[1]), recordsPerSecondRuns: runs.map(Math.round) as unknown as number };
}

/** One ingest of the synthetic Holter as the pipeline stores a record this large, timed per stage. */
async function holterRun(hea: string): Promise<Record<string, number>> {
  const ws = openWorkspace(tmp('leadlens-bench-holter-ws-'));
  const t0 = performance.now();
  const rec = await readWfdbRecord(hea);
  const t1 = performance.now();
  const hash = signalContentHash(rec);
  const t2 = performance.now();
  // Chunks staged in bounded transactions (encoded on worker threads), then the record row.
  const staged = await stageRecordSignal(ws.db, rec, hash);
  writeTransaction(ws.db, () => storeRecord(ws.db, rec, { path: hea, format: 'wfdb' }, undefined, hash, staged));
  const t3 = performance.now();
  const dbBytes =
    fs.statSync(path.join(ws.dir, 'leadlens.db')).size +
    (fs.existsSync(path.join(ws.dir, 'leadlens.db-wal')) ? fs.statSync(path.join(ws.dir, 'leadlens.db-wal')).size : 0);
  ws.close();
  fs.rmSync(ws.dir, { recursive: true, force: true }); // a 24 h workspace is several hundred MB
  const out = {
    samples: rec.length * rec.leads.length,
    totalSeconds: (t3 - t0) / 1000,
    readSeconds: (t1 - t0) / 1000,
    hashSeconds: (t2 - t1) / 1000,
    storeSeconds: (t3 - t2) / 1000,
    databaseMiB: Math.round(dbBytes / 2 ** 20),
    loadavg1: Math.round(os.loadavg()[0] * 100) / 100,
  };
  log(`holter: ${JSON.stringify(out)}`);
  return out;
}

/** BENCH_HOLTER_RUNS runs (default 3), each stated; the headline figures are the slowest run's. */
async function holter(): Promise<Record<string, unknown>> {
  const dir = tmp('leadlens-bench-holter-');
  const hea = writeHolter(dir, Number(process.env.BENCH_HOLTER_HOURS ?? 24));
  const runs: Record<string, number>[] = [];
  for (let i = 0; i < Number(process.env.BENCH_HOLTER_RUNS ?? 3); i++) runs.push(await holterRun(hea));
  fs.rmSync(dir, { recursive: true, force: true });
  const slowest = runs.reduce((a, b) => (b.totalSeconds > a.totalSeconds ? b : a));
  return { ...slowest, runs, rawMiB: Math.round((2 * slowest.samples) / 2 ** 20) };
}

// BENCH_INGEST_SKIP_CINC=1 times the Holter alone.
const result = {
  cinc: process.env.BENCH_INGEST_SKIP_CINC ? undefined : await cincThroughput(),
  holter: { hours: Number(process.env.BENCH_HOLTER_HOURS ?? 24), ...(await holter()) },
};
process.stdout.write(JSON.stringify(result) + '\n');
