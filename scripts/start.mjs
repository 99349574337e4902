// `npm start`: the Electron app. `npm ci` does not run Electron's download script (package.json allowScripts, so
// installs succeed offline), so the first start fetches the binary and builds better-sqlite3 for Electron's ABI
// into node_modules/.cache (the Node build stays for the CLI and tests). Where either cannot be had (as on
// machines that reach only the npm registry), it says so in one line and runs `leadlens serve` instead.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const extra = process.argv.slice(2);

function electronBinary() {
  try {
    const binary = require('electron'); // the package's index throws when its binary was not downloaded
    return fs.existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

/** Runs a node script to completion; returns the first line of its error output on failure. */
function runNode(script, args, cwd) {
  const r = spawnSync(process.execPath, [script, ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 15 * 60_000,
  });
  if (r.status === 0) return undefined;
  const lines = `${r.stderr ?? ''}${r.error?.message ?? ''}`
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.find((l) => /error|ENOTFOUND|EAI_AGAIN|fail/i.test(l)) ?? lines[0] ?? `exit code ${r.status}`;
}

function fetchElectron() {
  process.stderr.write('Electron binary not installed; downloading it...\n');
  const failure = runNode(require.resolve('electron/install.js'), [], root);
  const binary = failure ? undefined : electronBinary();
  return binary
    ? { binary }
    : {
        failure:
          failure ?? (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD ? 'ELECTRON_SKIP_BINARY_DOWNLOAD is set' : 'no binary after download'),
      };
}

/** better-sqlite3 built for this Electron version: a prebuilt binary when one exists, else compiled from source. */
function electronSqliteBinding(electronVersion) {
  const cache = process.env.LEADLENS_CACHE_DIR ?? path.join(root, 'node_modules', '.cache', 'leadlens');
  const target = path.join(cache, `electron-${electronVersion}-${process.arch}`, 'better_sqlite3.node');
  if (fs.existsSync(target)) return { binding: target };
  process.stderr.write(`Building better-sqlite3 for Electron ${electronVersion} (first start only)...\n`);
  const source = path.dirname(require.resolve('better-sqlite3/package.json'));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-sqlite-'));
  try {
    const copy = path.join(work, 'better-sqlite3');
    fs.cpSync(source, copy, { recursive: true, filter: (p) => !p.startsWith(path.join(source, 'build')) });
    const electronArgs = ['--runtime=electron', `--target=${electronVersion}`, `--arch=${process.arch}`];
    const prebuilt = runNode(require.resolve('prebuild-install/bin.js'), electronArgs, copy);
    const compiled =
      prebuilt &&
      runNode(
        require.resolve('node-gyp/bin/node-gyp.js'),
        ['rebuild', '--release', ...electronArgs, '--dist-url=https://electronjs.org/headers'],
        copy,
      );
    if (prebuilt && compiled) return { failure: compiled };
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(copy, 'build', 'Release', 'better_sqlite3.node'), target);
    return { binding: target };
  } catch (e) {
    return { failure: e.message.split('\n')[0] };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function serveInstead(reason) {
  process.stderr.write(`Electron cannot run here (${reason}); starting \`leadlens serve\` instead (open the URL below in a browser).\n`);
  return spawn(process.execPath, [path.join(root, 'bin', 'leadlens.mjs'), 'serve', ...extra], { stdio: 'inherit' });
}

function launch() {
  let binary = electronBinary();
  if (!binary) {
    const fetched = fetchElectron();
    if (!fetched.binary) return serveInstead(`download failed: ${fetched.failure}`);
    binary = fetched.binary;
  }
  const electronVersion = require('electron/package.json').version;
  const sqlite = electronSqliteBinding(electronVersion);
  if (!sqlite.binding) return serveInstead(`better-sqlite3 could not be built for Electron ${electronVersion}: ${sqlite.failure}`);
  return spawn(binary, [root, ...extra], { stdio: 'inherit', env: { ...process.env, LEADLENS_SQLITE_BINDING: sqlite.binding } });
}

const child = launch();
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
