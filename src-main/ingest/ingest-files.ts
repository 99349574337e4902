import fs from 'node:fs';
import path from 'node:path';
import type { IngestSummary } from '../../src-shared/api.ts';
import type { EcgRecord } from '../../src-shared/record.ts';
import type { EcgFileReader } from '../formats/reader.ts';
import { readerForFile } from '../formats/readers.ts';
import { ingestedFileStamp, markIngestedFile, quarantineFile, releaseQuarantine } from '../store/inbox-store.ts';
import { storeRecord } from '../store/record-store.ts';
import type { Workspace } from '../store/workspace.ts';

export interface IngestOptions {
  readers: EcgFileReader[];
  signal?: AbortSignal;
  onProgress?(done: number, total: number, label: string): void;
  onQuarantine?(filePath: string, reason: string): void;
  onRecords?(recordIds: number[]): void;
  /** What to do with an entry whose companion files are not there yet: quarantine it (one-off ingest) or leave it for later (inbox). */
  missingCompanions?: 'quarantine' | 'defer';
}

export interface IngestResult extends IngestSummary {
  recordIds: number[];
  /** Entries left for later because companion files are still missing (inbox mode). */
  deferred: string[];
}

interface Entry {
  file: string;
  reader: EcgFileReader;
}

const HEAD_BYTES = 4096;
const BATCH_FILES = 64;
const BATCH_SAMPLES = 50_000_000;
/** Entries read ahead of the one being stored, and the most file bytes they may hold (one entry is always allowed). */
const READ_AHEAD = 8;
const READ_AHEAD_BYTES = 64 << 20;

/** `fn` over `items` with at most `limit` calls pending at once; results in item order. */
async function mapConcurrently<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const k = next++;
      out[k] = await fn(items[k]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function readHead(file: string): Uint8Array {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const n = fs.readSync(fd, buf, 0, HEAD_BYTES, 0);
    return new Uint8Array(buf.buffer, buf.byteOffset, n);
  } finally {
    fs.closeSync(fd);
  }
}

/** Every regular file under the given paths (folders recursively), sorted, hidden files left out. */
export function listFiles(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string): void => {
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) if (!name.startsWith('.')) walk(path.join(p, name));
    } else if (st.isFile()) out.push(p);
  };
  for (const p of paths) {
    const abs = path.resolve(p);
    if (!fs.existsSync(abs)) throw new Error(`no such file or folder: ${abs}`);
    walk(abs);
  }
  return [...new Set(out)];
}

function oneLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0].slice(0, 500);
}

/**
 * Takes in every ECG file under `paths`: detects each file's format, reads it, and stores its records with
 * their labels — each entry file (with its companions) in one transaction, together with the bookkeeping
 * that stops it being imported twice. A file that cannot be read is quarantined with a one-line reason;
 * nothing of it is stored.
 */
export async function ingestPaths(ws: Workspace, paths: string[], opts: IngestOptions): Promise<IngestResult> {
  const db = ws.db;
  const files = listFiles(paths);
  const entries: Entry[] = [];
  const companionOf = new Map<string, string>();
  const unclaimed: string[] = [];
  for (const file of files) {
    let head: Uint8Array;
    try {
      head = readHead(file);
    } catch (e) {
      unclaimed.push(file);
      continue;
    }
    const reader = readerForFile(head, file, opts.readers);
    if (reader) entries.push({ file, reader });
    else unclaimed.push(file);
  }
  const companionLists = new Map<string, string[]>();
  const companions = await mapConcurrently(entries, READ_AHEAD, (entry) => entry.reader.companions(entry.file).catch(() => [] as string[]));
  entries.forEach((entry, k) => {
    // A reader that cannot list companions gets an empty list: the read below reports what is wrong with the entry.
    companionLists.set(entry.file, companions[k]);
    for (const c of companions[k]) companionOf.set(path.resolve(c), entry.file);
  });
  const todo = entries.filter((e) => !companionOf.has(e.file) || companionOf.get(e.file) === e.file);
  const result: IngestResult = { files: files.length, newRecords: 0, duplicates: 0, quarantined: [], skipped: unclaimed.length + (entries.length - todo.length), recordIds: [], deferred: [] };

  const stampOf = (st: fs.Stats) => ({ size: st.size, mtimeMs: Math.floor(st.mtimeMs) });
  const quarantine = (file: string, reason: string, st: fs.Stats | undefined) => {
    const now = new Date().toISOString();
    db.transaction(() => {
      quarantineFile(db, file, reason, now);
      if (st) markIngestedFile(db, file, stampOf(st), 'quarantined', [], now);
    })();
    result.quarantined.push({ path: file, reason });
    opts.onQuarantine?.(file, reason);
  };

  // Read files are stored in batches: one transaction per batch (each file in its own savepoint inside it),
  // so a kill loses at most the uncommitted batch and nothing is half-stored, while small records do not pay a commit each.
  let pending: { file: string; reader: EcgFileReader; st: fs.Stats; records: EcgRecord[] }[] = [];
  let pendingSamples = 0;
  const flush = (): void => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    pendingSamples = 0;
    const now = new Date().toISOString();
    const stored: { ids: number[]; dup: number }[] = [];
    const failed: { file: string; st: fs.Stats; reason: string }[] = [];
    db.transaction(() => {
      for (const { file, reader, st, records } of batch) {
        try {
          stored.push(db.transaction(() => {
            const ids: number[] = [];
            let dup = 0;
            for (const rec of records) {
              const r = storeRecord(db, rec, { path: file, format: reader.format }, now);
              ids.push(r.recordId);
              if (r.duplicate) dup++;
            }
            markIngestedFile(db, file, stampOf(st), 'ingested', ids, now);
            releaseQuarantine(db, file);
            return { ids, dup };
          })());
        } catch (e) {
          failed.push({ file, st, reason: `${path.basename(file)}: could not store: ${oneLine(e)}` });
        }
      }
    })();
    for (const s of stored) {
      result.duplicates += s.dup;
      result.newRecords += s.ids.length - s.dup;
      result.recordIds.push(...s.ids);
      opts.onRecords?.(s.ids);
    }
    for (const f of failed) quarantine(f.file, f.reason, f.st);
  };

  // What one entry comes to before storing. Worked out ahead of the store loop (READ_AHEAD entries, READ_AHEAD_BYTES
  // of files at most) so file reads wait on the disk while earlier records are hashed and stored.
  type Outcome =
    | { kind: 'gone' | 'skipped' | 'deferred' }
    | { kind: 'quarantine'; st: fs.Stats; reason: string }
    | { kind: 'read'; st: fs.Stats; records: EcgRecord[] };
  const examine = (file: string, reader: EcgFileReader): { bytes: number; outcome: Promise<Outcome> } => {
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch {
      return { bytes: 0, outcome: Promise.resolve({ kind: 'gone' }) }; // gone since the walk
    }
    const done = ingestedFileStamp(db, file);
    if (done && done.size === st.size && done.mtimeMs === Math.floor(st.mtimeMs)) return { bytes: 0, outcome: Promise.resolve({ kind: 'skipped' }) };
    let bytes = st.size;
    const missing: string[] = [];
    for (const c of companionLists.get(file) ?? []) {
      let cs: fs.Stats | undefined;
      try {
        cs = fs.statSync(c, { throwIfNoEntry: false });
      } catch {
        // unreadable counts as missing, as existsSync would say
      }
      if (cs) bytes += cs.size;
      else missing.push(c);
    }
    if (missing.length) {
      if (opts.missingCompanions === 'defer') return { bytes: 0, outcome: Promise.resolve({ kind: 'deferred' }) };
      const reason = `${path.basename(file)}: missing companion file ${missing.map((m) => path.basename(m)).join(', ')}`;
      return { bytes: 0, outcome: Promise.resolve({ kind: 'quarantine', st, reason }) };
    }
    // Never rejects (a read-ahead left behind by a cancel must not become an unhandled rejection).
    const outcome = (async (): Promise<Outcome> => {
      try {
        const records = await reader.read(file);
        if (records.length === 0) throw new Error(`${path.basename(file)}: no ECG records in file`);
        return { kind: 'read', st, records };
      } catch (e) {
        return { kind: 'quarantine', st, reason: oneLine(e) };
      }
    })();
    return { bytes, outcome };
  };
  const ahead = new Map<number, { bytes: number; outcome: Promise<Outcome> }>();
  let launched = 0;
  let aheadBytes = 0;
  const readAhead = (from: number): void => {
    while (launched < todo.length && launched - from < READ_AHEAD && (launched === from || aheadBytes < READ_AHEAD_BYTES)) {
      const next = examine(todo[launched].file, todo[launched].reader);
      ahead.set(launched++, next);
      aheadBytes += next.bytes;
    }
  };

  for (let i = 0; i < todo.length; i++) {
    if (opts.signal?.aborted) {
      flush();
      throw new Error('ingest cancelled');
    }
    const { file, reader } = todo[i];
    opts.onProgress?.(i, todo.length, path.basename(file));
    readAhead(i);
    const { bytes, outcome } = ahead.get(i)!;
    ahead.delete(i);
    const o = await outcome;
    aheadBytes -= bytes;
    if (o.kind === 'skipped') result.skipped++;
    else if (o.kind === 'deferred') result.deferred.push(file);
    else if (o.kind === 'quarantine') quarantine(file, o.reason, o.st);
    else if (o.kind === 'read') {
      pending.push({ file, reader, st: o.st, records: o.records });
      pendingSamples += o.records.reduce((n, r) => n + r.length * r.leads.length, 0);
      if (pending.length >= BATCH_FILES || pendingSamples >= BATCH_SAMPLES) flush();
    }
  }
  flush();
  opts.onProgress?.(todo.length, todo.length, 'done');
  return result;
}
