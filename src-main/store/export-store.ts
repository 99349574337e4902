// What a dataset export reads from the workspace: the records a query selects, each record's review facts, the
// sources of its current labels and its stored beat annotations.
import type { Database } from 'better-sqlite3';
import type { AnnotationSet } from '../../src-shared/record.ts';
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

const CURRENT_PRESENT = `EXISTS (SELECT 1 FROM label l WHERE l.record_id = r.id AND l.code = c.value AND l.is_current = 1 AND l.present = 1
    AND l.source_kind IN ('dataset', 'annotator'))
  AND NOT EXISTS (SELECT 1 FROM label l WHERE l.record_id = r.id AND l.code = c.value AND l.is_current = 1 AND l.present = 0
    AND l.source_kind = 'annotator')`;

/** Ids of the records the query selects, in id order, and the --record references that matched nothing. */
export function selectExportRecords(db: Database, q: ExportQuery): { ids: number[]; unmatched: string[] } {
  const parts: string[] = [q.queue ? queueCondition(db, q.queue) : '1'];
  const params: Record<string, unknown> = {};
  if (q.labels?.length) {
    parts.push(`EXISTS (SELECT 1 FROM json_each(@labels) c WHERE ${CURRENT_PRESENT})`);
    params.labels = JSON.stringify(q.labels);
  }
  if (q.formats?.length) {
    parts.push('EXISTS (SELECT 1 FROM record_source s WHERE s.record_id = r.id AND s.format IN (SELECT value FROM json_each(@formats)))');
    params.formats = JSON.stringify(q.formats);
  }
  if (q.reviewStates?.length) {
    parts.push('r.review_state IN (SELECT value FROM json_each(@states))');
    params.states = JSON.stringify(q.reviewStates);
  }
  if (q.reviewer !== undefined) {
    parts.push(
      "EXISTS (SELECT 1 FROM audit_log a WHERE a.record_id = r.id AND a.actor = @reviewer AND a.action IN ('review.state', 'label.add', 'label.remove'))",
    );
    params.reviewer = q.reviewer;
  }
  const unmatched: string[] = [];
  if (q.records?.length) {
    const ids = new Set<number>();
    for (const ref of q.records) {
      const found = (
        /^\d+$/.test(ref) ? (db.prepare('SELECT id FROM record WHERE id = ?').pluck().all(Number(ref)) as number[]) : []
      ).concat(db.prepare('SELECT id FROM record WHERE record_name = ?').pluck().all(ref) as number[]);
      if (found.length === 0) unmatched.push(ref);
      for (const id of found) ids.add(id);
    }
    parts.push('r.id IN (SELECT value FROM json_each(@ids))');
    params.ids = JSON.stringify([...ids]);
  }
  const ids = db
    .prepare(`SELECT r.id FROM record r WHERE ${parts.join(' AND ')} ORDER BY r.id`)
    .pluck()
    .all(params) as number[];
  return { ids, unmatched };
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
