// Reviewer annotations beyond record labels: free-text notes, interval annotations and reviewer settings.
// Every write is one transaction with its audit entry, so nothing is lost on a crash and the history shows it.
import type { Database } from 'better-sqlite3';
import type { IntervalAnnotation, RecordNote, ReviewSettings } from '../../src-shared/api.ts';
import { MAX_SHORTCUTS } from '../../src-shared/label-shortcuts.ts';
import { appendAudit } from './audit-log.ts';
import { writeTransaction } from './write-transaction.ts';
import { DEFAULT_QTC_FORMULA, isQtcFormula, QTC_FORMULAS } from '../../src-shared/qtc.ts';

function requireRecord(db: Database, recordId: number): { length: number; leads: string[] } {
  const r = db.prepare('SELECT length FROM record WHERE id = ?').get(recordId) as { length: number } | undefined;
  if (!r) throw new Error(`no record with id ${recordId}`);
  const leads = (db.prepare('SELECT name FROM lead WHERE record_id = ? ORDER BY lead_index').all(recordId) as { name: string }[]).map(
    (l) => l.name,
  );
  return { length: r.length, leads };
}

interface NoteRow {
  id: number;
  record_id: number;
  author: string;
  text: string;
  created_at: string;
}
const toNote = (r: NoteRow): RecordNote => ({ id: r.id, recordId: r.record_id, author: r.author, text: r.text, createdAt: r.created_at });

export function listNotes(db: Database, recordId: number): RecordNote[] {
  return (db.prepare('SELECT * FROM record_note WHERE record_id = ? AND deleted = 0 ORDER BY id').all(recordId) as NoteRow[]).map(toNote);
}

export function addNote(db: Database, p: { recordId: number; text: string; author: string }, now = new Date().toISOString()): RecordNote {
  const text = p.text.trim();
  if (!text) throw new Error('a note needs some text');
  return writeTransaction(db, () => {
    requireRecord(db, p.recordId);
    const id = Number(
      db.prepare('INSERT INTO record_note (record_id, author, text, created_at) VALUES (?, ?, ?, ?)').run(p.recordId, p.author, text, now)
        .lastInsertRowid,
    );
    appendAudit(db, p.author, 'note.add', p.recordId, { noteId: id, text }, now);
    return toNote(db.prepare('SELECT * FROM record_note WHERE id = ?').get(id) as NoteRow);
  });
}

/** Marks a note deleted (the row stays for the history); returns its record's id. */
export function deleteNote(db: Database, p: { id: number; author: string }, now = new Date().toISOString()): number {
  return writeTransaction(db, () => {
    const row = db.prepare('SELECT * FROM record_note WHERE id = ? AND deleted = 0').get(p.id) as NoteRow | undefined;
    if (!row) throw new Error(`no note with id ${p.id}`);
    db.prepare('UPDATE record_note SET deleted = 1 WHERE id = ?').run(p.id);
    appendAudit(db, p.author, 'note.delete', row.record_id, { noteId: p.id, text: row.text }, now);
    return row.record_id;
  });
}

interface IntervalRow {
  id: number;
  record_id: number;
  start_sample: number;
  end_sample: number;
  lead: string | null;
  vocabulary: string;
  code: string;
  text: string;
  author: string;
  created_at: string;
}
const toInterval = (r: IntervalRow): IntervalAnnotation => ({
  id: r.id,
  recordId: r.record_id,
  start: r.start_sample,
  end: r.end_sample,
  lead: r.lead,
  vocabulary: r.vocabulary,
  code: r.code,
  text: r.text,
  author: r.author,
  createdAt: r.created_at,
});

export function listIntervals(db: Database, recordId: number): IntervalAnnotation[] {
  return (
    db
      .prepare('SELECT * FROM interval_annotation WHERE record_id = ? AND deleted = 0 ORDER BY start_sample, id')
      .all(recordId) as IntervalRow[]
  ).map(toInterval);
}

export function addInterval(
  db: Database,
  p: { recordId: number; start: number; end: number; lead?: string; vocabulary: string; code: string; text?: string; author: string },
  now = new Date().toISOString(),
): IntervalAnnotation {
  return writeTransaction(db, () => {
    const rec = requireRecord(db, p.recordId);
    if (!(p.start < p.end) || p.start < 0 || p.end > rec.length)
      throw new Error(`interval ${p.start}..${p.end} is not inside record ${p.recordId} (0..${rec.length})`);
    if (p.lead !== undefined && !rec.leads.includes(p.lead)) throw new Error(`record ${p.recordId} has no lead ${p.lead}`);
    const id = Number(
      db
        .prepare(
          'INSERT INTO interval_annotation (record_id, start_sample, end_sample, lead, vocabulary, code, text, author, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(p.recordId, p.start, p.end, p.lead ?? null, p.vocabulary, p.code, p.text ?? '', p.author, now).lastInsertRowid,
    );
    appendAudit(
      db,
      p.author,
      'interval.add',
      p.recordId,
      { intervalId: id, start: p.start, end: p.end, lead: p.lead ?? null, code: p.code },
      now,
    );
    return toInterval(db.prepare('SELECT * FROM interval_annotation WHERE id = ?').get(id) as IntervalRow);
  });
}

/** Marks an interval annotation deleted; returns its record's id. */
export function deleteInterval(db: Database, p: { id: number; author: string }, now = new Date().toISOString()): number {
  return writeTransaction(db, () => {
    const row = db.prepare('SELECT * FROM interval_annotation WHERE id = ? AND deleted = 0').get(p.id) as IntervalRow | undefined;
    if (!row) throw new Error(`no interval annotation with id ${p.id}`);
    db.prepare('UPDATE interval_annotation SET deleted = 1 WHERE id = ?').run(p.id);
    appendAudit(db, p.author, 'interval.delete', row.record_id, { intervalId: p.id, code: row.code }, now);
    return row.record_id;
  });
}

const SETTINGS_KEY = 'review.settings';
/**
 * Defaults: 96 dpi CSS pixels (3.78 px/mm) until the user calibrates; keys 1-9 hold the commonest scored classes;
 * reviewers see each other's labels; no auto-advance.
 */
export const DEFAULT_REVIEW_SETTINGS: ReviewSettings = {
  pxPerMm: 96 / 25.4,
  shortcuts: ['426783006', '164889003', '426177001', '427084000', '39732003', '164909002', '59118001', '270492004', '164934002'],
  qtcFormula: DEFAULT_QTC_FORMULA,
  blind: false,
  autoAdvance: false,
};

export function getReviewSettings(db: Database): ReviewSettings {
  const row = db.prepare('SELECT value FROM setting WHERE key = ?').get(SETTINGS_KEY) as { value: string } | undefined;
  return { ...DEFAULT_REVIEW_SETTINGS, ...(row ? (JSON.parse(row.value) as Partial<ReviewSettings>) : {}) };
}

export function setReviewSettings(
  db: Database,
  p: Partial<ReviewSettings> & { author: string },
  now = new Date().toISOString(),
): ReviewSettings {
  if (p.pxPerMm !== undefined && !(p.pxPerMm >= 1 && p.pxPerMm <= 40))
    throw new Error(`screen calibration ${p.pxPerMm} px/mm is outside 1..40`);
  if (p.shortcuts !== undefined) {
    if (p.shortcuts.length > MAX_SHORTCUTS)
      throw new Error(`too many label shortcuts: ${p.shortcuts.length}, at most ${MAX_SHORTCUTS} (1-9, then g 1-9 and h 1-9)`);
    const blank = p.shortcuts.findIndex((c) => c.trim() === '');
    if (blank >= 0) throw new Error(`label shortcut ${blank + 1} has no code`);
    const seen = new Set<string>();
    for (const c of p.shortcuts) {
      if (seen.has(c)) throw new Error(`label shortcut code ${c} appears twice`);
      seen.add(c);
    }
  }
  if (p.qtcFormula !== undefined && !isQtcFormula(p.qtcFormula))
    throw new Error(`unknown QTc formula '${String(p.qtcFormula)}' (one of ${QTC_FORMULAS.join(', ')})`);
  return writeTransaction(db, () => {
    const next: ReviewSettings = {
      ...getReviewSettings(db),
      ...(p.pxPerMm !== undefined ? { pxPerMm: p.pxPerMm } : {}),
      ...(p.shortcuts !== undefined ? { shortcuts: p.shortcuts } : {}),
      ...(p.qtcFormula !== undefined ? { qtcFormula: p.qtcFormula } : {}),
      ...(p.blind !== undefined ? { blind: p.blind } : {}),
      ...(p.autoAdvance !== undefined ? { autoAdvance: p.autoAdvance } : {}),
    };
    db.prepare('INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)').run(SETTINGS_KEY, JSON.stringify(next));
    appendAudit(db, p.author, 'settings.review', null, { ...next }, now);
    return next;
  });
}
