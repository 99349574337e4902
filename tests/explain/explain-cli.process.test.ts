// `leadlens explain` command line (built CLI): option errors are one line with exit 2, before any work.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLeadlens } from '../helpers/run-cli.ts';

const ws = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-explain-cli-'));

describe('leadlens explain options', () => {
  for (const [args, message] of [
    [['--method', 'smoothgrad', '--layer', 'block1'], /--layer applies to grad-cam, guided-grad-cam only/],
    [['--method', 'grad-cam', '--fidelity', 'some'], /--fidelity needs a number of records, 'all' or 0, got 'some'/],
    [['--method', 'vanilla-gradient@block1'], /vanilla-gradient takes no layer/],
  ] as const) {
    it(`refuses ${args.join(' ')} in one line`, () => {
      const r = runLeadlens(['explain', '--model', '1', '--all', ...args, '--workspace', ws()]);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n').length).toBe(1);
      expect(r.stderr).toMatch(message);
    });
  }
  it('documents Grad-CAM layers and the fidelity/sanity subsets in its help', () => {
    const r = runLeadlens(['explain', '--help']);
    expect(r.stdout + r.stderr).toMatch(/grad-cam@LAYER/);
    expect(r.stdout + r.stderr).toMatch(/--fidelity N\|all\] \[--sanity N\|all\]/);
  });
});
