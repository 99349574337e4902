// Stored records turned into a signal model's inputs, for `predict --all` to do in worker threads (reading, decoding
// and the band-pass are most of its time; inference and writes stay with the caller).
import type { Database } from 'better-sqlite3';
import { inputMismatch, recordToInput, type InputSpec } from '../ml/input-pipeline.ts';
import { getRecordSignal } from '../store/record-store.ts';

/** One record's model input, or why there is none: no such record, a mismatch (a stand-in model may read it) or an error. */
export interface PreparedInput {
  recordId: number;
  recordName?: string;
  input?: Float32Array;
  mismatch?: string;
  error?: string;
}

export function prepareModelInputs(db: Database, recordIds: number[], spec: InputSpec): PreparedInput[] {
  return recordIds.map((recordId): PreparedInput => {
    const record = getRecordSignal(db, recordId);
    if (!record) return { recordId };
    const mismatch = inputMismatch(record, spec);
    if (mismatch) return { recordId, recordName: record.recordName, mismatch };
    try {
      return { recordId, recordName: record.recordName, input: recordToInput(record, spec) };
    } catch (e) {
      return { recordId, recordName: record.recordName, error: ((e as Error).message ?? String(e)).split('\n')[0] };
    }
  });
}
