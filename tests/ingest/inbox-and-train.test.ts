import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addInboxFolder } from '../../src-main/store/inbox-store.ts';
import { openWorkspace } from '../../src-main/store/workspace.ts';
import { LEADLENS_BIN, runLeadlens, startServe } from '../helpers/run-cli.ts';
import { dataPath } from '../helpers/shared-data.ts';

// Real processes of the built CLI: `leadlens serve` watching an inbox while `leadlens train` runs on the same workspace.

const CHAPMAN = (f: string) => dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01', f);
const count = (db: Database.Database, sql: string, ...args: unknown[]) => (db.prepare(sql).get(...args) as { n: number }).n;

describe('a watched inbox and a CLI training on one workspace', () => {
  it('the inbox takes in every record dropped while the model trains, and the model is saved', async () => {
    const wsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-inbox-train-'));
    const inbox = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-inbox-'));
    const seed = runLeadlens(['ingest', CHAPMAN('010'), '--workspace', wsDir, '--json']);
    expect(seed.status, seed.stderr).toBe(0);
    const ws = openWorkspace(wsDir);
    addInboxFolder(ws.db, inbox, 'test');
    ws.close();
    const server = await startServe(['--workspace', wsDir, '--no-samples']);
    try {
      const train = spawn(
        process.execPath,
        [LEADLENS_BIN, 'train', '--arch', 'small-cnn', '--leads', '12', '--epochs', '1', '--workspace', wsDir, '--json'],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      let err = '';
      train.stdout.on('data', (d) => (out += d));
      train.stderr.on('data', (d) => (err += d));
      const trained = new Promise<number | null>((resolve) => train.once('exit', resolve));
      // 100 more records arrive in the inbox while the training reads and writes.
      const incoming = fs.readdirSync(CHAPMAN('011')).filter((f) => /\.(hea|mat)$/.test(f));
      for (const f of incoming) fs.copyFileSync(path.join(CHAPMAN('011'), f), path.join(inbox, f));
      const heaCount = incoming.filter((f) => f.endsWith('.hea')).length;
      expect(await trained, err).toBe(0);
      const modelId = (JSON.parse(out.trim().split('\n').pop()!) as { modelId: number }).modelId;

      const db = new Database(path.join(wsDir, 'leadlens.db'), { readonly: true });
      const inboxDone = () => count(db, "SELECT COUNT(*) AS n FROM ingested_file WHERE path LIKE ? || '%'", inbox + path.sep);
      await expect.poll(inboxDone, { timeout: 120_000, interval: 500 }).toBe(heaCount);
      expect(
        db.prepare("SELECT status, COUNT(*) AS n FROM ingested_file WHERE path LIKE ? || '%' GROUP BY status").all(inbox + path.sep),
      ).toEqual([{ status: 'ingested', n: heaCount }]);
      expect(count(db, 'SELECT COUNT(*) AS n FROM record')).toBe(100 + heaCount);
      expect(count(db, 'SELECT COUNT(*) AS n FROM quarantine')).toBe(0);
      expect(count(db, 'SELECT COUNT(*) AS n FROM ml_model WHERE id = ?', modelId)).toBe(1);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
    } finally {
      await server.stop();
    }
  }, 300_000);
});
