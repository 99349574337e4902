import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LEADLENS_BIN, runLeadlens } from '../helpers/run-cli.ts';
import { dataPath } from '../helpers/shared-data.ts';

const CINC = dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01', '010');

describe('ingest survives SIGKILL', () => {
  it('killed mid-folder and restarted, every record is present exactly once and the database is intact', async () => {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-kill-'));
    const child = spawn(process.execPath, [LEADLENS_BIN, 'ingest', CINC, '--workspace', ws], { stdio: 'ignore' });
    const dbPath = path.join(ws, 'leadlens.db');
    // Wait until some (not all) records are committed, then kill without warning.
    let seen = 0;
    for (let i = 0; i < 600 && seen < 15; i++) {
      await new Promise((r) => setTimeout(r, 20));
      if (!fs.existsSync(dbPath)) continue;
      try {
        const db = new Database(dbPath, { readonly: true, fileMustExist: true });
        seen = (db.prepare('SELECT COUNT(*) AS n FROM record').get() as { n: number }).n;
        db.close();
      } catch {
        // schema not created yet
      }
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(seen).toBeGreaterThan(0);

    const again = runLeadlens(['ingest', CINC, '--workspace', ws, '--json']);
    expect(again.status, again.stderr).toBe(0);

    const db = new Database(dbPath, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const heaFiles = fs.readdirSync(CINC).filter((f) => f.endsWith('.hea'));
    const sources = db.prepare('SELECT path, COUNT(*) AS n FROM record_source GROUP BY path').all() as { path: string; n: number }[];
    const quarantined = (db.prepare("SELECT COUNT(*) AS n FROM ingested_file WHERE status = 'quarantined'").get() as { n: number }).n;
    expect(sources.length).toBe(heaFiles.length - quarantined);
    expect(sources.every((s) => s.n === 1)).toBe(true);
    const dupHashes = db.prepare('SELECT content_hash, COUNT(*) AS n FROM record GROUP BY content_hash HAVING n > 1').all();
    expect(dupHashes).toEqual([]);
    const files = db.prepare('SELECT COUNT(*) AS n FROM ingested_file').get() as { n: number };
    expect(files.n).toBe(heaFiles.length);
    db.close();
  });
});

describe('a dataset index is stored a slice of records at a time', () => {
  it('killed part-way through PTB-XL, the records so far are kept, the index is read again and each record stored once', async () => {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-kill-index-'));
    const ptbxl = dataPath('ptbxl');
    const rows = fs.readFileSync(path.join(ptbxl, 'ptbxl_database.csv'), 'utf8').trim().split('\n').length - 1;
    const child = spawn(process.execPath, [LEADLENS_BIN, 'ingest', ptbxl, '--workspace', ws], { stdio: 'ignore' });
    const dbPath = path.join(ws, 'leadlens.db');
    // Some records committed while the index is still being stored: the lock is not held for the whole index.
    let seen = 0;
    for (let i = 0; i < 3000 && seen === 0 && child.exitCode === null; i++) {
      await new Promise((r) => setTimeout(r, 20));
      try {
        const db = new Database(dbPath, { readonly: true, fileMustExist: true });
        seen = (db.prepare('SELECT COUNT(*) AS n FROM record').get() as { n: number }).n;
        db.close();
      } catch {
        // not created yet
      }
    }
    child.kill('SIGKILL');
    await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(null)));
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThan(rows);
    const partial = new Database(dbPath, { readonly: true });
    expect(partial.prepare('SELECT COUNT(*) AS n FROM ingested_file').get()).toEqual({ n: 0 });
    partial.close();

    const again = runLeadlens(['ingest', ptbxl, '--workspace', ws, '--json']);
    expect(again.status, again.stderr).toBe(0);
    const db = new Database(dbPath, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const distinct = (db.prepare('SELECT COUNT(DISTINCT source_record_name) AS n FROM record_source').get() as { n: number }).n;
    expect(distinct).toBe(rows);
    expect(db.prepare('SELECT status FROM ingested_file WHERE path = ?').get(path.join(ptbxl, 'ptbxl_database.csv'))).toEqual({
      status: 'ingested',
    });
    db.close();
  });
});
