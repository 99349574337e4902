import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { leadMillivolts } from '../../src-shared/record.ts';
import { chapmanCsvReader, looksLikeChapmanCsv } from '../../src-main/formats/chapman-csv.ts';
import { readFirstSheet } from '../../src-main/formats/xlsx.ts';
import { zipEntries, zipRead } from '../../src-main/formats/zip.ts';
import { dataPath } from '../helpers/shared-data.ts';

const dir = dataPath('formats', 'chapman-csv');
const csv = path.join(dir, 'MUSE_20180111_155115_19000.csv');
const head = (f: string) => new Uint8Array(readFileSync(f).subarray(0, 4096));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'chapman-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('Chapman-Shaoxing CSV reader', () => {
  it('reads MUSE_20180111_155115_19000 with its Diagnostics.xlsx row', async () => {
    expect(await chapmanCsvReader.companions(csv)).toEqual(
      ['Diagnostics.xlsx', 'RhythmNames.xlsx', 'ConditionNames.xlsx'].map((f) => path.join(dir, f)),
    );
    const [r] = await chapmanCsvReader.read(csv);
    expect(r.format).toBe('chapman-csv');
    expect(r.recordName).toBe('MUSE_20180111_155115_19000');
    expect(r.samplingRate).toBe(500);
    expect(r.length).toBe(5000);
    expect(r.leads.map((l) => l.name)).toEqual(['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
    // first row: -165.33,-358.97,... microvolts
    expect(leadMillivolts(r.leads[0])[0]).toBeCloseTo(-0.16533, 6);
    expect(leadMillivolts(r.leads[1])[0]).toBeCloseTo(-0.35897, 6);
    expect(leadMillivolts(r.leads[9])[0]).toBeCloseTo(-0.0078987, 6);
    expect(leadMillivolts(r.leads[11])[1]).toBeCloseTo(-0.53221, 6);
    expect(r.age).toBe(88);
    expect(r.sex).toBe('M');
    expect(r.labels).toEqual([
      { vocabulary: 'Chapman', code: 'ST', name: 'Sinus Tachycardia' },
      { vocabulary: 'Chapman', code: 'AQW', name: 'abnormal Q wave' },
      { vocabulary: 'Chapman', code: 'RBBB', name: 'right bundle branch block' },
      { vocabulary: 'SNOMED', code: '427084000', name: 'Sinus Tachycardia' },
      { vocabulary: 'SNOMED', code: '164917005', name: 'abnormal Q wave' },
      { vocabulary: 'SNOMED', code: '59118001', name: 'right bundle branch block' },
    ]);
    expect(r.attributes['chapman.VentricularRate']).toBe(126);
    expect(r.attributes['chapman.QTCorrected']).toBe(483);
  });

  it('reads a CSV without the metadata workbooks, and one with a lead-name header row', async () => {
    const alone = path.join(tmp, 'alone.csv');
    copyFileSync(csv, alone);
    expect(await chapmanCsvReader.companions(alone)).toEqual([]);
    const [r] = await chapmanCsvReader.read(alone);
    expect(r.labels).toEqual([]);
    expect(r.length).toBe(5000);

    const headed = path.join(tmp, 'headed.csv');
    const lines = readFileSync(csv, 'utf8').split('\n').slice(0, 3);
    writeFileSync(headed, ['V6,V5,V4,V3,V2,V1,aVF,aVL,aVR,III,II,I', ...lines].join('\n'));
    expect(looksLikeChapmanCsv(head(headed), headed)).toBe(true);
    const [h] = await chapmanCsvReader.read(headed);
    expect(h.length).toBe(3);
    expect(h.leads[11].name).toBe('I');
    expect(leadMillivolts(h.leads[11])[0]).toBeCloseTo(-0.57084, 6); // the 12th column, now labelled I
  });

  it('claims the record CSV but not the PTB-XL, LUDB or CinC tables', () => {
    expect(chapmanCsvReader.detect(head(csv), csv)).toBe(true);
    for (const f of [
      dataPath('ptbxl', 'ptbxl_database.csv'),
      dataPath('ptbxl', 'scp_statements.csv'),
      dataPath('ludb', 'ludb.csv'),
      dataPath('cinc', 'scoring-2021', 'weights.csv'),
      dataPath('cinc', 'chapman-ningbo', 'ConditionNames_SNOMED-CT.csv'),
    ]) {
      expect(chapmanCsvReader.detect(head(f), f)).toBe(false);
    }
    expect(chapmanCsvReader.detect(head(csv), csv.replace(/\.csv$/, '.txt'))).toBe(false);
  });

  it('rejects a ragged or non-numeric row with the line number', async () => {
    const bad = path.join(tmp, 'bad.csv');
    const lines = readFileSync(csv, 'utf8').split('\n');
    lines[41] = lines[41].split(',').slice(0, 11).join(',');
    writeFileSync(bad, lines.join('\n'));
    await expect(chapmanCsvReader.read(bad)).rejects.toThrow(/bad\.csv: line 42 has 11 columns, expected 12/);
    lines[41] = lines[40].replace(/^[^,]+/, 'NaN');
    writeFileSync(bad, lines.join('\n'));
    await expect(chapmanCsvReader.read(bad)).rejects.toThrow(/bad\.csv: line 42 column 1 'NaN' is not a microvolt value/);
  });
});

describe('zip and xlsx', () => {
  it('lists and inflates workbook parts, and reads RhythmNames.xlsx cells', () => {
    const xlsx = new Uint8Array(readFileSync(path.join(dir, 'RhythmNames.xlsx')));
    expect(zipEntries(xlsx, 'r').map((e) => e.name)).toContain('xl/sharedStrings.xml');
    expect(new TextDecoder().decode(zipRead(xlsx, 'xl/workbook.xml', 'r')!)).toMatch(/^<\?xml/);
    const rows = readFirstSheet(xlsx, 'RhythmNames.xlsx');
    expect(rows[0]).toEqual(['Acronym Name', 'Full Name']);
    expect(rows.length).toBe(12);
    expect(rows.find((r) => r[0].trim() === 'AFIB')?.[1]).toBe('Atrial Fibrillation');
  });

  it('reads a stored and a deflated entry of a hand-made archive, and rejects a corrupt one', () => {
    const entry = (name: string, data: Buffer, method: number) => ({
      name: Buffer.from(name),
      data,
      raw: method ? deflateRawSync(data) : data,
      method,
    });
    const files = [entry('a.txt', Buffer.from('stored text'), 0), entry('b.txt', Buffer.from('deflated '.repeat(50)), 8)];
    const parts: Buffer[] = [];
    const central: Buffer[] = [];
    let offset = 0;
    for (const f of files) {
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(f.method, 8);
      local.writeUInt32LE(f.raw.length, 18);
      local.writeUInt32LE(f.data.length, 22);
      local.writeUInt16LE(f.name.length, 26);
      const c = Buffer.alloc(46);
      c.writeUInt32LE(0x02014b50, 0);
      c.writeUInt16LE(f.method, 10);
      c.writeUInt32LE(f.raw.length, 20);
      c.writeUInt32LE(f.data.length, 24);
      c.writeUInt16LE(f.name.length, 28);
      c.writeUInt32LE(offset, 42);
      parts.push(local, f.name, f.raw);
      central.push(c, f.name);
      offset += 30 + f.name.length + f.raw.length;
    }
    const cd = Buffer.concat(central);
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt16LE(2, 8);
    eocd.writeUInt16LE(2, 10);
    eocd.writeUInt32LE(cd.length, 12);
    eocd.writeUInt32LE(offset, 16);
    const zip = new Uint8Array(Buffer.concat([...parts, cd, eocd]));
    expect(Buffer.from(zipRead(zip, 'a.txt', 'z')!).toString()).toBe('stored text');
    expect(Buffer.from(zipRead(zip, 'b.txt', 'z')!).toString()).toBe('deflated '.repeat(50));
    const broken = zip.slice();
    broken.fill(0x55, 30 + 5 + 11 + 30 + 5, 30 + 5 + 11 + 30 + 5 + 8); // garble the deflate stream of b.txt
    expect(() => zipRead(broken, 'b.txt', 'broken.zip')).toThrow(/broken\.zip: ZIP entry 'b\.txt'/);
    expect(() => zipEntries(zip.subarray(0, 40), 'cut.zip')).toThrow(/cut\.zip: not a ZIP archive/);
  });
});
