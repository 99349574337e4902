// `leadlens tag`, `selection` and `eval --on` through the built CLI: --json results, side-by-side intervals, one-line
// errors, exit codes 0/1/2 (the refusals through the CLI's entry in-process, but for one through the binary).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplesDir } from '../../src-main/resources.ts';
import { REPO_ROOT } from '../helpers/shared-data.ts';
import { runLeadlens, runLeadlensInProcess } from '../helpers/run-cli.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-selection-cli-'));
const ws = path.join(tmp, 'ws');
const onnx = path.join(REPO_ROOT, 'tests', 'fixtures', 'ml', 'onnx');
const json = (args: string[]) => {
  const r = runLeadlens([...args, '--workspace', ws, '--json']);
  expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
};

beforeAll(() => {
  expect(runLeadlens(['ingest', samplesDir(), '--workspace', ws, '--json']).status).toBe(0);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('leadlens tag and selection', () => {
  it('tags records, saves selections over tags and labels, lists and shows them with --json', () => {
    expect(json(['tag', 'add', 'ext', '--record', 'JS00004', '--record', 'JS00012'])).toMatchObject({ tag: 'ext', records: 2, added: 2 });
    expect(json(['tag', 'add', 'ext', '--record', 'JS00004,JS00008'])).toMatchObject({ records: 2, added: 1 });
    expect(json(['tag', 'list'])).toEqual({ tags: [{ tag: 'ext', records: 3 }] });
    expect(json(['selection', 'save', 'external', '--tag', 'ext'])).toMatchObject({
      name: 'external',
      query: { tags: ['ext'] },
      records: 3,
    });
    expect(json(['selection', 'save', 'sb', '--source', 'cinc', '--label', '426177001'])).toMatchObject({ records: expect.any(Number) });
    expect(json(['tag', 'remove', 'ext', '--selection', 'sb'])).toMatchObject({ tag: 'ext' });
    const sb = json(['selection', 'show', 'sb']).records.map((r: { name: string }) => r.name);
    expect(sb).toContain('JS00004'); // sinus bradycardia: its tag was taken off through the selection
    const shown = json(['selection', 'show', 'external']);
    expect(shown.records.map((r: { name: string }) => r.name)).toEqual(['JS00004', 'JS00008', 'JS00012'].filter((n) => !sb.includes(n)));
    expect(json(['selection', 'list']).selections.map((s: { name: string }) => s.name)).toEqual(['external', 'sb']);
    const human = runLeadlens(['selection', 'list', '--workspace', ws]);
    expect(human.stdout).toMatch(/^external\s+\d+ records {2}tags ext$/m);
  }, 400_000);

  it('refuses bad input in one line: 2 for the command line, 1 for what is not stored', async () => {
    const cases: [string[], number, RegExp][] = [
      [['selection', 'save'], 2, /selection save needs a NAME/],
      [['selection', 'save', 'bad name!'], 2, /selection name 'bad name!' must be/],
      [['selection', 'save', 'x', '--review-state', 'done'], 2, /unknown review state 'done'/],
      [['selection', 'save', 'x', '--ingested-from', 'yesterday'], 2, /is not a date/],
      [['selection', 'save', 'x', '--colour', 'red'], 2, /unknown option --colour/],
      [['selection', 'save', 'external', '--tag', 'y'], 1, /a selection named 'external' exists already/],
      [['selection', 'save', 'x', '--record', 'NOPE'], 1, /no stored record with id or name 'NOPE'/],
      [['selection', 'show', 'nope'], 1, /no saved selection named 'nope'/],
      [['tag', 'add', 'ext'], 2, /exactly one of --record/],
      [['tag', 'add', 'two words', '--record', 'JS00004'], 2, /tag 'two words' must be/],
      [['tag', 'add', 'ext', '--record', 'NOPE'], 1, /no stored record with id or name 'NOPE'/],
      [['tag', 'add', 'ext', '--selection', 'nope'], 1, /no saved selection named 'nope'/],
      [['eval', '--model', '1', '--on', 'external', '--overlap', 'maybe'], 2, /--overlap must be drop or refuse/],
      [['eval', '--model', '1', '--rounds', '5'], 2, /apply to eval --on SELECTION/],
      [['eval', '--model', '99', '--on', 'external'], 1, /no model with id 99/],
      [['train', '--arch', 'small-cnn', '--validate-on', 'external'], 2, /--validate-on needs --train-on/],
      [['train', '--arch', 'small-cnn', '--train-on', 'nope'], 1, /no saved selection named 'nope'/],
      [['export', '--out', path.join(tmp, 'e'), '--selection', 'nope'], 1, /no saved selection named 'nope'/],
    ];
    // The built binary's exit status and stderr for the first case; the runCli code it exits with for every case.
    const binary = runLeadlens([...cases[0][0], '--workspace', ws]);
    expect([binary.status, binary.stderr.trim().split('\n').length]).toEqual([cases[0][1], 1]);
    expect(binary.stderr).toMatch(cases[0][2]);
    for (const [args, status, re] of cases) {
      const r = await runLeadlensInProcess([...args, '--workspace', ws]);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(status);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(re);
    }
  }, 400_000);

  it('eval --on scores an imported model on two selections side by side with bootstrap intervals, stored', () => {
    const imported = json(['import-model', path.join(onnx, 'tiny-cnn.onnx'), '--card', path.join(onnx, 'tiny-cnn.card.json')]);
    json(['selection', 'save', 'all-cinc', '--source', 'cinc']);
    const r = json(['eval', '--model', String(imported.modelId), '--on', 'all-cinc', '--on', 'external', '--rounds', '200']);
    expect(r.modelVersion).toMatch(new RegExp(`^${imported.modelId}:sha256-[0-9a-f]{16}$`));
    expect(r.selections.map((s: { selection: string }) => s.selection)).toEqual(['all-cinc', 'external']);
    expect(r.selections[0]).toMatchObject({ selected: 5, records: 5, leftOut: [], sharedWithTraining: { records: 0 } });
    const micro = r.table.find((t: { metric: string }) => t.metric === 'microF1');
    for (const name of ['all-cinc', 'external']) {
      const v = micro.values[name];
      expect(v.rounds).toBe(200);
      expect(v.low).toBeLessThanOrEqual(v.estimate);
      expect(v.high).toBeGreaterThanOrEqual(v.estimate);
    }
    // The samples are one patient each (no patient ids): the two selections overlap by record, not by patient.
    expect(r.overlaps).toEqual([]);
    const human = runLeadlens([
      'eval',
      '--model',
      String(imported.modelId),
      '--on',
      'all-cinc,external',
      '--rounds',
      '50',
      '--workspace',
      ws,
    ]);
    expect(human.status, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^metric \(95 % bootstrap CI\)\s+all-cinc\s+external/m);
    expect(human.stdout).toMatch(/^microF1\s+\d\.\d{3} \[\d\.\d{3}, \d\.\d{3}\]/m);
  }, 400_000);
});
