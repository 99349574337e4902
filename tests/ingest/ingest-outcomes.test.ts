import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IngestFileOutcome, IngestSummary } from '../../src-shared/api.ts';
import { READERS } from '../../src-main/formats/readers.ts';
import { ingestPaths } from '../../src-main/ingest/ingest-files.ts';
import { samplesDir } from '../../src-main/resources.ts';
import { openWorkspace } from '../../src-main/store/workspace.ts';
import { LEADLENS_BIN } from '../helpers/run-cli.ts';

const tmp = (p: string) => fs.mkdtempSync(path.join(os.tmpdir(), p));
const sample = (name: string) => path.join(samplesDir(), name);

/** Every entry under `dir` (hidden ones too, not descending into hidden folders or links), as an ingest would meet them. */
function everyEntry(dir: string): string[] {
  const out: string[] = [];
  for (const name of fs.readdirSync(dir)) {
    const p = path.join(dir, name);
    const st = fs.lstatSync(p);
    if (st.isDirectory() && !name.startsWith('.')) out.push(...everyEntry(p));
    else out.push(p);
  }
  return out;
}

/** A folder as users have them: records, companions, a README, a picture, a broken header, a duplicate, a hidden file. */
function mixedFolder(): string {
  const dir = tmp('leadlens-mixed-');
  for (const f of ['JS00004.hea', 'JS00004.mat', 'JS00008.hea', 'JS00008.mat']) fs.copyFileSync(sample(f), path.join(dir, f));
  // JS00008 again under another name: the same signal, so already stored.
  fs.mkdirSync(path.join(dir, 'copies'));
  fs.writeFileSync(
    path.join(dir, 'copies', 'COPY0008.hea'),
    fs.readFileSync(sample('JS00008.hea'), 'latin1').replaceAll('JS00008', 'COPY0008'),
  );
  fs.copyFileSync(sample('JS00008.mat'), path.join(dir, 'copies', 'COPY0008.mat'));
  fs.writeFileSync(path.join(dir, 'README.txt'), 'These are the recordings of the night shift, password hunter2\n');
  fs.writeFileSync(
    path.join(dir, 'scan.png'),
    Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]),
  );
  fs.writeFileSync(path.join(dir, 'BROKEN.hea'), 'root:x:0:0:root:/root:/bin/bash 12 500 5000\n');
  fs.writeFileSync(path.join(dir, '.DS_Store'), 'Bud1');
  return dir;
}

const byName = (outcomes: IngestFileOutcome[]) => new Map(outcomes.map((o) => [path.relative(path.dirname(outcomes[0].path), o.path), o]));

describe('nothing in silence: every file an ingest looks at has an outcome and a reason', () => {
  it('a folder of mixed files is accounted for file by file, and again on a second pass', async () => {
    const dir = mixedFolder();
    const ws = openWorkspace(tmp('leadlens-ws-'));
    const r = await ingestPaths(ws, [dir], { readers: READERS });
    expect(r.outcomes.map((o) => o.path).sort()).toEqual(everyEntry(dir).sort());
    for (const o of r.outcomes) {
      expect(o.reason.length).toBeGreaterThan(5);
      expect(o.reason).not.toContain('\n');
    }
    const at = (name: string) => r.outcomes.find((o) => o.path === path.join(dir, name))!;
    expect(at('JS00004.hea')).toMatchObject({ outcome: 'stored', reason: expect.stringMatching(/^stored as record \d+$/) });
    const stored8 = at('JS00008.hea');
    expect(stored8.outcome).toBe('stored');
    expect(at('copies/COPY0008.hea')).toMatchObject({ outcome: 'duplicate', reason: `already stored as record ${stored8.recordIds![0]}` });
    expect(at('JS00004.mat')).toMatchObject({ outcome: 'companion', reason: 'companion of JS00004.hea' });
    expect(at('copies/COPY0008.mat')).toMatchObject({ outcome: 'companion', reason: 'companion of COPY0008.hea' });
    expect(at('README.txt')).toMatchObject({ outcome: 'not-ecg', reason: 'not an ECG format LeadLens reads (first bytes: 54 68 65 73)' });
    expect(at('scan.png')).toMatchObject({ outcome: 'not-ecg', reason: 'not an ECG format LeadLens reads (first bytes: 89 50 4e 47)' });
    expect(at('BROKEN.hea')).toMatchObject({ outcome: 'quarantined', reason: expect.stringMatching(/^quarantined: /) });
    expect(at('.DS_Store')).toMatchObject({ outcome: 'hidden', reason: 'skipped: hidden' });
    expect(r).toMatchObject({ newRecords: 2, duplicates: 1, failed: 0 });

    const again = await ingestPaths(ws, [dir], { readers: READERS });
    expect(again.outcomes.map((o) => o.path)).toEqual(r.outcomes.map((o) => o.path));
    const second = (name: string) => again.outcomes.find((o) => o.path === path.join(dir, name))!;
    expect(second('JS00004.hea')).toMatchObject({
      outcome: 'unchanged',
      reason: `already stored as record ${at('JS00004.hea').recordIds![0]}`,
    });
    expect(second('BROKEN.hea')).toMatchObject({ outcome: 'quarantined', reason: expect.stringMatching(/\(unchanged since\)$/) });
    expect(again.newRecords).toBe(0);
    ws.close();
  });

  it('over the API, reasons leave out the text of the files', async () => {
    const dir = mixedFolder();
    const ws = openWorkspace(tmp('leadlens-ws-'));
    const r = await ingestPaths(ws, [dir], { readers: READERS, redactFileText: true });
    const text = JSON.stringify(r.outcomes);
    expect(text).not.toMatch(/root:x|hunter2|night shift/);
    expect(r.outcomes.find((o) => o.path.endsWith('BROKEN.hea'))!.reason).toMatch(/characters not shown/);
    ws.close();
  });

  it('a file that could not be stored (status failed) is read again by the next ingest', async () => {
    const dir = tmp('leadlens-retry-');
    for (const f of ['JS00012.hea', 'JS00012.mat']) fs.copyFileSync(sample(f), path.join(dir, f));
    const hea = path.join(dir, 'JS00012.hea');
    const st = fs.statSync(hea);
    const ws = openWorkspace(tmp('leadlens-ws-'));
    ws.db
      .prepare("INSERT INTO ingested_file (path, size, mtime_ms, status, record_ids, reason, at) VALUES (?, ?, ?, 'failed', '[]', ?, 'x')")
      .run(hea, st.size, Math.floor(st.mtimeMs), 'not stored (database busy), will retry');
    const r = await ingestPaths(ws, [dir], { readers: READERS });
    expect(r.outcomes.find((o) => o.path === hea)).toMatchObject({ outcome: 'stored' });
    expect(ws.db.prepare('SELECT status, reason FROM ingested_file WHERE path = ?').get(hea)).toEqual({ status: 'ingested', reason: null });
    ws.close();
  });

  it("a database held by another connection is never the file's fault: not stored, not quarantined, stored next time", async () => {
    const dir = tmp('leadlens-busy-');
    for (const f of ['JS00036.hea', 'JS00036.mat']) fs.copyFileSync(sample(f), path.join(dir, f));
    const wsDir = tmp('leadlens-ws-');
    const ws = openWorkspace(wsDir);
    ws.db.pragma('busy_timeout = 20'); // keep the test short; the retries still run
    const holder = new Database(path.join(wsDir, 'leadlens.db'));
    holder.prepare('BEGIN IMMEDIATE').run();
    const r = await ingestPaths(ws, [dir], { readers: READERS });
    holder.prepare('ROLLBACK').run();
    holder.close();
    const hea = path.join(dir, 'JS00036.hea');
    expect(r.outcomes.find((o) => o.path === hea)).toEqual({
      path: hea,
      outcome: 'busy',
      reason: 'not stored (database busy), will retry',
    });
    expect(r).toMatchObject({ failed: 1, newRecords: 0, quarantined: [] });
    expect((ws.db.prepare('SELECT COUNT(*) AS n FROM quarantine').get() as { n: number }).n).toBe(0);
    const again = await ingestPaths(ws, [dir], { readers: READERS });
    expect(again.outcomes.find((o) => o.path === hea)).toMatchObject({ outcome: 'stored' });
    ws.close();
  });

  it('the CLI lists what it did not take in, --json lists every file, and exit 1 only when nothing could be stored', () => {
    const dir = mixedFolder();
    const wsDir = tmp('leadlens-ws-');
    const cli = (args: string[]) => spawnSync(process.execPath, [LEADLENS_BIN, ...args, '--workspace', wsDir], { encoding: 'utf8' });
    const human = cli(['ingest', dir]);
    expect(human.status, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^2 new, 1 duplicate, 0 already stored, 1 quarantined/);
    expect(human.stdout).toContain(`quarantined (1):\n  ${path.join(dir, 'BROKEN.hea')}: `);
    expect(human.stdout).toContain(
      `not an ECG format LeadLens reads (2):\n  ${path.join(dir, 'README.txt')}: not an ECG format LeadLens reads (first bytes: 54 68 65 73)`,
    );
    expect(human.stdout).toContain(`hidden, skipped (1):\n  ${path.join(dir, '.DS_Store')}: skipped: hidden`);

    const json = cli(['ingest', dir, '--json']);
    expect(json.status).toBe(0); // everything ECG in it is already stored
    const summary = JSON.parse(json.stdout) as IngestSummary;
    expect(summary.outcomes.map((o) => o.path).sort()).toEqual(everyEntry(dir).sort());
    expect(byName(summary.outcomes).size).toBe(summary.outcomes.length);

    const junk = tmp('leadlens-junk-');
    fs.writeFileSync(path.join(junk, 'notes.txt'), 'nothing here\n');
    fs.writeFileSync(path.join(junk, 'BAD.hea'), 'BAD 1 500\n');
    const failed = cli(['ingest', junk, '--json']);
    expect(failed.status).toBe(1);
    expect((JSON.parse(failed.stdout) as IngestSummary).outcomes.map((o) => o.outcome).sort()).toEqual(['not-ecg', 'quarantined']);
  });

  it('unreadable entries (symlink loop, dangling link, FIFO, socket, no permission) are skipped with a reason and the rest ingests', async () => {
    const dir = tmp('leadlens-odd-');
    fs.chmodSync(dir, 0o755);
    for (const f of ['JS00049.hea', 'JS00049.mat']) fs.copyFileSync(sample(f), path.join(dir, f));
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.symlinkSync('..', path.join(dir, 'sub', 'up'));
    fs.symlinkSync(path.join(dir, 'nowhere.hea'), path.join(dir, 'dangling.hea'));
    fs.symlinkSync('self', path.join(dir, 'self'));
    expect(spawnSync('mkfifo', [path.join(dir, 'pipe.hea')]).status).toBe(0);
    const socket = net.createServer().listen(path.join(dir, 'app.sock'));
    await new Promise((r) => socket.once('listening', r));
    for (const f of ['JS00012.hea', 'JS00012.mat']) fs.copyFileSync(sample(f), path.join(dir, f));
    fs.chmodSync(path.join(dir, 'JS00012.mat'), 0o000);
    fs.mkdirSync(path.join(dir, 'locked'));
    fs.writeFileSync(path.join(dir, 'locked', 'X.hea'), 'X 1 500 10\n');
    fs.chmodSync(path.join(dir, 'locked'), 0o000);
    const wsDir = tmp('leadlens-ws-');
    fs.chmodSync(wsDir, 0o777);
    try {
      // Root reads any folder, so the CLI runs as an unprivileged user there to meet "permission denied" for real.
      const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
      const r = spawnSync(process.execPath, [LEADLENS_BIN, 'ingest', dir, '--workspace', wsDir, '--json'], { encoding: 'utf8', ...asUser });
      expect(r.status, r.stderr).toBe(0);
      const outcomes = byName((JSON.parse(r.stdout) as IngestSummary).outcomes);
      expect(outcomes.get('JS00049.hea')).toMatchObject({ outcome: 'stored' });
      expect(outcomes.get('sub/up')).toMatchObject({
        outcome: 'unreadable',
        reason: `skipped: unreadable (symlink loop back to ${fs.realpathSync(dir)})`,
      });
      expect(outcomes.get('dangling.hea')).toMatchObject({ outcome: 'unreadable', reason: 'skipped: unreadable (dangling symlink)' });
      expect(outcomes.get('self')).toMatchObject({ outcome: 'unreadable', reason: 'skipped: unreadable (symlink loop)' });
      expect(outcomes.get('pipe.hea')).toMatchObject({ outcome: 'unreadable', reason: 'skipped: unreadable (a FIFO)' });
      expect(outcomes.get('app.sock')).toMatchObject({ outcome: 'unreadable', reason: 'skipped: unreadable (a socket)' });
      expect(outcomes.get('locked')).toMatchObject({ outcome: 'unreadable', reason: 'skipped: unreadable (permission denied)' });
      // A record whose signal file cannot be read is skipped, not quarantined: it is read again once it can be.
      expect(outcomes.get('JS00012.hea')).toMatchObject({
        outcome: 'unreadable',
        reason: 'skipped: unreadable (permission denied: JS00012.mat)',
      });
      expect(outcomes.get('JS00012.mat')).toMatchObject({ outcome: 'unreadable', reason: 'skipped: unreadable (permission denied)' });
    } finally {
      socket.close();
      fs.chmodSync(path.join(dir, 'locked'), 0o755);
    }
  });
});
