// Corrupted variants of real files must give a one-line FormatError, never a crash or a partial record.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FormatError } from '../../src-main/formats/format-error.ts';
import { readLudb } from '../../src-main/formats/ludb.ts';
import { readMatV4 } from '../../src-main/formats/mat-v4.ts';
import { readPtbxl } from '../../src-main/formats/ptbxl.ts';
import { parseWfdbAnnotations } from '../../src-main/formats/wfdb-annotation.ts';
import { readWfdbRecord } from '../../src-main/formats/wfdb-record.ts';
import { dataPath } from '../helpers/shared-data.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'wfdb-corrupt-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const js = dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01', '010', 'JS00001');
const jsHea = readFileSync(`${js}.hea`, 'latin1');
const jsMat = readFileSync(`${js}.mat`);
const mit = dataPath('mitdb', '100');
const mitHea = readFileSync(`${mit}.hea`, 'latin1');
const mitDat = readFileSync(`${mit}.dat`);

/** Deterministic pseudo-random bytes. */
function noise(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** Write a record variant into its own folder; returns the header path. */
function variant(name: string, files: Record<string, string | Uint8Array>): string {
  const dir = path.join(tmp, name);
  for (const [f, content] of Object.entries(files)) writeFileSync(path.join(dir, f), content);
  return path.join(
    dir,
    Object.keys(files).find((f) => f.endsWith('.hea'))!,
  );
}

async function expectFormatError(p: Promise<unknown>, re: RegExp): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FormatError);
  const msg = (err as Error).message;
  expect(msg).toMatch(re);
  expect(msg).not.toContain('\n');
}

const mkdir = async (name: string): Promise<void> => {
  mkdirSync(path.join(tmp, name), { recursive: true });
};

async function record(name: string, files: Record<string, string | Uint8Array>): Promise<string> {
  await mkdir(name);
  return variant(name, files);
}

describe('corrupted CinC records (JS00001)', () => {
  it('truncated .mat', async () => {
    const h = await record('trunc-mat', { 'JS00001.hea': jsHea, 'JS00001.mat': jsMat.subarray(0, 60000) });
    await expectFormatError(readWfdbRecord(h), /JS00001\.mat is truncated: holds 2499 of 5000 frames/);
  });

  it('.mat cut inside its header', async () => {
    const h = await record('mat-header', { 'JS00001.hea': jsHea, 'JS00001.mat': jsMat.subarray(0, 10) });
    await expectFormatError(readWfdbRecord(h), /not a MATLAB v4 file \(10 bytes/);
  });

  it('empty .mat', async () => {
    const h = await record('empty-mat', { 'JS00001.hea': jsHea, 'JS00001.mat': new Uint8Array(0) });
    await expectFormatError(readWfdbRecord(h), /not a MATLAB v4 file \(0 bytes/);
  });

  it('random bytes as .mat', async () => {
    const h = await record('random-mat', { 'JS00001.hea': jsHea, 'JS00001.mat': noise(120024, 7) });
    await expectFormatError(readWfdbRecord(h), /not a MATLAB v4 file|MATLAB v4 header is malformed/);
  });

  it('flipped sample bytes fail the checksum', async () => {
    const bad = Uint8Array.from(jsMat);
    bad[24 + 2 * 12 * 100] ^= 0x10;
    const h = await record('flipped', { 'JS00001.hea': jsHea, 'JS00001.mat': bad });
    await expectFormatError(readWfdbRecord(h), /checksum mismatch for signal 0 \(I\): header 21756, data \d+/);
  });

  it('wrong nsig in the record line', async () => {
    const h = await record('nsig', { 'JS00001.hea': jsHea.replace('JS00001 12 500', 'JS00001 11 500'), 'JS00001.mat': jsMat });
    await expectFormatError(readWfdbRecord(h), /JS00001\.hea:\d+: header declares 11 signals but has 12 signal lines/);
  });

  it('header length longer than the data', async () => {
    const h = await record('length', { 'JS00001.hea': jsHea.replace('12 500 5000', '12 500 6000'), 'JS00001.mat': jsMat });
    await expectFormatError(readWfdbRecord(h), /truncated: holds 5000 of 6000 frames/);
  });

  it('format that does not match the .mat precision', async () => {
    const h = await record('mat-fmt', { 'JS00001.hea': jsHea.replaceAll('16+24', '32+24'), 'JS00001.mat': jsMat });
    await expectFormatError(readWfdbRecord(h), /holds MATLAB precision 3, header says WFDB format 32/);
  });

  it('missing signal file', async () => {
    const h = await record('missing', { 'JS00001.hea': jsHea });
    await expectFormatError(readWfdbRecord(h), /JS00001\.hea: file JS00001\.mat not found/);
  });

  it('empty header and random-byte header', async () => {
    await expectFormatError(readWfdbRecord(await record('empty-hea', { 'JS00001.hea': '' })), /no record line/);
    await expectFormatError(readWfdbRecord(await record('noise-hea', { 'JS00001.hea': noise(500, 3) })), /JS00001\.hea/);
  });

  it('comment merged into the last signal line', async () => {
    const merged = jsHea.replace(/V6\r?\n#Age/, 'V6 #Age');
    const h = await record('merged', { 'JS00001.hea': merged, 'JS00001.mat': jsMat });
    await expectFormatError(readWfdbRecord(h), /JS00001\.hea:13: line holds a '#' comment/);
  });
});

describe('corrupted MIT-BIH 100 (format 212)', () => {
  it('truncated .dat', async () => {
    const h = await record('trunc-dat', { '100.hea': mitHea, '100.dat': mitDat.subarray(0, 1000) });
    await expectFormatError(readWfdbRecord(h), /100\.dat is truncated: holds 333 of 650000 frames/);
  });

  it('truncated .dat with the length omitted fails its checksum', async () => {
    const noLen = mitHea.replace('100 2 360 650000', '100 2 360');
    const h = await record('trunc-nolen', { '100.hea': noLen, '100.dat': mitDat.subarray(0, 3000) });
    await expectFormatError(readWfdbRecord(h), /checksum mismatch for signal 0 \(MLII\)/);
  });

  it('random bytes as .dat', async () => {
    const h = await record('noise-dat', { '100.hea': mitHea, '100.dat': noise(mitDat.length, 11) });
    await expectFormatError(readWfdbRecord(h), /checksum mismatch/);
  });

  it('a format-212 file declared as FLAC (516) is refused as not a FLAC stream', async () => {
    const h = await record('flac', { '100.hea': mitHea.replaceAll(' 212 ', ' 516 '), '100.dat': mitDat });
    await expectFormatError(readWfdbRecord(h), /100\.dat: not a FLAC stream \(no 'fLaC' marker\)/);
  });

  it('random and truncated annotation files', () => {
    const atr = readFileSync(`${mit}.atr`);
    expect(() => parseWfdbAnnotations(atr.subarray(0, 1001), 'x.atr')).toThrow(/ends inside a word/);
    expect(() => parseWfdbAnnotations(new Uint8Array([0xff, 0xff, 0xff, 0xff]), 'x.atr')).toThrow(
      /truncated inside an AUX|invalid annotation code/,
    );
    let threw = 0;
    for (let seed = 1; seed <= 20; seed++) {
      try {
        parseWfdbAnnotations(noise(4000, seed), 'x.atr');
      } catch (e) {
        expect(e).toBeInstanceOf(FormatError);
        threw++;
      }
    }
    expect(threw).toBeGreaterThan(0);
  });
});

describe('garbage MATLAB files', () => {
  it('rejects non-v4 content and truncated matrices', () => {
    expect(() => readMatV4(new TextEncoder().encode('MATLAB 5.0 MAT-file, Platform: GLNXA64'), 'x.mat')).toThrow(FormatError);
    expect(() => readMatV4(Uint8Array.from(jsMat).subarray(0, 5000), 'x.mat')).toThrow(/matrix 'val' \(12 x 5000\) is truncated/);
    expect(() => readMatV4(noise(64, 5), 'x.mat')).toThrow(FormatError);
  });
});

describe('corrupted dataset indexes', () => {
  it('PTB-XL: missing column and unterminated quote refuse the index; bad rows and absent records are left out with a warning', async () => {
    const src = readFileSync(dataPath('ptbxl', 'ptbxl_database.csv'), 'utf8');
    const lines = src.split('\n');
    const stmts = readFileSync(dataPath('ptbxl', 'scp_statements.csv'));
    const write = async (name: string, csv: string) => {
      await mkdir(name);
      writeFileSync(path.join(tmp, name, 'scp_statements.csv'), stmts);
      writeFileSync(path.join(tmp, name, 'ptbxl_database.csv'), csv);
      return path.join(tmp, name, 'ptbxl_database.csv');
    };
    await expectFormatError(readPtbxl(await write('p1', src.replace('scp_codes', 'codes'))), /column 'scp_codes' is missing/);
    await expectFormatError(readPtbxl(await write('p2', `${src}"3,`)), /ptbxl_database\.csv:\d+: unterminated quoted field/);
    const warned = async (csv: string): Promise<{ records: number; warnings: string[] }> => {
      const warnings: string[] = [];
      const records = await readPtbxl(csv, {}, (w) => warnings.push(w));
      for (const w of warnings) expect(w).not.toContain('\n');
      return { records: records.length, warnings };
    };
    // A row with a field too many is left out with its reason; the rest of the index is read.
    const p2b = await warned(await write('p2b', [lines[0], `${lines[1].trimEnd()},extra`].join('\n')));
    expect(p2b.warnings).toEqual(['row left out: data row 1 has 29 fields, the header has 28']);
    // The rows point at records that are not in this folder: counted, not refused.
    expect(await warned(await write('p3', [lines[0], lines[1]].join('\n')))).toEqual({
      records: 0,
      warnings: ['1 of 1 rows have no record files here (ecg_id 1); their labels were not taken in'],
    });
    const badDict = [lines[0], lines[1].replace("{'NORM': 100.0", "{'NORM' 100.0")].join('\n');
    // scp_codes is checked before the record is read only when the record exists: copy it in.
    const p4 = await write('p4', badDict);
    mkdirSync(path.join(tmp, 'p4', 'records500', '00000'), { recursive: true });
    for (const ext of ['hea', 'dat']) {
      copyFileSync(
        dataPath('ptbxl', 'records500', '00000', `00001_hr.${ext}`),
        path.join(tmp, 'p4', 'records500', '00000', `00001_hr.${ext}`),
      );
    }
    const p4r = await warned(p4);
    expect(p4r.records).toBe(0);
    expect(p4r.warnings).toEqual([expect.stringMatching(/^row left out: ecg_id 1: scp_codes entry .* is malformed$/)]);
  });

  it('LUDB: not the LUDB header', async () => {
    await mkdir('l1');
    const p = path.join(tmp, 'l1', 'ludb.csv');
    writeFileSync(p, 'ID,Sex\n1,F\n');
    await expectFormatError(readLudb(p), /column 'Age' is missing/);
  });
});
