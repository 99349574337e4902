import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src-main/store/migrate.ts';
import { MIGRATIONS } from '../../src-main/store/migrations/index.ts';
import { getRecordSignal } from '../../src-main/store/record-store.ts';
import { openWorkspace } from '../../src-main/store/workspace.ts';
import { runLeadlens } from '../helpers/run-cli.ts';
import { syntheticRecord } from '../helpers/synthetic-record.ts';

describe('leadlens convert-signals', () => {
  it('compresses the raw chunks of a workspace from schema 6 and reports it as JSON; a second run has nothing to do', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-cli-conv-'));
    const db = new Database(path.join(dir, 'leadlens.db'));
    db.pragma('journal_mode = WAL');
    migrate(db, MIGRATIONS, 6);
    const rec = syntheticRecord({ seed: 4, length: 70_000 });
    const id = Number(
      db
        .prepare(
          "INSERT INTO record (content_hash, record_name, format, sampling_rate, length, lead_count, created_at) VALUES ('h', 'R', 'test', 500, ?, 12, 'now')",
        )
        .run(rec.length).lastInsertRowid,
    );
    rec.leads.forEach((l, i) => {
      db.prepare(
        "INSERT INTO lead (record_id, lead_index, name, units, gain, baseline, sample_type) VALUES (?, ?, ?, 'mV', 1000, 0, 'int16')",
      ).run(id, i, l.name);
      const d = l.digital;
      db.prepare('INSERT INTO signal_chunk (record_id, lead_index, level, chunk_index, samples) VALUES (?, ?, 0, 0, ?)').run(
        id,
        i,
        Buffer.from(d.buffer, 0, 2 * 65536),
      );
      db.prepare('INSERT INTO signal_chunk (record_id, lead_index, level, chunk_index, samples) VALUES (?, ?, 0, 1, ?)').run(
        id,
        i,
        Buffer.from(d.buffer, 2 * 65536),
      );
    });
    db.close();
    const r = runLeadlens(['convert-signals', '--workspace', dir, '--batch', '5', '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ chunksConverted: 24, recordsDone: 1, recordsRemaining: 0, cancelled: false, skipped: [] });
    expect(out.ratio).toBeGreaterThan(1.5);
    const ws = openWorkspace(dir);
    getRecordSignal(ws.db, id)!.leads.forEach((l, i) =>
      expect(Buffer.from(l.digital.buffer).equals(Buffer.from(rec.leads[i].digital.buffer))).toBe(true),
    );
    ws.close();
    expect(JSON.parse(runLeadlens(['convert-signals', '--workspace', dir, '--json']).stdout).chunksConverted).toBe(0);
    const bad = runLeadlens(['convert-signals', '--workspace', dir, '--batch', '0']);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe('leadlens convert-signals: --batch must be a positive whole number of chunks, got 0');
  });
});
