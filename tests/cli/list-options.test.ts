// Comma-list options read through parse-args's 'list' kind (train --classes/--layout, label-errors --classes, tag
// --record, explain --records/--method/--layouts, eval --on, export --label/--format/--review-state/--record), and the tag and selection commands' shared target resolution and listing, run in-process.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError, type CliCommand } from '../../src-main/cli/command.ts';
import { command as explain } from '../../src-main/cli/commands/explain.ts';
import { command as exportCommand } from '../../src-main/cli/commands/export.ts';
import { command as labelErrors } from '../../src-main/cli/commands/label-errors.ts';
import { command as selectionList } from '../../src-main/cli/commands/selection-list.ts';
import { command as selectionSave } from '../../src-main/cli/commands/selection-save.ts';
import { command as tagAdd, removeCommand as tagRemove } from '../../src-main/cli/commands/tag-add.ts';
import { command as tagList } from '../../src-main/cli/commands/tag-list.ts';
import { command as train } from '../../src-main/cli/commands/train.ts';
import { listOption, parseArgs } from '../../src-main/cli/parse-args.ts';
import { storeRecord } from '../../src-main/store/record-store.ts';
import { openWorkspace, type Workspace } from '../../src-main/store/workspace.ts';
import { runLeadlensInProcess, testCliContext } from '../helpers/run-cli.ts';
import { syntheticRecord } from '../helpers/synthetic-record.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-list-options-'));
let ws: Workspace;
let lines: string[] = [];
const ctx = testCliContext(
  () => ws,
  (line) => lines.push(line),
);
const run = (command: CliCommand, argv: string[]): Promise<unknown> => {
  lines = [];
  return command.run(parseArgs(argv, command), ctx);
};

beforeAll(() => {
  ws = openWorkspace(tmp);
  for (const [k, name] of ['A', 'B', 'C'].entries())
    ws.db
      .transaction(() =>
        storeRecord(ws.db, syntheticRecord({ seed: k + 1, length: 500, name }), { path: `/x/${name}.hea`, format: 'test' }),
      )
      .immediate();
});
afterAll(() => {
  ws.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("'list' options", () => {
  it('join repeated and comma-separated values, trimmed, and refuse an empty list', () => {
    const args = parseArgs(['--classes', '164889003, 426783006', '--classes=59118001', '--layout', '3x4+II'], train);
    expect(listOption(args, 'classes')).toEqual(['164889003', '426783006', '59118001']);
    expect(listOption(args, 'layout')).toEqual(['3x4+II']);
    expect(listOption(args, 'leads')).toBeUndefined();
    expect(() => listOption(parseArgs(['--classes', ' , '], train), 'classes')).toThrow(new UsageError('--classes needs a value'));
    expect(() => listOption(parseArgs(['--classes', ' , '], labelErrors), 'classes')).toThrow(new UsageError('--classes needs a value'));
  });

  it('keep train and label-errors usage messages', async () => {
    await expect(run(train, ['--arch', 'small-cnn', '--layout', '3x4+II'])).rejects.toThrow(
      new UsageError('--layout and --px-per-mm apply to --arch image-cnn --input chart only'),
    );
    await expect(run(train, ['--arch', 'image-cnn', '--layout', ','])).rejects.toThrow(new UsageError('--layout needs a value'));
    await expect(run(train, ['--arch', 'image-cnn', '--layout', '3x4+II', '--layout', 'nonsense'])).rejects.toThrow(UsageError);
    await expect(run(labelErrors, ['--model-arch', 'small-cnn', '--classes', ''])).rejects.toThrow(
      new UsageError('--classes needs a value'),
    );
  });
});

describe('explain, eval and export lists', () => {
  it('join repeated and comma-separated values as the other commands do', () => {
    const args = parseArgs(['--records', 'A, B', '--records', 'C', '--method', 'saliency,grad-cam', '--layouts=6x2'], explain);
    expect(listOption(args, 'records')).toEqual(['A', 'B', 'C']);
    expect(listOption(args, 'method')).toEqual(['saliency', 'grad-cam']);
    expect(listOption(args, 'layouts')).toEqual(['6x2']);
    expect(listOption(parseArgs(['--label', '164889003,426783006', '--label', '59118001'], exportCommand), 'label')).toEqual([
      '164889003',
      '426783006',
      '59118001',
    ]);
  });

  it('an empty list is a one-line usage error with exit code 2, before any workspace is opened', async () => {
    const missing = path.join(tmp, 'never-opened');
    const cases: [string[], string][] = [
      [
        ['explain', '--model', '1', '--method', 'vanilla-gradient', '--records', ' , '],
        '--records needs record names or ids separated by commas',
      ],
      [['explain', '--model', '1', '--method', ',', '--all'], '--method needs a method (one of '],
      [
        ['explain', '--model', '1', '--method', 'vanilla-gradient', '--layouts', ',', '--all'],
        '--layouts needs chart layouts separated by commas',
      ],
      [['eval', '--model', '1', '--on', ','], '--on needs a saved selection name'],
      [['export', '--out', path.join(tmp, 'out'), '--label', ','], '--label needs label codes separated by commas'],
      [['export', '--out', path.join(tmp, 'out'), '--review-state', ' '], '--review-state needs review states ('],
      [['export', '--out', path.join(tmp, 'out'), '--record', ','], '--record needs record names or ids separated by commas'],
      [['serve', '--allow-host', ','], '--allow-host needs host names or IP addresses separated by commas'],
    ];
    for (const [args, message] of cases) {
      const r = await runLeadlensInProcess([...args, '--workspace', missing]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr, args.join(' ')).toContain(message);
    }
    // A bad value inside a list is still the command's own usage error.
    const bad = await runLeadlensInProcess([
      'export',
      '--out',
      path.join(tmp, 'out'),
      '--review-state',
      'new,nonsense',
      '--workspace',
      missing,
    ]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("unknown review state 'nonsense'");
    expect(fs.existsSync(missing)).toBe(false);
    expect(fs.existsSync(path.join(tmp, 'out'))).toBe(false);
  });
});

describe('tag and selection commands', () => {
  it('resolve --record lists (repeated, comma-separated, each record once) or a selection, and print their listings', async () => {
    await run(tagList, []);
    expect(lines).toEqual(['no tags (leadlens tag add TAG --record REF)']);
    await run(selectionList, []);
    expect(lines).toEqual(['no saved selections (leadlens selection save NAME ...)']);
    expect(await run(tagAdd, ['ext', '--record', 'A, B', '--record', 'A'])).toEqual({ tag: 'ext', records: 2, added: 2 });
    expect(lines).toEqual(["tag 'ext' on 2 records (2 newly, 0 had it already)"]);
    expect(await run(tagAdd, ['ext', '--record', 'id:3,B'])).toEqual({ tag: 'ext', records: 2, added: 1 });
    await run(tagList, []);
    expect(lines).toEqual([`${'ext'.padEnd(24)} 3 records`]);
    await run(selectionSave, ['external', '--tag', 'ext', '--record', 'B,C']);
    await run(selectionList, []);
    expect(lines).toEqual([`${'external'.padEnd(20)}       2 records  tags ext; records B, C`]);
    expect(await run(tagRemove, ['ext', '--selection', 'external'])).toEqual({ tag: 'ext', records: 2, removed: 2 });
    expect(lines).toEqual(["tag 'ext' taken off 2 of 2 records"]);
    await expect(run(tagAdd, ['ext'])).rejects.toThrow(
      new UsageError('tag add needs exactly one of --record REF[,REF...] and --selection NAME'),
    );
    await expect(run(tagRemove, ['ext', '--record', 'A', '--selection', 'external'])).rejects.toThrow(
      new UsageError('tag remove needs exactly one of --record REF[,REF...] and --selection NAME'),
    );
    await expect(run(tagAdd, ['ext', '--record', ','])).rejects.toThrow(new UsageError('--record needs a value'));
  });
});
