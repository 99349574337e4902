// Labelled records to training tensors: pick classes, build model inputs.
import type { EcgRecord } from '../../src-shared/record.ts';
import { recordToInput, targetsFor } from './input-pipeline.ts';
import type { InputSpec } from './input-pipeline.ts';
import type { Dataset } from './train.ts';

export interface LabelledRecord {
  id: string;
  patientId?: string;
  /** SNOMED CT codes of the record's current labels. */
  codes: string[];
  record: EcgRecord;
}

/** Codes carried by at least `minCount` records, most frequent first. */
export function frequentCodes(
  records: LabelledRecord[],
  minCount: number,
  equivalent: Record<string, string> = {},
): Array<{ code: string; count: number }> {
  const counts = new Map<string, number>();
  for (const r of records) for (const c of new Set(r.codes.map((x) => equivalent[x] ?? x))) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts]
    .filter(([, n]) => n >= minCount)
    .map(([code, count]) => ({ code, count }))
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}

/** Model inputs and targets for the records, in the given order. */
export function buildDataset(
  records: LabelledRecord[],
  spec: InputSpec,
  classes: string[],
  equivalent: Record<string, string> = {},
): Dataset {
  const size = spec.samples * spec.leads.length;
  const x = new Float32Array(records.length * size);
  const y = new Uint8Array(records.length * classes.length);
  records.forEach((r, i) => {
    x.set(recordToInput(r.record, spec), i * size);
    y.set(targetsFor(r.codes, classes, equivalent), i * classes.length);
  });
  return { x, y, n: records.length };
}
