import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate } from './migrate.ts';
import { cleanUpStagedSignals } from './record-store.ts';
import { BUSY_TIMEOUT_MS, retryWhileBusy } from './write-transaction.ts';

export interface Workspace {
  dir: string;
  db: Database.Database;
  close(): void;
}

export const DB_FILE = 'leadlens.db';

/** The default workspace: LEADLENS_HOME, else the OS user-data folder (as Electron's app.getPath('userData') would give). */
export function defaultWorkspaceDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LEADLENS_HOME) return path.resolve(env.LEADLENS_HOME);
  const home = os.homedir();
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'LeadLens');
  if (process.platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'LeadLens');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'LeadLens');
}

/**
 * Opens (creating if needed) the workspace folder and its database, migrated to the current schema.
 * `sqliteBinding` is a better-sqlite3 addon built for another runtime's ABI (Electron run from source).
 */
export function openWorkspace(dir: string, sqliteBinding?: string): Workspace {
  const abs = path.resolve(dir);
  try {
    fs.mkdirSync(abs, { recursive: true });
    fs.accessSync(abs, fs.constants.W_OK | fs.constants.R_OK);
  } catch (e) {
    throw new Error(`cannot use workspace folder ${abs}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
  }
  let db: Database.Database;
  try {
    db = new Database(path.join(abs, DB_FILE), sqliteBinding ? { nativeBinding: sqliteBinding } : {});
  } catch (e) {
    throw new Error(`cannot open ${path.join(abs, DB_FILE)}: ${(e as Error).message}`, { cause: e });
  }
  try {
    // First, so that everything below (the switch to WAL, the migrations) waits for another process opening the same file.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Takes effect only when the file is new (an existing database keeps its page size). 32 KiB pages: a compressed
    // chunk that does not fit in its leaf page spills into whole overflow pages, so the page size sets the waste.
    // Measured: 800 Chapman records 51 KiB/record (16 KiB pages: 74, 64 KiB: 56); a 2 h Holter 38 MiB (16 KiB: 35,
    // 64 KiB: 63).
    db.pragma('page_size = 32768');
    retryWhileBusy(db, () => db.pragma('journal_mode = WAL'));
    db.pragma('synchronous = NORMAL');
    // A day-long Holter grows the WAL to its own size; give that disk space back once it is checkpointed.
    db.pragma('journal_size_limit = 67108864');
    db.pragma('foreign_keys = ON');
    migrate(db);
    // Chunks of a large record whose store was interrupted (the process died before its record row) are invisible;
    // give their space back.
    cleanUpStagedSignals(db);
  } catch (e) {
    db.close();
    throw new Error(`cannot open workspace ${abs}: ${(e as Error).message.split('\n')[0]}`, { cause: e });
  }
  return { dir: abs, db, close: () => db.close() };
}

/** Rewrites the database file so pages freed by deletions or compression go back to the file system (slow: whole file). */
export function vacuumWorkspace(db: Database.Database): void {
  db.exec('VACUUM');
}
