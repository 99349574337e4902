import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isBusyError, writeTransaction } from '../../src-main/store/write-transaction.ts';

function twoConnections(): [Database.Database, Database.Database] {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-wt-')), 'x.db');
  const a = new Database(file);
  a.pragma('journal_mode = WAL');
  a.exec('CREATE TABLE t (v INTEGER)');
  const b = new Database(file);
  b.pragma('busy_timeout = 0');
  return [a, b];
}

const busy = () => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });

describe('writeTransaction', () => {
  it('holds the write lock from BEGIN, before its first write', () => {
    const [a, b] = twoConnections();
    let other: unknown;
    writeTransaction(a, () => {
      a.prepare('SELECT COUNT(*) FROM t').get();
      try {
        b.prepare('BEGIN IMMEDIATE').run();
      } catch (e) {
        other = e;
      }
    });
    expect(isBusyError(other)).toBe(true);
    b.prepare('BEGIN IMMEDIATE').run(); // free again after the commit
    b.prepare('ROLLBACK').run();
  });

  it('retries the whole unit of work while the database is busy, a bounded number of times', () => {
    const [a] = twoConnections();
    let calls = 0;
    writeTransaction(a, () => {
      calls++;
      a.prepare('INSERT INTO t VALUES (?)').run(calls);
      if (calls < 3) throw busy();
    });
    expect(calls).toBe(3);
    expect(a.prepare('SELECT v FROM t').all()).toEqual([{ v: 3 }]); // the failed attempts were rolled back

    let always = 0;
    expect(() =>
      writeTransaction(a, () => {
        always++;
        throw busy();
      }),
    ).toThrow('database is locked');
    expect(always).toBe(4);

    let other = 0;
    expect(() =>
      writeTransaction(a, () => {
        other++;
        throw new Error('CHECK constraint failed');
      }),
    ).toThrow('CHECK constraint failed');
    expect(other).toBe(1);
  });

  it('gives up on a lock held by another connection, and succeeds once it is released', () => {
    const [a, b] = twoConnections();
    a.pragma('busy_timeout = 10');
    b.prepare('BEGIN IMMEDIATE').run();
    expect(() => writeTransaction(a, () => a.prepare('INSERT INTO t VALUES (1)').run())).toThrow(/locked|busy/);
    b.prepare('COMMIT').run();
    writeTransaction(a, () => a.prepare('INSERT INTO t VALUES (2)').run());
    expect(a.prepare('SELECT v FROM t').all()).toEqual([{ v: 2 }]);
  });

  it('inside another write transaction it is a savepoint: its failure undoes only its own work', () => {
    const [a] = twoConnections();
    writeTransaction(a, () => {
      a.prepare('INSERT INTO t VALUES (1)').run();
      expect(() =>
        writeTransaction(a, () => {
          a.prepare('INSERT INTO t VALUES (2)').run();
          throw new Error('bad item');
        }),
      ).toThrow('bad item');
      a.prepare('INSERT INTO t VALUES (3)').run();
    });
    expect(a.prepare('SELECT v FROM t ORDER BY v').all()).toEqual([{ v: 1 }, { v: 3 }]);
  });
});
