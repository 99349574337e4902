// The workspace's records as training and evaluation examples: signal, patient, current SNOMED labels and the label
// rows (versions) they come from.
import type { Database } from 'better-sqlite3';
import type { EcgRecord } from '../../src-shared/record.ts';
import type { LabelledRecord } from '../ml/dataset.ts';
import { currentLabelIds, effectiveLabels } from '../store/label-store.ts';
import { allRecordIds, getRecordSignal } from '../store/record-store.ts';
import { consensusCodes } from './annotator-agreement.ts';

export interface WorkspaceRecord {
  recordId: number;
  item: LabelledRecord;
  labelIds: number[];
}

/** A stored record's signal; throws one line when there is no such record. */
export function storedRecord(db: Database, recordId: number): EcgRecord {
  const r = getRecordSignal(db, recordId);
  if (!r) throw new Error(`no record with id ${recordId} in this workspace`);
  return r;
}

/**
 * Every record (or those of `recordIds`) with its current (dataset or annotator) SNOMED labels and the label rows they
 * come from; with `labelSource` 'consensus', the reviewers' consensus codes on the records they reviewed
 * (annotator-agreement.ts).
 */
export function workspaceRecords(
  db: Database,
  recordIds: number[] = allRecordIds(db),
  labelSource: 'current' | 'consensus' = 'current',
): WorkspaceRecord[] {
  const consensus = labelSource === 'consensus' ? consensusCodes(db) : undefined;
  return recordIds.map((recordId) => {
    const record = getRecordSignal(db, recordId);
    if (!record) throw new Error(`record ${recordId} has no stored signal`);
    const codes =
      consensus?.get(recordId) ??
      effectiveLabels(db, recordId)
        .filter((l) => l.vocabulary === 'SNOMED')
        .map((l) => l.code);
    return {
      recordId,
      item: { id: String(recordId), patientId: record.patientId, codes, record },
      labelIds: currentLabelIds(db, recordId),
    };
  });
}
