import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IngestSummary } from '../../src-shared/api.ts';
import { samplesDir } from '../../src-main/resources.ts';
import { SCHEMA_VERSION } from '../../src-main/store/migrate.ts';
import { LEADLENS_BIN, startServe } from '../helpers/run-cli.ts';
import { dataPath } from '../helpers/shared-data.ts';

// Real processes of the built CLI (`node scripts/build.mjs --main-only`) on one workspace, each record counted.

const CHAPMAN = ['010', '011'].map((f) => dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01', f));
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-conc-'));

/** Runs `leadlens ARGS` without blocking the test's event loop (so several run at once). */
function leadlens(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [LEADLENS_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.once('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

const ingestJson = async (ws: string, paths: string[]): Promise<{ status: number | null; summary: IngestSummary; stderr: string }> => {
  const r = await leadlens(['ingest', ...paths, '--workspace', ws, '--json']);
  return { status: r.status, stderr: r.stderr, summary: JSON.parse(r.stdout.trim().split('\n').pop() || '{}') as IngestSummary };
};

const heaFiles = (dir: string) =>
  fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.hea'))
    .map((f) => path.join(dir, f));

function openDb(ws: string): Database.Database {
  return new Database(path.join(ws, 'leadlens.db'), { readonly: true, fileMustExist: true });
}
const one = (db: Database.Database, sql: string): number => (db.prepare(sql).get() as { n: number }).n;

describe('several processes on one workspace lose nothing', () => {
  it('two ingests of the same 200 Chapman records at once: each stored exactly once, nothing quarantined', async () => {
    const ws = tmp();
    const [a, b] = await Promise.all([ingestJson(ws, CHAPMAN), ingestJson(ws, CHAPMAN)]);
    const entries = CHAPMAN.flatMap(heaFiles);
    expect(entries.length).toBe(200);
    for (const r of [a, b]) {
      expect(r.status, r.stderr).toBe(0);
      expect(r.summary.quarantined).toEqual([]);
      expect(r.summary.failed).toBe(0);
      // Every entry file is accounted for in each run: stored by it, or found stored by the other one.
      const byPath = new Map(r.summary.outcomes.map((o) => [o.path, o.outcome]));
      for (const hea of entries) expect(['stored', 'duplicate', 'unchanged']).toContain(byPath.get(hea));
    }
    expect(a.summary.newRecords + b.summary.newRecords).toBe(200);

    const db = openDb(ws);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(one(db, 'SELECT COUNT(*) AS n FROM record')).toBe(200);
    const sources = db.prepare('SELECT path, COUNT(*) AS n FROM record_source GROUP BY path').all() as { path: string; n: number }[];
    expect(sources.map((s) => s.path).sort()).toEqual([...entries].sort());
    expect(sources.every((s) => s.n === 1)).toBe(true);
    expect(one(db, 'SELECT COUNT(*) AS n FROM quarantine')).toBe(0);
    expect(db.prepare('SELECT status, COUNT(*) AS n FROM ingested_file GROUP BY status').all()).toEqual([{ status: 'ingested', n: 200 }]);
    db.close();
  });

  it('labels edited through serve while the CLI ingests PTB-XL and LUDB: no 500, no lost label, no lost record', async () => {
    const ws = tmp();
    const seed = await ingestJson(ws, [samplesDir()]);
    expect(seed.status, seed.stderr).toBe(0);
    const server = await startServe(['--workspace', ws, '--no-samples']);
    try {
      const token = new URL(server.url).searchParams.get('token')!;
      const recordIds = seed.summary.outcomes.flatMap((o) => o.recordIds ?? []);
      expect(recordIds.length).toBe(5);
      const statuses = new Map<number, number>();
      let calls = 0;
      let ingestDone = false;
      const ingest = ingestJson(ws, [dataPath('ptbxl'), dataPath('ludb')]).finally(() => (ingestDone = true));
      // One labels.set after another for as long as the ingest runs (and at least 50), as a reviewer clicking fast.
      while (!ingestDone || calls < 50) {
        const res = await fetch(`http://127.0.0.1:${server.port}/api/labels.set`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
          body: JSON.stringify({
            recordId: recordIds[calls % 5],
            vocabulary: 'SNOMED',
            code: '164889003',
            present: calls % 2 === 0,
            author: 'load',
          }),
        });
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        calls++;
      }
      const r = await ingest;
      expect(r.status, r.stderr).toBe(0);
      expect(Object.fromEntries(statuses)).toEqual({ 200: calls });
      expect(r.summary.quarantined).toEqual([]);
      expect(r.summary.failed).toBe(0);
      const ptbxlRows = fs.readFileSync(dataPath('ptbxl', 'ptbxl_database.csv'), 'utf8').trim().split('\n').length - 1;
      const ludbRecords = heaFiles(dataPath('ludb', 'data')).length;
      expect(r.summary.newRecords + r.summary.duplicates).toBe(ptbxlRows + ludbRecords);

      const db = openDb(ws);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(one(db, 'SELECT COUNT(*) AS n FROM record')).toBe(5 + r.summary.newRecords);
      expect(one(db, "SELECT COUNT(*) AS n FROM label WHERE source_kind = 'annotator'")).toBe(calls);
      expect(one(db, "SELECT COUNT(*) AS n FROM audit_log WHERE action LIKE 'label%'")).toBe(calls);
      db.close();
      console.log(`labels.set during ingest: ${calls} calls, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    } finally {
      await server.stop();
    }
  });

  it('six processes opening one new workspace at once migrate it once, twice over', async () => {
    for (let round = 0; round < 2; round++) {
      const ws = tmp();
      const runs = await Promise.all(Array.from({ length: 6 }, () => ingestJson(ws, [samplesDir()])));
      for (const r of runs) {
        expect(r.status, r.stderr).toBe(0);
        expect(r.summary.quarantined).toEqual([]);
      }
      expect(runs.reduce((n, r) => n + r.summary.newRecords, 0)).toBe(5);
      const db = openDb(ws);
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(one(db, 'SELECT COUNT(*) AS n FROM record')).toBe(5);
      db.close();
    }
  });
});
