import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src-main/formats/csv.ts';
import { matRowsAsDigital, readMatV4 } from '../../src-main/formats/mat-v4.ts';
import { detectReader } from '../../src-main/formats/readers.ts';
import { annotationSymbol, isBeatSymbol, readWfdbAnnotations } from '../../src-main/formats/wfdb-annotation.ts';
import { deriveLimbLeads } from '../../src-shared/derived-leads.ts';
import { readWfdbRecord } from '../../src-main/formats/wfdb-record.ts';
import { dataPath } from '../helpers/shared-data.ts';

const sample = (f: string) => dataPath('formats', 'wfdb-python-sample-data', f);

describe('WFDB annotations', () => {
  it('maps codes to the standard symbols and EC57 beat classes', () => {
    expect([1, 5, 8, 14, 24, 27, 28, 39, 40].map(annotationSymbol)).toEqual(['N', 'V', 'A', '~', 'p', 't', '+', '(', ')']);
    for (const s of ['N', 'L', 'R', 'B', 'A', 'a', 'J', 'S', 'V', 'r', 'F', 'e', 'j', 'n', 'E', '/', 'f', 'Q', '?'])
      expect(isBeatSymbol(s)).toBe(true);
    for (const s of ['+', '~', '|', 'p', 't', '(', ')', '"', 'x', '[', '!']) expect(isBeatSymbol(s)).toBe(false);
  });

  it('gqrs detections (100.qrs) agree with the reference beats (100.atr) within 150 ms', async () => {
    const ref = (await readWfdbAnnotations(sample('100.atr'))).filter((a) => isBeatSymbol(a.symbol));
    const det = (await readWfdbAnnotations(sample('100.qrs'))).filter((a) => isBeatSymbol(a.symbol));
    expect(ref).toHaveLength(2273);
    const window = Math.round(0.15 * 360);
    let j = 0;
    let matched = 0;
    for (const r of ref) {
      while (j < det.length && det[j].sample < r.sample - window) j++;
      if (j < det.length && Math.abs(det[j].sample - r.sample) <= window) matched++;
    }
    expect(matched / ref.length).toBeGreaterThan(0.99);
    // gqrs writes NUM fields; they carry into each detection.
    expect(det[0]).toMatchObject({ sample: 64, symbol: 'N', num: 100 });
  });

  it('reads SKIP intervals beyond 32 bits (huge.qrs) and AUX notes (12726.anI)', async () => {
    expect(await readWfdbAnnotations(sample('huge.qrs'))).toEqual([{ sample: 10000000000, symbol: 'N' }]);
    const notes = await readWfdbAnnotations(sample('12726.anI'));
    expect(notes[0]).toMatchObject({ sample: 87240, symbol: '"', aux: 'Initiate slow tilt up' });
    const wabp = await readWfdbAnnotations(sample('12726.wabp'));
    expect(wabp[1]).toMatchObject({ sample: 108, aux: '110.6/49.7' });
  });
});

describe('MATLAB v4', () => {
  it('reads the CinC JS00001 .mat: int16 12 x 5000 named val', () => {
    const f = dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01', '010', 'JS00001.mat');
    const m = readMatV4(new Uint8Array(readFileSync(f)), f);
    expect(m).toMatchObject({ name: 'val', rows: 12, cols: 5000, precision: 3, dataOffset: 24 });
    const rows = matRowsAsDigital(m, f);
    expect(rows.map((r) => r[0])).toEqual([-254, 264, 517, -5, -386, 390, -98, -312, -98, 810, 810, 527]);
  });

  it('reads a double matrix (big- and little-endian) and rejects non-integer digital samples', () => {
    const build = (le: boolean, values: number[]) => {
      const name = 'x\0';
      const buf = new ArrayBuffer(20 + name.length + 8 * values.length);
      const dv = new DataView(buf);
      [le ? 0 : 1000, 2, values.length / 2, 0, name.length].forEach((v, i) => dv.setInt32(4 * i, v, le));
      new Uint8Array(buf).set(new TextEncoder().encode(name), 20);
      values.forEach((v, i) => dv.setFloat64(20 + name.length + 8 * i, v, le));
      return new Uint8Array(buf);
    };
    for (const le of [true, false]) {
      const m = readMatV4(build(le, [1, -2, 3, 40000]), 'd.mat');
      expect(m).toMatchObject({ name: 'x', rows: 2, cols: 2, precision: 0 });
      expect(matRowsAsDigital(m, 'd.mat').map((r) => Array.from(r))).toEqual([
        [1, 3],
        [-2, 40000],
      ]);
    }
    expect(() => matRowsAsDigital(readMatV4(build(true, [1.5, 2, 3, 4]), 'd.mat'), 'd.mat')).toThrow(/row 1 column 1 holds 1.5/);
  });
});

describe('CSV', () => {
  it('parses quoted fields with commas, quotes and line breaks (ludb.csv)', () => {
    const rows = parseCsv(readFileSync(dataPath('ludb', 'ludb.csv'), 'utf8'), 'ludb.csv');
    expect(rows).toHaveLength(101);
    expect(rows[1].slice(0, 4)).toEqual(['1', 'F\n', '51\n', 'Sinus bradycardia']);
    expect(parseCsv('a,"b ""q"", c"\r\n1,2\n', 'x')).toEqual([
      ['a', 'b "q", c'],
      ['1', '2'],
    ]);
  });
});

describe('deriveLimbLeads', () => {
  it('recomputes III, aVR, aVL, aVF of PTB-XL 00001 from I and II within rounding', async () => {
    const r = await readWfdbRecord(dataPath('ptbxl', 'records500', '00000', '00001_hr.hea'));
    const limb = new Set(['III', 'aVR', 'aVL', 'aVF']);
    const kept = r.leads.filter((l) => !limb.has(l.name));
    const out = deriveLimbLeads(kept);
    expect(out.map((l) => l.name)).toEqual(['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6', 'III', 'aVR', 'aVL', 'aVF']);
    for (const name of limb) {
      const derived = out.find((l) => l.name === name)!;
      const recorded = r.leads.find((l) => l.name === name)!;
      expect(derived).toMatchObject({ derived: true, gain: 1000, units: 'mV', baseline: 0 });
      let worst = 0;
      for (let i = 0; i < r.length; i++) worst = Math.max(worst, Math.abs(derived.digital[i] - recorded.digital[i]));
      expect(worst).toBeLessThanOrEqual(2);
    }
  });

  it('adds nothing when the limb leads exist, converts II to lead I gain (LUDB 1)', async () => {
    const r = await readWfdbRecord(dataPath('ludb', 'data', '1.hea'));
    expect(deriveLimbLeads(r.leads)).toBe(r.leads);
    const [i, ii] = r.leads;
    const out = deriveLimbLeads([i, ii]);
    const iii = out[2];
    expect(iii).toMatchObject({ name: 'III', gain: 1716, baseline: 6, derived: true });
    // III = II - I in millivolts, within lead I's rounding (LUDB's own III is not exactly II - I).
    let worst = 0;
    for (let k = 0; k < r.length; k++) {
      const want = (ii.digital[k] - 2) / 1206 - (i.digital[k] - 6) / 1716;
      worst = Math.max(worst, Math.abs((iii.digital[k] - 6) / 1716 - want));
    }
    expect(worst).toBeLessThanOrEqual(0.5 / 1716 + 1e-9);
  });
});

describe('reader detection by content', () => {
  const head = (f: string) => new Uint8Array(readFileSync(f).subarray(0, 4096));
  it('claims each entry with the right reader, and nothing for data files', () => {
    const cases: [string, string | undefined][] = [
      [dataPath('mitdb', '100.hea'), 'wfdb'],
      [dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01', '010', 'JS00001.hea'), 'cinc'],
      [dataPath('ptbxl', 'ptbxl_database.csv'), 'ptbxl'],
      [dataPath('ludb', 'ludb.csv'), 'ludb'],
      [dataPath('mitdb', '100.dat'), undefined],
      [dataPath('mitdb', '100.atr'), undefined],
      [dataPath('ptbxl', 'scp_statements.csv'), undefined],
      [sample('multi-segment/s25047/3234460_layout.hea'), undefined],
    ];
    for (const [f, format] of cases) expect(detectReader(head(f), f)?.format, path.basename(f)).toBe(format);
    // Content, not only the extension: a .hea holding CSV is not WFDB.
    expect(detectReader(new TextEncoder().encode('ecg_id,patient_id\n1,2\n'), '/x/a.hea')).toBeUndefined();
  });

  it('lists a multi-segment record’s segment headers and signal files as companions', async () => {
    const f = sample('multi-segment/041s/041s.hea');
    const reader = detectReader(head(f), f)!;
    const comp = (await reader.companions(f)).map((p) => path.basename(p));
    expect(comp).toEqual(['041s01.hea', '041s01.dat', '041s02.hea', '041s02.dat']);
    const mit = dataPath('mitdb', '100.hea');
    expect((await detectReader(head(mit), mit)!.companions(mit)).map((p) => path.basename(p))).toEqual(['100.dat', '100.atr']);
  });
});

describe('CinC comments', () => {
  it('non-numeric #Dx (CPSC-style abbreviations) become CinC-abbrev labels; age NaN is dropped', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'cinc-dx-'));
    try {
      const src = dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01', '010', 'JS00001');
      const hea = readFileSync(`${src}.hea`, 'latin1')
        .replace('#Dx: 164889003,59118001,164934002', '#Dx: AF, RBBB')
        .replace('#Age: 85', '#Age: NaN')
        .replace('#Sex: Male', '#Sex: Female');
      writeFileSync(path.join(tmp, 'JS00001.hea'), hea);
      copyFileSync(`${src}.mat`, path.join(tmp, 'JS00001.mat'));
      const r = await readWfdbRecord(path.join(tmp, 'JS00001.hea'));
      expect(r).toMatchObject({
        format: 'cinc',
        sex: 'F',
        labels: [
          { vocabulary: 'CinC-abbrev', code: 'AF' },
          { vocabulary: 'CinC-abbrev', code: 'RBBB' },
        ],
      });
      expect(r.age).toBeUndefined();
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
