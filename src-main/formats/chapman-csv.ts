// Chapman-Shaoxing original layout (Zheng et al. 2020): one CSV per record (500 Hz, 12 leads in the
// standard order, microvolts, optional lead-name header row) plus Diagnostics.xlsx with rhythm and
// condition acronyms, age, sex and MUSE measurements per FileName.
import { access, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { STANDARD_LEADS, canonicalLeadName } from '../../src-shared/record.ts';
import type { EcgRecord, LeadSignal, SourceLabel } from '../../src-shared/record.ts';
import { FormatError } from './format-error.ts';
import { printable } from './printable.ts';
import type { EcgFileReader } from './reader.ts';
import { readFirstSheet } from './xlsx.ts';

const SAMPLING_RATE = 500;
/** Stored as integer nanovolts-per-microvolt steps: the CSVs carry up to 4 decimals of a microvolt. */
const GAIN = 1000;
const MAX_ROWS = 10_000_000;

/** Chapman acronyms with an unambiguous SNOMED CT concept (from the dataset's ConditionNames_SNOMED-CT table;
 * fascicular blocks, 'interior differences conduction' and wandering rhythms are left unmapped). */
const SNOMED: Record<string, string> = {
  SB: '426177001',
  SR: '426783006',
  AFIB: '164889003',
  ST: '427084000',
  AF: '164890007',
  SA: '427393009',
  SI: '427393009',
  SVT: '426761007',
  AT: '713422000',
  AVNRT: '233896004',
  AVRT: '233897008',
  '1AVB': '270492004',
  '2AVB': '195042002',
  '2AVB1': '54016002',
  '2AVB2': '28189009',
  '3AVB': '27885002',
  ABI: '251173003',
  ALS: '39732003',
  APB: '284470004',
  AQW: '164917005',
  ARS: '47665007',
  AVB: '233917008',
  CCR: '251199005',
  CR: '251198002',
  ERV: '428417006',
  FQRS: '164942001',
  IVB: '698252002',
  JEB: '426995002',
  JPT: '251164006',
  LBBB: '164909002',
  LVH: '164873001',
  LVQRSAL: '251146004',
  LVQRSCL: '251148003',
  LVQRSLL: '251147008',
  MI: '164865005',
  MIBW: '164865005',
  MIFW: '164865005',
  MILW: '164865005',
  MISW: '164865005',
  PRIE: '164947007',
  PWC: '164912004',
  QTIE: '111975006',
  RAH: '446358003',
  RBBB: '59118001',
  RVH: '89792004',
  STDD: '429622005',
  STE: '164930006',
  STTC: '428750005',
  STTU: '164931005',
  TWC: '164934002',
  TWO: '59931005',
  UW: '164937009',
  VB: '11157007',
  VEB: '75532003',
  VFW: '13640000',
  VPB: '17338001',
  VPE: '195060002',
  VET: '251180001',
  WPW: '74390002',
};

const NUMBER = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/** The lead order named by a header row, or undefined when the row is not 12 standard lead names. */
function headerLeads(cells: string[]): string[] | undefined {
  if (cells.length !== 12) return undefined;
  const names = cells.map((c) => canonicalLeadName(c.replace(/"/g, '')));
  return names.every((n) => (STANDARD_LEADS as readonly string[]).includes(n)) && new Set(names).size === 12 ? names : undefined;
}

/** True for a .csv whose complete lines in `head` are 12 numbers each (after an optional lead-name header). */
export function looksLikeChapmanCsv(head: Uint8Array, filePath: string): boolean {
  if (!/\.csv$/i.test(filePath)) return false;
  const lines = new TextDecoder().decode(head).split(/\r?\n/);
  if (head.length >= 4096) lines.pop(); // the last line may be cut off
  const rows = lines.filter((l) => l.trim() !== '').map((l) => l.split(','));
  if (rows.length > 0 && headerLeads(rows[0])) rows.shift();
  return rows.length >= 2 && rows.every((r) => r.length === 12 && r.every((c) => NUMBER.test(c)));
}

function parseCsv(text: string, where: string): { names: string[]; digital: Int32Array[] } {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  let first = 0;
  let names: string[] = [...STANDARD_LEADS];
  const header = lines.length > 0 ? headerLeads(lines[0].split(',')) : undefined;
  if (header) {
    names = header;
    first = 1;
  }
  const n = lines.length - first;
  if (n <= 0) throw new FormatError(`${where}: no sample rows`);
  if (n > MAX_ROWS) throw new FormatError(`${where}: ${n} rows is more than ${MAX_ROWS}`);
  const digital = names.map(() => new Int32Array(n));
  for (let i = 0; i < n; i++) {
    const cells = lines[first + i].split(',');
    if (cells.length !== 12) throw new FormatError(`${where}: line ${first + i + 1} has ${cells.length} columns, expected 12`);
    for (let j = 0; j < 12; j++) {
      const v = NUMBER.test(cells[j]) ? Math.round(Number(cells[j]) * GAIN) : NaN;
      if (!Number.isFinite(v) || Math.abs(v) > 2 ** 31 - 1) {
        throw new FormatError(`${where}: line ${first + i + 1} column ${j + 1} '${printable(cells[j], 20)}' is not a microvolt value`);
      }
      digital[j][i] = v;
    }
  }
  return { names, digital };
}

interface Diagnostics {
  header: string[];
  byFile: Map<string, string[]>;
}

const diagnosticsCache = new Map<string, { key: string; value: Diagnostics }>();

/** Diagnostics.xlsx rows keyed by FileName, cached per file version (it is shared by ~10 000 records). */
async function loadDiagnostics(file: string): Promise<Diagnostics> {
  const s = await stat(file);
  const key = `${s.size}:${s.mtimeMs}`;
  const hit = diagnosticsCache.get(file);
  if (hit && hit.key === key) return hit.value;
  const rows = readFirstSheet(await readFile(file), path.basename(file));
  const header = rows[0] ?? [];
  const col = header.indexOf('FileName');
  if (col < 0) throw new FormatError(`${path.basename(file)}: no FileName column in the first row`);
  const byFile = new Map(rows.slice(1).map((r) => [r[col], r] as const));
  const value = { header, byFile };
  diagnosticsCache.set(file, { key, value });
  return value;
}

/** Acronym -> full name from RhythmNames.xlsx / ConditionNames.xlsx (acronym and name columns in either order). */
async function loadNames(files: string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const file of files) {
    for (const row of readFirstSheet(await readFile(file), path.basename(file)).slice(1)) {
      const [a, b] = row.map((c) => c.trim());
      if (!a || !b) continue;
      const isAcronym = (s: string) => /^[A-Z0-9]+$/.test(s);
      if (isAcronym(a) && !isAcronym(b)) names.set(a, b);
      else if (isAcronym(b) && !isAcronym(a)) names.set(b, a);
    }
  }
  return names;
}

const exists = (f: string) =>
  access(f).then(
    () => true,
    () => false,
  );

/** Metadata workbooks beside the CSV or one folder up (the original ECGData/ + Diagnostics.xlsx layout). */
async function metadataFiles(csvPath: string): Promise<{ diagnostics?: string; names: string[] }> {
  for (const dir of [path.dirname(csvPath), path.dirname(path.dirname(csvPath))]) {
    const diagnostics = path.join(dir, 'Diagnostics.xlsx');
    if (!(await exists(diagnostics))) continue;
    const names: string[] = [];
    for (const n of ['RhythmNames.xlsx', 'ConditionNames.xlsx']) if (await exists(path.join(dir, n))) names.push(path.join(dir, n));
    return { diagnostics, names };
  }
  return { names: [] };
}

function labelsFor(acronyms: string[], names: Map<string, string>): SourceLabel[] {
  const labels: SourceLabel[] = [];
  for (const code of acronyms) {
    const name = names.get(code);
    labels.push({ vocabulary: 'Chapman', code, ...(name ? { name } : {}) });
  }
  for (const code of acronyms) {
    const snomed = SNOMED[code];
    if (snomed && !labels.some((l) => l.vocabulary === 'SNOMED' && l.code === snomed)) {
      labels.push({ vocabulary: 'SNOMED', code: snomed, ...(names.get(code) ? { name: names.get(code) } : {}) });
    }
  }
  return labels;
}

export async function readChapmanCsv(filePath: string): Promise<EcgRecord> {
  const where = path.basename(filePath);
  const recordName = path.basename(filePath, path.extname(filePath));
  const { names: leadNames, digital } = parseCsv(await readFile(filePath, 'utf8'), where);
  const leads: LeadSignal[] = leadNames.map((name, i) => ({ name, units: 'uV', gain: GAIN, baseline: 0, digital: digital[i] }));
  const record: EcgRecord = {
    format: 'chapman-csv',
    recordName,
    samplingRate: SAMPLING_RATE,
    length: digital[0].length,
    leads,
    labels: [],
    attributes: {},
  };
  const meta = await metadataFiles(filePath);
  if (!meta.diagnostics) return record;
  const diag = await loadDiagnostics(meta.diagnostics);
  const row = diag.byFile.get(recordName);
  if (!row) return record;
  const cell = (name: string) => row[diag.header.indexOf(name)]?.trim() ?? '';
  const acronyms = [cell('Rhythm'), ...cell('Beat').split(/\s+/)].filter((c) => c !== '' && c !== 'NONE');
  record.labels = labelsFor(acronyms, await loadNames(meta.names));
  const age = Number(cell('PatientAge'));
  if (cell('PatientAge') !== '' && Number.isFinite(age) && age >= 0) record.age = age;
  const gender = cell('Gender').toUpperCase();
  if (gender === 'MALE' || gender === 'FEMALE') record.sex = gender === 'MALE' ? 'M' : 'F';
  diag.header.forEach((h, i) => {
    if (['FileName', 'Rhythm', 'Beat', 'PatientAge', 'Gender'].includes(h) || !h) return;
    const v = Number(row[i]);
    if (row[i] !== undefined && row[i] !== '' && Number.isFinite(v)) record.attributes[`chapman.${h}`] = v;
  });
  return record;
}

export const chapmanCsvReader: EcgFileReader = {
  format: 'chapman-csv',
  detect: (head, filePath) => looksLikeChapmanCsv(head, filePath),
  async companions(filePath) {
    const meta = await metadataFiles(filePath);
    return meta.diagnostics ? [meta.diagnostics, ...meta.names] : [];
  },
  async read(filePath) {
    return [await readChapmanCsv(filePath)];
  },
};
