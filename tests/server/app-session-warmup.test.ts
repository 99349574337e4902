import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startAppSession, type AppSession } from '../../src-main/api/app-session.ts';
import { storeRecord } from '../../src-main/store/record-store.ts';
import { DB_FILE } from '../../src-main/store/workspace.ts';
import { syntheticRecord } from '../helpers/synthetic-record.ts';

const sessions: AppSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
});

async function start(dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-warmup-'))): Promise<AppSession> {
  const session = await startAppSession({ workspaceDir: dir, transport: 'http', seed: false, analysisWorkers: 0 });
  sessions.push(session);
  return session;
}

describe('the app session warms up ahead of the first record', () => {
  it('after it opens, between requests: the first request is answered before the warm-up ends', async () => {
    const session = await start();
    let warm = false;
    void session.warmedUp.then(() => (warm = true));
    const info = (await session.services.call('workspace.info', {})) as { recordCount: number };
    expect(info.recordCount).toBe(0);
    expect(warm).toBe(false);
    await session.warmedUp;
    expect(warm).toBe(true);
  });

  it('touches no stored data, and a record read after it is the stored record', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-warmup-'));
    const session = await start(dir);
    const db = session.workspace.db;
    const record = syntheticRecord();
    const { recordId } = db.transaction(() => storeRecord(db, record, { path: '/x.hea', format: 'test' }))();
    const changes = () => (db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
    const before = changes();
    const walBefore = fs.statSync(path.join(dir, `${DB_FILE}-wal`)).size;
    await session.warmedUp;
    expect(changes()).toBe(before);
    expect(fs.statSync(path.join(dir, `${DB_FILE}-wal`)).size).toBe(walBefore);
    const w = (await session.services.call('records.signal', { id: recordId, start: 0, end: 1000 })) as {
      leads: { values: Int16Array | Int32Array }[];
    };
    expect(Array.from(w.leads[0].values)).toEqual(Array.from(record.leads[0].digital.subarray(0, 1000)));
  });

  it('stops when the session closes first', async () => {
    const session = await start();
    await session.close();
    await session.warmedUp;
  });

  it('starts its first analysis worker as it opens, ahead of the first record; closing stops it', async () => {
    const session = await startAppSession({
      workspaceDir: fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-warmup-')),
      transport: 'http',
      seed: false,
      analysisWorkers: 1,
    });
    sessions.push(session);
    expect(session.analysisWorkers).toBe(1);
    await session.close();
    expect(session.analysisWorkers).toBe(0);
  });
});
