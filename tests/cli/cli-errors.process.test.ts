import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLeadlens } from '../helpers/run-cli.ts';

const oneLine = (s: string) => s.trim().split('\n').length === 1;

describe('leadlens CLI errors', () => {
  it('an unknown command is one line and exit 2', () => {
    const r = runLeadlens(['frobnicate']);
    expect(r.status).toBe(2);
    expect(oneLine(r.stderr)).toBe(true);
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
  });

  it('an unknown option is one line and exit 2', () => {
    const r = runLeadlens(['ingest', '--bogus', 'x']);
    expect(r.status).toBe(2);
    expect(oneLine(r.stderr)).toBe(true);
    expect(r.stderr).toMatch(/unknown option --bogus/);
  });

  it('a workspace that cannot be created or written is one line and a non-zero exit, no stack trace', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-cli-')), 'not-a-folder');
    fs.writeFileSync(file, 'x');
    for (const ws of [path.join(file, 'ws'), '/dev/null/ws']) {
      const r = runLeadlens(['ingest', file, '--workspace', ws]);
      expect(r.status).toBe(1);
      expect(oneLine(r.stderr)).toBe(true);
      expect(r.stderr).toMatch(/cannot use workspace folder/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('ingesting a path that does not exist is one line', () => {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-cli-'));
    const r = runLeadlens(['ingest', '/no/such/folder', '--workspace', ws]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('leadlens ingest: no such file or folder: /no/such/folder');
  });

  it('--help lists the commands', () => {
    const r = runLeadlens(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/serve/);
    expect(r.stdout).toMatch(/ingest/);
  });
});
