// Worklist queues and filters over the stored records.
import type { Database } from 'better-sqlite3';
import type { RecordSummary, WorklistQuery, WorklistQueue } from '../../src-shared/api.ts';
import { getRecordSummary } from './record-store.ts';

/** Queues answered from review states alone; the model queues need the ML engine's predictions. */
const QUEUE_WHERE: Record<string, string> = {
  all: '1',
  new: "r.review_state = 'new'",
  reviewed: "r.review_state IN ('reviewed', 'accepted', 'corrected')",
  'second-opinion': "r.review_state = 'second-opinion'",
};
export const QUEUES: { id: string; label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'new', label: 'New' },
  { id: 'second-opinion', label: 'Second opinion' },
  { id: 'reviewed', label: 'Reviewed' },
];

const SORTS: Record<string, string> = {
  id: 'r.id', name: 'r.record_name', duration: 'r.length * 1.0 / r.sampling_rate', leads: 'r.lead_count', age: 'r.age', state: 'r.review_state',
};

function whereOf(q: WorklistQuery): { sql: string; params: Record<string, unknown> } {
  const parts: string[] = [];
  const params: Record<string, unknown> = {};
  const queue = q.queue ?? 'all';
  const queueSql = QUEUE_WHERE[queue];
  if (!queueSql) throw new Error(`unknown worklist queue '${queue}' (one of ${Object.keys(QUEUE_WHERE).join(', ')})`);
  parts.push(queueSql);
  if (q.search) {
    parts.push('(r.record_name LIKE @q OR r.patient_id LIKE @q OR EXISTS (SELECT 1 FROM label l WHERE l.record_id = r.id AND l.is_current = 1 AND l.present = 1 AND l.code LIKE @q))');
    params.q = `%${q.search}%`;
  }
  if (q.label) {
    parts.push("EXISTS (SELECT 1 FROM label l WHERE l.record_id = r.id AND l.is_current = 1 AND l.present = 1 AND l.source_kind IN ('dataset', 'annotator') AND l.code = @label)");
    params.label = q.label;
  }
  if (q.format) {
    parts.push('EXISTS (SELECT 1 FROM record_source s WHERE s.record_id = r.id AND s.format = @format)');
    params.format = q.format;
  }
  if (q.leadCount !== undefined) {
    parts.push('r.lead_count = @leadCount');
    params.leadCount = q.leadCount;
  }
  if (q.reviewState) {
    parts.push('r.review_state = @reviewState');
    params.reviewState = q.reviewState;
  }
  return { sql: parts.join(' AND '), params };
}

export function listWorklist(db: Database, q: WorklistQuery): { total: number; records: RecordSummary[] } {
  const { sql, params } = whereOf(q);
  const sort = SORTS[q.sort ?? 'id'];
  if (!sort) throw new Error(`unknown sort '${q.sort}' (one of ${Object.keys(SORTS).join(', ')})`);
  const total = (db.prepare(`SELECT COUNT(*) AS n FROM record r WHERE ${sql}`).get(params) as { n: number }).n;
  const ids = db.prepare(`SELECT r.id FROM record r WHERE ${sql} ORDER BY ${sort} ${q.descending ? 'DESC' : 'ASC'}, r.id LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit: q.limit ?? 200, offset: q.offset ?? 0 }) as { id: number }[];
  return { total, records: ids.map((r) => getRecordSummary(db, r.id)!) };
}

/** Every queue with its record count, and the values the filters can take. */
export function worklistQueues(db: Database): { queues: WorklistQueue[]; formats: string[]; leadCounts: number[] } {
  const queues = QUEUES.map((q) => ({ ...q, count: (db.prepare(`SELECT COUNT(*) AS n FROM record r WHERE ${QUEUE_WHERE[q.id]}`).get() as { n: number }).n }));
  const formats = (db.prepare('SELECT DISTINCT format FROM record_source ORDER BY format').all() as { format: string }[]).map((r) => r.format);
  const leadCounts = (db.prepare('SELECT DISTINCT lead_count FROM record ORDER BY lead_count DESC').all() as { lead_count: number }[]).map((r) => r.lead_count);
  return { queues, formats, leadCounts };
}
