// Times the worklist's queue counts (all in one worklistQueues call, and each queue's count alone) on a kept workspace,
// opened read-only and in place (no copy): `node --import tsx bench/queue-counts.ts /path/to/leadlens.db [runs]`.
// Prints one JSON object: p50/p95 per form in ms, the counts, and the load average (timings under load are not final).
import Database from 'better-sqlite3';
import os from 'node:os';
import { listWorklist, worklistQueues } from '../src-main/store/worklist.ts';

const [dbPath, runsArg] = process.argv.slice(2);
if (!dbPath) {
  process.stderr.write('usage: node --import tsx bench/queue-counts.ts WORKSPACE/leadlens.db [runs]\n');
  process.exit(2);
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
