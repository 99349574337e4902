// What a dataset export reads from the workspace: the records a query selects, each record's review facts, the
// sources of its current labels and its stored beat annotations.
import type { Database } from 'better-sqlite3';
import type { AnnotationSet } from '../../src-shared/record.ts';
import type { SelectionQuery } from '../../src-shared/selection-query.ts';
import { selectionCondition, unmatchedRecordRefs } from './selection-store.ts';
import { queueCondition } from './worklist.ts';

export interface ExportQuery {
  /** Records with any of these label codes current and present (an annotator's word overrides the dataset's). */
  labels?: string[];
  /** Records that arrived from a source of one of these formats ('cinc', 'ptbxl', 'wfdb', ...). */
  formats?: string[];
  reviewStates?: string[];
  /** Records this person reviewed: set a label or the review state. */
  reviewer?: string;
  /** Record ids or names. */
  records?: string[];
  /** A worklist queue ('new', 'flagged', 'model-vs-label', ...). */
  queue?: string;
}

/** Ids of the records the query selects (and the saved selection's query, when given), in id order, and the --record
 * references that matched nothing. The filters are read as a selection query (store/selection-store.ts). */
export function selectExportRecords(db: Database, q: ExportQuery, selection?: SelectionQuery): { ids: number[]; unmatched: string[] } {
  const own: SelectionQuery = {
    ...(q.labels?.length ? { labels: q.labels } : {}),
    ...(q.formats?.length ? { sources: q.formats } : {}),
    ...(q.reviewStates?.length ? { reviewStates: q.reviewStates } : {}),
    ...(q.reviewer !== undefined ? { reviewer: q.reviewer } : {}),
    ...(q.records?.length ? { records: q.records } : {}),
  };
  const conditions = [own, ...(selection ? [selection] : [])].map((x, i) => selectionCondition(x, `q${i}`));
  const sql = [q.queue ? queueCondition(db, q.queue) : '1', ...conditions.map((c) => c.sql)].join(' AND ');
  const ids = db
    .prepare(`SELECT r.id FROM record r WHERE ${sql} ORDER BY r.id`)
    .pluck()
    .all(Object.assign({}, ...conditions.map((c) => c.params))) as number[];
  return { ids, unmatched: unmatchedRecordRefs(db, q.records ?? []) };
}

export interface RecordReviewFacts {
  reviewState: string;
  /** Who last set a label or the review state, and when; null when nobody has. */
  reviewer: string | null;
  reviewedAt: string | null;
}

export function recordReviewFacts(db: Database, recordId: number): RecordReviewFacts {
  const state = db.prepare('SELECT review_state FROM record WHERE id = ?').pluck().get(recordId) as string;
  const last = db
    .prepare(
      `SELECT actor, at FROM audit_log WHERE record_id = ? AND action IN ('review.state', 'label.add', 'label.remove')
    ORDER BY id DESC LIMIT 1`,
    )
    .get(recordId) as { actor: string; at: string } | undefined;
  return { reviewState: state, reviewer: last?.actor ?? null, reviewedAt: last?.at ?? null };
}

/** For each current present label: who says so, 'annotator' when an annotator's current word holds it. */
export function currentLabelSources(db: Database, recordId: number): Map<string, 'dataset' | 'annotator'> {
  const rows = db
    .prepare(
      `SELECT vocabulary, code, source_kind FROM label WHERE record_id = ? AND is_current = 1 AND present = 1
    AND source_kind IN ('dataset', 'annotator')`,
    )
    .all(recordId) as { vocabulary: string; code: string; source_kind: 'dataset' | 'annotator' }[];
  const out = new Map<string, 'dataset' | 'annotator'>();
  for (const r of rows) {
    const key = `${r.vocabulary}\0${r.code}`;
    if (out.get(key) !== 'annotator') out.set(key, r.source_kind);
  }
  return out;
}

/** Beat annotations stored with the record, one set per annotator, in sample order. */
export function storedAnnotationSets(db: Database, recordId: number): AnnotationSet[] {
  const rows = db
    .prepare(
      'SELECT annotator, sample, symbol, subtype, channel, num, aux FROM annotation WHERE record_id = ? ORDER BY annotator, sample, rowid',
    )
    .all(recordId) as {
    annotator: string;
    sample: number;
    symbol: string;
    subtype: number | null;
    channel: number | null;
    num: number | null;
    aux: string | null;
  }[];
  const sets = new Map<string, AnnotationSet>();
  for (const r of rows) {
    let set = sets.get(r.annotator);
    if (!set) sets.set(r.annotator, (set = { annotator: r.annotator, annotations: [] }));
    set.annotations.push({
      sample: r.sample,
      symbol: r.symbol,
      ...(r.subtype != null ? { subtype: r.subtype } : {}),
      ...(r.channel != null ? { channel: r.channel } : {}),
      ...(r.num != null ? { num: r.num } : {}),
      ...(r.aux != null ? { aux: r.aux } : {}),
    });
  }
  return [...sets.values()];
}

/** Samples per lead and patient id of a stored record. */
export function recordShape(db: Database, recordId: number): { length: number; patientId: string | null } {
  return db.prepare('SELECT length, patient_id AS patientId FROM record WHERE id = ?').get(recordId) as {
    length: number;
    patientId: string | null;
  };
}
