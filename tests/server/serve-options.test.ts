// `leadlens serve` options (issue 12.7): refused before the workspace is opened or seeded, one line, exit 2; a
// non-loopback --host warns and needs --allow-host. (Binding 0.0.0.0 is not exercised: servers on this machine bind to
// loopback only; the Host check with --allow-host names is tested in-process in serve.test.ts.)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LEADLENS_BIN } from '../helpers/run-cli.ts';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-serve-opts-'));
function run(args: string[], cwd = tmp()): { status: number | null; stderr: string; cwd: string } {
  const r = spawnSync(process.execPath, [LEADLENS_BIN, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, LEADLENS_HOME: path.join(cwd, 'home') },
  });
  return { status: r.status, stderr: r.stderr, cwd };
}
const lines = (s: string) => s.trim().split('\n');

describe('leadlens serve options', () => {
  it('refuses --port 99999 before opening or seeding the workspace', () => {
    const ws = path.join(tmp(), 'ws');
    const r = run(['serve', '--port', '99999', '--workspace', ws]);
    expect(r.status).toBe(2);
    expect(lines(r.stderr)).toEqual(['leadlens serve: --port must be a whole number from 0 to 65535']);
    expect(fs.existsSync(ws)).toBe(false);
  });

  it("refuses --workspace '' in one line, creating no database in the current folder", () => {
    for (const args of [
      ['serve', '--workspace', ''],
      ['ingest', '.', '--workspace', ''],
      ['serve', '--workspace=  '],
    ]) {
      const r = run(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(lines(r.stderr)).toEqual([`leadlens ${args[0]}: --workspace needs a folder path, got an empty one`]);
      expect(fs.readdirSync(r.cwd)).toEqual([]);
    }
  });

  it('refuses a non-loopback --host without --allow-host, and bad names or worker counts, before the workspace', () => {
    const ws = path.join(tmp(), 'ws');
    const cases: [string[], RegExp][] = [
      [['--host', '0.0.0.0'], /--host 0\.0\.0\.0 is not loopback: name the hosts browsers will use with --allow-host NAME\[,NAME\]/],
      [['--host', '0.0.0.0', '--allow-host', 'bad name!'], /--allow-host takes host names or IP addresses without port/],
      [['--host', '0.0.0.0', '--allow-host', 'ok.example,x:80'], /--allow-host takes host names/],
      [['--host', 'evil.example'], /--host must be an IP address/],
      [['--analysis-workers', '99'], /--analysis-workers must be a whole number from 0 to 16/],
    ];
    for (const [args, msg] of cases) {
      const r = run(['serve', '--workspace', ws, ...args]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(lines(r.stderr).length).toBe(1);
      expect(r.stderr).toMatch(msg);
    }
    expect(fs.existsSync(ws)).toBe(false);
  });

  it('warns about a non-loopback --host with --allow-host (here stopped by an unusable workspace before it binds)', () => {
    const r = run(['serve', '--host', '0.0.0.0', '--allow-host', 'leadlens.example,10.0.0.5', '--workspace', '/dev/null/ws']);
    expect(r.status).toBe(1);
    expect(lines(r.stderr)).toEqual([
      'leadlens serve: warning: --host 0.0.0.0 lets other machines reach this workspace; anyone with the printed URL (token) can read and change it',
      expect.stringMatching(/^leadlens serve: cannot use workspace folder \/dev\/null\/ws/),
    ]);
  });
});
