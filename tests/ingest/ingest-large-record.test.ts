import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeHolter } from '../../bench/holter-wfdb.ts';
import { READERS } from '../../src-main/formats/readers.ts';
import { readWfdbRecord } from '../../src-main/formats/wfdb-record.ts';
import { ingestPaths } from '../../src-main/ingest/ingest-files.ts';
import { getRecordSignal, STAGED_SIGNAL_SAMPLES } from '../../src-main/store/record-store.ts';
import { openWorkspace } from '../../src-main/store/workspace.ts';

describe('ingest of a record large enough to be staged', () => {
  it('stores a Holter through staged chunks bit-exact, leaves no staging behind, and a copy elsewhere is a duplicate', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-holter-'));
    const hea = writeHolter(dir, 0.4); // 720,000 samples x 12 leads
    const source = await readWfdbRecord(hea);
    expect(source.length * source.leads.length).toBeGreaterThan(STAGED_SIGNAL_SAMPLES);
    const ws = openWorkspace(fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-holter-ws-')));
    const r = await ingestPaths(ws, [hea], { readers: READERS });
    expect(r).toMatchObject({ newRecords: 1, duplicates: 0, quarantined: [] });
    const back = getRecordSignal(ws.db, r.recordIds[0])!;
    back.leads.forEach((l, i) => expect(Buffer.from(l.digital.buffer).equals(Buffer.from(source.leads[i].digital.buffer))).toBe(true));
    expect(ws.db.prepare('SELECT COUNT(*) AS n FROM record_staging').get()).toEqual({ n: 0 });
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-holter-copy-'));
    for (const f of fs.readdirSync(dir)) fs.copyFileSync(path.join(dir, f), path.join(copy, f));
    const again = await ingestPaths(ws, [copy], { readers: READERS });
    expect(again).toMatchObject({ newRecords: 0, duplicates: 1 });
    expect(ws.db.prepare('SELECT COUNT(DISTINCT record_id) AS n FROM signal_chunk').get()).toEqual({ n: 1 });
    expect(ws.db.pragma('foreign_key_check')).toEqual([]);
    ws.close();
  });
});
