// The records of a record's patient, for the viewer's prior ECGs.
import type { Database } from 'better-sqlite3';
import type { PatientRecord } from '../../src-shared/api.ts';
import { patientRecordIds } from '../store/patient-store.ts';
import { getRecordDetailFields, getRecordSummary } from '../store/record-store.ts';

export function patientRecords(db: Database, recordId: number): { patientId: string | null; records: PatientRecord[] } {
  const { patientId, recordIds } = patientRecordIds(db, recordId);
  const records = recordIds.flatMap((id) => {
    const summary = getRecordSummary(db, id);
    const startTime = getRecordDetailFields(db, id)?.startTime;
    return summary ? [{ ...summary, ...(startTime ? { startTime } : {}) }] : [];
  });
  return { patientId, records };
}
