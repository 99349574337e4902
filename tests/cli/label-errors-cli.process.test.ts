import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLeadlens } from '../helpers/run-cli.ts';
import { REPO_ROOT } from '../helpers/shared-data.ts';

const oneLine = (s: string) => s.trim().split('\n').length === 1;

describe('leadlens label-errors', () => {
  it('refuses a bad command line with one line and exit 2', () => {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-label-errors-'));
    for (const [args, message] of [
      [[], /needs --model-arch/],
      [['--model-arch', 'small-cnn', '--ranking', 'loudest'], /--ranking must be one of normalized-margin, worst-class, self-confidence/],
      [['--model-arch', 'small-cnn', '--folds', '2'], /--folds needs a whole number >= 3/],
    ] as const) {
      const r = runLeadlens(['label-errors', ...args, '--workspace', ws]);
      expect(r.status).toBe(2);
      expect(oneLine(r.stderr)).toBe(true);
      expect(r.stderr).toMatch(message);
    }
  });

  it('fails in one line (exit 1) when the workspace has too few labelled records', () => {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-label-errors-'));
    expect(runLeadlens(['ingest', path.join(REPO_ROOT, 'resources', 'samples'), '--workspace', ws]).status).toBe(0);
    const r = runLeadlens(['label-errors', '--model-arch', 'small-cnn', '--workspace', ws, '--json']);
    expect(r.status).toBe(1);
    expect(oneLine(r.stderr)).toBe(true);
    expect(r.stderr).toMatch(/no class has 20 or more labelled records|too few for 5 folds/);
  });
});
