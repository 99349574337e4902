import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { effectiveLabels, labelHistory, setAnnotatorLabel } from '../../src-main/store/label-store.ts';
import { listAudit } from '../../src-main/store/audit-log.ts';
import { getRecordSignal, listRecordSummaries, readSignalWindow, storeRecord } from '../../src-main/store/record-store.ts';
import { bucketSize } from '../../src-main/store/signal-pyramid.ts';
import { migrate } from '../../src-main/store/migrate.ts';
import { listWorklist } from '../../src-main/store/worklist.ts';
import { DB_FILE, openWorkspace } from '../../src-main/store/workspace.ts';
import { syntheticRecord } from '../helpers/synthetic-record.ts';

const ws = () => openWorkspace(fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-store-')));
const store = (w: ReturnType<typeof ws>, rec = syntheticRecord(), p = '/in/a.hea') =>
  w.db.transaction(() => storeRecord(w.db, rec, { path: p, format: rec.format }))();

describe('record store', () => {
  it('reads a record back bit-exact', () => {
    const w = ws();
    const rec = syntheticRecord({ seed: 3 });
    const { recordId } = store(w, rec);
    const back = getRecordSignal(w.db, recordId)!;
    expect(back.leads.map((l) => l.name)).toEqual(rec.leads.map((l) => l.name));
    back.leads.forEach((l, i) => {
      expect(l.digital).toBeInstanceOf(Int16Array);
      expect(Buffer.from(l.digital.buffer).equals(Buffer.from(rec.leads[i].digital.buffer))).toBe(true);
      expect(l.gain).toBe(1000);
    });
    expect(back.labels).toEqual([{ vocabulary: 'SNOMED', code: '426783006' }]);
  });

  it("keeps the device's reading and the reader's warnings with the record", () => {
    const w = ws();
    const device = {
      model: 'GE MAC55',
      measurements: { qtInterval: { value: 402, unit: 'ms' } },
      statements: ['Normal sinus rhythm'],
      filters: { lowPassHz: 150 },
    };
    const { recordId } = store(w, { ...syntheticRecord({ seed: 11 }), device, warnings: ["base time '12-May-2020' read as a date"] });
    const back = getRecordSignal(w.db, recordId)!;
    expect(back.device).toEqual(device);
    expect(back.warnings).toEqual(["base time '12-May-2020' read as a date"]);
    expect(getRecordSignal(w.db, store(w, syntheticRecord({ seed: 12 })).recordId)!.device).toBeUndefined();
  });

  it('reads a span of a record back bit-exact, clamped to the record', () => {
    const w = ws();
    const rec = syntheticRecord({ seed: 5 });
    const { recordId } = store(w, rec);
    const span = getRecordSignal(w.db, recordId, 1000, 2500)!;
    expect(span.length).toBe(1500);
    span.leads.forEach((l, i) => expect(Array.from(l.digital)).toEqual(Array.from(rec.leads[i].digital.subarray(1000, 2500))));
    const tail = getRecordSignal(w.db, recordId, 4990, 9999)!;
    expect(tail.length).toBe(10);
    expect(Array.from(tail.leads[3].digital)).toEqual(Array.from(rec.leads[3].digital.subarray(4990)));
  });

  it('keeps int32 leads (24/32-bit sources) exact', () => {
    const w = ws();
    const rec = syntheticRecord({ seed: 4 });
    rec.leads[0] = { ...rec.leads[0], digital: Int32Array.from(rec.leads[0].digital, (v, i) => v * 1000 + (i % 1000) - 8_000_000) };
    const { recordId } = store(w, rec);
    const back = getRecordSignal(w.db, recordId)!;
    expect(back.leads[0].digital).toBeInstanceOf(Int32Array);
    expect(Array.from(back.leads[0].digital.subarray(0, 50))).toEqual(Array.from(rec.leads[0].digital.subarray(0, 50)));
    expect(back.leads[0].digital[4999]).toBe(rec.leads[0].digital[4999]);
  });

  it('the same ECG under two names, or in other units, is one record with two sources', () => {
    const w = ws();
    const a = store(w, syntheticRecord({ seed: 5, name: 'A' }), '/in/A.hea');
    const b = store(w, syntheticRecord({ seed: 5, name: 'B' }), '/other/B.hea');
    // Same signal in microvolts (gain 1 per uV) — the identity is the physical signal.
    const uv = syntheticRecord({ seed: 5, name: 'C' });
    uv.leads = uv.leads.map((l) => ({ ...l, units: 'uV', gain: 1 }));
    const c = store(w, uv, '/csv/C.csv');
    const d = store(w, syntheticRecord({ seed: 6, name: 'D' }), '/in/D.hea');
    expect(a.duplicate).toBe(false);
    expect(b).toEqual({ recordId: a.recordId, duplicate: true });
    expect(c).toEqual({ recordId: a.recordId, duplicate: true });
    expect(d.duplicate).toBe(false);
    const list = listRecordSummaries(w.db, { offset: 0, limit: 10 });
    expect(list.total).toBe(2);
    expect(list.records[0].sourceCount).toBe(3);
  });

  it('label corrections add rows, keep history and write the audit log', () => {
    const w = ws();
    const { recordId } = store(w);
    setAnnotatorLabel(w.db, { recordId, vocabulary: 'SNOMED', code: '426783006', present: false, author: 'dr.a' });
    setAnnotatorLabel(w.db, { recordId, vocabulary: 'SNOMED', code: '164889003', present: true, author: 'dr.a' });
    expect(effectiveLabels(w.db, recordId)).toEqual([{ vocabulary: 'SNOMED', code: '164889003' }]);
    setAnnotatorLabel(w.db, { recordId, vocabulary: 'SNOMED', code: '426783006', present: true, author: 'dr.b' });
    // dr.a says NSR absent, dr.b present: absent holds until they agree (the worklist's SQL reads it the same way).
    expect(effectiveLabels(w.db, recordId).map((l) => l.code)).toEqual(['164889003']);
    expect(listWorklist(w.db, { label: '426783006' }).total).toBe(0);
    const h = labelHistory(w.db, recordId);
    expect(h).toHaveLength(4);
    expect(h[0]).toMatchObject({ sourceKind: 'dataset', code: '426783006', isCurrent: true });
    // Each reviewer keeps their own word: dr.b's does not supersede dr.a's (the latest counts in the effective labels).
    expect(h[1]).toMatchObject({ sourceKind: 'annotator', present: false, isCurrent: true, author: 'dr.a' });
    expect(h[3]).toMatchObject({ present: true, isCurrent: true, supersedes: null, author: 'dr.b' });
    setAnnotatorLabel(w.db, { recordId, vocabulary: 'SNOMED', code: '426783006', present: true, author: 'dr.a' });
    expect(effectiveLabels(w.db, recordId).map((l) => l.code)).toEqual(['426783006', '164889003']);
    expect(listWorklist(w.db, { label: '426783006' }).total).toBe(1);
    expect(labelHistory(w.db, recordId)[4]).toMatchObject({ author: 'dr.a', isCurrent: true, supersedes: h[1].id });
    expect(labelHistory(w.db, recordId)[1].isCurrent).toBe(false);
    expect(listAudit(w.db, { recordId }).map((a) => `${a.actor}:${a.action}`)).toEqual([
      'dr.a:label.add',
      'dr.b:label.add',
      'dr.a:label.add',
      'dr.a:label.remove',
    ]);
    expect(() => setAnnotatorLabel(w.db, { recordId: 999, vocabulary: 'SNOMED', code: '1', present: true, author: 'x' })).toThrow(
      /no record with id 999/,
    );
  });

  it('a long record is chunked with a min/max pyramid; any window reads back right', () => {
    const w = ws();
    const rec = syntheticRecord({ seed: 7, length: 3_000_000, fs: 500 });
    const { recordId } = store(w, rec);
    const chunks = w.db
      .prepare('SELECT level, COUNT(*) AS n FROM signal_chunk WHERE record_id = ? AND lead_index = 0 GROUP BY level')
      .all(recordId) as { level: number; n: number }[];
    expect(chunks[0]).toEqual({ level: 0, n: Math.ceil(3_000_000 / 65536) });
    expect(chunks.length).toBeGreaterThan(2);
    // Raw window across a chunk boundary.
    const raw = readSignalWindow(w.db, recordId, 65_000, 66_000, 5000)!;
    expect(raw.bucketSize).toBe(1);
    expect(raw.leads[2].sampleType).toBe('int16');
    const v = raw.leads[2].values;
    expect(Array.from(v)).toEqual(Array.from(rec.leads[2].digital.subarray(65_000, 66_000)));
    // Zoomed-out window: min/max buckets equal to the true extremes of their samples.
    const zoom = readSignalWindow(w.db, recordId, 0, 3_000_000, 2000)!;
    expect(zoom.bucketSize).toBeGreaterThan(1);
    expect(zoom.leads[0].values).toBeInstanceOf(Int16Array);
    const mm = zoom.leads[0].values;
    expect(mm.length / 2).toBeGreaterThanOrEqual(1000);
    expect(mm.length / 2).toBeLessThanOrEqual(Math.ceil(3_000_000 / bucketSize(1)));
    const b = 17;
    const seg = rec.leads[0].digital.subarray(b * zoom.bucketSize, (b + 1) * zoom.bucketSize);
    expect([mm[2 * b], mm[2 * b + 1]]).toEqual([Math.min(...seg), Math.max(...seg)]);
    // Full read is exact.
    const back = getRecordSignal(w.db, recordId)!;
    expect(Buffer.from(back.leads[11].digital.buffer).equals(Buffer.from(rec.leads[11].digital.buffer))).toBe(true);
  });

  it('a window read again after its record was deleted and the id reused gives the new record (decoded-chunk cache)', () => {
    const w = ws();
    const a = syntheticRecord({ seed: 21, length: 200_000 });
    const b = syntheticRecord({ seed: 22, length: 200_000 });
    const first = store(w, a).recordId;
    const window = (id: number) => readSignalWindow(w.db, id, 70_000, 72_000, 5000)!.leads[4].values as Int16Array;
    expect(Array.from(window(first))).toEqual(Array.from(a.leads[4].digital.subarray(70_000, 72_000)));
    w.db.prepare('DELETE FROM record WHERE id = ?').run(first);
    const second = store(w, b).recordId;
    expect(second).toBe(first);
    expect(Array.from(window(second))).toEqual(Array.from(b.leads[4].digital.subarray(70_000, 72_000)));
  });

  it('new workspaces use 32 KiB pages; one made with 4 KiB pages keeps them and its records', () => {
    const fresh = ws();
    expect(fresh.db.pragma('page_size', { simple: true })).toBe(32768);
    fresh.close();
    // A workspace from before the page size was set: SQLite's default page size, a record stored in it.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-store-'));
    const old = new Database(path.join(dir, DB_FILE));
    old.pragma('page_size = 4096');
    old.pragma('journal_mode = WAL');
    migrate(old);
    const rec = syntheticRecord({ seed: 3, length: 100_000, fs: 500 });
    const { recordId } = old.transaction(() => storeRecord(old, rec, { path: '/in/old.hea', format: rec.format }))();
    old.close();
    const w = openWorkspace(dir);
    expect(w.db.pragma('page_size', { simple: true })).toBe(4096);
    expect(Buffer.from(getRecordSignal(w.db, recordId)!.leads[5].digital.buffer).equals(Buffer.from(rec.leads[5].digital.buffer))).toBe(
      true,
    );
    const second = store(w, syntheticRecord({ seed: 4, length: 100_000, fs: 500 }), '/in/new.hea');
    expect(second.duplicate).toBe(false);
    expect(w.db.pragma('integrity_check', { simple: true })).toBe('ok');
    w.close();
  });
});
