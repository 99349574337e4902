import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, SCHEMA_VERSION } from '../../src-main/store/migrate.ts';
import { MIGRATIONS } from '../../src-main/store/migrations/index.ts';
import { openWorkspace } from '../../src-main/store/workspace.ts';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-mig-'));
const schemaOf = (db: Database.Database) =>
  db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all() as { sql: string }[];

describe('schema migrations', () => {
  it('versions are 1..N in order', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('an empty database migrates to the latest version with integrity ok', () => {
    const ws = openWorkspace(tmp());
    expect(ws.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(ws.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(ws.db.pragma('integrity_check', { simple: true })).toBe('ok');
    ws.close();
  });

  it('every previous version migrates forward to the same schema as a fresh database, keeping its rows', () => {
    const fresh = new Database(':memory:');
    migrate(fresh);
    for (const from of MIGRATIONS.map((m) => m.version).filter((v) => v < SCHEMA_VERSION)) {
      const db = new Database(':memory:');
      migrate(db, MIGRATIONS, from);
      expect(db.pragma('user_version', { simple: true })).toBe(from);
      db.prepare("INSERT INTO setting (key, value) VALUES ('probe', '1')").run();
      migrate(db);
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(schemaOf(db)).toEqual(schemaOf(fresh));
      expect(db.prepare("SELECT value FROM setting WHERE key = 'probe'").get()).toEqual({ value: '1' });
    }
  });

  it('a failing migration leaves the database at the version before it', () => {
    const db = new Database(':memory:');
    const broken = [
      ...MIGRATIONS,
      { version: SCHEMA_VERSION + 1, name: 'broken', sql: 'CREATE TABLE ok_table (x); CREATE TABLE record (x);' },
    ];
    expect(() => migrate(db, broken)).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'ok_table'").get()).toBeUndefined();
  });

  it('010 gives each reviewer their latest review state from the audit log, per record', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS, 8);
    db.prepare(
      "INSERT INTO record (id, content_hash, record_name, format, sampling_rate, length, lead_count, created_at) VALUES (1, 'h', 'R1', 't', 500, 10, 1, 'x')",
    ).run();
    const audit = db.prepare("INSERT INTO audit_log (at, actor, action, record_id, detail) VALUES (?, ?, 'review.state', ?, ?)");
    audit.run('t1', 'dr.a', 1, JSON.stringify({ from: 'new', to: 'accepted' }));
    audit.run('t2', 'dr.b', 1, JSON.stringify({ from: 'accepted', to: 'second-opinion' }));
    audit.run('t3', 'dr.a', 1, JSON.stringify({ from: 'second-opinion', to: 'corrected' }));
    audit.run('t4', 'dr.a', 2, JSON.stringify({ from: 'new', to: 'accepted' })); // a record no longer stored
    migrate(db);
    expect(db.prepare('SELECT record_id, reviewer, state, updated_at FROM reviewer_review ORDER BY reviewer').all()).toEqual([
      { record_id: 1, reviewer: 'dr.a', state: 'corrected', updated_at: 't3' },
      { record_id: 1, reviewer: 'dr.b', state: 'second-opinion', updated_at: 't2' },
    ]);
  });

  it('007 keeps each file\'s outcome and turns quarantines for "database is locked" into failures the next ingest retries', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS, 6);
    const file = db.prepare("INSERT INTO ingested_file (path, size, mtime_ms, status, record_ids, at) VALUES (?, 10, 20, ?, '[]', 'x')");
    const quarantine = db.prepare("INSERT INTO quarantine (path, reason, at) VALUES (?, ?, 'x')");
    file.run('/a.hea', 'quarantined');
    quarantine.run('/a.hea', 'a.hea: could not store: database is locked');
    file.run('/b.hea', 'quarantined');
    quarantine.run('/b.hea', 'b.hea: no ECG records in file');
    file.run('/c.hea', 'ingested');
    migrate(db);
    expect(db.prepare('SELECT path, status, reason FROM ingested_file ORDER BY path').all()).toEqual([
      { path: '/a.hea', status: 'failed', reason: 'a.hea: could not store: database is locked' },
      { path: '/b.hea', status: 'quarantined', reason: 'b.hea: no ECG records in file' },
      { path: '/c.hea', status: 'ingested', reason: null },
    ]);
    expect(db.prepare('SELECT path FROM quarantine').all()).toEqual([{ path: '/b.hea' }]);
  });

  it('refuses a database from a newer LeadLens', () => {
    const dir = tmp();
    const db = new Database(path.join(dir, 'leadlens.db'));
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openWorkspace(dir)).toThrow(/newer than this LeadLens/);
  });
});
