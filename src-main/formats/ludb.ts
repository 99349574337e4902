// LUDB (Lobachevsky University ECG database) reader: ludb.csv rows -> records from data/<ID>.hea
// with the per-lead delineation annotation sets (annotator = lead file extension 'i', 'ii', ...).
//
// Diagnoses: every line of every diagnosis column is a label with vocabulary 'LUDB' (code = the
// text as written, name = the column), plus a 'SNOMED' label where a clear SNOMED CT concept
// exists (codes as in the CinC 2021 dx_mapping tables).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { EcgRecord, SourceLabel } from '../../src-shared/record.ts';
import { parseCsvRecords } from './csv.ts';
import { FormatError } from './format-error.ts';
import type { EcgFileReader } from './reader.ts';
import { readAnnotationSets, readWfdbRecord } from './wfdb-record.ts';

export const LUDB_LEAD_ANNOTATORS = ['i', 'ii', 'iii', 'avr', 'avl', 'avf', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6'];
export const LUDB_COLUMNS = ['ID', 'Sex', 'Age', 'Rhythms', 'Electric axis of the heart'];

/** LUDB diagnosis text (lower case) -> SNOMED CT concept id. */
const SNOMED: Record<string, string> = {
  'sinus rhythm': '426783006',
  'sinus bradycardia': '426177001',
  'sinus tachycardia': '427084000',
  'sinus arrhythmia': '427393009',
  'atrial fibrillation': '164889003',
  'atrial flutter, typical': '164890007',
  'electric axis of the heart: left axis deviation': '39732003',
  'electric axis of the heart: right axis deviation': '47665007',
  'pacemaker presence, undefined': '10370003',
  'p-synchrony': '10370003',
  'unipolar ventricular pacing': '251266004',
  'bipolar ventricular pacing': '251266004',
  'biventricular pacing': '251266004',
  'unipolar atrial pacing': '251268003',
  'i degree av block': '270492004',
  'iii degree av-block': '27885002',
  'complete left bundle branch block': '733534002',
  'complete right bundle branch block': '713427006',
  'incomplete left bundle branch block': '251120003',
  'incomplete right bundle branch block': '713426002',
  'left anterior hemiblock': '445118002',
  'non-specific intravintricular conduction delay': '698252002',
  'left atrial hypertrophy': '446813000',
  'right atrial hypertrophy': '446358003',
  'left ventricular hypertrophy': '164873001',
  'right ventricular hypertrophy': '89792004',
};

/** SNOMED code for a LUDB diagnosis line; extrasystole and ischaemia lines map by their prefix. */
export function ludbSnomed(text: string): string | undefined {
  const t = text.trim().toLowerCase();
  if (SNOMED[t]) return SNOMED[t];
  if (t.startsWith('atrial extrasystole')) return '284470004';
  if (t.startsWith('ventricular extrasystole')) return '427172004';
  if (t.startsWith('ischemia:')) return '164861001';
  if (t.startsWith('non-specific repolarization abnormalities')) return '428750005';
  return undefined;
}

function ludbLabels(row: Record<string, string>): SourceLabel[] {
  const labels: SourceLabel[] = [];
  const seen = new Set<string>();
  for (const [column, cell] of Object.entries(row)) {
    if (column === 'ID' || column === 'Sex' || column === 'Age') continue;
    for (const line of cell.split(/\r?\n/)) {
      const text = line.trim();
      if (text === '') continue;
      labels.push({ vocabulary: 'LUDB', code: text, name: column });
      const code = ludbSnomed(text);
      if (code !== undefined && !seen.has(code)) {
        seen.add(code);
        labels.push({ vocabulary: 'SNOMED', code });
      }
    }
  }
  return labels;
}

async function readRows(csvPath: string): Promise<Record<string, string>[]> {
  let text: string;
  try {
    text = await readFile(csvPath, 'utf8');
  } catch {
    throw new FormatError(`${csvPath}: cannot read LUDB index`);
  }
  const { columns, rows } = parseCsvRecords(text, csvPath);
  for (const c of LUDB_COLUMNS) {
    if (!columns.includes(c)) throw new FormatError(`${csvPath}: column '${c}' is missing (not LUDB ludb.csv)`);
  }
  for (const r of rows) {
    if (!/^\d+$/.test(r.ID.trim())) throw new FormatError(`${csvPath}: record ID '${r.ID}' is not a number`);
  }
  return rows;
}

const headerOf = (csvPath: string, id: string) => path.join(path.dirname(csvPath), 'data', `${id.trim()}.hea`);

/** Read every LUDB record listed in ludb.csv. Throws FormatError naming the record on failure. */
export async function readLudb(csvPath: string): Promise<EcgRecord[]> {
  const records: EcgRecord[] = [];
  for (const row of await readRows(csvPath)) {
    const hea = headerOf(csvPath, row.ID);
    const rec = await readWfdbRecord(hea);
    const annotations = await readAnnotationSets(hea, LUDB_LEAD_ANNOTATORS);
    const out: EcgRecord = {
      ...rec,
      format: 'ludb',
      recordName: row.ID.trim(),
      labels: ludbLabels(row),
      annotations,
      attributes: { ...rec.attributes },
    };
    const sex = row.Sex.trim().toUpperCase();
    if (sex === 'M' || sex === 'F') out.sex = sex;
    const age = Number(row.Age.trim());
    if (row.Age.trim() !== '' && Number.isFinite(age)) out.age = age;
    records.push(out);
  }
  return records;
}

/** Header, signal and the 12 annotation files of every listed record. */
export async function ludbCompanions(csvPath: string): Promise<string[]> {
  return (await readRows(csvPath)).flatMap((row) => {
    const base = headerOf(csvPath, row.ID).replace(/\.hea$/, '');
    return [`${base}.hea`, `${base}.dat`, ...LUDB_LEAD_ANNOTATORS.map((a) => `${base}.${a}`)];
  });
}

/** True when `head` starts with the ludb.csv header row. */
function isLudbIndex(head: Uint8Array): boolean {
  const first = new TextDecoder()
    .decode(head)
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)[0];
  const columns = first.split(',').map((c) => c.trim());
  return LUDB_COLUMNS.every((c, i) => columns[i] === c);
}

export const ludbReader: EcgFileReader = {
  format: 'ludb',
  detect: (head) => isLudbIndex(head),
  companions: ludbCompanions,
  read: (filePath) => readLudb(filePath),
};
