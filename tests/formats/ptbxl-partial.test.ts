// Partial PTB-XL folders (one rate, some folds, a few records) ingest what is present, report the rows without files,
// and keep the present records' labels; a 22k-row index with a few records is read row by row.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsvRecords } from '../../src-main/formats/csv.ts';
import { readPtbxl } from '../../src-main/formats/ptbxl.ts';
import { READERS } from '../../src-main/formats/readers.ts';
import { ingestPaths } from '../../src-main/ingest/ingest-files.ts';
import { getRecordSignal } from '../../src-main/store/record-store.ts';
import { openWorkspace } from '../../src-main/store/workspace.ts';
import { dataPath } from '../helpers/shared-data.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ptbxl-partial-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const indexText = fs.readFileSync(dataPath('ptbxl', 'ptbxl_database.csv'), 'utf8');
const { rows } = parseCsvRecords(indexText, 'ptbxl_database.csv');

/** A PTB-XL folder holding the full index and copies of the given rows' records at the given rates. */
function partialFolder(name: string, keep: Record<string, string>[], rates: ('lr' | 'hr')[]): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'ptbxl_database.csv'), indexText);
  fs.copyFileSync(dataPath('ptbxl', 'scp_statements.csv'), path.join(dir, 'scp_statements.csv'));
  for (const row of keep) {
    for (const rate of rates) {
      const rel = rate === 'lr' ? row.filename_lr : row.filename_hr;
      fs.mkdirSync(path.join(dir, path.dirname(rel)), { recursive: true });
      for (const ext of ['hea', 'dat']) fs.copyFileSync(dataPath('ptbxl', `${rel}.${ext}`), path.join(dir, `${rel}.${ext}`));
    }
  }
  return path.join(dir, 'ptbxl_database.csv');
}

const scpCodes = (row: Record<string, string>): string[] => [...row.scp_codes.matchAll(/'([^']+)'/g)].map((m) => m[1]).sort();

describe('partial PTB-XL folders (real records from ../shared/data/ptbxl)', () => {
  it('records100 only, ten rows: ten 100 Hz records with their labels, 343 rows reported without files', async () => {
    const keep = rows.slice(0, 10);
    const csv = partialFolder('lr-only', keep, ['lr']);
    const ws = openWorkspace(path.join(tmp, 'ws-lr'));
    const r = await ingestPaths(ws, [path.dirname(csv)], { readers: READERS });
    expect(r).toMatchObject({ newRecords: 10, quarantined: [] });
    expect(r.warnings).toEqual([
      `ptbxl_database.csv: 343 of 353 rows have no record files here (ecg_id ${rows
        .slice(10, 30)
        .map((x) => x.ecg_id)
        .join(', ')}, …); their labels were not taken in`,
    ]);
    for (const [k, id] of r.recordIds.entries()) {
      const rec = getRecordSignal(ws.db, id)!;
      expect(rec).toMatchObject({
        format: 'ptbxl',
        recordName: `${keep[k].filename_lr.split('/').pop()}`,
        samplingRate: 100,
        length: 1000,
      });
      expect(
        rec.labels
          .filter((l) => l.vocabulary === 'SCP')
          .map((l) => l.code)
          .sort(),
      ).toEqual(scpCodes(keep[k]));
      expect(rec.patientId).toBe(String(Number(keep[k].patient_id)));
    }
  });

  it('records500 only, strat folds 1 and 2: exactly those rows, at 500 Hz', async () => {
    const keep = rows.filter((row) => row.strat_fold === '1' || row.strat_fold === '2');
    expect(keep.length).toBeGreaterThan(20);
    const csv = partialFolder('hr-folds', keep, ['hr']);
    const warnings: string[] = [];
    const records = await readPtbxl(csv, {}, (w) => warnings.push(w));
    expect(records.map((x) => x.recordName)).toEqual(keep.map((row) => row.filename_hr.split('/').pop()));
    expect(records.every((x) => x.samplingRate === 500 && x.length === 5000)).toBe(true);
    expect(records.map((x) => x.attributes.strat_fold)).toEqual(keep.map((row) => Number(row.strat_fold)));
    expect(warnings).toEqual([expect.stringMatching(new RegExp(`^${353 - keep.length} of 353 rows have no record files here`))]);
  });

  it('mixed: one row at both rates, one at 100 Hz only, one at 500 Hz only; a 100 Hz read prefers 100 Hz', async () => {
    const [both, lrOnly, hrOnly] = [rows[0], rows[1], rows[2]];
    const csv = partialFolder('mixed', [both], ['lr', 'hr']);
    const dir = path.dirname(csv);
    for (const [row, rel] of [
      [lrOnly, lrOnly.filename_lr],
      [hrOnly, hrOnly.filename_hr],
    ] as const) {
      void row;
      for (const ext of ['hea', 'dat']) fs.copyFileSync(dataPath('ptbxl', `${rel}.${ext}`), path.join(dir, `${rel}.${ext}`));
    }
    expect((await readPtbxl(csv)).map((x) => [x.recordName, x.samplingRate])).toEqual([
      ['00001_hr', 500],
      ['00002_lr', 100],
      ['00003_hr', 500],
    ]);
    expect((await readPtbxl(csv, { rate: 100 })).map((x) => x.recordName)).toEqual(['00001_lr', '00002_lr', '00003_hr']);
    const ws = openWorkspace(path.join(tmp, 'ws-mixed'));
    const r = await ingestPaths(ws, [dir], { readers: READERS });
    // Every present file is the index's companion: none is ingested again as a plain WFDB record.
    expect(r).toMatchObject({ newRecords: 3, duplicates: 0, quarantined: [] });
  });

  it('a folder with none of the rows present is quarantined with the count in the warnings', async () => {
    const csv = partialFolder('empty', [], []);
    const ws = openWorkspace(path.join(tmp, 'ws-empty'));
    const r = await ingestPaths(ws, [path.dirname(csv)], { readers: READERS });
    expect(r.newRecords).toBe(0);
    expect(r.quarantined).toEqual([{ path: csv, reason: 'ptbxl_database.csv: no ECG records in file' }]);
    expect(r.warnings[0]).toMatch(/^ptbxl_database\.csv: 353 of 353 rows have no record files here/);
  });
});

describe('a synthetic 22,000-row index with a partial folder', () => {
  it('reads the index row by row and takes in the 5 present records', async () => {
    const dir = path.join(tmp, 'synthetic');
    const header = indexText.split(/\r?\n/)[0];
    const template = parseCsvRecords(indexText, 'x').rows[0];
    const columns = header.split(',');
    const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
    const lines = [header];
    for (let id = 1; id <= 22_000; id++) {
      const folder = String(Math.floor(id / 1000) * 1000).padStart(5, '0');
      const row: Record<string, string> = {
        ...template,
        ecg_id: String(id),
        patient_id: `${10_000 + (id % 7000)}.0`,
        filename_lr: `records100/${folder}/${String(id).padStart(5, '0')}_lr`,
        filename_hr: `records500/${folder}/${String(id).padStart(5, '0')}_hr`,
      };
      lines.push(columns.map((c) => quote(row[c])).join(','));
    }
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'ptbxl_database.csv'), lines.join('\r\n') + '\r\n');
    fs.copyFileSync(dataPath('ptbxl', 'scp_statements.csv'), path.join(dir, 'scp_statements.csv'));
    // Five rows get a file: real 100 Hz records renamed to the row's name (the header's record name follows).
    const present = [3, 999, 1000, 12_345, 22_000];
    present.forEach((id, k) => {
      const name = `${String(id).padStart(5, '0')}_lr`;
      const to = path.join(dir, 'records100', String(Math.floor(id / 1000) * 1000).padStart(5, '0'));
      fs.mkdirSync(to, { recursive: true });
      const src = rows[k].filename_lr;
      const srcName = src.split('/').pop()!;
      fs.writeFileSync(path.join(to, `${name}.hea`), fs.readFileSync(dataPath('ptbxl', `${src}.hea`), 'latin1').replaceAll(srcName, name));
      fs.copyFileSync(dataPath('ptbxl', `${src}.dat`), path.join(to, `${name}.dat`));
    });
    const ws = openWorkspace(path.join(tmp, 'ws-synthetic'));
    const r = await ingestPaths(ws, [dir], { readers: READERS });
    expect(r).toMatchObject({ newRecords: 5, quarantined: [] });
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/^ptbxl_database\.csv: 21995 of 22000 rows have no record files here \(ecg_id 1, 2, 4, 5,/);
    const names = r.recordIds.map((id) => getRecordSignal(ws.db, id)!.recordName);
    expect(names).toEqual(present.map((id) => `${String(id).padStart(5, '0')}_lr`));
    expect(getRecordSignal(ws.db, r.recordIds[3])!.patientId).toBe(String(10_000 + (12_345 % 7000)));
  });
});
