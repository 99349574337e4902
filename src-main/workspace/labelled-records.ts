// The workspace's records as training and evaluation examples: signal, patient, current SNOMED labels and the label
// rows (versions) they come from.
import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { EcgRecord } from '../../src-shared/record.ts';
import type { LabelledRecord } from '../ml/dataset.ts';
import { currentLabelIds, effectiveLabels } from '../store/label-store.ts';
import { submittedLabelSets } from '../store/annotator-store.ts';
import { allRecordIds, getRecordSignal } from '../store/record-store.ts';
import { consensusCodes } from './annotator-agreement.ts';

export interface WorkspaceRecord {
  recordId: number;
  item: LabelledRecord;
  /** The label rows (versions) behind the codes; empty when the codes are the reviewers' consensus. */
  labelIds: number[];
  /** The codes are the reviewers' consensus (labelSource 'consensus' on a record they reviewed). */
  fromConsensus?: boolean;
}

/** Which consensus a model trained on, for its lineage: current label versions do not say it. */
export interface ConsensusLineage {
  /** Dawid-Skene over the reviewers' submitted label sets (no model weighs it in training). */
  method: 'dawid-skene';
  reviewers: string[];
  records: number;
  /** sha256 of the consensus codes per record (`recordId<TAB>code,code` lines, sorted), as trained on. */
  labelsSha256: string;
}

/** The consensus lineage of `records` (those carrying consensus codes), or undefined when none does. */
export function consensusLineage(db: Database, records: WorkspaceRecord[]): ConsensusLineage | undefined {
  const used = records.filter((r) => r.fromConsensus).sort((a, b) => a.recordId - b.recordId);
  if (used.length === 0) return undefined;
  const ids = new Set(used.map((r) => r.recordId));
  const reviewers = [
    ...new Set(
      submittedLabelSets(db)
        .filter((s) => ids.has(s.recordId))
        .map((s) => s.reviewer),
    ),
  ].sort();
  const lines = used.map((r) => `${r.recordId}\t${[...r.item.codes].sort().join(',')}`).join('\n');
  return { method: 'dawid-skene', reviewers, records: used.length, labelsSha256: createHash('sha256').update(lines).digest('hex') };
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
    const agreed = consensus?.get(recordId);
    if (agreed)
      return {
        recordId,
        item: { id: String(recordId), patientId: record.patientId, codes: agreed, record },
        labelIds: [],
        fromConsensus: true,
      };
    const codes = effectiveLabels(db, recordId)
      .filter((l) => l.vocabulary === 'SNOMED')
      .map((l) => l.code);
    return {
      recordId,
      item: { id: String(recordId), patientId: record.patientId, codes, record },
      labelIds: currentLabelIds(db, recordId),
    };
  });
}
