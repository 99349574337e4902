// Inbox folders the watcher ingests from, and the per-file ingest log: the outcome of each entry file's last ingest
// (stored, quarantined, or failed for a reason outside the file), with its size and mtime so an unchanged file is not
// read twice while a failed one is retried.
import type { Database } from 'better-sqlite3';
import path from 'node:path';
import { appendAudit } from './audit-log.ts';
import { prepared } from './prepared.ts';
import { writeTransaction } from './write-transaction.ts';

export function inboxFolders(db: Database): string[] {
  return (db.prepare('SELECT path FROM inbox ORDER BY path').all() as { path: string }[]).map((r) => r.path);
}

/** Adds a watched folder (once, as an absolute path) and records who added it in the audit log, in one transaction. */
export function addInboxFolder(db: Database, folder: string, actor: string, now = new Date().toISOString()): void {
  writeTransaction(db, () => {
    db.prepare('INSERT OR IGNORE INTO inbox (path, added_at) VALUES (?, ?)').run(path.resolve(folder), now);
    appendAudit(db, actor, 'inbox.add', null, { folder }, now);
  });
}

/** What the last ingest of an entry file came to: 'failed' (database busy or full) is retried by the next ingest. */
export type IngestedFileStatus = 'ingested' | 'quarantined' | 'failed';

export interface IngestedFile {
  size: number;
  mtimeMs: number;
  status: IngestedFileStatus;
  recordIds: number[];
  reason: string | null;
}

/** Size and modification time as the ingest compares them (whole milliseconds). */
export interface FileStamp {
  size: number;
  mtimeMs: number;
}

/** The last ingest's outcome for `file`, if any. */
export function previousIngest(db: Database, file: string): IngestedFile | undefined {
  const row = prepared(db, 'SELECT size, mtime_ms, status, record_ids, reason FROM ingested_file WHERE path = ?').get(file) as
    { size: number; mtime_ms: number; status: IngestedFileStatus; record_ids: string; reason: string | null } | undefined;
  return (
    row && {
      size: row.size,
      mtimeMs: row.mtime_ms,
      status: row.status,
      recordIds: JSON.parse(row.record_ids) as number[],
      reason: row.reason,
    }
  );
}

function upsert(
  db: Database,
  file: string,
  stamp: FileStamp,
  status: IngestedFileStatus,
  recordIds: number[],
  reason: string | null,
  now: string,
): void {
  prepared(
    db,
    `INSERT INTO ingested_file (path, size, mtime_ms, status, record_ids, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, status = excluded.status,
       record_ids = excluded.record_ids, reason = excluded.reason, at = excluded.at`,
  ).run(file, stamp.size, Math.floor(stamp.mtimeMs), status, JSON.stringify(recordIds), reason, now);
}

/** Marks `file` as taken in as `recordIds` and out of quarantine; call inside the transaction that stored them. */
export function markIngested(db: Database, file: string, stamp: FileStamp, recordIds: number[], now: string): void {
  upsert(db, file, stamp, 'ingested', recordIds, null, now);
  prepared(db, 'DELETE FROM quarantine WHERE path = ?').run(file);
}

/** Quarantines `file` with its reason (or only lists it there when it is gone and has no stamp). */
export function markQuarantined(db: Database, file: string, reason: string, stamp: FileStamp | undefined, now: string): void {
  writeTransaction(db, () => {
    prepared(
      db,
      'INSERT INTO quarantine (path, reason, at) VALUES (?, ?, ?) ON CONFLICT(path) DO UPDATE SET reason = excluded.reason, at = excluded.at',
    ).run(file, reason, now);
    if (stamp) upsert(db, file, stamp, 'quarantined', [], reason, now);
  });
}

/** Remembers that `file` could not be stored for a reason outside the file (busy, disk full): the next ingest retries it. */
export function markFailed(db: Database, file: string, reason: string, stamp: FileStamp, now: string): void {
  writeTransaction(db, () => upsert(db, file, stamp, 'failed', [], reason, now));
}
