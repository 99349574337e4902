// Issue 16.8 and 16.1 through the built CLI: --record takes an id or a name everywhere (ambiguity is a usage error
// listing both), batches skip what they cannot read and end with counts (in --json too), exit codes 0/1/2 are used
// as `leadlens --help` documents them, bad paths are one line, `--seed 0` is allowed, `leadlens bench` lists.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWfdbRecord } from '../../src-main/formats/wfdb-record.ts';
import { openWorkspace } from '../../src-main/store/workspace.ts';
import { storeRecord } from '../../src-main/store/record-store.ts';
import { initBackend } from '../../src-main/ml/backend.ts';
import { runLeadlens, runLeadlensInProcess } from '../helpers/run-cli.ts';
import { saveUntrainedModel } from '../helpers/chapman-workspace.ts';
import { dataPath } from '../helpers/shared-data.ts';

let dir: string;
let modelId: number;
const ids: Record<string, number> = {};
const oneLine = (s: string): boolean => s.trim().length > 0 && s.trim().split('\n').length === 1;
// The CLI's own entry in this process: the commands, messages and exit codes of the binary, without a Node start per
// call. The exit-code checks at the end run the built binary itself.
const cli = (...args: string[]) => runLeadlensInProcess([...args, '--workspace', dir]);
const chapman = (n: string): string => dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01', '010', `${n}.hea`);

beforeAll(async () => {
  await initBackend('cpu');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-cli-ref-'));
  const ws = openWorkspace(dir);
  // Record id 1 is JS00001 and LUDB's record is *named* '1' (id 2): '--record 1' could be either.
  for (const h of [chapman('JS00001'), dataPath('ludb', 'data', '1.hea'), dataPath('mitdb', '100.hea'), chapman('JS00002')]) {
    const rec = await readWfdbRecord(h);
    ids[rec.recordName] = storeRecord(ws.db, rec, { path: h, format: 'wfdb' }).recordId;
  }
  modelId = saveUntrainedModel(ws.db);
  ws.close();
}, 120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('--record: an id or a name, one resolver for every command', () => {
  it('a value that is both an id and a name is a usage error listing both, for rules, predict and explain', async () => {
    expect(ids).toMatchObject({ JS00001: 1, 1: 2 });
    for (const args of [
      ['rules'],
      ['predict', '--model', String(modelId)],
      ['explain', '--model', String(modelId), '--method', 'vanilla-gradient'],
    ]) {
      const r = await cli(...args, '--record', '1');
      expect(r.status).toBe(2);
      expect(oneLine(r.stderr)).toBe(true);
      expect(r.stderr).toMatch(
        /--record 1 is ambiguous: record #1 \(named 'JS00001'\) and the record named '1' \(#2\); say --record id:1 or --record name:1/,
      );
    }
  });

  it('name:X and id:N say which; a plain name or id works where it is unique', async () => {
    const byName = JSON.parse((await cli('rules', '--record', 'name:1', '--json')).stdout) as {
      records: { recordId: number; recordName: string }[];
    };
    expect(byName.records.map((r) => [r.recordId, r.recordName])).toEqual([[2, '1']]);
    const byId = JSON.parse((await cli('rules', '--record', 'id:1', '--json')).stdout) as { records: { recordName: string }[] };
    expect(byId.records.map((r) => r.recordName)).toEqual(['JS00001']);
    const plain = JSON.parse((await cli('rules', '--record', 'JS00002', '--json')).stdout) as { records: { recordId: number }[] };
    expect(plain.records.map((r) => r.recordId)).toEqual([ids.JS00002]);
    const p = await cli('predict', '--model', String(modelId), '--record', 'JS00002', '--json');
    expect(p.status).toBe(0);
    expect(JSON.parse(p.stdout)).toMatchObject({ modelId, records: 1, stored: 1, skipped: [] });
  });

  it('a record that does not exist is a failure (exit 1), one line', async () => {
    const r = await cli('predict', '--model', String(modelId), '--record', 'JS99999');
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe("leadlens predict: no stored record with id or name 'JS99999'");
  });
});

describe('batches end with counts and skip with reasons', () => {
  it('predict --all stores the records the model reads and lists the others with the leads they lack (exit 0)', async () => {
    const r = await cli('predict', '--model', String(modelId), '--all', '--json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { records: number; stored: number; skipped: { recordName: string; reason: string }[] };
    expect([out.records, out.stored]).toEqual([4, 3]);
    expect(out.skipped).toEqual([
      { recordId: 3, recordName: '100', reason: expect.stringMatching(/^lacks leads I, II, .* \(has MLII, V5\)$/) },
    ]);
    const text = await cli('predict', '--model', String(modelId), '--all');
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^100 \(#3\): skipped, lacks leads I, II/m);
    expect(text.stdout).toMatch(/model \d+ \(.+\): 3 of 4 records scored and stored, 1 skipped/);
  });

  it('explain --all writes the report for the records it can explain and lists the skipped one (exit 0, --json counts)', async () => {
    const report = path.join(dir, 'audit-cli');
    const r = await cli(
      'explain',
      '--model',
      String(modelId),
      '--all',
      '--method',
      'vanilla-gradient',
      '--fidelity',
      '0',
      '--sanity',
      '0',
      '--report',
      report,
      '--json',
    );
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { records: number; maps: number; skipped: { recordName: string; reason: string }[] };
    expect([out.records, out.maps]).toEqual([3, 3]);
    expect(out.skipped).toEqual([
      { recordId: 3, recordName: '100', reason: expect.stringMatching(/^lacks leads I, II, .* \(has MLII, V5\)$/) },
    ]);
    expect(fs.readFileSync(path.join(report, 'skipped.csv'), 'utf8')).toMatch(/^record_id,record,reason\n3,100,/);
  });

  it('a batch that stores nothing fails (exit 1) and still prints its counts with --json', async () => {
    const r = await cli('predict', '--model', String(modelId), '--record', '100', '--json');
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ records: 1, stored: 0, skipped: [{ recordName: '100' }] });
    expect(r.stderr.trim()).toBe(`leadlens predict: no record could be scored with model ${modelId} (1 skipped)`);
  });

  it('rules --all on the 2-lead set skips records lacking I and II, says which, and counts', async () => {
    const r = await cli('rules', '--all', '--leads', '2', '--json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { stored: number; skipped: { recordName: string; reason: string }[] };
    expect(out.stored).toBe(3);
    expect(out.skipped).toEqual([{ recordId: 3, recordName: '100', reason: 'lacks I, II of the 2-lead set (has MLII, V5)' }]);
  });
});

describe('exit codes and one-line errors', () => {
  it('--help documents the exit codes', () => {
    const r = runLeadlens(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Exit codes:\n\s+0\s+ok.*\n\s+1\s+failure.*\n\s+2\s+usage/);
  });

  it('a malformed or missing value is a usage error (exit 2)', async () => {
    // The binary's exit status once; the runCli code it exits with for the rest.
    const binary = runLeadlens(['predict', '--all', '--workspace', dir]);
    expect(binary.status).toBe(2);
    expect(oneLine(binary.stderr)).toBe(true);
    for (const args of [
      ['predict', '--all'],
      ['predict', '--model', 'abc', '--all'],
      ['eval', '--model', '1.5'],
      ['rules', '--all', '--record', 'x'],
      ['train', '--arch', 'small-cnn', '--seed', '-1'],
    ]) {
      const r = await cli(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(oneLine(r.stderr)).toBe(true);
    }
  });

  it('--seed 0 is a valid seed (training then fails on an empty workspace, not on the seed)', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-cli-seed-'));
    const r = runLeadlens(['train', '--arch', 'small-cnn', '--seed', '0', '--epochs', '1', '--workspace', empty, '--json']);
    fs.rmSync(empty, { recursive: true, force: true });
    expect(r.stderr).not.toMatch(/--seed/);
    expect(r.status).toBe(1);
    expect(oneLine(r.stderr)).toBe(true);
  });

  it('bench qrs on a missing folder is one line and exit 1, no raw ENOENT', () => {
    const r = runLeadlens(['bench', 'qrs', '--mitdb', '/no/such/mitdb']);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('leadlens bench qrs: no such file or folder: /no/such/mitdb');
  });

  it('`leadlens bench` alone lists its benchmarks; an unknown one is a usage error', () => {
    const r = runLeadlens(['bench']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/bench qrs\s+score the QRS detector/);
    expect(r.stdout).toMatch(/usage: leadlens bench qrs --mitdb DIR/);
    const bad = runLeadlens(['bench', 'nope']);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe("leadlens bench: unknown bench command 'nope' (one of qrs)");
  });
});
