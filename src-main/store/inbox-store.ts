// Inbox folders the watcher ingests from, and the per-file ingest log (what was stored or quarantined, with the
// file's size and mtime so an unchanged file is not read twice).
import type { Database } from 'better-sqlite3';
import { appendAudit } from './audit-log.ts';
import { prepared } from './prepared.ts';

export function inboxFolders(db: Database): string[] {
  return (db.prepare('SELECT path FROM inbox ORDER BY path').all() as { path: string }[]).map((r) => r.path);
}

/** Adds a watched folder (once) and records who added it in the audit log, in one transaction. */
export function addInboxFolder(db: Database, folder: string, actor: string, now = new Date().toISOString()): void {
  db.transaction(() => {
    db.prepare('INSERT OR IGNORE INTO inbox (path, added_at) VALUES (?, ?)').run(folder, now);
    appendAudit(db, actor, 'inbox.add', null, { folder }, now);
  })();
}

/** Size and mtime (ms) of the file when it was last ingested or quarantined, if ever. */
export function ingestedFileStamp(db: Database, file: string): { size: number; mtimeMs: number } | undefined {
  const r = prepared(db, 'SELECT size, mtime_ms FROM ingested_file WHERE path = ?').get(file) as { size: number; mtime_ms: number } | undefined;
  return r && { size: r.size, mtimeMs: r.mtime_ms };
}

export function markIngestedFile(db: Database, file: string, stamp: { size: number; mtimeMs: number }, status: 'ingested' | 'quarantined', recordIds: number[], now: string): void {
  prepared(db, `INSERT INTO ingested_file (path, size, mtime_ms, status, record_ids, at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, status = excluded.status, record_ids = excluded.record_ids, at = excluded.at`)
    .run(file, stamp.size, stamp.mtimeMs, status, JSON.stringify(recordIds), now);
}

export function quarantineFile(db: Database, file: string, reason: string, now: string): void {
  prepared(db, 'INSERT INTO quarantine (path, reason, at) VALUES (?, ?, ?) ON CONFLICT(path) DO UPDATE SET reason = excluded.reason, at = excluded.at').run(file, reason, now);
}

export function releaseQuarantine(db: Database, file: string): void {
  prepared(db, 'DELETE FROM quarantine WHERE path = ?').run(file);
}
