import type { Database } from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations/index.ts';
import { writeTransaction } from './write-transaction.ts';

/** Schema version the code expects. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

function userVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function refuseNewer(version: number): void {
  if (version > SCHEMA_VERSION) {
    throw new Error(`workspace database schema is version ${version}, newer than this LeadLens (${SCHEMA_VERSION}); update LeadLens`);
  }
}

/**
 * Brings the database up to `target` (default: latest), each migration in its own exclusive transaction,
 * recording the version in `PRAGMA user_version`. The version is read again once the lock is held, so several
 * processes opening one new workspace at once migrate it once between them. Refuses a database newer than the code.
 */
export function migrate(db: Database, migrations: Migration[] = MIGRATIONS, target = migrations[migrations.length - 1].version): number {
  refuseNewer(userVersion(db));
  for (const m of migrations) {
    if (m.version <= userVersion(db) || m.version > target) continue;
    writeTransaction(
      db,
      () => {
        const current = userVersion(db);
        refuseNewer(current);
        if (m.version <= current) return; // another process got there first
        db.exec(m.sql);
        db.pragma(`user_version = ${m.version}`);
      },
      'exclusive',
    );
  }
  return userVersion(db);
}
