// Stored beat annotations of a record (a WFDB annotation file read with it: MIT-BIH's reference beats), by span.
import type { Database } from 'better-sqlite3';
import type { BeatAnnotation } from '../../src-shared/api.ts';
import { prepared } from './prepared.ts';

/** Annotations with `start <= sample < end`, in sample order (at most `limit`, the earliest first). */
export function beatAnnotations(db: Database, recordId: number, start: number, end: number, limit: number): BeatAnnotation[] {
  return prepared(
    db,
    `SELECT sample, symbol, annotator, aux FROM annotation WHERE record_id = ? AND sample >= ? AND sample < ?
     ORDER BY sample, rowid LIMIT ?`,
  )
    .all(recordId, start, end, limit)
    .map((r) => {
      const a = r as { sample: number; symbol: string; annotator: string; aux: string | null };
      return { sample: a.sample, symbol: a.symbol, annotator: a.annotator, ...(a.aux ? { aux: a.aux } : {}) };
    });
}
