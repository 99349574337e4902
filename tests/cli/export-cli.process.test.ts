// `leadlens export` through the built CLI: --json result, one-line errors, exit codes 0/1/2.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { samplesDir } from '../../src-main/resources.ts';
import { runLeadlens } from '../helpers/run-cli.ts';

describe('leadlens export', () => {
  it('writes the selection with --json, and refuses bad input in one line with exit 1 or 2', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-export-cli-'));
    const ws = path.join(tmp, 'ws');
    expect(runLeadlens(['ingest', samplesDir(), '--workspace', ws, '--json']).status).toBe(0);
    const out = path.join(tmp, 'out');
    const ok = runLeadlens(['export', '--out', out, '--format', 'cinc', '--record', 'JS00004,JS00012', '--workspace', ws, '--json']);
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout.trim().split('\n').pop()!)).toMatchObject({ outDir: out, records: 2, skipped: [] });
    expect(fs.readFileSync(path.join(out, 'RECORDS'), 'utf8')).toBe('JS00004\nJS00012\n');
    expect(fs.readFileSync(path.join(out, 'JS00004.hea'), 'latin1')).toMatch(/\n#Dx: 426177001\n/);
    const cases: [string[], number, RegExp][] = [
      [['export'], 2, /export needs --out DIR/],
      [['export', '--out', path.join(tmp, 'a'), '--review-state', 'done'], 2, /unknown review state 'done' \(one of new, /],
      [['export', '--out', path.join(tmp, 'b'), '--folds', '0'], 2, /--folds needs a positive integer, got '0'/],
      [['export', '--out', path.join(tmp, 'c'), '--record', 'NOPE'], 1, /no stored record with id or name 'NOPE'/],
      [['export', '--out', path.join(tmp, 'd'), '--label', '999'], 1, /no stored record matches the selection/],
      [['export', '--out', out], 1, /is not empty; name a new or empty folder/],
    ];
    for (const [args, status, re] of cases) {
      const r = runLeadlens([...args, '--workspace', ws]);
      expect(r.status, args.join(' ')).toBe(status);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(re);
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  }, 120_000);
});
