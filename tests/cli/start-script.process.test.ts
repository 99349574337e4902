// `npm start` (scripts/start.mjs): Electron with better-sqlite3 built for its ABI when it can be had, else
// one line and `leadlens serve` with a reachable URL. ELECTRON_OVERRIDE_DIST_PATH points the electron
// package at a folder of our choosing, so both paths are exercised whatever this machine has installed.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/shared-data.ts';

const START = path.join(REPO_ROOT, 'scripts', 'start.mjs');
const electronVersion = (createRequire(import.meta.url)('electron/package.json') as { version: string }).version;
const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-start-'));

describe('npm start', () => {
  it('launches Electron on the app with the Electron build of better-sqlite3', () => {
    const fakeDist = tmp();
    const cache = tmp();
    const report = path.join(fakeDist, 'launched.json');
    // The fake Electron binary records how it was started.
    const fake = path.join(fakeDist, 'electron');
    fs.writeFileSync(
      fake,
      `#!${process.execPath}\nrequire('fs').writeFileSync(${JSON.stringify(report)}, JSON.stringify({ argv: process.argv.slice(2), binding: process.env.LEADLENS_SQLITE_BINDING }));\n`,
      { mode: 0o755 },
    );
    const binding = path.join(cache, `electron-${electronVersion}-${process.arch}`, 'better_sqlite3.node');
    fs.mkdirSync(path.dirname(binding), { recursive: true });
    fs.writeFileSync(binding, 'built for Electron');
    const r = spawnSync(process.execPath, [START, '--workspace=/tmp/x'], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: fakeDist, LEADLENS_CACHE_DIR: cache },
    });
    expect(r.status).toBe(0);
    expect(JSON.parse(fs.readFileSync(report, 'utf8'))).toEqual({ argv: [REPO_ROOT, '--workspace=/tmp/x'], binding });
  });

  it('without an Electron binary says so in one line and serves the app on a reachable URL', async () => {
    const ws = tmp();
    const child = spawn(process.execPath, [START, '--port', '0', '--workspace', ws], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: tmp(), ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
    });
    try {
      let out = '';
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d) => {
          out += d;
          const m = /http:\/\/127\.0\.0\.1:\d+\/\S*token=\S+/.exec(out);
          if (m) resolve(m[0]);
        });
        child.once('exit', (code) => reject(new Error(`start exited ${code}: ${err}`)));
      });
      expect(err).toMatch(
        /^Electron binary not installed; downloading it\.\.\.\nElectron cannot run here \(download failed: ELECTRON_SKIP_BINARY_DOWNLOAD is set\); starting `leadlens serve` instead/,
      );
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<div id="app">|LeadLens/);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
