// `leadlens train --arch image-cnn` usage errors through the built CLI: one line on stderr and exit code 2.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runLeadlens } from '../helpers/run-cli.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-imagecnn-usage-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('image CNN usage (built CLI)', () => {
  it('a bad layout is one line and exit 2', () => {
    const r = runLeadlens(['train', '--arch', 'image-cnn', '--layout', '3x4+II,4by4', '--workspace', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/chart layout '4by4' is not of the form RxC/);
    const missing = runLeadlens(['train', '--arch', 'image-cnn', '--workspace', dir]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/needs --layout/);
  });

  it('an unknown --input is one line and exit 2', () => {
    const r = runLeadlens(['train', '--arch', 'image-cnn', '--input', 'wavelet', '--workspace', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--input must be one of chart, gaf, mtf, rp/);
  });
});
