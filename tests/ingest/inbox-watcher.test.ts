import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { READERS } from '../../src-main/formats/readers.ts';
import { currentStamp, unsettledFiles, type SweepMemory } from '../../src-main/ingest/inbox-sweep.ts';
import type { IngestResult } from '../../src-main/ingest/ingest-files.ts';
import { watchInbox } from '../../src-main/ingest/inbox-watcher.ts';
import { samplesDir } from '../../src-main/resources.ts';
import { openWorkspace } from '../../src-main/store/workspace.ts';

const tmp = (p: string) => fs.mkdtempSync(path.join(os.tmpdir(), p));
const records = (ws: ReturnType<typeof openWorkspace>) =>
  (ws.db.prepare('SELECT record_name FROM record ORDER BY record_name').all() as { record_name: string }[]).map((r) => r.record_name);

describe('watched inbox', () => {
  it('waits for companions, quarantines bad files without stopping, and does not re-import after a restart', async () => {
    const ws = openWorkspace(tmp('leadlens-inbox-ws-'));
    const inbox = tmp('leadlens-inbox-');
    // Already there before the watcher starts: picked up by the initial scan.
    for (const ext of ['hea', 'mat']) fs.copyFileSync(path.join(samplesDir(), `JS00004.${ext}`), path.join(inbox, `JS00004.${ext}`));
    const quarantined: string[] = [];
    const batches: number[] = [];
    // The last outcome of each file (path within the inbox), from the watcher's batch results.
    const outcomes = new Map<string, string>();
    const onBatch = (r: IngestResult) => {
      batches.push(r.newRecords);
      for (const o of r.outcomes) outcomes.set(path.relative(inbox, o.path), o.outcome);
    };
    const outcomeOf = (file: string) => expect.poll(() => outcomes.get(file), { timeout: 30_000, interval: 50 });
    let w = watchInbox(ws, [inbox], {
      readers: READERS,
      stabilityMs: 200,
      onQuarantine: (p) => quarantined.push(path.basename(p)),
      onBatch,
    });
    await outcomeOf('JS00004.hea').toBe('stored');
    expect(records(ws)).toEqual(['JS00004']);

    // A header whose signal file arrives later: not quarantined, ingested once the .mat is there.
    fs.copyFileSync(path.join(samplesDir(), 'JS00008.hea'), path.join(inbox, 'JS00008.hea'));
    await outcomeOf('JS00008.hea').toBe('waiting');
    expect(records(ws)).toEqual(['JS00004']);
    expect(quarantined).toEqual([]);
    fs.copyFileSync(path.join(samplesDir(), 'JS00008.mat'), path.join(inbox, 'JS00008.mat'));
    await outcomeOf('JS00008.hea').toBe('stored');
    // A broken file in a subfolder, then a good one after it: the watcher keeps going.
    fs.mkdirSync(path.join(inbox, 'sub'));
    fs.writeFileSync(path.join(inbox, 'sub', 'BROKEN.hea'), 'BROKEN 12 500 5000\nthis is not a signal line\n');
    await outcomeOf(path.join('sub', 'BROKEN.hea')).toBe('quarantined');
    for (const ext of ['hea', 'mat']) fs.copyFileSync(path.join(samplesDir(), `JS00012.${ext}`), path.join(inbox, 'sub', `JS00012.${ext}`));
    await outcomeOf(path.join('sub', 'JS00012.hea')).toBe('stored');
    expect(records(ws)).toEqual(['JS00004', 'JS00008', 'JS00012']);
    expect(quarantined).toEqual(['BROKEN.hea']);
    await w.close();

    // Restart: the rescan finds everything already taken in.
    batches.length = 0;
    outcomes.clear();
    w = watchInbox(ws, [inbox], { readers: READERS, stabilityMs: 200, onBatch });
    for (const file of ['JS00004.hea', 'JS00008.hea', path.join('sub', 'JS00012.hea')]) await outcomeOf(file).toBe('unchanged');
    await outcomeOf(path.join('sub', 'BROKEN.hea')).toBe('quarantined');
    await w.idle();
    await w.close();
    expect(records(ws)).toEqual(['JS00004', 'JS00008', 'JS00012']);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(0);
    expect(fs.readdirSync(inbox).sort()).toEqual(['JS00004.hea', 'JS00004.mat', 'JS00008.hea', 'JS00008.mat', 'sub']);
  });
});

describe('inbox sweep', () => {
  it('takes in a file the database was too busy to store, with no new file event', async () => {
    const wsDir = tmp('leadlens-inbox-ws-');
    const ws = openWorkspace(wsDir);
    ws.db.pragma('busy_timeout = 20'); // keep the test short; the retries still run
    const inbox = tmp('leadlens-inbox-');
    const holder = new Database(path.join(wsDir, 'leadlens.db'));
    holder.prepare('BEGIN IMMEDIATE').run();
    const outcomes: string[] = [];
    const w = watchInbox(ws, [inbox], {
      readers: READERS,
      stabilityMs: 200,
      sweepMs: 300,
      onBatch: (r) => {
        outcomes.push(...r.outcomes.filter((o) => o.path.endsWith('.hea')).map((o) => o.outcome));
        // Let go of the database once the watcher has given up on it for now.
        if (holder.inTransaction) holder.prepare('ROLLBACK').run();
      },
    });
    await w.idle();
    for (const ext of ['hea', 'mat']) fs.copyFileSync(path.join(samplesDir(), `JS00004.${ext}`), path.join(inbox, `JS00004.${ext}`));
    await expect.poll(() => records(ws), { timeout: 60_000, interval: 100 }).toEqual(['JS00004']);
    await w.close();
    holder.close();
    expect(outcomes).toEqual(['busy', 'stored']);
    ws.close();
  }, 90_000);
});

describe('unsettledFiles', () => {
  it('finds the new, the changed and the retried files, and leaves settled, fresh, hidden and temporary ones', () => {
    const inbox = tmp('leadlens-sweep-');
    const write = (rel: string, text: string, ageMs: number) => {
      const file = path.join(inbox, rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      const when = new Date(Date.now() - ageMs);
      fs.utimesSync(file, when, when);
      return file;
    };
    const settledFile = write('A.hea', 'settled', 60_000);
    const changed = write('B.hea', 'changed', 60_000);
    const lost = write('sub/C.hea', 'its event never came', 60_000);
    write('.hidden.hea', 'hidden', 60_000);
    write('D.hea~', 'editor backup', 60_000);
    const known = new Map([
      [settledFile, currentStamp(settledFile)!],
      [changed, `1:${Math.floor(fs.statSync(changed).mtimeMs) - 5000}`],
    ]);
    // Everything was last written (ctime) just now: nothing is settled for that long yet.
    expect(unsettledFiles([inbox], (f) => known.get(f), { stableMs: 1000 })).toEqual([]);
    const later = Date.now() + 2000;
    expect(unsettledFiles([inbox], (f) => known.get(f), { stableMs: 1000, now: later })).toEqual([changed, lost]);
    // A file that was being written at `later` waits for the next sweep.
    expect(unsettledFiles([inbox], (f) => known.get(f), { stableMs: 10_000, now: later })).toEqual([]);
  });

  it('lists a folder again only once an entry was added, removed or renamed in it', () => {
    const inbox = tmp('leadlens-sweep-');
    fs.mkdirSync(path.join(inbox, 'sub'));
    const old = new Date(Date.now() - 60_000);
    const files = ['A.hea', path.join('sub', 'B.hea')].map((rel) => path.join(inbox, rel));
    for (const f of files) fs.writeFileSync(f, 'taken in');
    for (const p of [...files, inbox, path.join(inbox, 'sub')]) fs.utimesSync(p, old, old);
    const memory: SweepMemory = new Map();
    const later = Date.now() + 2000;
    const known = new Map(files.map((f) => [f, currentStamp(f)!]));
    expect(unsettledFiles([inbox], (f) => known.get(f), { stableMs: 1000, now: later, memory })).toEqual([]);
    expect([...memory.keys()].sort()).toEqual([inbox, path.join(inbox, 'sub')]);
    // Both folders are remembered as taken in: their files are not looked at, even were they unknown now.
    expect(unsettledFiles([inbox], () => undefined, { stableMs: 1000, now: later, memory })).toEqual([]);
    // A file arriving in the subfolder moves its mtime: it is listed again and the newcomer found.
    const lost = path.join(inbox, 'sub', 'C.hea');
    fs.writeFileSync(lost, 'its event never came');
    expect(unsettledFiles([inbox], (f) => known.get(f), { stableMs: 1000, now: Date.now() + 2000, memory })).toEqual([lost]);
    // Not remembered while a file in it waits to be taken in.
    expect(memory.has(path.join(inbox, 'sub'))).toBe(false);
    expect(memory.has(inbox)).toBe(true);
    // Once taken in, it is remembered again when its mtime is old enough that a later entry could not share it.
    known.set(lost, currentStamp(lost)!);
    expect(unsettledFiles([inbox], (f) => known.get(f), { stableMs: 1000, now: Date.now() + 2000, memory })).toEqual([]);
    expect(memory.has(path.join(inbox, 'sub'))).toBe(false);
    expect(unsettledFiles([inbox], (f) => known.get(f), { stableMs: 1000, now: Date.now() + 6000, memory })).toEqual([]);
    expect(memory.has(path.join(inbox, 'sub'))).toBe(true);
  });
});
