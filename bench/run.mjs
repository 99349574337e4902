// Runs every bench/*.bench.ts in turn (each prints one JSON object on its last stdout line)
// and merges them into bench/results.json. `npm run bench -- qrs ml` runs only those sections.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = fs
  .readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort()
  .filter((f) => only.length === 0 || only.includes(f.replace('.bench.ts', '')));
const resultsPath = path.join(here, 'results.json');
const results = fs.existsSync(resultsPath) ? JSON.parse(fs.readFileSync(resultsPath, 'utf8')) : {};
results.machine = {
  cpus: os.cpus().length,
  cpu: os.cpus()[0]?.model,
  memGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  loadavgAtStart: os.loadavg(),
};
for (const f of files) {
  const name = f.replace('.bench.ts', '');
  process.stderr.write(`bench ${name}...\n`);
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(here, f)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 28,
  });
  const last = out.trim().split('\n').pop() ?? '{}';
  results[name] = { measuredAt: new Date().toISOString(), ...JSON.parse(last) };
  fs.writeFileSync(resultsPath, JSON.stringify(results, null, 2) + '\n');
}
process.stderr.write(`wrote ${resultsPath}\n`);
