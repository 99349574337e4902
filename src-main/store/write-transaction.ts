import type { Database } from 'better-sqlite3';

/** How long one attempt waits for the write lock inside SQLite (set on every connection at open). */
export const BUSY_TIMEOUT_MS = 5000;
/** Attempts of a whole unit of work before the busy error is passed on; the pauses between them grow. */
const ATTEMPTS = 4;
const BACKOFF_MS = 100;

/**
 * True for the errors that say another connection holds the database right now (SQLITE_BUSY, SQLITE_LOCKED and their
 * extended codes): the same work succeeds later, so it is retried and never blamed on the input.
 */
export function isBusyError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code);
}

const pause = new Int32Array(new SharedArrayBuffer(4));
/** Blocks this thread for `ms` (better-sqlite3 is synchronous, so the retry is too). */
function sleepSync(ms: number): void {
  Atomics.wait(pause, 0, 0, ms);
}

/**
 * Runs `fn` as one write transaction that takes the write lock at BEGIN (BEGIN IMMEDIATE, or EXCLUSIVE), so it can
 * never fail half-way when another process writes: SQLite waits up to the busy timeout for the lock, and the whole unit
 * of work is retried a few times with growing pauses while the database stays busy. Inside another transaction it is
 * a savepoint of that one (the outer unit retries). Every write transaction of the workspace goes through here.
 */
export function writeTransaction<T>(db: Database, fn: () => T, mode: 'immediate' | 'exclusive' = 'immediate'): T {
  const run = db.transaction(fn);
  if (db.inTransaction) return run();
  return retryWhileBusy(db, () => run[mode]());
}

/** `step` (one statement or one whole transaction), tried again with growing pauses while the database is busy. */
export function retryWhileBusy<T>(db: Database, step: () => T): T {
  for (let attempt = 1; ; attempt++) {
    try {
      return step();
    } catch (e) {
      if (!isBusyError(e) || attempt >= ATTEMPTS || db.inTransaction) throw e;
      sleepSync(BACKOFF_MS * 2 ** (attempt - 1) * (0.5 + Math.random()));
    }
  }
}
