import fs from 'node:fs';
import path from 'node:path';
import type { IngestFileOutcome, IngestOutcome, IngestSummary } from '../../src-shared/api.ts';
import type { EcgRecord } from '../../src-shared/record.ts';
import type { EcgFileReader } from '../formats/reader.ts';
import { implausibleRecord } from '../formats/plausible-record.ts';
import { readerForFile } from '../formats/readers.ts';
import { markFailed, markIngested, markQuarantined, previousIngest, type IngestedFile } from '../store/inbox-store.ts';
import { discardStagedSignal, stageRecordSignal, STAGED_SIGNAL_SAMPLES, storeRecord, type StagedSignal } from '../store/record-store.ts';
import { isBusyError, writeTransaction } from '../store/write-transaction.ts';
import type { Workspace } from '../store/workspace.ts';

export interface IngestOptions {
  readers: EcgFileReader[];
  signal?: AbortSignal;
  onProgress?(done: number, total: number, label: string): void;
  onQuarantine?(filePath: string, reason: string): void;
  onRecords?(recordIds: number[]): void;
  /** What to do with an entry whose companion files are not there yet: quarantine it (one-off ingest) or leave it for later (inbox). */
  missingCompanions?: 'quarantine' | 'defer';
  /** Leave quoted file content out of reasons (callers that did not read the files themselves: the API). */
  redactFileText?: boolean;
  /** Real paths of the folders the user chose (the API): a symlink that leads out of them is skipped, not followed. */
  confineTo?: string[];
}

export interface IngestResult extends IngestSummary {
  recordIds: number[];
  /** Entries left for later because companion files are still missing (inbox mode). */
  deferred: string[];
}

/** The summary part of a result (what the API and `--json` give). */
export function ingestSummary(r: IngestResult): IngestSummary {
  return {
    files: r.files,
    newRecords: r.newRecords,
    duplicates: r.duplicates,
    quarantined: r.quarantined,
    skipped: r.skipped,
    failed: r.failed,
    outcomes: r.outcomes,
    warnings: r.warnings,
  };
}

interface Entry {
  file: string;
  reader: EcgFileReader;
}

/** Outcomes counted as skipped in the summary: looked at, nothing to store. */
const SKIPPED = new Set<IngestOutcome>(['unchanged', 'companion', 'not-ecg', 'unreadable', 'hidden']);
/** Tries of a batch's store (each already retried by writeTransaction) before its files are reported as not stored. */
const STORE_ATTEMPTS = 3;
/** Records of one file stored per transaction when the file holds more (a dataset index of thousands). */
const RECORDS_PER_TRANSACTION = 64;
/** Read errors of the moment (handles, memory, a busy device), never blamed on the file. */
const TRANSIENT_READ = new Set(['EMFILE', 'ENFILE', 'EAGAIN', 'EBUSY', 'EINTR', 'ENOMEM', 'EIO']);
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

/** Why an entry cannot be read, in a few words (never the file's content). */
function unreadableReason(e: unknown, file: string): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ELOOP') return 'symlink loop';
  if (code === 'ENOENT') return fs.lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink() ? 'dangling symlink' : 'gone';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code ?? oneLine(e);
}

function kindOf(st: fs.Stats): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** What walking the ingest paths found: regular files to look at, and entries passed over with their outcome. */
export interface FileListing {
  files: string[];
  passedOver: IngestFileOutcome[];
}

/**
 * Every regular file under the given paths (folders recursively, symlinks followed), sorted. Hidden entries, symlink
 * loops, dangling links, entries that cannot be read and sockets/FIFOs/devices are passed over with a reason;
 * the walk goes on past them. A path given that does not exist is an error.
 */
export function listFiles(paths: string[], confineTo?: string[]): FileListing {
  const files: string[] = [];
  const passedOver: IngestFileOutcome[] = [];
  const skip = (p: string, outcome: 'unreadable' | 'hidden', reason: string): void => {
    passedOver.push({ path: p, outcome, reason });
  };
  // Real paths of the folders being walked, from the top down: a folder met again among its own descendants is a loop.
  const walk = (p: string, ancestors: string[]): void => {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch (e) {
      return skip(p, 'unreadable', `skipped: unreadable (${unreadableReason(e, p)})`);
    }
    if (confineTo && !isInsideAny(confineTo, p)) return skip(p, 'unreadable', 'skipped: symlink leads out of the chosen folders');
    if (st.isFile()) {
      files.push(p);
      return;
    }
    if (!st.isDirectory()) return skip(p, 'unreadable', `skipped: unreadable (${kindOf(st)})`);
    let real: string;
    let names: string[];
    try {
      real = fs.realpathSync(p);
      if (ancestors.includes(real)) return skip(p, 'unreadable', `skipped: unreadable (symlink loop back to ${real})`);
      names = fs.readdirSync(p).sort();
    } catch (e) {
      return skip(p, 'unreadable', `skipped: unreadable (${unreadableReason(e, p)})`);
    }
    for (const name of names) {
      if (name.startsWith('.')) skip(path.join(p, name), 'hidden', 'skipped: hidden');
      else walk(path.join(p, name), [...ancestors, real]);
    }
  };
  for (const p of paths) {
    const abs = path.resolve(p);
    if (!fs.existsSync(abs) && !fs.lstatSync(abs, { throwIfNoEntry: false })) throw new Error(`no such file or folder: ${abs}`);
    walk(abs, []);
  }
  return { files: [...new Set(files)], passedOver };
}

/** Whether `p` (symlinks resolved) lies inside one of `roots` (real paths). */
export function isInsideAny(roots: string[], p: string): boolean {
  let real: string;
  try {
    real = fs.realpathSync(p);
  } catch {
    return false;
  }
  return roots.some((root) => {
    const rel = path.relative(root, real);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  });
}

/** The system error code behind a read failure, also when a reader wrapped it into its own message ("EACCES: …"). */
function errnoOf(e: unknown): string | undefined {
  const err = e as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  return err.code ?? err.cause?.code ?? /\b(E[A-Z]{2,})(?=: )/.exec(oneLine(e))?.[1];
}

function oneLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0].slice(0, 500);
}

/** A file no reader claims: its first bytes in hex (never as text, which could be anything). */
function notEcgReason(head: Uint8Array): string {
  if (head.length === 0) return 'not an ECG format LeadLens reads (empty file)';
  const hex = Array.from(head.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return `not an ECG format LeadLens reads (first bytes: ${hex})`;
}

/** Quoted snippets of file content in a reader's reason, left out for callers that did not open the file themselves. */
export function withoutFileText(reason: string): string {
  return reason.replace(/'[^']*'/g, (q) => `(${q.length - 2} characters not shown)`);
}

/** 'record 12', 'records 12, 13, 14', or '300 records (12 … 311)'. */
function recordsPhrase(ids: number[]): string {
  const unique = [...new Set(ids)];
  if (unique.length === 1) return `record ${unique[0]}`;
  if (unique.length <= 5) return `records ${unique.join(', ')}`;
  return `${unique.length} records (${Math.min(...unique)} … ${Math.max(...unique)})`;
}

/** Not stored for a reason outside the file (another process holds the database, the disk is full): retried later. */
function transientReason(e: unknown): string | undefined {
  if (isBusyError(e)) return 'not stored (database busy), will retry';
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_FULL') return 'not stored (disk full), will retry';
  if (typeof code === 'string' && /^SQLITE_IOERR/.test(code)) return `not stored (${code}), will retry`;
  return undefined;
}

/**
 * Takes in every ECG file under `paths`: detects each file's format, reads it, and stores its records with
 * their labels — each entry file (with its companions) in one transaction, together with the bookkeeping
 * that stops it being imported twice. A file that cannot be read is quarantined with a one-line reason;
 * nothing of it is stored. A file that cannot be stored because the database stays busy is not quarantined:
 * it is listed as not stored and the next ingest retries it. Every file looked at gets an outcome in the result.
 */
export async function ingestPaths(ws: Workspace, paths: string[], opts: IngestOptions): Promise<IngestResult> {
  const db = ws.db;
  const { files, passedOver } = listFiles(paths, opts.confineTo);
  const outcomes = new Map<string, IngestFileOutcome>(passedOver.map((o) => [o.path, o]));
  const say = (file: string, outcome: IngestOutcome, reason: string, recordIds?: number[]): void => {
    outcomes.set(file, {
      path: file,
      outcome,
      reason: opts.redactFileText ? withoutFileText(reason) : reason,
      ...(recordIds ? { recordIds } : {}),
    });
  };
  const entries: Entry[] = [];
  const companionOf = new Map<string, string>();
  const unclaimed: string[] = [];
  for (const file of files) {
    let head: Uint8Array;
    try {
      head = readHead(file);
    } catch (e) {
      say(file, 'unreadable', `skipped: unreadable (${unreadableReason(e, file)})`);
      continue;
    }
    const reader = readerForFile(head, file, opts.readers);
    if (reader) entries.push({ file, reader });
    else {
      unclaimed.push(file);
      say(file, 'not-ecg', notEcgReason(head));
    }
  }
  const companionLists = new Map<string, string[]>();
  const companions = await mapConcurrently(entries, READ_AHEAD, (entry) => entry.reader.companions(entry.file).catch(() => [] as string[]));
  entries.forEach((entry, k) => {
    // A reader that cannot list companions gets an empty list: the read below reports what is wrong with the entry.
    companionLists.set(entry.file, companions[k]);
    for (const c of companions[k]) companionOf.set(path.resolve(c), entry.file);
  });
  for (const file of [...unclaimed, ...entries.map((e) => e.file)]) {
    const entry = companionOf.get(file);
    if (entry && entry !== file) say(file, 'companion', `companion of ${path.basename(entry)}`);
  }
  const todo = entries.filter((e) => !companionOf.has(e.file) || companionOf.get(e.file) === e.file);
  const result: IngestResult = {
    files: files.length,
    newRecords: 0,
    duplicates: 0,
    quarantined: [],
    skipped: 0,
    failed: 0,
    outcomes: [],
    warnings: [],
    recordIds: [],
    deferred: [],
  };

  const quarantine = (file: string, reason: string, st: fs.Stats | undefined): void => {
    const shown = opts.redactFileText ? withoutFileText(reason) : reason;
    try {
      markQuarantined(db, file, shown, st, new Date().toISOString());
    } catch (e) {
      // Not remembered: the next ingest reads the file again and says the same.
      if (!transientReason(e)) throw e;
    }
    result.quarantined.push({ path: file, reason: shown });
    say(file, 'quarantined', `quarantined: ${shown}`);
    opts.onQuarantine?.(file, shown);
  };
  const notStored = (file: string, st: fs.Stats, reason: string): void => {
    try {
      markFailed(db, file, reason, st, new Date().toISOString());
    } catch {
      // Still busy: with no row (or an older stamp) the next ingest retries the file all the same.
    }
    result.failed++;
    say(file, 'busy', reason);
  };

  // Read files are stored in batches: one transaction per batch (each file in its own savepoint inside it),
  // so a kill loses at most the uncommitted batch and nothing is half-stored, while small records do not pay a commit each.
  type Pending = { file: string; reader: EcgFileReader; st: fs.Stats; records: EcgRecord[] };
  let pending: Pending[] = [];
  let pendingSamples = 0;
  const storeBatch = (batch: Pending[], staged: Map<EcgRecord, StagedSignal>) => {
    const now = new Date().toISOString();
    let stored: { file: string; ids: number[]; dup: number }[] = [];
    let failed: { file: string; st: fs.Stats; error: unknown }[] = [];
    writeTransaction(db, () => {
      // Afresh on every attempt: only the attempt that commits counts.
      stored = [];
      failed = [];
      for (const { file, reader, st, records } of batch) {
        try {
          stored.push(
            writeTransaction(db, () => {
              const ids: number[] = [];
              let dup = 0;
              for (const rec of records) {
                const r = storeRecord(db, rec, { path: file, format: reader.format }, now, undefined, staged.get(rec));
                ids.push(r.recordId);
                if (r.duplicate) dup++;
              }
              markIngested(db, file, st, ids, now);
              return { file, ids, dup };
            }),
          );
        } catch (e) {
          failed.push({ file, st, error: e });
        }
      }
    });
    return { stored, failed };
  };
  /**
   * `store` (one write transaction) tried again while the database stays busy (writeTransaction has already waited
   * and retried), pausing without blocking so that another process's long transaction can finish. Resolves with the
   * transient reason when it never got through; other errors are thrown.
   */
  const storeWithRetry = async <T>(store: () => T): Promise<{ stored: T } | { notStored: string }> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return { stored: store() };
      } catch (e) {
        const reason = transientReason(e);
        if (!reason) throw e;
        if (attempt >= STORE_ATTEMPTS) return { notStored: reason };
        await new Promise((r) => setTimeout(r, 1000 * attempt));
      }
    }
  };
  const sayStored = (file: string, ids: number[], dup: number): void => {
    result.duplicates += dup;
    result.newRecords += ids.length - dup;
    result.recordIds.push(...ids);
    opts.onRecords?.(ids);
    if (dup === ids.length) say(file, 'duplicate', `already stored as ${recordsPhrase(ids)}`, ids);
    else say(file, 'stored', `stored as ${recordsPhrase(ids)}${dup ? ` (${dup} of them already stored)` : ''}`, ids);
  };
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    pendingSamples = 0;
    // Large records (Holters) have their chunks written ahead in bounded transactions (nothing of them visible yet);
    // the batch's transaction then adds the record rows, and whatever did not commit is discarded.
    const staged = new Map<EcgRecord, StagedSignal>();
    const ready: Pending[] = [];
    for (const p of batch) {
      try {
        for (const rec of p.records) {
          if (rec.length * rec.leads.length < STAGED_SIGNAL_SAMPLES) continue;
          const s = await stageRecordSignal(db, rec);
          if (s) staged.set(rec, s);
        }
        ready.push(p);
      } catch (e) {
        const reason = transientReason(e);
        if (reason) notStored(p.file, p.st, reason);
        else quarantine(p.file, `${path.basename(p.file)}: could not store: ${oneLine(e)}`, p.st);
      }
    }
    try {
      const outcome = await storeWithRetry(() => storeBatch(ready, staged));
      if ('notStored' in outcome) {
        for (const { file, st } of ready) notStored(file, st, outcome.notStored);
        return;
      }
      for (const s of outcome.stored.stored) sayStored(s.file, s.ids, s.dup);
      for (const f of outcome.stored.failed) {
        const reason = transientReason(f.error);
        if (reason) notStored(f.file, f.st, reason);
        else quarantine(f.file, `${path.basename(f.file)}: could not store: ${oneLine(f.error)}`, f.st);
      }
    } finally {
      // Committed records have no staging row left; this removes the chunks of those that did not commit.
      for (const s of staged.values()) discardStagedSignal(db, s.recordId);
    }
  };
  // A file of many records (a dataset index) is stored a slice of records per transaction, so the write lock is
  // never held for minutes and other processes get their turn between slices. The file is marked done with the last
  // slice only: after a kill, or a slice that could not be stored, the next ingest reads it again and finds the
  // records stored so far as already there.
  const storeManyRecords = async (file: string, reader: EcgFileReader, st: fs.Stats, records: EcgRecord[]): Promise<void> => {
    const ids: number[] = [];
    let dup = 0;
    for (let k = 0; k < records.length; k += RECORDS_PER_TRANSACTION) {
      const slice = records.slice(k, k + RECORDS_PER_TRANSACTION);
      const last = k + RECORDS_PER_TRANSACTION >= records.length;
      let outcome;
      try {
        outcome = await storeWithRetry(() =>
          writeTransaction(db, () => {
            const now = new Date().toISOString();
            const stored = slice.map((rec) => storeRecord(db, rec, { path: file, format: reader.format }, now));
            if (last) markIngested(db, file, st, [...ids, ...stored.map((r) => r.recordId)], now);
            return stored;
          }),
        );
      } catch (e) {
        return quarantine(file, `${path.basename(file)}: could not store record ${k + 1}: ${oneLine(e)}`, st);
      }
      if ('notStored' in outcome) return notStored(file, st, outcome.notStored);
      for (const r of outcome.stored) {
        ids.push(r.recordId);
        if (r.duplicate) dup++;
      }
      if (!last) await new Promise((r) => setImmediate(r)); // let an API request in between slices
    }
    sayStored(file, ids, dup);
  };
  // A dataset index (PTB-XL: 21,837 rows) is stored as its records come, RECORDS_PER_TRANSACTION at a time, so memory
  // holds one slice, never the dataset. The index is marked ingested once all its records are stored; a cancel or a
  // crash before that leaves it to the next ingest, which finds the stored records as duplicates.
  const storeStream = async (file: string, reader: EcgFileReader, st: fs.Stats): Promise<void> => {
    const ids: number[] = [];
    let dup = 0;
    let slice: EcgRecord[] = [];
    let sliceSamples = 0;
    const warn = (line: string): void => {
      result.warnings.push(`${path.basename(file)}: ${line}`);
    };
    const storeSlice = async (): Promise<string | undefined> => {
      const records = slice;
      slice = [];
      sliceSamples = 0;
      if (records.length === 0) return undefined;
      const outcome = await storeWithRetry(() =>
        writeTransaction(db, () => {
          const now = new Date().toISOString();
          return records.map((rec) => storeRecord(db, rec, { path: file, format: reader.format }, now));
        }),
      );
      if ('notStored' in outcome) return outcome.notStored;
      for (const r of outcome.stored) {
        ids.push(r.recordId);
        if (r.duplicate) dup++;
      }
      await new Promise((r) => setImmediate(r)); // let an API request in between slices
      return undefined;
    };
    try {
      for await (const rec of reader.stream!(file, warn)) {
        const implausible = implausibleRecord(rec);
        if (implausible !== undefined) {
          warn(`left out ${implausible}`);
          continue;
        }
        slice.push(rec);
        sliceSamples += rec.length * rec.leads.length;
        if (slice.length >= RECORDS_PER_TRANSACTION || sliceSamples >= BATCH_SAMPLES) {
          const busy = await storeSlice();
          if (busy) return notStored(file, st, busy);
        }
        if (opts.signal?.aborted) break;
      }
      const busy = await storeSlice();
      if (busy) return notStored(file, st, busy);
    } catch (e) {
      const kept = ids.length > 0 ? ` (${ids.length} records stored before it)` : '';
      return quarantine(file, `${oneLine(e)}${kept}`, st);
    }
    if (opts.signal?.aborted) return; // the loop throws 'ingest cancelled' next
    if (ids.length === 0) return quarantine(file, `${path.basename(file)}: no ECG records in file`, st);
    const marked = await storeWithRetry(() => writeTransaction(db, () => markIngested(db, file, st, ids, new Date().toISOString())));
    if ('notStored' in marked) return notStored(file, st, marked.notStored);
    sayStored(file, ids, dup);
  };

  // What one entry comes to before storing. Worked out ahead of the store loop (READ_AHEAD entries, READ_AHEAD_BYTES
  // of files at most) so file reads wait on the disk while earlier records are hashed and stored.
  type Outcome =
    | { kind: 'gone' | 'deferred' }
    | { kind: 'unchanged'; before: IngestedFile }
    | { kind: 'quarantine' | 'retry'; st: fs.Stats; reason: string }
    | { kind: 'unreadable'; reason: string }
    | { kind: 'read'; st: fs.Stats; records: EcgRecord[] }
    | { kind: 'stream'; st: fs.Stats };
  const examine = (file: string, reader: EcgFileReader): { bytes: number; outcome: Promise<Outcome> } => {
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch {
      return { bytes: 0, outcome: Promise.resolve({ kind: 'gone' }) }; // gone since the walk
    }
    const before = previousIngest(db, file);
    if (before && before.status !== 'failed' && before.size === st.size && before.mtimeMs === Math.floor(st.mtimeMs)) {
      return { bytes: 0, outcome: Promise.resolve({ kind: 'unchanged', before }) };
    }
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
    // A dataset index is read record by record when its turn comes, not ahead.
    if (reader.stream) return { bytes: 0, outcome: Promise.resolve({ kind: 'stream', st }) };
    const outcome = (async (): Promise<Outcome> => {
      try {
        const records = await reader.read(file);
        if (records.length === 0) throw new Error(`${path.basename(file)}: no ECG records in file`);
        const implausible = records.map(implausibleRecord).find((r) => r !== undefined);
        if (implausible !== undefined) throw new Error(`${path.basename(file)}: ${implausible}`);
        return { kind: 'read', st, records };
      } catch (e) {
        // Out of file handles or a busy device says nothing about the file: read it again next time.
        const code = errnoOf(e);
        if (code && TRANSIENT_READ.has(code)) return { kind: 'retry', st, reason: `not read (${code}), will retry` };
        if (code === 'EACCES' || code === 'EPERM') {
          const denied = (e as NodeJS.ErrnoException).path ?? /, open '([^']+)'/.exec(oneLine(e))?.[1];
          return { kind: 'unreadable', reason: `skipped: unreadable (permission denied${denied ? `: ${path.basename(denied)}` : ''})` };
        }
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
      await flush();
      throw new Error('ingest cancelled');
    }
    const { file, reader } = todo[i];
    opts.onProgress?.(i, todo.length, path.basename(file));
    readAhead(i);
    const { bytes, outcome } = ahead.get(i)!;
    ahead.delete(i);
    const o = await outcome;
    aheadBytes -= bytes;
    if (o.kind === 'unchanged') {
      if (o.before.status === 'quarantined')
        say(file, 'quarantined', `quarantined: ${o.before.reason ?? 'by an earlier ingest'} (unchanged since)`);
      else say(file, 'unchanged', `already stored as ${recordsPhrase(o.before.recordIds)}`, o.before.recordIds);
    } else if (o.kind === 'gone') say(file, 'unreadable', 'skipped: unreadable (gone)');
    else if (o.kind === 'deferred') {
      result.deferred.push(file);
      say(file, 'waiting', 'waiting for its companion files');
    } else if (o.kind === 'quarantine') quarantine(file, o.reason, o.st);
    else if (o.kind === 'retry') notStored(file, o.st, o.reason);
    else if (o.kind === 'unreadable') say(file, 'unreadable', o.reason);
    else if (o.kind === 'stream') {
      await flush();
      await storeStream(file, reader, o.st);
    } else if (o.kind === 'read' && o.records.length > RECORDS_PER_TRANSACTION) {
      await flush();
      await storeManyRecords(file, reader, o.st, o.records);
    } else if (o.kind === 'read') {
      pending.push({ file, reader, st: o.st, records: o.records });
      pendingSamples += o.records.reduce((n, r) => n + r.length * r.leads.length, 0);
      if (pending.length >= BATCH_FILES || pendingSamples >= BATCH_SAMPLES) await flush();
    }
  }
  await flush();
  opts.onProgress?.(todo.length, todo.length, 'done');
  result.outcomes = [...outcomes.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  result.skipped = result.outcomes.filter((o) => SKIPPED.has(o.outcome)).length;
  return result;
}
