// Workspace settings: one JSON value per key.
import type { Database } from 'better-sqlite3';

export function readSetting(db: Database, key: string): unknown {
  const row = db.prepare('SELECT value FROM setting WHERE key = ?').get(key) as { value: string } | undefined;
  return row && JSON.parse(row.value);
}

export function writeSetting(db: Database, key: string, value: unknown): void {
  db.prepare('INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)').run(key, JSON.stringify(value));
}
