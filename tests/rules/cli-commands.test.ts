// The `rules` and `bench qrs` command objects, run with a test context (registration is the CLI's).
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataPath } from '../helpers/shared-data.ts';
import type { CliContext } from '../../src-main/cli/command.ts';
import { command as rules } from '../../src-main/cli/commands/rules.ts';
import { command as benchQrs } from '../../src-main/cli/commands/bench-qrs.ts';
import { readWfdbRecord } from '../../src-main/formats/wfdb-record.ts';
import { migrate } from '../../src-main/store/migrate.ts';
import { MIGRATIONS } from '../../src-main/store/migrations/index.ts';
import { migration as rulesMigration } from '../../src-main/store/migrations/002-rules.ts';
import { storeRecord } from '../../src-main/store/record-store.ts';
import type { QrsBenchmark } from '../../src-main/dsp/qrs-benchmark.ts';

function context(db?: Database.Database): CliContext & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    workspace: () => ({ dir: '', db: db!, close: () => undefined }),
    workspaceDir: '',
    json: false,
    progress: () => ({ update: () => undefined, finish: () => undefined }),
    signal: new AbortController().signal,
    log: (l) => lines.push(l),
    fail: (m) => lines.push(`failed: ${m}`),
  };
}

describe('leadlens rules', () => {
  it('runs on a stored record by name and rejects bad options with a usage error', async () => {
    const db = new Database(':memory:');
    migrate(
      db,
      MIGRATIONS.some((m) => m.version === 2) ? MIGRATIONS : [...MIGRATIONS, rulesMigration].sort((a, b) => a.version - b.version),
    );
    const rec = await readWfdbRecord(dataPath('ludb', 'data', '1.hea'));
    db.transaction(() => storeRecord(db, rec, { path: 'ludb/1.hea', format: 'wfdb' }))();
    const ctx = context(db);
    const out = (await rules.run({ positionals: [], options: { record: '1', leads: '6' } }, ctx)) as {
      leadSet: number;
      records: { results: { detector: string; decision: unknown }[] }[];
    };
    expect(out.leadSet).toBe(6);
    expect(out.records[0].results.find((r) => r.detector === 'sinus-bradycardia')!.decision).toBe(true);
    expect(ctx.lines[0]).toMatch(/^1 \(#1\): .*sinus-bradycardia/);
    await expect(rules.run({ positionals: [], options: { all: true, leads: '5' } }, ctx)).rejects.toThrow(
      /--leads must be 12, 6, 4, 3 or 2/,
    );
    await expect(rules.run({ positionals: [], options: {} }, ctx)).rejects.toThrow(
      /rules needs exactly one of --all and --record ID\|NAME/,
    );
    await expect(rules.run({ positionals: [], options: { record: 'nope' } }, ctx)).rejects.toThrow(/no stored record/);
  });
});

describe('leadlens bench qrs', () => {
  it('scores a folder holding MIT-BIH record 100 beat by beat', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-mitdb-'));
    for (const ext of ['hea', 'dat', 'atr']) fs.symlinkSync(dataPath('mitdb', `100.${ext}`), path.join(dir, `100.${ext}`));
    const ctx = context();
    const r = (await benchQrs.run({ positionals: [], options: { mitdb: dir } }, ctx)) as QrsBenchmark;
    expect(r.records.map((x) => x.record)).toEqual(['100']);
    expect(r.gross.se).toBeGreaterThan(0.999);
    expect(r.gross.ppv).toBe(1);
    expect(r.msPer30MinLead).toBeGreaterThan(0);
    expect(ctx.lines.at(-1)).toMatch(/^gross {2}Se 99\.9\d %/);
    await expect(benchQrs.run({ positionals: [], options: {} }, ctx)).rejects.toThrow(/--mitdb DIR/);
    fs.rmSync(dir, { recursive: true });
  });
});
