// Worklist queues and filters over the stored records.
import type { Database } from 'better-sqlite3';
import type { RecordSummary, WorklistQuery, WorklistQueue } from '../../src-shared/api.ts';
import { SUBMITTED_STATES } from '../../src-shared/review-vocabulary.ts';
import { getRecordSummary } from './record-store.ts';
import { getSelection, selectionCondition } from './selection-store.ts';
import { recordModelView } from './triage-store.ts';

/**
 * Whether record r's current label `code` (a bound parameter) is present: an annotator's word overrides the dataset's.
 * As sets of records by code (label_code_record_idx), so a filter reads the records with that label, not every record.
 * The same rule keeps record_flag (migrations 8 and 14).
 */
const labelPresent = (
  code: string,
): string => `(r.id IN (SELECT l.record_id FROM label l WHERE l.code = ${code} AND l.is_current = 1 AND l.present = 1
    AND l.source_kind IN ('dataset', 'annotator'))
  AND r.id NOT IN (SELECT l.record_id FROM label l WHERE l.code = ${code} AND l.is_current = 1 AND l.present = 0 AND l.source_kind = 'annotator'))`;

/** Records `reviewer` (a bound parameter) has submitted: blind mode lets them see the others' labels there. */
const submittedBy = (reviewer: string): string =>
  `r.id IN (SELECT record_id FROM reviewer_review WHERE reviewer = ${reviewer} AND state IN (${SUBMITTED_STATES.map((s) => `'${s}'`).join(', ')}))`;

/**
 * The labels `reviewer` may see on record r in blind mode before submitting it: the dataset's and their own (their word
 * overrides the dataset's), as the record's chips show them (label-store effectiveLabels). `match`: SQL on `l.code`.
 */
const ownOrDatasetLabel = (match: string, reviewer: string): string => `(r.id IN (SELECT l.record_id FROM label l WHERE ${match}
    AND l.is_current = 1 AND l.present = 1 AND (l.source_kind = 'dataset' OR (l.source_kind = 'annotator' AND l.author = ${reviewer}))
    AND NOT EXISTS (SELECT 1 FROM label o WHERE o.record_id = l.record_id AND o.vocabulary = l.vocabulary AND o.code = l.code
      AND o.is_current = 1 AND o.present = 0 AND o.source_kind = 'annotator' AND o.author = ${reviewer})))`;

/** `visible` where blind mode hides the others' labels from `reviewer` (not yet submitted), else `all`. */
const blindAware = (all: string, visible: string, reviewer: string | undefined): string =>
  reviewer === undefined ? all : `((${submittedBy(reviewer)} AND ${all}) OR (NOT ${submittedBy(reviewer)} AND ${visible}))`;

// A reviewer's word on code c of record r: their own current annotator label, else the dataset's, else absent.
const reviewerWord = (reviewer: string): string => `COALESCE(
  (SELECT a.present FROM label a WHERE a.record_id = r.id AND a.vocabulary = l.vocabulary AND a.code = l.code AND a.source_kind = 'annotator'
    AND a.is_current = 1 AND a.author = ${reviewer}),
  (SELECT MAX(d.present) FROM label d WHERE d.record_id = r.id AND d.vocabulary = l.vocabulary AND d.code = l.code
    AND d.source_kind = 'dataset' AND d.is_current = 1), 0)`;
/** Two reviewers who submitted record r give a different word on some code one of them labelled (migration 10). */
const REVIEWERS_DISAGREE = `EXISTS (SELECT 1 FROM reviewer_review s1 JOIN reviewer_review s2 ON s2.record_id = s1.record_id AND s2.reviewer > s1.reviewer
    JOIN label l ON l.record_id = s1.record_id AND l.source_kind = 'annotator' AND l.is_current = 1 AND l.author IN (s1.reviewer, s2.reviewer)
  WHERE s1.record_id = r.id AND s1.state IN ('reviewed', 'accepted', 'corrected') AND s2.state IN ('reviewed', 'accepted', 'corrected')
    AND ${reviewerWord('s1.reviewer')} <> ${reviewerWord('s2.reviewer')})`;

/** The records at least two reviewers have submitted (the only ones they can disagree on). */
const SUBMITTED_TWICE = `SELECT record_id FROM reviewer_review WHERE state IN ('reviewed', 'accepted', 'corrected') GROUP BY record_id
  HAVING COUNT(*) > 1`;

/**
 * Reads a queue from its own table (alias q, one row per record) instead of testing every record against it: at
 * 100,000 records `r.id IN (SELECT ...)` builds the member list per call (a count took ~150 ms) and a ranked page
 * sorted every member. `rank` orders q's rows as the queue's rank orders records, so a page walks q's index.
 */
interface QueueSource {
  from: string;
  where: string;
  rank?: string;
  /**
   * The queue's size with no filter on top, from its own table alone: its rows always name a stored record (the foreign
   * key cascades, or a trigger deletes them with the record), so the join to record r only serves filters.
   */
  count?: string;
}
/** The one triage row that ranks record q.record_id: its highest score (ties: the latest model). */
const TOP_TRIAGE_ROW = `NOT EXISTS (SELECT 1 FROM record_triage t2 WHERE t2.record_id = q.record_id AND t2.score IS NOT NULL
    AND (t2.score > q.score OR (t2.score = q.score AND t2.model_id > q.model_id)))`;

/** Each queue: its condition, and the tables it needs (model queues appear once the ML and rules engines have written). */
const QUEUE_DEFS: { id: string; label: string; where: string; needs: string[]; rank?: string; source?: QueueSource }[] = [
  { id: 'all', label: 'All', where: '1', needs: [] },
  { id: 'new', label: 'New', where: "r.review_state = 'new'", needs: [] },
  // Triage queues read record_triage (migration 11): per-class operating thresholds and clinical class weights.
  {
    id: 'flagged',
    label: 'Flagged by model',
    needs: ['ml_prediction', 'record_triage'],
    where: 'r.id IN (SELECT record_id FROM record_triage WHERE score IS NOT NULL)',
    // Most urgent first: the highest triage score over the models that predicted the record.
    rank: '(SELECT MAX(t.score) FROM record_triage t WHERE t.record_id = r.id) DESC',
    source: {
      from: 'record_triage q',
      where: `q.score IS NOT NULL AND ${TOP_TRIAGE_ROW}`,
      rank: 'q.score DESC',
      // Not the top row per record (TOP_TRIAGE_ROW probes every row: ~70 ms at 100,000 records) but its records (~5 ms).
      count: 'SELECT COUNT(DISTINCT record_id) FROM record_triage WHERE score IS NOT NULL',
    },
  },
  {
    id: 'model-vs-rule',
    label: 'Model ≠ rule',
    needs: ['ml_prediction', 'rule_result'],
    // Kept by triggers on predictions and rule results (migration 13).
    where: 'r.id IN (SELECT record_id FROM record_rule_disagreement)',
    source: { from: 'record_rule_disagreement q', where: '1', count: 'SELECT COUNT(*) FROM record_rule_disagreement' },
  },
  // Model vs label reads record_flag, which triggers keep from predictions and labels (migration 8).
  {
    id: 'model-vs-label',
    label: 'Model ≠ label',
    needs: ['ml_prediction'],
    where: 'r.id IN (SELECT record_id FROM record_flag WHERE label_disagreement IS NOT NULL)',
    // Likely label errors first: how confident the model is against the label.
    rank: '(SELECT f.label_disagreement FROM record_flag f WHERE f.record_id = r.id) DESC',
    source: {
      from: 'record_flag q',
      where: 'q.label_disagreement IS NOT NULL',
      rank: 'q.label_disagreement DESC',
      count: 'SELECT COUNT(*) FROM record_flag WHERE label_disagreement IS NOT NULL',
    },
  },
  {
    id: 'low-confidence',
    label: 'Low confidence',
    needs: ['ml_prediction', 'record_triage'],
    where: 'r.id IN (SELECT record_id FROM record_triage WHERE low_confidence = 1)',
    source: {
      from: '(SELECT DISTINCT record_id FROM record_triage WHERE low_confidence = 1) q',
      where: '1',
      count: 'SELECT COUNT(DISTINCT record_id) FROM record_triage WHERE low_confidence = 1',
    },
  },
  {
    id: 'label-errors',
    label: 'Suspected label error',
    needs: ['label_error_run'],
    where: `r.id IN (SELECT record_id FROM label_error_record WHERE flagged = 1 AND run_id = (SELECT MAX(id) FROM label_error_run))`,
    rank: `(SELECT e.score FROM label_error_record e WHERE e.record_id = r.id AND e.run_id = (SELECT MAX(id) FROM label_error_run)) DESC`,
  },
  { id: 'reviewed', label: 'Reviewed', where: "r.review_state IN ('reviewed', 'accepted', 'corrected')", needs: [] },
  { id: 'second-opinion', label: 'Second opinion', where: "r.review_state = 'second-opinion'", needs: [] },
  {
    id: 'disagreement',
    label: 'Reviewers disagree',
    where: REVIEWERS_DISAGREE,
    needs: ['reviewer_review'],
    // Only records two reviewers submitted can disagree: test those, not every record.
    source: {
      from: `(${SUBMITTED_TWICE}) q`,
      where: REVIEWERS_DISAGREE,
      // The same records named r directly (REVIEWERS_DISAGREE reads r.id alone), not every record probed for them.
      count: `SELECT COUNT(*) FROM (SELECT record_id AS id FROM (${SUBMITTED_TWICE})) r WHERE ${REVIEWERS_DISAGREE}`,
    },
  },
];

function hasTables(db: Database, names: string[]): boolean {
  return names.every((n) => !!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(n));
}

/** The SQL condition on `record r` of a worklist queue (export selects by queue too). Throws for an unknown queue. */
export const queueCondition = (db: Database, id: string): string => queueDef(db, id).where;

function queueDef(db: Database, id: string) {
  const q = QUEUE_DEFS.find((d) => d.id === id);
  if (!q) throw new Error(`unknown worklist queue '${id}' (one of ${QUEUE_DEFS.map((d) => d.id).join(', ')})`);
  if (!hasTables(db, q.needs))
    throw new Error(`worklist queue '${id}' needs ${q.needs.join(' and ')}, which this workspace does not have yet`);
  return q;
}

const SORTS: Record<string, string> = {
  id: 'r.id',
  name: 'r.record_name',
  duration: 'r.length * 1.0 / r.sampling_rate',
  leads: 'r.lead_count',
  age: 'r.age',
  state: 'r.review_state',
};

/** The FROM clause of a queue's records (its own table joined to record r when it has one). */
function fromOf(db: Database, queue: string): string {
  const source = queueDef(db, queue).source;
  return source ? `${source.from} JOIN record r ON r.id = q.record_id` : 'record r';
}

/**
 * The FROM clause that counts a queue: record r outside (read through a small covering index), the queue's table
 * probed by record id. Left to itself SQLite walks the queue's index and looks up every wide record row: counting
 * 100,000 flagged records took ~1 s that way and ~70 ms this way (the page itself walks the score index as fromOf).
 */
function countFromOf(db: Database, queue: string): string {
  const source = queueDef(db, queue).source;
  return source ? `record r CROSS JOIN ${source.from} ON r.id = q.record_id` : 'record r';
}

/** A queue's condition with the query's filters on top (`filtered`: some filter, not the queue alone). */
interface QueueWhere {
  sql: string;
  params: Record<string, unknown>;
  filtered: boolean;
}

/**
 * `blindReviewer`: blind mode is on and this reviewer asks, so the label filter and the label search match on records
 * they have not submitted only the labels they may see there (their own and the dataset's), never another reviewer's.
 */
function whereOf(db: Database, q: WorklistQuery, blindReviewer?: string): QueueWhere {
  const def = queueDef(db, q.queue ?? 'all');
  const parts: string[] = [def.source?.where ?? def.where];
  const params: Record<string, unknown> = {};
  const blind = blindReviewer === undefined ? undefined : '@blindReviewer';
  if (blind) params.blindReviewer = blindReviewer;
  if (q.search) {
    const anyLabel = '(r.id IN (SELECT l.record_id FROM label l WHERE l.code LIKE @q AND l.is_current = 1 AND l.present = 1))';
    parts.push(
      `(r.record_name LIKE @q OR r.patient_id LIKE @q OR ${blind ? blindAware(anyLabel, ownOrDatasetLabel('l.code LIKE @q', blind), blind) : anyLabel})`,
    );
    params.q = `%${q.search}%`;
  }
  if (q.label) {
    parts.push(blind ? blindAware(labelPresent('@label'), ownOrDatasetLabel('l.code = @label', blind), blind) : labelPresent('@label'));
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
  if (q.patientId) {
    parts.push('r.patient_id = @patientId');
    params.patientId = q.patientId;
  }
  if (q.reviewState) {
    parts.push('r.review_state = @reviewState');
    params.reviewState = q.reviewState;
  }
  if (q.selection) {
    const c = selectionCondition(getSelection(db, q.selection).query, 'sel');
    parts.push(`(${c.sql})`);
    Object.assign(params, c.params);
  }
  if (q.unreviewedBy !== undefined) {
    parts.push(
      "r.id NOT IN (SELECT record_id FROM reviewer_review WHERE reviewer = @unreviewedBy AND state IN ('reviewed', 'accepted', 'corrected'))",
    );
    params.unreviewedBy = q.unreviewedBy;
  }
  return { sql: parts.join(' AND '), params, filtered: parts.length > 1 };
}

/** How many records of `queue` match `where` (whereOf's): a queue's total on its page and its count in the list. */
function countQueue(db: Database, queue: string, where: QueueWhere): number {
  const count = queueDef(db, queue).source?.count;
  if (count && !where.filtered) return db.prepare(count).pluck().get() as number;
  return (db.prepare(`SELECT COUNT(*) AS n FROM ${countFromOf(db, queue)} WHERE ${where.sql}`).get(where.params) as { n: number }).n;
}

export function listWorklist(db: Database, q: WorklistQuery, blindReviewer?: string): { total: number; records: RecordSummary[] } {
  const where = whereOf(db, q, blindReviewer);
  const { sql, params } = where;
  const sort = SORTS[q.sort ?? 'id'];
  if (!sort) throw new Error(`unknown sort '${q.sort}' (one of ${Object.keys(SORTS).join(', ')})`);
  const def = queueDef(db, q.queue ?? 'all');
  const rank = def.source ? def.source.rank : def.rank;
  const order = `${rank && !q.sort ? `${rank}, ` : ''}${sort} ${q.descending ? 'DESC' : 'ASC'}`;
  const from = fromOf(db, def.id);
  const total = countQueue(db, def.id, where);
  const ids = db
    .prepare(`SELECT r.id FROM ${from} WHERE ${sql} ORDER BY ${order}, r.id LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit: q.limit ?? 200, offset: q.offset ?? 0 }) as { id: number }[];
  const withModel = hasTables(db, ['record_triage']);
  return {
    total,
    records: ids.map((r) => {
      const summary = getRecordSummary(db, r.id)!;
      const model = withModel ? recordModelView(db, r.id) : undefined;
      return model ? { ...summary, model } : summary;
    }),
  };
}

/** Every queue this workspace can answer, with its record count, and the values the filters can take. */
export function worklistQueues(db: Database): { queues: WorklistQueue[]; formats: string[]; leadCounts: number[] } {
  // The label-error queue is empty before any run: say so rather than a count of 0 that reads as "no suspects".
  const noLabelErrorRun = hasTables(db, ['label_error_run']) && !db.prepare('SELECT 1 FROM label_error_run LIMIT 1').get();
  const queues = QUEUE_DEFS.filter((q) => hasTables(db, q.needs)).map((q) => ({
    id: q.id,
    label: q.label,
    count: countQueue(db, q.id, whereOf(db, { queue: q.id })),
    ...(q.id === 'label-errors' && noLabelErrorRun ? { none: 'no run' } : {}),
  }));
  const formats = (db.prepare('SELECT DISTINCT format FROM record_source ORDER BY format').all() as { format: string }[]).map(
    (r) => r.format,
  );
  const leadCounts = (db.prepare('SELECT DISTINCT lead_count FROM record ORDER BY lead_count DESC').all() as { lead_count: number }[]).map(
    (r) => r.lead_count,
  );
  return { queues, formats, leadCounts };
}
