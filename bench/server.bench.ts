// The API's responsiveness under analysis load (issue 12.6): p50/p95/max latency of a trivial call (workspace.info)
// while 20 clients keep asking for record analyses, with the analyses on the event loop (--analysis-workers 0,
// the old path) and on the worker pool (default size), in the same run. Runs the built `leadlens serve` (build first:
// `node scripts/build.mjs --main-only`). Prints one JSON object as the last stdout line.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SHARED_DATA } from './shared-data-path.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(root, 'bin', 'leadlens.mjs');
const CLIENTS = 20;
const SECONDS = Number(process.env.LEADLENS_BENCH_SECONDS ?? 10);
const RECORDS = 40;

if (!fs.existsSync(path.join(root, 'dist', 'main', 'analysis-worker.mjs'))) {
  process.stderr.write('server bench: build first (node scripts/build.mjs --main-only)\n');
  process.exit(1);
}

/** A workspace of RECORDS Chapman-Ningbo records (12 leads, 500 Hz, 10 s), ingested through the CLI. */
function makeWorkspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-bench-server-'));
  const src = path.join(SHARED_DATA, 'cinc', 'chapman-ningbo', 'WFDBRecords', '01', '010');
  const files = fs
    .readdirSync(src)
    .filter((f) => f.endsWith('.hea'))
    .sort()
    .slice(0, RECORDS);
  const pick = path.join(dir, 'pick');
  fs.mkdirSync(pick);
  for (const f of files)
    for (const ext of ['.hea', '.mat']) fs.symlinkSync(path.join(src, f.replace('.hea', ext)), path.join(pick, f.replace('.hea', ext)));
  const r = spawnSync(process.execPath, [BIN, 'ingest', pick, '--workspace', path.join(dir, 'ws'), '--json'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ingest failed: ${r.stderr.trim()}`);
  return path.join(dir, 'ws');
}

function serve(ws: string, workers: number | undefined): Promise<{ child: ChildProcess; port: number; token: string }> {
  const args = [
    BIN,
    'serve',
    '--json',
    '--no-samples',
    '--workspace',
    ws,
    ...(workers === undefined ? [] : ['--analysis-workers', String(workers)]),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        const { url, port } = JSON.parse(line) as { url: string; port: number };
        resolve({ child, port, token: new URL(url).searchParams.get('token')! });
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS + 4 });
function call(port: number, token: string, method: string, params: unknown): Promise<number> {
  const body = JSON.stringify(params);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: `/api/${method}`,
        method: 'POST',
        agent,
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, 'Content-Length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const ms = (x: number) => Math.round(x * 10) / 10;

/** info latency while CLIENTS loop on records.analysis for SECONDS; plus an idle baseline before the load starts. */
async function measure(ws: string, workers: number | undefined, recordIds: number[]) {
  const { child, port, token } = await serve(ws, workers);
  try {
    // Open loop: a call starts every 20 ms whatever the previous ones are doing, so a stalled event loop shows up as
    // many slow calls rather than as one (a closed loop would wait out the stall and sample it once).
    const probe = async (until: number) => {
      const pending: Promise<number>[] = [];
      while (performance.now() < until) {
        const t = performance.now();
        pending.push(
          call(port, token, 'workspace.info', {}).then((status) => {
            if (status !== 200) throw new Error('workspace.info failed');
            return performance.now() - t;
          }),
        );
        await new Promise((r) => setTimeout(r, 20));
      }
      return (await Promise.all(pending)).sort((a, b) => a - b);
    };
    const idle = await probe(performance.now() + 2000);
    let analyses = 0;
    let failures = 0;
    const until = performance.now() + SECONDS * 1000;
    const clients = Array.from({ length: CLIENTS }, async (_, c) => {
      for (let k = c; performance.now() < until; k++) {
        const status = await call(port, token, 'records.analysis', { id: recordIds[k % recordIds.length] });
        if (status === 200) analyses++;
        else failures++;
      }
    });
    const loaded = await probe(until);
    await Promise.all(clients);
    return {
      analysisWorkers: workers ?? 'default',
      idle: { p50Ms: ms(pct(idle, 50)), p95Ms: ms(pct(idle, 95)) },
      underLoad: { calls: loaded.length, p50Ms: ms(pct(loaded, 50)), p95Ms: ms(pct(loaded, 95)), maxMs: ms(loaded[loaded.length - 1]) },
      analysesPerSecond: ms(analyses / SECONDS),
      failedAnalyses: failures,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

const loadAtStart = os.loadavg();
process.stderr.write(`server bench: load ${loadAtStart.map((x) => x.toFixed(2)).join(' ')}; ingesting ${RECORDS} records...\n`);
const ws = makeWorkspace();
const recordIds = Array.from({ length: RECORDS }, (_, i) => i + 1);
// Alternating runs (A B A B): in one run the second measurement was twice as slow whichever mode it was.
const eventLoop = [];
const workerPool = [];
for (let round = 0; round < 2; round++) {
  process.stderr.write(`server bench: round ${round + 1}, analyses on the event loop...\n`);
  eventLoop.push(await measure(ws, 0, recordIds));
  process.stderr.write(`server bench: round ${round + 1}, analyses on the worker pool...\n`);
  workerPool.push(await measure(ws, undefined, recordIds));
}
agent.destroy();
const worstP95 = (runs: { underLoad: { p95Ms: number } }[]) => Math.max(...runs.map((r) => r.underLoad.p95Ms));
console.log(
  JSON.stringify({
    workload: `${CLIENTS} clients looping records.analysis over ${RECORDS} Chapman-Ningbo records (12 leads, 500 Hz, 10 s) for ${SECONDS} s; workspace.info started every 20 ms (open loop); two alternating rounds`,
    cpus: os.availableParallelism(),
    loadavgAtStart: loadAtStart.map((x) => ms(x)),
    loadavgAtEnd: os.loadavg().map((x) => ms(x)),
    eventLoop,
    workerPool,
    worstP95Ratio: ms(worstP95(eventLoop) / worstP95(workerPool)),
  }),
);
