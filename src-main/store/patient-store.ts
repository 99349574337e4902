// Records of one patient, for serial comparison: the same patient id as the record's (as the vendor files give it).
import type { Database } from 'better-sqlite3';

/** Ids of the records sharing `recordId`'s patient id, the record itself included, oldest acquisition first. */
export function patientRecordIds(db: Database, recordId: number): { patientId: string | null; recordIds: number[] } {
  const row = db.prepare('SELECT patient_id FROM record WHERE id = ?').get(recordId) as { patient_id: string | null } | undefined;
  if (!row) throw new Error(`no record with id ${recordId}`);
  if (row.patient_id === null || row.patient_id.trim() === '') return { patientId: null, recordIds: [recordId] };
  const ids = db
    .prepare('SELECT id FROM record WHERE patient_id = ? ORDER BY start_time IS NULL, start_time, id')
    .pluck()
    .all(row.patient_id) as number[];
  return { patientId: row.patient_id, recordIds: ids };
}
