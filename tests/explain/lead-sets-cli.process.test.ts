// `leadlens explain --lead-sets` and `--records`, and `predict` on a record lacking leads (built CLI, real Chapman
// records): small CNNs trained on 12, 6 and 2 leads are found by architecture and lead set, a missing lead set is named,
// the report states a sentence per class and reduced lead set, and a 2-lead record is scored by a reduced-lead model.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLeadlens } from '../helpers/run-cli.ts';
import { CHAPMAN_DIR, chapmanFiles } from '../helpers/chapman-workspace.ts';
import { readWfdbRecord } from '../../src-main/formats/wfdb-record.ts';
import { formatWfdbHeader, interleaveFrames } from '../../src-main/formats/wfdb-writer.ts';

let dir: string;
const models = new Map<number, number>();
const cli = (...args: string[]): { status: number | null; stdout: string; stderr: string } =>
  runLeadlens([...args, '--workspace', path.join(dir, 'ws')]);
const json = <T>(r: { stdout: string }): T => JSON.parse(r.stdout) as T;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-lead-sets-'));
  const files = chapmanFiles(16);
  // A 2-lead copy (I and II only) of JS00001, written as WFDB format 16.
  const r = await readWfdbRecord(path.join(CHAPMAN_DIR, 'JS00001.hea'));
  const leads = r.leads.filter((l) => l.name === 'I' || l.name === 'II');
  fs.writeFileSync(
    path.join(dir, 'TWOLEAD.hea'),
    formatWfdbHeader({
      recordName: 'TWOLEAD',
      samplingRate: r.samplingRate,
      length: r.length,
      comments: ['Dx: 426783006'],
      signals: leads.map((l) => ({
        fileName: 'TWOLEAD.dat',
        format: 16,
        gain: l.gain,
        baseline: l.baseline,
        units: l.units,
        initialValue: l.digital[0],
        checksum: Array.from(l.digital).reduce((s, v) => s + v, 0) & 0xffff,
        description: l.name,
      })),
    }),
  );
  fs.writeFileSync(
    path.join(dir, 'TWOLEAD.dat'),
    interleaveFrames(
      leads.map((l) => l.digital),
      16,
      0,
      r.length,
    ),
  );
  expect(cli('ingest', ...files, path.join(dir, 'TWOLEAD.hea'), '--json').status).toBe(0);
  for (const leadsN of [12, 6, 2]) {
    const t = cli(
      'train',
      '--arch',
      'small-cnn',
      '--leads',
      String(leadsN),
      '--classes',
      '426177001,164889003',
      '--epochs',
      '1',
      '--seed',
      '3',
      '--json',
    );
    expect(t.status, t.stderr).toBe(0);
    models.set(leadsN, json<{ modelId: number }>(t).modelId);
  }
}, 600_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('explain --lead-sets', () => {
  it('compares 12, 6 and 2 leads, names the missing 4-lead model and states a sentence per class and lead set', () => {
    const report = path.join(dir, 'lead-report');
    const r = cli(
      'explain',
      '--lead-sets',
      '12,6,4,2',
      '--arch',
      'small-cnn',
      '--records',
      'JS00001,JS00002,JS00004,5',
      '--report',
      report,
      '--json',
    );
    expect(r.status, r.stderr).toBe(0);
    const out = json<{
      reference: number;
      models: { leadSet: number; modelId: number }[];
      missing: number[];
      records: number;
      classes: string[];
      findings: { classCode: string; leadSet: number; records: number; sentence: string }[];
    }>(r);
    expect(out.reference).toBe(12);
    expect(out.models.map((m) => [m.leadSet, m.modelId])).toEqual([12, 6, 2].map((n) => [n, models.get(n)]));
    expect(out.missing).toEqual([4]);
    expect(out.records).toBe(4);
    // One finding per class and reduced lead set, each over the 4 records.
    expect(out.findings.length).toBe(out.classes.length * 2);
    for (const f of out.findings) {
      expect(f.records).toBe(4);
      expect(f.sentence).toMatch(
        new RegExp(
          `^\\w+ ${f.classCode} \\(.+\\), ${f.leadSet} vs 12 leads: mean probability \\d\\.\\d\\d vs \\d\\.\\d\\d \\(change [+-]\\d\\.\\d\\d\\) over 4 records`,
        ),
      );
    }
    const shares = fs.readFileSync(path.join(report, 'lead-shares.csv'), 'utf8').trim().split('\n');
    // The 2-lead model's shares are over I and II only, and sum to 1 per record.
    const two = shares.slice(1).filter((l) => l.split(',')[2] === '2');
    expect(new Set(two.map((l) => l.split(',')[4]))).toEqual(new Set(['I', 'II']));
    const byRecord = new Map<string, number>();
    for (const l of two) byRecord.set(l.split(',')[0], (byRecord.get(l.split(',')[0]) ?? 0) + Number(l.split(',')[5]));
    for (const s of byRecord.values()) expect(s).toBeCloseTo(1, 5);
    expect(fs.readFileSync(path.join(report, 'findings.txt'), 'utf8')).toMatch(/no stored model for 4 leads/);
  });

  it('refuses a single lead set, an unknown size and a missing --arch with exit 2', () => {
    for (const args of [
      ['--lead-sets', '12', '--arch', 'small-cnn', '--all'],
      ['--lead-sets', '12,5', '--arch', 'small-cnn', '--all'],
      ['--lead-sets', '12,2', '--all'],
      ['--lead-sets', '12,2', '--arch', 'small-cnn', '--all', '--record', 'JS00001'],
    ]) {
      const r = cli('explain', ...args);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n').length).toBe(1);
    }
  });

  it('fails with exit 1 on a --records name that does not exist', () => {
    const r = cli('explain', '--lead-sets', '12,2', '--arch', 'small-cnn', '--records', 'JS00001,NOPE');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no stored record with id or name 'NOPE'/);
  });
});

describe('predict on a record lacking leads', () => {
  it('scores it with the largest reduced-lead model its leads feed instead of skipping it', () => {
    const r = cli('predict', '--model', String(models.get(12)), '--all', '--json');
    expect(r.status, r.stderr).toBe(0);
    const out = json<{ stored: number; skipped: unknown[]; standIns: { recordName: string; modelId: number; leads: string[] }[] }>(r);
    expect(out.skipped).toEqual([]);
    expect(out.stored).toBe(17);
    expect(out.standIns.length).toBe(1);
    expect(out.standIns[0].recordName).toBe('TWOLEAD');
    // I and II give the limb leads III, aVR, aVL, aVF by Einthoven's law when the reader derives them: then the 6-lead model fits.
    expect([models.get(6), models.get(2)]).toContain(out.standIns[0].modelId);
  });
});

describe('explain on a record lacking leads', () => {
  it('explains it with the reduced-lead stand-in model, says so in the counts and lists it in the report', () => {
    const report = path.join(dir, 'stand-in-report');
    const r = cli(
      'explain',
      '--model',
      String(models.get(12)),
      '--records',
      'JS00001,JS00002,TWOLEAD',
      '--method',
      'vanilla-gradient,gradient-x-input',
      '--report',
      report,
      '--json',
    );
    expect(r.status, r.stderr).toBe(0);
    const out = json<{
      records: number;
      maps: number;
      skipped: unknown[];
      standIns: { recordName: string; modelId: number; leads: string[]; reportDir: string }[];
      reportFiles: string[];
    }>(r);
    expect(out.skipped).toEqual([]);
    expect(out.records).toBe(3);
    expect(out.maps).toBe(6);
    expect(out.standIns.map((k) => [k.recordName, k.modelId, k.leads])).toEqual([['TWOLEAD', models.get(2), ['I', 'II']]]);
    const csvRows = fs.readFileSync(path.join(report, 'stand-ins.csv'), 'utf8').trim().split('\n');
    expect(csvRows[0]).toBe('record_id,record,stand_in_model,leads,audit_id,report_dir');
    expect(csvRows.slice(1)).toHaveLength(1);
    expect(csvRows[1]).toMatch(new RegExp(`^\\d+,TWOLEAD,${models.get(2)},I II,\\d+,`));
    // The stand-in's own audit report exists where the list says.
    expect(fs.existsSync(path.join(out.standIns[0].reportDir, 'findings.txt'))).toBe(true);
    // The 12-lead report covers the two 12-lead records only.
    expect(fs.readFileSync(path.join(report, 'maps.csv'), 'utf8')).not.toMatch(/TWOLEAD/);
    // Without --json the end counts say which records a reduced-lead model explained.
    const text = cli('explain', '--model', String(models.get(12)), '--records', 'TWOLEAD', '--method', 'vanilla-gradient,gradient-x-input');
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout + text.stderr).toMatch(
      new RegExp(`1 records lacking leads explained by reduced-lead model ${models.get(2)} \\(I, II\\): TWOLEAD`),
    );
    expect(text.stdout + text.stderr).toMatch(
      /2 saliency maps for 1 records with model \d+ \(1 of them by a reduced-lead model\), 0 records skipped/,
    );
  });
});
