// Times the worklist's queue counts (all in one worklistQueues call, and each queue's total alone) on the scale
// bench's kept workspace, opened read-only in place (no copy, nothing written):
//   BENCH_SCALE_WORKSPACE=DIR node bench/run.mjs queue-counts   (or: node --import tsx bench/queue-counts.bench.ts DIR [runs])
// Prints one JSON object: p50/p95 per form in ms, the counts, and the load average (timings under load are not final).
// Without a kept workspace it says so in its JSON: building 100,000 records is the scale bench's job, not this one's.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listWorklist, worklistQueues } from '../src-main/store/worklist.ts';

const [dirArg, runsArg] = process.argv.slice(2);
const dir = dirArg ?? process.env.BENCH_SCALE_WORKSPACE;
const dbPath = dir && path.join(dir, 'leadlens.db');
if (!dbPath || !fs.existsSync(dbPath)) {
  console.log(
    JSON.stringify({ notRun: `no kept workspace${dir ? ` at ${dir}` : ''}: set BENCH_SCALE_WORKSPACE=DIR (built by the scale bench)` }),
  );
  process.exit(0);
}
const runs = Number(runsArg ?? 21);
const db = new Database(dbPath, { readonly: true, fileMustExist: true });

function timed(fn: () => unknown): { p50: number; p95: number } {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    fn();
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  ms.sort((a, b) => a - b);
  const at = (p: number) => Math.round(ms[Math.min(ms.length - 1, Math.ceil((p / 100) * ms.length) - 1)] * 10) / 10;
  return { p50: at(50), p95: at(95) };
}

const loadBefore = os.loadavg()[0];
const { queues } = worklistQueues(db);
const allCounts = timed(() => worklistQueues(db));
// A queue's total as its first page computes it (limit 0: the count without reading any record).
const perQueue = Object.fromEntries(
  queues.map((q) => [q.id, { count: q.count, ...timed(() => listWorklist(db, { queue: q.id, limit: 0 })) }]),
);
db.close();
console.log(JSON.stringify({ runs, allCountsMs: allCounts, perQueue, loadavg1: [loadBefore, os.loadavg()[0]] }));
