// CinC-style WFDB folders (.hea + .mat with #Dx) read as labelled records, for tests that train outside a workspace.
import fs from 'node:fs';
import path from 'node:path';
import { readWfdbRecord } from '../../src-main/formats/wfdb-record.ts';
import type { LabelledRecord } from '../../src-main/ml/dataset.ts';

/** Every `.hea` under `dir` (recursively), sorted by path so the order is reproducible. */
export function findHeaders(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.hea')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Reads CinC records (.hea + .mat with #Dx); unreadable files are reported in `skipped`, not thrown. */
export async function loadCincRecords(headers: string[]): Promise<{ records: LabelledRecord[]; skipped: string[] }> {
  const records: LabelledRecord[] = [];
  const skipped: string[] = [];
  for (const h of headers) {
    try {
      const record = await readWfdbRecord(h);
      const codes = record.labels.filter((l) => l.vocabulary === 'SNOMED').map((l) => l.code);
      records.push({ id: record.recordName, patientId: record.patientId, codes, record });
    } catch (e) {
      skipped.push(`${h}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return { records, skipped };
}
