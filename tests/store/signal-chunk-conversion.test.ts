import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWfdbRecord } from '../../src-main/formats/wfdb-record.ts';
import { migrate, SCHEMA_VERSION } from '../../src-main/store/migrate.ts';
import { MIGRATIONS } from '../../src-main/store/migrations/index.ts';
import { CHUNK_CODEC, CHUNK_VALUES, getRecordSignal, readSignalWindow } from '../../src-main/store/record-store.ts';
import { convertSignalChunks, recordsToConvert } from '../../src-main/store/signal-chunk-conversion.ts';
import { buildPyramid } from '../../src-main/store/signal-pyramid.ts';
import type { EcgRecord } from '../../src-shared/record.ts';
import { dataPath } from '../helpers/shared-data.ts';

/**
 * Stores a record the way LeadLens did before migration 8 (schema 6: every chunk raw, no encoding column),
 * so the conversion is tested on exactly what older workspaces hold.
 */
function storeLegacy(db: Database.Database, rec: EcgRecord, hash: string): number {
  const id = Number(
    db
      .prepare(
        `INSERT INTO record (content_hash, record_name, format, sampling_rate, length, lead_count, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(hash, rec.recordName, rec.format, rec.samplingRate, rec.length, rec.leads.length, '2026-01-01T00:00:00Z').lastInsertRowid,
  );
  const chunk = db.prepare('INSERT INTO signal_chunk (record_id, lead_index, level, chunk_index, samples) VALUES (?, ?, ?, ?, ?)');
  rec.leads.forEach((lead, i) => {
    db.prepare(
      'INSERT INTO lead (record_id, lead_index, name, units, gain, baseline, sample_type, derived) VALUES (?, ?, ?, ?, ?, ?, ?, 0)',
    ).run(id, i, lead.name, lead.units, lead.gain, lead.baseline, lead.digital instanceof Int32Array ? 'int32' : 'int16');
    const levels = [lead.digital, ...buildPyramid(lead.digital)];
    levels.forEach((values, level) => {
      for (let c = 0, s = 0; s < values.length; c++, s += CHUNK_VALUES) {
        const part = values.subarray(s, Math.min(values.length, s + CHUNK_VALUES));
        chunk.run(id, i, level, c, Buffer.from(part.buffer, part.byteOffset, part.byteLength));
      }
    });
  });
  return id;
}

const bytesOf = (a: Int16Array | Int32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

async function realRecords(): Promise<EcgRecord[]> {
  const chapman = dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01', '010');
  const heas = [
    ...fs
      .readdirSync(chapman)
      .filter((f) => f.endsWith('.hea'))
      .slice(0, 3)
      .map((f) => path.join(chapman, f)),
    dataPath('mitdb', '100.hea'), // 650,000 samples per lead: 10 chunks each, a pyramid
    dataPath('formats', 'wfdb-python-sample-data', '100_3chan.hea'), // odd length
    dataPath('formats', 'wfdb-python-sample-data', 'binformats.hea'), // int32 leads (formats 24, 32)
  ];
  return Promise.all(heas.map((h) => readWfdbRecord(h)));
}

describe('migration 8: signal chunks converted to the codec', () => {
  it('converts a schema-6 workspace bit-exact on real records, cancellable and resumable', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-conv-'));
    const db = new Database(path.join(dir, 'leadlens.db'));
    db.pragma('journal_mode = WAL');
    migrate(db, MIGRATIONS, 6);
    const recs = await realRecords();
    const ids = db.transaction(() => recs.map((r, k) => storeLegacy(db, r, `h${k}`)))();
    const pyramidBefore = db
      .prepare('SELECT record_id, lead_index, level, chunk_index, samples FROM signal_chunk WHERE level > 0 ORDER BY 1, 2, 3, 4')
      .all();
    expect(pyramidBefore.length).toBeGreaterThan(0);

    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    // Before conversion the raw chunks read as before.
    const check = () =>
      recs.forEach((rec, k) => {
        const back = getRecordSignal(db, ids[k])!;
        back.leads.forEach((l, i) => {
          expect(l.digital.constructor).toBe(rec.leads[i].digital.constructor);
          expect(bytesOf(l.digital).equals(bytesOf(rec.leads[i].digital))).toBe(true);
        });
      });
    check();
    expect(recordsToConvert(db)).toBe(recs.length);

    // Cancelled after the first transaction: what committed is converted, the rest still raw, all readable.
    const abort = new AbortController();
    const first = await convertSignalChunks(db, { chunksPerTransaction: 5, signal: abort.signal, onProgress: () => abort.abort() });
    expect(first.cancelled).toBe(true);
    expect(first.chunksConverted).toBe(5);
    const mixed = db
      .prepare('SELECT encoding, COUNT(*) AS n FROM signal_chunk WHERE level = 0 GROUP BY encoding ORDER BY encoding')
      .all() as { encoding: number; n: number }[];
    expect(mixed.map((m) => m.encoding)).toEqual([0, 1]);
    check();
    // A window across a converted/raw chunk boundary of MIT-BIH 100 (lead 0: chunks 0-4 converted in the first batch).
    const mit = recs.findIndex((r) => r.recordName === '100');
    const win = readSignalWindow(db, ids[mit], 5 * CHUNK_VALUES - 300, 5 * CHUNK_VALUES + 300, 1000)!;
    const v = win.leads[0].values as Int16Array;
    expect(bytesOf(v).equals(bytesOf(recs[mit].leads[0].digital.subarray(5 * CHUNK_VALUES - 300, 5 * CHUNK_VALUES + 300)))).toBe(true);

    // A re-run (a new process would do the same) continues and finishes.
    const rest = await convertSignalChunks(db, { chunksPerTransaction: 7 });
    expect(rest.cancelled).toBe(false);
    expect(rest.recordsRemaining).toBe(0);
    expect(rest.skipped).toEqual([]);
    expect(rest.rawBytes / rest.storedBytes).toBeGreaterThan(1.5);
    const total = recs.reduce((n, r) => n + r.leads.reduce((m, l) => m + Math.ceil(l.digital.length / CHUNK_VALUES), 0), 0);
    expect(first.chunksConverted + rest.chunksConverted).toBe(total);
    expect(db.prepare('SELECT COUNT(*) AS n FROM signal_chunk WHERE level = 0 AND encoding <> ?').get(CHUNK_CODEC)).toEqual({ n: 0 });
    // The pyramid is untouched.
    expect(
      db.prepare('SELECT record_id, lead_index, level, chunk_index, samples FROM signal_chunk WHERE level > 0 ORDER BY 1, 2, 3, 4').all(),
    ).toEqual(pyramidBefore);
    check();
    expect(recordsToConvert(db)).toBe(0);
    const again = await convertSignalChunks(db);
    expect(again.chunksConverted).toBe(0);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('leaves a chunk that is not whole samples raw and lists it, converting the rest', async () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS, 6);
    const rec = (await realRecords())[0];
    const id = storeLegacy(db, rec, 'h');
    db.prepare('UPDATE signal_chunk SET samples = ? WHERE record_id = ? AND lead_index = 3 AND level = 0').run(Buffer.alloc(5), id);
    migrate(db);
    const r = await convertSignalChunks(db);
    expect(r.skipped).toEqual([{ recordId: id, lead: 3, chunk: 0, reason: '5 bytes is not a whole number of int16 samples' }]);
    expect(r.chunksConverted).toBe(rec.leads.length - 1);
    expect(r.recordsRemaining).toBe(0);
  });
});
