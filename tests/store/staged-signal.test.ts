import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cleanUpStagedSignals,
  discardStagedSignal,
  getRecordSignal,
  listRecordSummaries,
  recordCount,
  stageRecordSignal,
  storeRecord,
} from '../../src-main/store/record-store.ts';
import { openWorkspace } from '../../src-main/store/workspace.ts';
import { ChunkEncodePool } from '../../src-main/store/chunk-encode-pool.ts';
import { syntheticRecord } from '../helpers/synthetic-record.ts';

const ws = () => openWorkspace(fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-stage-')));
const chunkCount = (w: ReturnType<typeof ws>, id: number) =>
  (w.db.prepare('SELECT COUNT(*) AS n FROM signal_chunk WHERE record_id = ?').get(id) as { n: number }).n;
const bytesOf = (a: Int16Array | Int32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('staged (write-once) signal of large records', () => {
  it('writes chunks first, invisible until the record row commits; then reads back bit-exact', async () => {
    const w = ws();
    const big = syntheticRecord({ seed: 5, length: 400_000 });
    const staged = (await stageRecordSignal(w.db, big))!;
    expect(chunkCount(w, staged.recordId)).toBeGreaterThan(12 * 6);
    // Nothing of it is visible to a reader yet.
    expect(recordCount(w.db)).toBe(0);
    expect(getRecordSignal(w.db, staged.recordId)).toBeUndefined();
    expect(listRecordSummaries(w.db, { offset: 0, limit: 10 }).total).toBe(0);
    // A record stored meanwhile does not take the reserved id.
    const small = w.db.transaction(() => storeRecord(w.db, syntheticRecord({ seed: 6 }), { path: '/in/small.hea', format: 'test' }))();
    expect(small.recordId).not.toBe(staged.recordId);
    const r = w.db.transaction(() => storeRecord(w.db, big, { path: '/in/big.hea', format: 'test' }, undefined, undefined, staged))();
    expect(r).toEqual({ recordId: staged.recordId, duplicate: false });
    const back = getRecordSignal(w.db, r.recordId)!;
    back.leads.forEach((l, i) => expect(bytesOf(l.digital).equals(bytesOf(big.leads[i].digital))).toBe(true));
    expect(w.db.prepare('SELECT COUNT(*) AS n FROM record_staging').get()).toEqual({ n: 0 });
    expect(w.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(w.db.pragma('foreign_key_check')).toEqual([]);
    w.close();
  });

  it('stages nothing for content already stored, and drops a staged copy that lost a race to the same content', async () => {
    const w = ws();
    const big = syntheticRecord({ seed: 8, length: 200_000 });
    const staged = (await stageRecordSignal(w.db, big))!;
    const first = w.db.transaction(() => storeRecord(w.db, big, { path: '/in/a.hea', format: 'test' }))();
    expect(await stageRecordSignal(w.db, big)).toBeUndefined();
    const second = w.db.transaction(() => storeRecord(w.db, big, { path: '/in/b.hea', format: 'test' }, undefined, undefined, staged))();
    expect(second).toEqual({ recordId: first.recordId, duplicate: true });
    expect(chunkCount(w, staged.recordId)).toBe(0);
    w.close();
  });

  it('a store interrupted before its record row (process gone) leaves nothing visible and is cleaned up', async () => {
    const w = ws();
    const staged = (await stageRecordSignal(w.db, syntheticRecord({ seed: 9, length: 200_000 })))!;
    // As if the staging process had been killed: its pid is one that has exited.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    w.db.prepare('UPDATE record_staging SET pid = ? WHERE record_id = ?').run(dead, staged.recordId);
    expect(recordCount(w.db)).toBe(0);
    // Reopening the workspace cleans it up.
    w.close();
    const reopened = openWorkspace(w.dir);
    expect(chunkCount(reopened, staged.recordId)).toBe(0);
    expect(reopened.db.prepare('SELECT COUNT(*) AS n FROM record_staging').get()).toEqual({ n: 0 });
    reopened.close();
    const w2 = openWorkspace(w.dir);
    const dead2 = (await stageRecordSignal(w2.db, syntheticRecord({ seed: 13, length: 200_000 })))!;
    w2.db.prepare('UPDATE record_staging SET pid = ? WHERE record_id = ?').run(dead, dead2.recordId);
    expect(cleanUpStagedSignals(w2.db)).toBe(1);
    expect(chunkCount(w2, dead2.recordId)).toBe(0);
    // A staging row of this live process is left to its owner, who discards it.
    const mine = (await stageRecordSignal(w2.db, syntheticRecord({ seed: 10, length: 200_000 })))!;
    expect(cleanUpStagedSignals(w2.db)).toBe(0);
    discardStagedSignal(w2.db, mine.recordId);
    expect(chunkCount(w2, mine.recordId)).toBe(0);
    expect(w2.db.prepare('SELECT COUNT(*) AS n FROM record_staging').get()).toEqual({ n: 0 });
    w2.close();
  });

  it('a chunk that cannot be encoded fails the stage with its reason, and leaves no chunk or reservation behind', async () => {
    const w = ws();
    const pool = new ChunkEncodePool(1);
    await pool.close();
    await expect(stageRecordSignal(w.db, syntheticRecord({ seed: 14, length: 200_000 }), undefined, pool)).rejects.toThrow(
      /pool is closed/,
    );
    expect(w.db.prepare('SELECT COUNT(*) AS n FROM signal_chunk').get()).toEqual({ n: 0 });
    expect(w.db.prepare('SELECT COUNT(*) AS n FROM record_staging').get()).toEqual({ n: 0 });
    expect(w.db.pragma('foreign_keys', { simple: true })).toBe(1);
    w.close();
  });

  it('refuses to stage inside a transaction (the bounded transactions are its own)', () => {
    const w = ws();
    expect(() => w.db.transaction(() => stageRecordSignal(w.db, syntheticRecord({ seed: 12 })))()).toThrow(/outside a transaction/);
    w.close();
  });
});
