// Peak memory of ingesting a PTB-XL index of 22,000 rows (the real one has 21,837): the index alone (no record files)
// and with 2,200 distinct 100 Hz records present. Each case runs in a fresh process, so its peak RSS is its own.
// Run alone: node bench/run.mjs ptbxl-index (BENCH_PTBXL_ROWS / BENCH_PTBXL_PRESENT change the sizes).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsvRecords } from '../src-main/formats/csv.ts';
import { READERS } from '../src-main/formats/readers.ts';
import { ingestPaths } from '../src-main/ingest/ingest-files.ts';
import { openWorkspace } from '../src-main/store/workspace.ts';
import { SHARED_DATA } from './shared-data-path.ts';

const log = (s: string) => process.stderr.write(s + '\n');
const MiB = (kib: number) => Math.round(kib / 1024);

/** A PTB-XL folder: `rows` index rows made from the real rows, `present` of them with a distinct 100 Hz record. */
function buildFolder(dir: string, rows: number, present: number): void {
  const src = path.join(SHARED_DATA, 'ptbxl');
  const text = fs.readFileSync(path.join(src, 'ptbxl_database.csv'), 'utf8');
  const header = text.split(/\r?\n/)[0];
  const columns = header.split(',');
  const real = parseCsvRecords(text, 'ptbxl_database.csv').rows;
  const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const out = fs.openSync(path.join(dir, 'ptbxl_database.csv'), 'w');
  fs.writeSync(out, header + '\r\n');
  const every = Math.max(1, Math.floor(rows / Math.max(1, present)));
  let made = 0;
  for (let id = 1; id <= rows; id++) {
    const base = real[id % real.length];
    const folder = String(Math.floor(id / 1000) * 1000).padStart(5, '0');
    const name = String(id).padStart(5, '0');
    const row = {
      ...base,
      ecg_id: String(id),
      filename_lr: `records100/${folder}/${name}_lr`,
      filename_hr: `records500/${folder}/${name}_hr`,
    };
    fs.writeSync(out, columns.map((c) => quote(row[c as keyof typeof row])).join(',') + '\r\n');
    if (made < present && id % every === 0) {
      // The real record under this row's name, two samples of lead I swapped (the checksum holds) so records differ.
      const to = path.join(dir, 'records100', folder);
      fs.mkdirSync(to, { recursive: true });
      const from = path.join(src, base.filename_lr);
      const srcName = path.basename(from);
      fs.writeFileSync(path.join(to, `${name}_lr.hea`), fs.readFileSync(`${from}.hea`, 'latin1').replaceAll(srcName, `${name}_lr`));
      const dat = fs.readFileSync(`${from}.dat`);
      const [a, b] = [2 * 12 * (id % 997), 2 * 12 * 999];
      const va = dat.readInt16LE(a);
      dat.writeInt16LE(dat.readInt16LE(b), a);
      dat.writeInt16LE(va, b);
      fs.writeFileSync(path.join(to, `${name}_lr.dat`), dat);
      made++;
    }
  }
  fs.closeSync(out);
  fs.copyFileSync(path.join(src, 'scp_statements.csv'), path.join(dir, 'scp_statements.csv'));
}

async function child(dir: string): Promise<void> {
  const ws = openWorkspace(fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-bench-ptbxl-ws-')));
  const before = process.resourceUsage().maxRSS;
  const t0 = performance.now();
  const r = await ingestPaths(ws, [dir], { readers: READERS });
  const seconds = (performance.now() - t0) / 1000;
  const peak = process.resourceUsage().maxRSS;
  ws.close();
  fs.rmSync(ws.dir, { recursive: true, force: true });
  process.stdout.write(
    JSON.stringify({
      records: r.newRecords + r.duplicates,
      quarantined: r.quarantined.length,
      warnings: r.warnings.length,
      rssBeforeMiB: MiB(before),
      peakRssMiB: MiB(peak),
      seconds: Math.round(seconds * 10) / 10,
    }) + '\n',
  );
}

async function main(): Promise<void> {
  const rows = Number(process.env.BENCH_PTBXL_ROWS ?? 22_000);
  const present = Number(process.env.BENCH_PTBXL_PRESENT ?? 2_200);
  const result: Record<string, unknown> = { rows, loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100) };
  for (const [label, n] of [
    ['indexOnly', 0],
    ['partial', present],
  ] as const) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-bench-ptbxl-'));
    buildFolder(dir, rows, n);
    const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', dir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const figures = JSON.parse(out.trim().split('\n').pop()!);
    log(
      `ptbxl ${label}: ${rows} rows, ${figures.records} records present: peak RSS ${figures.peakRssMiB} MiB (${figures.rssBeforeMiB} MiB before), ${figures.seconds} s`,
    );
    result[label] = { presentRecords: n, ...figures };
    fs.rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify(result) + '\n');
}

if (process.argv[2] === '--child') await child(process.argv[3]);
else await main();
