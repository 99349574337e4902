import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { READERS } from '../../src-main/formats/readers.ts';
import { ingestPaths } from '../../src-main/ingest/ingest-files.ts';
import { samplesDir } from '../../src-main/resources.ts';
import { getRecordSignal, listRecordSummaries } from '../../src-main/store/record-store.ts';
import { openWorkspace } from '../../src-main/store/workspace.ts';

const tmp = (p: string) => fs.mkdtempSync(path.join(os.tmpdir(), p));
const count = (db: ReturnType<typeof openWorkspace>['db'], table: string) =>
  (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('ingest', () => {
  it('takes in the demo records with their SNOMED labels, and a second pass imports nothing', async () => {
    const ws = openWorkspace(tmp('leadlens-ing-'));
    const r1 = await ingestPaths(ws, [samplesDir()], { readers: READERS });
    expect(r1).toMatchObject({ newRecords: 5, duplicates: 0, quarantined: [] });
    const list = listRecordSummaries(ws.db, { offset: 0, limit: 10 }).records;
    expect(list.map((r) => r.recordName)).toEqual(['JS00004', 'JS00008', 'JS00012', 'JS00036', 'JS00049']);
    expect(list[4].labels).toEqual([
      { vocabulary: 'SNOMED', code: '426177001' },
      { vocabulary: 'SNOMED', code: '39732003' },
    ]);
    const js4 = getRecordSignal(ws.db, list[0].id)!;
    expect(js4).toMatchObject({ samplingRate: 500, length: 5000, age: expect.any(Number), sex: expect.stringMatching(/^[MF]$/) });
    expect(js4.leads).toHaveLength(12);
    const r2 = await ingestPaths(ws, [samplesDir()], { readers: READERS });
    expect(r2).toMatchObject({ newRecords: 0, duplicates: 0 });
    expect(count(ws.db, 'record')).toBe(5);
    expect(count(ws.db, 'record_source')).toBe(5);
  });

  it('the same ECG under another name is one record with two sources', async () => {
    const ws = openWorkspace(tmp('leadlens-ing-'));
    const inbox = tmp('leadlens-in-');
    for (const ext of ['hea', 'mat']) fs.copyFileSync(path.join(samplesDir(), `JS00008.${ext}`), path.join(inbox, `JS00008.${ext}`));
    const hea = fs.readFileSync(path.join(samplesDir(), 'JS00008.hea'), 'latin1').replaceAll('JS00008', 'COPY0008');
    fs.writeFileSync(path.join(inbox, 'COPY0008.hea'), hea);
    fs.copyFileSync(path.join(samplesDir(), 'JS00008.mat'), path.join(inbox, 'COPY0008.mat'));
    const r = await ingestPaths(ws, [inbox], { readers: READERS });
    expect(r).toMatchObject({ newRecords: 1, duplicates: 1, quarantined: [] });
    expect(listRecordSummaries(ws.db, { offset: 0, limit: 5 }).records[0].sourceCount).toBe(2);
  });

  it('quarantines bad files with a one-line reason and stores nothing of them', async () => {
    const ws = openWorkspace(tmp('leadlens-ing-'));
    await ingestPaths(ws, [samplesDir()], { readers: READERS });
    const before = { records: count(ws.db, 'record'), chunks: count(ws.db, 'signal_chunk'), labels: count(ws.db, 'label') };
    const bad = tmp('leadlens-bad-');
    const hea = fs.readFileSync(path.join(samplesDir(), 'JS00012.hea'), 'latin1').replaceAll('JS00012', 'TRUNC');
    fs.writeFileSync(path.join(bad, 'TRUNC.hea'), hea);
    fs.writeFileSync(path.join(bad, 'TRUNC.mat'), fs.readFileSync(path.join(samplesDir(), 'JS00012.mat')).subarray(0, 4000));
    fs.writeFileSync(path.join(bad, 'EMPTY.hea'), '');
    fs.writeFileSync(path.join(bad, 'NOISE.hea'), Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256)));
    fs.writeFileSync(path.join(bad, 'ALONE.hea'), hea.replaceAll('TRUNC', 'ALONE'));
    const r = await ingestPaths(ws, [bad], { readers: READERS });
    expect(r.newRecords).toBe(0);
    expect(r.quarantined.map((q) => path.basename(q.path)).sort()).toEqual(['ALONE.hea', 'EMPTY.hea', 'NOISE.hea', 'TRUNC.hea']);
    for (const q of r.quarantined) {
      expect(q.reason.length).toBeGreaterThan(10);
      expect(q.reason.includes('\n')).toBe(false);
    }
    expect(r.quarantined.find((q) => q.path.endsWith('ALONE.hea'))!.reason).toMatch(/missing companion file ALONE\.mat/);
    expect({ records: count(ws.db, 'record'), chunks: count(ws.db, 'signal_chunk'), labels: count(ws.db, 'label') }).toEqual(before);
    expect(count(ws.db, 'quarantine')).toBe(4);
    expect(ws.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('a cancel stores the files read so far whole, leaves the read-ahead behind, and a rerun takes in the rest once', async () => {
    const ws = openWorkspace(tmp('leadlens-ing-'));
    const cancel = new AbortController();
    const run = ingestPaths(ws, [samplesDir()], { readers: READERS, signal: cancel.signal, onProgress: (i) => i === 2 && cancel.abort() });
    await expect(run).rejects.toThrow('ingest cancelled');
    expect(count(ws.db, 'record')).toBe(3);
    expect(count(ws.db, 'ingested_file')).toBe(3);
    const again = await ingestPaths(ws, [samplesDir()], { readers: READERS });
    expect(again).toMatchObject({ newRecords: 2, duplicates: 0, quarantined: [] });
    expect(count(ws.db, 'record')).toBe(5);
    expect(count(ws.db, 'record_source')).toBe(5);
  });
});
