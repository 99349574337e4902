// `leadlens boundaries` through the built CLI: a record's median-beat boundaries and measurements, a corrected T end
// (stored with its author) that the rules then use, the automatic one put back, and usage errors with exit code 2.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runLeadlens } from '../helpers/run-cli.ts';
import { NEAR_QTC_LIMIT_AECG } from '../helpers/same-patient-muse.ts';

let dir: string;
const cli = (...args: string[]) => runLeadlens([...args, '--workspace', dir]);
const json = (...args: string[]) => {
  const r = cli(...args, '--json');
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};
const lqt = () =>
  json('rules', '--record', 'subject2_0').records[0].results.find((r: { detector: string }) => r.detector === 'prolonged-qtc').decision;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-cli-boundaries-'));
  const r = cli('ingest', NEAR_QTC_LIMIT_AECG);
  expect(r.status, r.stderr).toBe(0);
}, 120_000);

describe('leadlens boundaries', () => {
  it('shows, corrects and puts back a boundary, and the rules follow the correction', () => {
    const shown = json('boundaries', '--record', 'subject2_0');
    expect(shown.corrected).toEqual({});
    // Subject 2's QTc sits just over the prolonged-QTc limit of 460 ms (the device states 443 ms).
    expect(shown.measurements.qtcBazettMs).toBeGreaterThan(460);
    expect(lqt()).toBe(true);
    const tEndMs = (shown.automatic.tOffset / shown.samplingRate) * 1000;

    const moved = json('boundaries', '--record', 'subject2_0', '--set', `tOffset=${tEndMs - 20}`, '--author', 'dr cli');
    expect(moved.corrected).toEqual({ tOffset: shown.automatic.tOffset - 10 });
    expect(moved.automatic).toEqual(shown.automatic);
    expect(moved.measurements.qtMs).toBeCloseTo(shown.measurements.qtMs - 20, 6);
    expect(moved.measurements.qtcBazettMs).toBeLessThan(460);
    expect(moved.history).toEqual([expect.objectContaining({ boundary: 'tOffset', author: 'dr cli', isCurrent: true })]);
    expect(lqt()).toBe(false);

    const back = json('boundaries', '--record', 'subject2_0', '--auto', 'tOffset', '--author', 'dr cli');
    expect(back.corrected).toEqual({});
    expect(back.measurements).toEqual(shown.measurements);
    expect(back.history.map((h: { offset: number | null }) => h.offset)).toEqual([shown.automatic.tOffset - 10, null]);
    expect(lqt()).toBe(true);
    const text = cli('boundaries', '--record', 'subject2_0');
    expect(text.stdout).toMatch(/^tOffset\s+\d+ ms$/m);
    // Each lead's own boundaries, and in words which leads decided the global ones.
    expect(shown.leadBoundaries.map((l: { lead: string }) => l.lead)).toHaveLength(12);
    expect(shown.leadBoundaries[0]).toMatchObject({ qrsOnsetMs: expect.any(Number), qrsCounted: expect.any(Boolean) });
    expect(text.stdout).toMatch(/^Global QRS onset [−+]\d+ ms[ :=]/m);
    expect(text.stdout).toMatch(/^ {2}II {3}QRS -\d+ \(\d\.\d\d\) to \d+ \(\d\.\d\d\) ms · T end (\d+ ms|—)( · QRS not counted)?$/m);
  });

  it('refuses a bad boundary name, a correction without author and an unknown record in one line', () => {
    for (const [args, status, message] of [
      [['--set', 'uOffset=10', '--author', 'x'], 2, /--set needs NAME=MS/],
      [['--set', 'tOffset=300'], 2, /needs --author/],
      [['--auto', 'tOffset', '--set', 'tOffset=3', '--author', 'x'], 2, /not both/],
    ] as const) {
      const r = cli('boundaries', '--record', 'subject2_0', ...args);
      expect(r.status).toBe(status);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    const missing = cli('boundaries', '--record', 'nope');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/no stored record with id or name 'nope'/);
    expect(json('boundaries', '--record', 'subject2_0').history).toHaveLength(2);
  });
});
