// The one reading of a --record argument for every command: a record id or a record name. `id:N` and `name:X`
// say which when a value could be both (e.g. a record named '100' and the record with id 100).
import type { Database } from 'better-sqlite3';
import { recordsByIdOrName } from '../store/record-store.ts';
import { UsageError } from './command.ts';

/** A --record value names nothing stored: the command fails (exit 1), the command line itself was fine. */
export class NoSuchRecord extends Error {
  constructor(ref: string) {
    super(`no stored record with id or name '${ref.slice(0, 80)}'`);
    this.name = 'NoSuchRecord';
  }
}

/** The record ids a --record value names: one id, or every record of that name. Ambiguity is a usage error listing both. */
export function resolveRecordRef(db: Database, ref: string): number[] {
  const value = ref.trim();
  if (value === '') throw new UsageError('--record needs a record id or name');
  const prefixed = /^(id|name):(.*)$/.exec(value);
  if (prefixed) {
    const [, kind, rest] = prefixed;
    if (kind === 'id' && !/^\d+$/.test(rest)) throw new UsageError(`--record id:N needs a whole number, got '${rest.slice(0, 40)}'`);
    const { byId, byName } = recordsByIdOrName(db, kind === 'id' ? Number(rest) : undefined, kind === 'name' ? rest : '');
    const ids = kind === 'id' ? (byId ? [byId.id] : []) : byName.map((r) => r.id);
    if (ids.length === 0) throw new NoSuchRecord(value);
    return ids;
  }
  const id = /^\d+$/.test(value) ? Number(value) : undefined;
  const { byId, byName } = recordsByIdOrName(db, id, value);
  const others = byName.filter((r) => r.id !== byId?.id);
  if (byId && others.length > 0) {
    const named = others.map((r) => `#${r.id}`).join(', ');
    throw new UsageError(
      `--record ${value} is ambiguous: record #${byId.id} (named '${byId.recordName}') and the record named '${value}' (${named}); say --record id:${value} or --record name:${value}`,
    );
  }
  const ids = byId ? [byId.id] : byName.map((r) => r.id);
  if (ids.length === 0) throw new NoSuchRecord(value);
  return ids;
}

/** The record ids of several --record values, each once, in the order first named. */
export function resolveRecordRefs(db: Database, refs: string[]): number[] {
  return [...new Set(refs.flatMap((ref) => resolveRecordRef(db, ref)))];
}
