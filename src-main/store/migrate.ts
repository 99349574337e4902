import type { Database } from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations/index.ts';

/** Schema version the code expects. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/**
 * Brings the database up to `target` (default: latest), each migration in its own transaction,
 * recording the version in `PRAGMA user_version`. Refuses a database newer than the code.
 */
export function migrate(db: Database, migrations: Migration[] = MIGRATIONS, target = migrations[migrations.length - 1].version): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new Error(`workspace database schema is version ${current}, newer than this LeadLens (${SCHEMA_VERSION}); update LeadLens`);
  }
  for (const m of migrations) {
    if (m.version <= current || m.version > target) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return db.pragma('user_version', { simple: true }) as number;
}
