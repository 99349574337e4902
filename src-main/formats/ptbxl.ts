// PTB-XL dataset reader: ptbxl_database.csv (+ scp_statements.csv) -> one EcgRecord per row.
//
// By default each row is read from its 500 Hz record (`filename_hr`); `{ rate: 100 }` reads the
// 100 Hz `filename_lr` record instead. Labels: every scp_codes entry as vocabulary 'SCP' (with its
// likelihood and description), plus from scp_statements.csv: 'PTBXL-superclass' (diagnostic_class,
// e.g. NORM/MI/STTC/CD/HYP) and 'PTBXL-subclass' (diagnostic_subclass) for diagnostic statements,
// each with the highest likelihood of the statements mapping to it, and 'PTBXL-form' /
// 'PTBXL-rhythm' for statements flagged as form or rhythm.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { EcgRecord, SourceLabel } from '../../src-shared/record.ts';
import { parseCsvRecords } from './csv.ts';
import { FormatError } from './format-error.ts';
import type { EcgFileReader } from './reader.ts';
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
  if (!s.startsWith('{') || !s.endsWith('}')) throw new FormatError(`${where}: scp_codes '${s.slice(0, 60)}' is not a {'CODE': likelihood} dict`);
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
  return new Map(rows.map((r) => [r[key].trim(), {
    description: r.description,
    diagnostic: flag(r.diagnostic),
    form: flag(r.form),
    rhythm: flag(r.rhythm),
    superclass: r.diagnostic_class.trim(),
    subclass: r.diagnostic_subclass.trim(),
  }]));
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
  return [...labels, ...derived.values()];
}

const MAPPED = new Set(['patient_id', 'age', 'sex', 'recording_date', 'scp_codes', 'filename_lr', 'filename_hr']);

function indexRows(text: string, csvPath: string): Record<string, string>[] {
  const { columns, rows } = parseCsvRecords(text, csvPath);
  for (const c of PTBXL_COLUMNS) {
    if (!columns.includes(c)) throw new FormatError(`${csvPath}: column '${c}' is missing (not a PTB-XL ptbxl_database.csv)`);
  }
  return rows;
}

/** Read every row of a PTB-XL database index. Throws FormatError naming the row on any bad record. */
export async function readPtbxl(csvPath: string, options: PtbxlOptions = {}): Promise<EcgRecord[]> {
  const dir = path.dirname(csvPath);
  const rows = indexRows(await readText(csvPath, 'PTB-XL database index'), csvPath);
  const statements = await readStatements(dir);
  const fileColumn = options.rate === 100 ? 'filename_lr' : 'filename_hr';
  const records: EcgRecord[] = [];
  for (const row of rows) {
    const where = `${csvPath}: ecg_id ${row.ecg_id}`;
    const rec = await readWfdbRecord(path.join(dir, `${row[fileColumn]}.hea`));
    const codes = parseScpCodes(row.scp_codes, where);
    const attributes: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(row)) {
      const t = v.trim();
      if (MAPPED.has(k) || t === '') continue;
      attributes[k] = /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : t;
    }
    const out: EcgRecord = { ...rec, format: 'ptbxl', labels: ptbxlLabels(codes, statements), attributes };
    const pid = row.patient_id.trim();
    if (pid !== '') out.patientId = String(Number(pid));
    const age = Number(row.age);
    // PTB-XL writes 300 for ages above 89.
    if (row.age.trim() !== '' && Number.isFinite(age)) {
      out.age = age >= 300 ? 90 : age;
      if (age >= 300) attributes.age_over_89 = 1;
    }
    if (row.sex.trim() === '0') out.sex = 'M';
    else if (row.sex.trim() === '1') out.sex = 'F';
    const date = row.recording_date.trim();
    if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(date)) out.startTime = date.replace(' ', 'T');
    records.push(out);
  }
  return records;
}

/** WFDB files of every row (both rates where present) and scp_statements.csv. */
export async function ptbxlCompanions(csvPath: string): Promise<string[]> {
  const dir = path.dirname(csvPath);
  const rows = indexRows(await readText(csvPath, 'PTB-XL database index'), csvPath);
  const out = [path.join(dir, 'scp_statements.csv')];
  for (const row of rows) {
    const hr = path.join(dir, row.filename_hr);
    out.push(`${hr}.hea`, `${hr}.dat`);
    const lr = path.join(dir, row.filename_lr);
    if (await stat(`${lr}.hea`).then(() => true, () => false)) out.push(`${lr}.hea`, `${lr}.dat`);
  }
  return out;
}

/** True when `head` starts with a PTB-XL database index header row. */
function isPtbxlIndex(head: Uint8Array): boolean {
  const first = new TextDecoder().decode(head).replace(/^\uFEFF/, '').split(/\r?\n/)[0];
  const columns = new Set(first.split(',').map((c) => c.trim()));
  return PTBXL_COLUMNS.every((c) => columns.has(c));
}

export const ptbxlReader: EcgFileReader = {
  format: 'ptbxl',
  detect: (head) => isPtbxlIndex(head),
  companions: ptbxlCompanions,
  read: (filePath) => readPtbxl(filePath),
};
