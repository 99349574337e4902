// Saved record selections and record tags (migration 12), and the one SQL reading of a selection query that the
// worklist, train, eval, explain and export resolve records with.
import type { Database } from 'better-sqlite3';
import { describeSelectionQuery, normaliseSelectionQuery, type SelectionQuery } from '../../src-shared/selection-query.ts';
import { appendAudit } from './audit-log.ts';
import { writeTransaction } from './write-transaction.ts';

/**
 * The SQL condition on `record r` that a selection query makes, with its bound parameters named `${prefix}...` so
 * several conditions can be joined in one statement. Labels follow the worklist's rule: an annotator's current word on
 * a code overrides the dataset's.
 */
export function selectionCondition(q: SelectionQuery, prefix = 'sel'): { sql: string; params: Record<string, unknown> } {
  const parts: string[] = [];
  const params: Record<string, unknown> = {};
  const p = (name: string, value: unknown): string => {
    params[`${prefix}_${name}`] = value;
    return `@${prefix}_${name}`;
  };
  if (q.sources?.length) {
    parts.push(
      `r.id IN (SELECT s.record_id FROM record_source s WHERE s.format IN (SELECT value FROM json_each(${p('sources', JSON.stringify(q.sources))})))`,
    );
  }
  if (q.folders?.length) {
    // The folder itself or below it, as a range on the path index ('0' is the character after '/').
    const folders = q.folders.map((f) => f.replace(/[\\/]+$/, ''));
    parts.push(`r.id IN (SELECT s.record_id FROM json_each(${p('folders', JSON.stringify(folders))}) f
      JOIN record_source s ON s.path >= f.value || '/' AND s.path < f.value || '0')`);
  }
  if (q.labels?.length) {
    parts.push(`EXISTS (SELECT 1 FROM json_each(${p('labels', JSON.stringify(q.labels))}) c WHERE
      EXISTS (SELECT 1 FROM label l WHERE l.record_id = r.id AND l.code = c.value AND l.is_current = 1 AND l.present = 1
        AND l.source_kind IN ('dataset', 'annotator'))
      AND NOT EXISTS (SELECT 1 FROM label l WHERE l.record_id = r.id AND l.code = c.value AND l.is_current = 1 AND l.present = 0
        AND l.source_kind = 'annotator'))`);
  }
  if (q.reviewStates?.length) parts.push(`r.review_state IN (SELECT value FROM json_each(${p('states', JSON.stringify(q.reviewStates))}))`);
  if (q.reviewer !== undefined) {
    parts.push(`EXISTS (SELECT 1 FROM audit_log a WHERE a.record_id = r.id AND a.actor = ${p('reviewer', q.reviewer)}
      AND a.action IN ('review.state', 'label.add', 'label.remove'))`);
  }
  if (q.ingestedFrom !== undefined) parts.push(`r.created_at >= ${p('from', q.ingestedFrom)}`);
  // A date-only bound takes the whole day: compare as many characters as the bound has.
  if (q.ingestedTo !== undefined) parts.push(`substr(r.created_at, 1, length(${p('to', q.ingestedTo)})) <= @${prefix}_to`);
  if (q.tags?.length) {
    parts.push(
      `r.id IN (SELECT t.record_id FROM record_tag t WHERE t.tag IN (SELECT value FROM json_each(${p('tags', JSON.stringify(q.tags))})))`,
    );
  }
  if (q.patientIds?.length) parts.push(`r.patient_id IN (SELECT value FROM json_each(${p('patients', JSON.stringify(q.patientIds))}))`);
  if (q.records?.length) {
    const ids = q.records.filter((s) => /^\d+$/.test(s)).map(Number);
    parts.push(`(r.id IN (SELECT value FROM json_each(${p('ids', JSON.stringify(ids))}))
      OR r.record_name IN (SELECT value FROM json_each(${p('names', JSON.stringify(q.records))})))`);
  }
  return { sql: parts.length ? parts.join(' AND ') : '1', params };
}

/** Ids of the records every one of `queries` selects (all must hold), in id order. */
export function selectRecordIds(db: Database, ...queries: SelectionQuery[]): number[] {
  const conditions = queries.map((q, i) => selectionCondition(q, `q${i}`));
  const sql = conditions.map((c) => c.sql).join(' AND ') || '1';
  const params = Object.assign({}, ...conditions.map((c) => c.params));
  return db.prepare(`SELECT r.id FROM record r WHERE ${sql} ORDER BY r.id`).pluck().all(params) as number[];
}

/** The record references (names or ids) of a query that name no stored record. */
export function unmatchedRecordRefs(db: Database, refs: string[]): string[] {
  const byId = db.prepare('SELECT 1 FROM record WHERE id = ?');
  const byName = db.prepare('SELECT 1 FROM record WHERE record_name = ? LIMIT 1');
  return refs.filter((ref) => !(/^\d+$/.test(ref) && byId.get(Number(ref))) && !byName.get(ref));
}

export interface SavedSelection {
  id: number;
  name: string;
  query: SelectionQuery;
  /** The query in one line. */
  description: string;
  author: string;
  createdAt: string;
  updatedAt: string;
}

interface SelectionRow {
  id: number;
  name: string;
  query: string;
  author: string;
  created_at: string;
  updated_at: string;
}

const toSelection = (r: SelectionRow): SavedSelection => {
  const query = JSON.parse(r.query) as SelectionQuery;
  return {
    id: r.id,
    name: r.name,
    query,
    description: describeSelectionQuery(query),
    author: r.author,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
};

/**
 * Saves a selection under `name`. An existing one of that name is refused unless `replace` (then its query is
 * replaced, its id kept, so evaluations stored against it still point at it).
 */
export function saveSelection(
  db: Database,
  s: { name: string; query: SelectionQuery; author: string; replace?: boolean },
  now = new Date().toISOString(),
): SavedSelection {
  const query = JSON.stringify(normaliseSelectionQuery(s.query));
  return writeTransaction(db, () => {
    const existing = db.prepare('SELECT id FROM selection WHERE name = ?').pluck().get(s.name) as number | undefined;
    if (existing !== undefined && !s.replace) throw new Error(`a selection named '${s.name}' exists already; replace it explicitly`);
    if (existing !== undefined)
      db.prepare('UPDATE selection SET query = ?, author = ?, updated_at = ? WHERE id = ?').run(query, s.author, now, existing);
    else
      db.prepare('INSERT INTO selection (name, query, author, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(
        s.name,
        query,
        s.author,
        now,
        now,
      );
    appendAudit(db, s.author, 'selection.save', null, { name: s.name, query: JSON.parse(query) }, now);
    return getSelection(db, s.name);
  });
}

/** The saved selection of that name; throws one line when there is none. */
export function getSelection(db: Database, name: string): SavedSelection {
  const r = db.prepare('SELECT * FROM selection WHERE name = ?').get(name) as SelectionRow | undefined;
  if (!r) throw new Error(`no saved selection named '${name.slice(0, 64)}'`);
  return toSelection(r);
}

/** The one way every command and view turns a saved selection's name into its records: the query, resolved now. */
export function resolveSelection(db: Database, name: string): { selection: SavedSelection; recordIds: number[] } {
  const selection = getSelection(db, name);
  return { selection, recordIds: selectRecordIds(db, selection.query) };
}

export function listSelections(db: Database): SavedSelection[] {
  return (db.prepare('SELECT * FROM selection ORDER BY name').all() as SelectionRow[]).map(toSelection);
}

export function deleteSelection(db: Database, name: string, author: string): void {
  writeTransaction(db, () => {
    if (db.prepare('DELETE FROM selection WHERE name = ?').run(name).changes === 0)
      throw new Error(`no saved selection named '${name.slice(0, 64)}'`);
    appendAudit(db, author, 'selection.delete', null, { name });
  });
}

/** Puts `tag` on the records (those that have it already keep it); returns how many records newly got it. */
export function addTag(db: Database, recordIds: number[], tag: string, author: string, now = new Date().toISOString()): number {
  return writeTransaction(db, () => {
    const ins = db.prepare('INSERT OR IGNORE INTO record_tag (record_id, tag, author, created_at) VALUES (?, ?, ?, ?)');
    let added = 0;
    for (const id of recordIds) {
      if (ins.run(id, tag, author, now).changes === 0) continue;
      added++;
      appendAudit(db, author, 'tag.add', id, { tag }, now);
    }
    return added;
  });
}

/** Takes `tag` off the records; returns how many had it. */
export function removeTag(db: Database, recordIds: number[], tag: string, author: string, now = new Date().toISOString()): number {
  return writeTransaction(db, () => {
    const del = db.prepare('DELETE FROM record_tag WHERE record_id = ? AND tag = ?');
    let removed = 0;
    for (const id of recordIds) {
      if (del.run(id, tag).changes === 0) continue;
      removed++;
      appendAudit(db, author, 'tag.remove', id, { tag }, now);
    }
    return removed;
  });
}

/** Every tag in the workspace with the number of records carrying it. */
export function listTags(db: Database): { tag: string; records: number }[] {
  return db.prepare('SELECT tag, COUNT(*) AS records FROM record_tag GROUP BY tag ORDER BY tag').all() as {
    tag: string;
    records: number;
  }[];
}

export function recordTags(db: Database, recordId: number): string[] {
  return db.prepare('SELECT tag FROM record_tag WHERE record_id = ? ORDER BY tag').pluck().all(recordId) as string[];
}

/** Each record's patient id (null when the record has none), in the order given. */
export function recordPatients(db: Database, recordIds: number[]): { recordId: number; patientId: string | null }[] {
  const get = db.prepare('SELECT patient_id FROM record WHERE id = ?').pluck();
  return recordIds.map((recordId) => ({ recordId, patientId: (get.get(recordId) as string | null | undefined) ?? null }));
}
