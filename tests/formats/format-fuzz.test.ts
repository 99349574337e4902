// Seeded fuzzing of every registered reader with corrupted copies of real files: each read must return
// well-formed records or throw a one-line error (never a TypeError/RangeError crash or a multi-line message).
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EcgRecord } from '../../src-shared/record.ts';
import type { EcgFileReader } from '../../src-main/formats/reader.ts';
import { READERS, detectReader } from '../../src-main/formats/readers.ts';
import { SHARED_DATA, dataPath } from '../helpers/shared-data.ts';
import { seededRandom } from '../../src-shared/seeded-random.ts';

/** FUZZ_ITERATIONS=1000 for a deeper local hunt; CI uses the default. */
const ITERATIONS_PER_SEED = Number(process.env.FUZZ_ITERATIONS) || 40;
const CRASH_NAMES = new Set(['TypeError', 'RangeError', 'ReferenceError', 'SyntaxError', 'EvalError', 'URIError', 'InternalError']);

type Mutation = { name: string; apply(b: Buffer, r: () => number): Buffer };
const int = (r: () => number, n: number) => Math.floor(r() * n);

const MUTATIONS: Mutation[] = [
  { name: 'truncate', apply: (b, r) => b.subarray(0, int(r, b.length)) },
  { name: 'empty', apply: () => Buffer.alloc(0) },
  {
    name: 'flip-bytes',
    apply: (b, r) => {
      const out = Buffer.from(b);
      for (let k = 1 + int(r, 20); k > 0 && out.length > 0; k--) out[int(r, out.length)] ^= 1 << int(r, 8);
      return out;
    },
  },
  {
    name: 'flip-head-bytes',
    apply: (b, r) => {
      const out = Buffer.from(b);
      const n = Math.min(out.length, 1024);
      for (let k = 1 + int(r, 6); k > 0 && n > 0; k--) out[int(r, n)] = int(r, 256);
      return out;
    },
  },
  {
    name: 'random-range',
    apply: (b, r) => {
      const out = Buffer.from(b);
      const start = int(r, out.length);
      const end = Math.min(out.length, start + 1 + int(r, 512));
      for (let i = start; i < end; i++) out[i] = int(r, 256);
      return out;
    },
  },
  { name: 'random-bytes', apply: (b, r) => Buffer.from(Array.from({ length: 1 + int(r, Math.max(1, b.length)) }, () => int(r, 256))) },
  {
    name: 'huge-number',
    apply: (b, r) => {
      // Replace a digit run near the start (a declared length, count or rate) by an enormous or negative value.
      const text = b.subarray(0, 8192).toString('latin1');
      const runs = [...text.matchAll(/\d+/g)];
      const out = Buffer.from(b);
      if (runs.length === 0 || r() < 0.3) {
        const at = int(r, Math.max(1, Math.min(out.length - 4, 2048)));
        if (out.length >= 4) out.writeUInt32LE(r() < 0.5 ? 0xffffffff : 0x7fffffff, Math.max(0, at));
        return out;
      }
      const m = runs[int(r, runs.length)];
      const repl = ['99999999999', '-1', '0', '4294967295', '1e308', 'NaN'][int(r, 6)];
      return Buffer.concat([out.subarray(0, m.index!), Buffer.from(repl, 'latin1'), out.subarray(m.index! + m[0].length)]);
    },
  },
  {
    name: 'drop-lines',
    apply: (b, r) => {
      const lines = b.toString('latin1').split('\n');
      const start = int(r, lines.length);
      lines.splice(start, 1 + int(r, 20));
      return Buffer.from(lines.join('\n'), 'latin1');
    },
  },
  {
    name: 'drop-xml-element',
    apply: (b, r) => {
      const text = b.toString('utf8');
      const tags = [...text.matchAll(/<(\w+)[^>]*?(\/>|>)/g)];
      if (tags.length === 0) return b;
      const m = tags[int(r, tags.length)];
      const start = m.index!;
      let end = start + m[0].length;
      if (m[2] === '>') {
        const close = text.indexOf(`</${m[1]}>`, end);
        end = close < 0 ? end : close + m[1].length + 3;
      }
      return Buffer.from(text.slice(0, start) + text.slice(end), 'utf8');
    },
  },
];

interface Seed {
  /** Main file inside the seed's temporary folder. */
  main: string;
  /** Files the fuzzer may corrupt (the main file and copied companions). */
  targets: string[];
}

const root = mkdtempSync(path.join(os.tmpdir(), 'format-fuzz-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Copy a real file and the companions its reader asks for into a fresh folder, keeping relative paths. */
async function copySeed(name: string, source: string): Promise<Seed> {
  const reader = pickReader(new Uint8Array(readFileSync(source).subarray(0, 4096)), source);
  if (!reader) throw new Error(`no reader claims the seed ${source}`);
  const files = [source, ...(await reader.companions(source))];
  const base = commonDir(files);
  const dir = path.join(root, name);
  const copies = files.map((f) => {
    const to = path.join(dir, path.relative(base, f));
    mkdirSync(path.dirname(to), { recursive: true });
    copyFileSync(f, to);
    return to;
  });
  // Large companions (Chapman's 1 MB Diagnostics.xlsx) stay intact to keep this file fast; the same
  // zip/xlsx code is fuzzed through the small RhythmNames/ConditionNames workbooks.
  return { main: copies[0], targets: copies.filter((f, i) => i === 0 || statSync(f).size < 512 * 1024) };
}

function commonDir(files: string[]): string {
  let dir = path.dirname(files[0]);
  while (!files.every((f) => f.startsWith(dir + path.sep))) dir = path.dirname(dir);
  return dir;
}

/** A dataset index cut to its header and first `rows` rows, beside links to the dataset's record folders. */
function indexSeed(name: string, dataset: string, index: string, rows: number, links: string[]): Seed {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  // Keep whole CSV records: a quoted field may span lines, so a record ends where the quotes balance.
  const kept: string[] = [];
  let quotes = 0;
  let records = 0;
  for (const line of readFileSync(dataPath(dataset, index), 'utf8').split('\n')) {
    kept.push(line);
    quotes += line.split('"').length - 1;
    if (quotes % 2 === 0 && ++records > rows) break;
  }
  writeFileSync(path.join(dir, index), kept.join('\n') + '\n');
  for (const l of links) symlinkSync(dataPath(dataset, l), path.join(dir, l));
  return { main: path.join(dir, index), targets: [path.join(dir, index)] };
}

/** As the ingest walker chooses: by content, then by file ending. */
function pickReader(head: Uint8Array, file: string): EcgFileReader | undefined {
  return detectReader(head, file) ?? READERS.find((r) => r.extensions?.includes(path.extname(file).toLowerCase()));
}

/** What is wrong with a returned record, or undefined when it is well-formed. */
function recordProblem(rec: EcgRecord): string | undefined {
  if (!(rec.samplingRate > 0) || !Number.isFinite(rec.samplingRate)) return `sampling rate ${rec.samplingRate}`;
  if (!Number.isInteger(rec.length) || rec.length < 0) return `length ${rec.length}`;
  if (!Array.isArray(rec.leads) || rec.leads.length === 0) return 'no leads';
  for (const l of rec.leads) {
    if (!(l.digital instanceof Int16Array || l.digital instanceof Int32Array)) return `lead ${l.name} digital is not Int16/Int32`;
    if (l.digital.length !== rec.length) return `lead ${l.name} has ${l.digital.length} samples, record length ${rec.length}`;
    if (!Number.isFinite(l.gain) || l.gain === 0) return `lead ${l.name} gain ${l.gain}`;
    if (!Number.isFinite(l.baseline)) return `lead ${l.name} baseline ${l.baseline}`;
    if (typeof l.name !== 'string' || l.name === '') return 'lead without a name';
  }
  for (const set of rec.annotations ?? []) {
    if (set.annotations.some((a) => !Number.isInteger(a.sample))) return `annotation set ${set.annotator} has a non-integer sample`;
  }
  if (rec.age !== undefined && !Number.isFinite(rec.age)) return `age ${rec.age}`;
  if (!Array.isArray(rec.labels)) return 'labels is not an array';
  return undefined;
}

/** A problem with how a read ended, or undefined when it ended acceptably. */
async function readProblem(reader: EcgFileReader, file: string): Promise<string | undefined> {
  let records: EcgRecord[];
  try {
    records = await reader.read(file);
  } catch (e) {
    if (!(e instanceof Error)) return `threw a non-Error ${String(e).slice(0, 80)}`;
    if (CRASH_NAMES.has(e.name)) return `crashed with ${e.name}: ${e.message.split('\n')[0].slice(0, 160)}`;
    if (e.message.trim() === '') return 'threw an empty message';
    // Any line terminator (a quoted \r from a damaged file splits a log line too).
    if (/[\n\r\v\f\u0085\u2028\u2029]/.test(e.message)) return `multi-line message: ${JSON.stringify(e.message.slice(0, 160))}`;
    return undefined;
  }
  if (!Array.isArray(records)) return 'read did not return an array';
  for (const rec of records) {
    const p = recordProblem(rec);
    if (p) return `malformed record ${rec.recordName}: ${p}`;
  }
  return undefined;
}

const SEEDS: [string, () => Promise<Seed> | Seed][] = [
  ['wfdb-test01', () => copySeed('wfdb-test01', dataPath('formats', 'wfdb-python-sample-data', 'test01_00s.hea'))],
  ['wfdb-binformats', () => copySeed('wfdb-binformats', dataPath('formats', 'wfdb-python-sample-data', 'binformats.hea'))],
  ['wfdb-mat', () => copySeed('wfdb-mat', dataPath('formats', 'wfdb-python-sample-data', 'a103l.hea'))],
  ['cinc', () => copySeed('cinc', dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01', '010', 'JS00001.hea'))],
  ['ludb-index', () => indexSeed('ludb-index', 'ludb', 'ludb.csv', 2, ['data'])],
  ['ptbxl-index', () => indexSeed('ptbxl-index', 'ptbxl', 'ptbxl_database.csv', 2, ['records100', 'records500', 'scp_statements.csv'])],
  ['aecg-minimum', () => copySeed('aecg-minimum', dataPath('formats', 'hl7-aecg', 'fda', 'examples', 'minimum_aecg.xml'))],
  ['aecg-liryc', () => copySeed('aecg-liryc', dataPath('formats', 'hl7-aecg', 'liryc', 'exemple', 'hl7aecg_example.xml'))],
  [
    'aecg-subject',
    () =>
      copySeed(
        'aecg-subject',
        dataPath(
          'formats',
          'hl7-aecg',
          'fda',
          'ectd_example',
          'FDA000003',
          '0000',
          'm5',
          'datasets',
          'Test',
          'misc',
          'aecg',
          'subject1_0.xml',
        ),
      ),
  ],
  ['ge-muse', () => copySeed('ge-muse', dataPath('formats', 'ge-muse-xml', 'easyRecg', 'muse_ecg1.xml'))],
  ['philips-1.03', () => copySeed('philips-1.03', dataPath('formats', 'philips-sierraecg', 'examples', 'xml', '1_03', '129DYPRG.XML'))],
  [
    'philips-1.04.01-utf16',
    () =>
      copySeed('philips-1.04.01-utf16', dataPath('formats', 'philips-sierraecg', 'examples', 'xml', '1_04_01', '2020-5-18_15-48-11.xml')),
  ],
  ['dicom', () => copySeed('dicom', dataPath('formats', 'dicom', 'waveform_ecg.dcm'))],
  ['edf', () => copySeed('edf', dataPath('formats', 'edf', 'pyedflib', 'test_subsecond.edf'))],
  ['edf-plus', () => copySeed('edf-plus', dataPath('formats', 'wfdb-python-sample-data', 'test_generator_2.edf'))],
  ['bdf', () => copySeed('bdf', dataPath('formats', 'edf', 'pyedflib', 'test_generator_datarec_generator_2.bdf'))],
  ['chapman', () => copySeed('chapman', dataPath('formats', 'chapman-csv', 'MUSE_20180111_155115_19000.csv'))],
  ['scp-ecg', () => copySeed('scp-ecg', dataPath('formats', 'scp-ecg', 'ECG_20170504_163507_123456789.SCP'))],
  ['scp-ecg-pc80b', () => copySeed('scp-ecg-pc80b', dataPath('formats', 'scp-ecg', 'pc-80b', '1.SCP'))],
  ['ishne', () => copySeed('ishne', dataPath('formats', 'ishne', 'pyECG', 'ECG_P28.01.ecg'))],
];

describe('reader fuzzing', () => {
  it('has the shared data it fuzzes', () => {
    expect(readFileSync(path.join(SHARED_DATA, 'README.md'), 'utf8')).toMatch(/Real ECG data/);
  });

  for (const [name, make] of SEEDS) {
    it(`survives ${ITERATIONS_PER_SEED} corrupted variants of ${name}`, async () => {
      const seed = await make();
      const pristine = new Map(seed.targets.map((t) => [t, readFileSync(t)]));
      // The untouched copy must read: otherwise the fuzzing below would prove nothing.
      const original = pickReader(new Uint8Array(pristine.get(seed.main)!.subarray(0, 4096)), seed.main)!;
      expect(original, `a reader for ${name}`).toBeDefined();
      const records = await original.read(seed.main);
      expect(records.length).toBeGreaterThan(0);
      expect(records.map(recordProblem).filter(Boolean)).toEqual([]);

      const r = seededRandom([...name].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619), 2166136261));
      const problems: string[] = [];
      let claimed = 0;
      for (let i = 0; i < ITERATIONS_PER_SEED; i++) {
        const target = r() < 0.7 || seed.targets.length === 1 ? seed.main : seed.targets[1 + int(r, seed.targets.length - 1)];
        const mutation = MUTATIONS[int(r, MUTATIONS.length)];
        writeFileSync(target, mutation.apply(pristine.get(target)!, r));
        try {
          const head = new Uint8Array(readFileSync(seed.main).subarray(0, 4096));
          let reader: EcgFileReader | undefined;
          try {
            reader = pickReader(head, seed.main);
          } catch (e) {
            problems.push(`#${i} ${mutation.name} ${path.basename(target)}: detect crashed: ${(e as Error).message.split('\n')[0]}`);
            continue;
          }
          if (!reader) continue;
          claimed++;
          const p = await readProblem(reader, seed.main);
          if (p) problems.push(`#${i} ${mutation.name} ${path.basename(target)} [${reader.format}]: ${p}`);
        } finally {
          writeFileSync(target, pristine.get(target)!);
        }
      }
      expect(problems).toEqual([]);
      expect(claimed).toBeGreaterThan(ITERATIONS_PER_SEED / 4);
    });
  }

  it('gives every reader an empty file and random bytes without a crash', async () => {
    const dir = path.join(root, 'direct');
    mkdirSync(dir, { recursive: true });
    const r = seededRandom(7);
    const problems: string[] = [];
    for (const reader of READERS) {
      for (const [kind, bytes] of [
        ['empty', Buffer.alloc(0)],
        ['random', Buffer.from(Array.from({ length: 3000 }, () => int(r, 256)))],
      ] as const) {
        for (const ext of [...(reader.extensions ?? []), '.hea', '.csv', '.bin']) {
          const file = path.join(dir, `${kind}${ext}`);
          writeFileSync(file, bytes);
          const p = await readProblem(reader, file);
          if (p) problems.push(`${reader.format} ${kind}${ext}: ${p}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
