// PTB-XL dataset reader: ptbxl_database.csv (+ scp_statements.csv) -> one EcgRecord per row.
//
// By default each row is read from its 500 Hz record (`filename_hr`); `{ rate: 100 }` reads the
// 100 Hz `filename_lr` record instead. Labels: every scp_codes entry as vocabulary 'SCP' (with its
// likelihood and description), plus from scp_statements.csv: 'PTBXL-superclass' (diagnostic_class,
// e.g. NORM/MI/STTC/CD/HYP) and 'PTBXL-subclass' (diagnostic_subclass) for diagnostic statements,
// each with the highest likelihood of the statements mapping to it, and 'PTBXL-form' /
// 'PTBXL-rhythm' for statements flagged as form or rhythm, and 'SNOMED' for statements with a clear SNOMED CT concept
// (formats/ptbxl-snomed.ts). A row whose record is there at one rate only is read at
// that rate; rows without files are counted, not refused (partial downloads, some folds, records100 only).
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { EcgRecord, SourceLabel } from '../../src-shared/record.ts';
import { parseCsvRecords, readCsvFileRecords } from './csv.ts';
import { FormatError } from './format-error.ts';
import type { EcgFileReader } from './reader.ts';
import { ptbxlSnomed } from './ptbxl-snomed.ts';
import { readWfdbRecord } from './wfdb-record.ts';

export interface PtbxlOptions {
  rate?: 500 | 100;
}

interface ScpStatement {
  description: string;
  diagnostic: boolean;
  form: boolean;
  rhythm: boolean;
  superclass: string;
  subclass: string;
}

export const PTBXL_COLUMNS = ['ecg_id', 'patient_id', 'scp_codes', 'strat_fold', 'filename_lr', 'filename_hr'];

/** Parse a scp_codes cell such as `{'NORM': 100.0, 'SR': 0.0}`. */
export function parseScpCodes(cell: string, where: string): { code: string; likelihood: number }[] {
  const s = cell.trim();
  if (!s.startsWith('{') || !s.endsWith('}'))
    throw new FormatError(`${where}: scp_codes '${s.slice(0, 60)}' is not a {'CODE': likelihood} dict`);
  const body = s.slice(1, -1).trim();
  if (body === '') return [];
  return body.split(',').map((entry) => {
    const m = /^\s*'([^']+)'\s*:\s*([-+\d.eE]+)\s*$/.exec(entry);
    if (!m || !Number.isFinite(Number(m[2]))) throw new FormatError(`${where}: scp_codes entry '${entry.trim()}' is malformed`);
    return { code: m[1], likelihood: Number(m[2]) };
  });
}

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    throw new FormatError(`${file}: cannot read ${what}`);
  }
}

async function readStatements(dir: string): Promise<Map<string, ScpStatement>> {
  const file = path.join(dir, 'scp_statements.csv');
  const { columns, rows } = parseCsvRecords(await readText(file, 'PTB-XL scp_statements.csv'), file);
  const key = columns[0];
  for (const c of ['description', 'diagnostic', 'form', 'rhythm', 'diagnostic_class', 'diagnostic_subclass']) {
    if (!columns.includes(c)) throw new FormatError(`${file}: column '${c}' is missing`);
  }
  const flag = (v: string) => v.trim() !== '' && Number(v) === 1;
  return new Map(
    rows.map((r) => [
      r[key].trim(),
      {
        description: r.description,
        diagnostic: flag(r.diagnostic),
        form: flag(r.form),
        rhythm: flag(r.rhythm),
        superclass: r.diagnostic_class.trim(),
        subclass: r.diagnostic_subclass.trim(),
      },
    ]),
  );
}

function ptbxlLabels(codes: { code: string; likelihood: number }[], statements: Map<string, ScpStatement>): SourceLabel[] {
  const labels: SourceLabel[] = [];
  const derived = new Map<string, SourceLabel>();
  const add = (vocabulary: string, code: string, likelihood: number) => {
    const k = `${vocabulary}\0${code}`;
    const prev = derived.get(k);
    if (!prev) derived.set(k, { vocabulary, code, likelihood });
    else if ((prev.likelihood ?? 0) < likelihood) prev.likelihood = likelihood;
  };
  for (const { code, likelihood } of codes) {
    const st = statements.get(code);
    labels.push(st ? { vocabulary: 'SCP', code, name: st.description, likelihood } : { vocabulary: 'SCP', code, likelihood });
    if (!st) continue;
    if (st.diagnostic && st.superclass) add('PTBXL-superclass', st.superclass, likelihood);
    if (st.diagnostic && st.subclass) add('PTBXL-subclass', st.subclass, likelihood);
    if (st.form) add('PTBXL-form', code, likelihood);
    if (st.rhythm) add('PTBXL-rhythm', code, likelihood);
  }
  // The SNOMED concept of every mapped statement, whatever its likelihood (rhythm and form statements carry 0).
  for (const { code, likelihood } of codes) {
    const snomed = ptbxlSnomed(code);
    if (snomed) add('SNOMED', snomed, likelihood);
  }
  return [...labels, ...derived.values()];
}

const MAPPED = new Set(['patient_id', 'age', 'sex', 'recording_date', 'scp_codes', 'filename_lr', 'filename_hr']);

/** Rows listed and leaving out per kind of problem, in the warning lines of the read. */
const LISTED_PROBLEMS = 20;

/**
 * Which files exist, one directory listing per records folder (PTB-XL keeps 1000 records per folder): asking 22k rows
 * costs 22 readdirs instead of 88k stats.
 */
class FolderListing {
  private readonly folders = new Map<string, Set<string>>();

  has(file: string): boolean {
    const dir = path.dirname(file);
    let names = this.folders.get(dir);
    if (names === undefined) {
      try {
        names = new Set(readdirSync(dir));
      } catch {
        names = new Set();
      }
      this.folders.set(dir, names);
    }
    return names.has(path.basename(file));
  }
}

/** The row's record at the wanted rate, or at the other rate when only that one is present (partial downloads). */
function rowRecordPath(dir: string, row: Record<string, string>, options: PtbxlOptions, files: FolderListing): string | undefined {
  const order = options.rate === 100 ? [row.filename_lr, row.filename_hr] : [row.filename_hr, row.filename_lr];
  for (const name of order) {
    const base = path.join(dir, name.trim());
    if (name.trim() !== '' && files.has(`${base}.hea`) && files.has(`${base}.dat`)) return `${base}.hea`;
  }
  return undefined;
}

function checkColumns(csvPath: string): (columns: string[]) => void {
  return (columns) => {
    for (const c of PTBXL_COLUMNS) {
      if (!columns.includes(c)) throw new FormatError(`${csvPath}: column '${c}' is missing (not a PTB-XL ptbxl_database.csv)`);
    }
  };
}

function rowToRecord(rec: EcgRecord, row: Record<string, string>, statements: Map<string, ScpStatement>, where: string): EcgRecord {
  const codes = parseScpCodes(row.scp_codes, where);
  const attributes: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(row)) {
    const t = v.trim();
    if (MAPPED.has(k) || t === '') continue;
    attributes[k] = /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : t;
  }
  const out: EcgRecord = { ...rec, format: 'ptbxl', labels: ptbxlLabels(codes, statements), attributes };
  const pid = (row.patient_id ?? '').trim();
  if (pid !== '') out.patientId = String(Number(pid));
  const ageCell = (row.age ?? '').trim();
  const age = Number(ageCell);
  // PTB-XL writes 300 for ages above 89.
  if (ageCell !== '' && Number.isFinite(age)) {
    out.age = age >= 300 ? 90 : age;
    if (age >= 300) attributes.age_over_89 = 1;
  }
  const sex = (row.sex ?? '').trim();
  if (sex === '0') out.sex = 'M';
  else if (sex === '1') out.sex = 'F';
  const date = (row.recording_date ?? '').trim();
  if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(date)) out.startTime = date.replace(' ', 'T');
  return out;
}

/**
 * The records of a PTB-XL index that are present, one at a time: the index is read row by row and each record is
 * read when its turn comes, so memory holds one row and one record, not the dataset. Rows whose files are absent (a
 * partial download, some folds, one rate only) are counted and reported through `warn` in one line; a row that cannot
 * be read (bad scp_codes, a damaged record) is left out with its reason. Throws FormatError only for the index as a
 * whole (a missing column, an unterminated quote, a missing scp_statements.csv).
 */
export async function* ptbxlRecords(
  csvPath: string,
  options: PtbxlOptions = {},
  warn: (line: string) => void = () => {},
): AsyncGenerator<EcgRecord> {
  const dir = path.dirname(csvPath);
  const statements = await readStatements(dir);
  const files = new FolderListing();
  let rows = 0;
  const absent: string[] = [];
  const failed: string[] = [];
  const rowsIn = readCsvFileRecords(csvPath, { onColumns: checkColumns(csvPath), onBadRow: (reason) => failed.push(reason) });
  try {
    for await (const row of rowsIn) {
      rows++;
      const where = `ecg_id ${row.ecg_id}`;
      const hea = rowRecordPath(dir, row, options, files);
      if (hea === undefined) {
        absent.push(row.ecg_id);
        continue;
      }
      let out: EcgRecord;
      try {
        out = rowToRecord(await readWfdbRecord(hea), row, statements, where);
      } catch (e) {
        if (!(e instanceof FormatError)) throw e;
        const reason = e.message.replaceAll(`${dir}${path.sep}`, '').split('\n')[0];
        failed.push(reason.startsWith(where) ? reason : `${where}: ${reason}`);
        continue;
      }
      yield out;
    }
  } finally {
    // Reported even when the read stops early, so what was left out is never silent.
    if (absent.length > 0) {
      const shown = absent.slice(0, LISTED_PROBLEMS).join(', ');
      warn(
        `${absent.length} of ${rows} rows have no record files here (ecg_id ${shown}${absent.length > LISTED_PROBLEMS ? ', …' : ''}); their labels were not taken in`,
      );
    }
    for (const f of failed.slice(0, LISTED_PROBLEMS)) warn(`row left out: ${f}`);
    if (failed.length > LISTED_PROBLEMS) warn(`${failed.length - LISTED_PROBLEMS} more rows left out for the same kinds of reasons`);
  }
}

/** Every present record of a PTB-XL index, collected (tests and small indexes; ingest streams). */
export async function readPtbxl(csvPath: string, options: PtbxlOptions = {}, warn?: (line: string) => void): Promise<EcgRecord[]> {
  const records: EcgRecord[] = [];
  for await (const r of ptbxlRecords(csvPath, options, warn)) records.push(r);
  return records;
}

/** scp_statements.csv and the WFDB files of every row that are present (both rates). */
export async function ptbxlCompanions(csvPath: string): Promise<string[]> {
  const dir = path.dirname(csvPath);
  const files = new FolderListing();
  const out = [path.join(dir, 'scp_statements.csv')];
  for await (const row of readCsvFileRecords(csvPath, { onColumns: checkColumns(csvPath), onBadRow: () => {} })) {
    for (const name of [row.filename_hr, row.filename_lr]) {
      const base = path.join(dir, name.trim());
      if (name.trim() === '') continue;
      for (const f of [`${base}.hea`, `${base}.dat`]) if (files.has(f)) out.push(f);
    }
  }
  return out;
}

/** True when `head` starts with a PTB-XL database index header row. */
function isPtbxlIndex(head: Uint8Array): boolean {
  const first = new TextDecoder()
    .decode(head)
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)[0];
  const columns = new Set(first.split(',').map((c) => c.trim()));
  return PTBXL_COLUMNS.every((c) => columns.has(c));
}

export const ptbxlReader: EcgFileReader = {
  format: 'ptbxl',
  detect: (head) => isPtbxlIndex(head),
  companions: ptbxlCompanions,
  read: (filePath) => readPtbxl(filePath),
  stream: (filePath, warn) => ptbxlRecords(filePath, {}, warn),
};
