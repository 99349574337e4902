// Every record of the shared CinC (Chapman-Ningbo), PTB-XL, MIT-BIH and LUDB data reads through the
// reader registry (checksums verified where the header has them), with named records checked.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLudb } from '../../src-main/formats/ludb.ts';
import { readPtbxl } from '../../src-main/formats/ptbxl.ts';
import { detectReader } from '../../src-main/formats/readers.ts';
import { isBeatSymbol } from '../../src-main/formats/wfdb-annotation.ts';
import type { EcgRecord } from '../../src-shared/record.ts';
import { dataPath } from '../helpers/shared-data.ts';

const head = (f: string) => new Uint8Array(readFileSync(f).subarray(0, 4096));
const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));

async function readViaRegistry(file: string): Promise<EcgRecord[]> {
  const reader = detectReader(head(file), file);
  if (!reader) throw new Error(`no reader claims ${file}`);
  return reader.read(file);
}

describe('CinC Chapman-Ningbo (800 records)', () => {
  it('reads every .hea + .mat as a cinc record with SNOMED labels', async () => {
    const headers = walk(dataPath('cinc', 'chapman-ningbo', 'WFDBRecords')).filter((f) => f.endsWith('.hea'));
    expect(headers).toHaveLength(800);
    for (const h of headers) {
      const [r] = await readViaRegistry(h);
      expect(r.format).toBe('cinc');
      expect(r.leads).toHaveLength(12);
      expect(r.length).toBe(5000);
      expect(r.labels.length).toBeGreaterThan(0);
      expect(r.labels.every((l) => l.vocabulary === 'SNOMED' && /^\d+$/.test(l.code))).toBe(true);
    }
  });

  it('JS00001: Dx codes, age, sex, first samples', async () => {
    const [r] = await readViaRegistry(dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01', '010', 'JS00001.hea'));
    expect(r).toMatchObject({
      recordName: 'JS00001',
      samplingRate: 500,
      age: 85,
      sex: 'M',
      attributes: { Rx: 'Unknown', Hx: 'Unknown', Sx: 'Unknown' },
    });
    expect(r.labels.map((l) => l.code)).toEqual(['164889003', '59118001', '164934002']);
    expect(r.leads.map((l) => l.name)).toEqual(['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
    expect(r.leads[0]).toMatchObject({ gain: 1000, baseline: 0, units: 'mV' });
    expect(Array.from(r.leads[0].digital.subarray(0, 2))).toEqual([-254, -254]);
    expect(r.leads.map((l) => l.digital[4999])).toEqual([5, -34, -39, 15, 20, -39, 5, 605, 142, -171, -166, 112]);
  });

  it('JS00782 (CRLF header): female, sinus bradycardia', async () => {
    const [r] = await readViaRegistry(dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01', '017', 'JS00782.hea'));
    expect(r).toMatchObject({ age: 70, sex: 'F', labels: [{ vocabulary: 'SNOMED', code: '426177001' }] });
  });
});

describe('PTB-XL', () => {
  const csv = dataPath('ptbxl', 'ptbxl_database.csv');

  it('reads all 353 rows at 500 Hz with labels, patient, fold', async () => {
    const records = await readViaRegistry(csv);
    expect(records).toHaveLength(353);
    for (const r of records) {
      expect(r).toMatchObject({ format: 'ptbxl', samplingRate: 500, length: 5000 });
      expect(r.leads).toHaveLength(12);
      expect(r.patientId).toMatch(/^\d+$/);
      expect(r.attributes.strat_fold).toBeGreaterThanOrEqual(1);
      expect(r.attributes.strat_fold).toBeLessThanOrEqual(8);
    }
    const r1 = records[0];
    expect(r1).toMatchObject({
      recordName: '00001_hr',
      patientId: '15709',
      age: 56,
      sex: 'F',
      startTime: '1984-11-09T09:17:34',
      attributes: { ecg_id: 1, strat_fold: 3 },
    });
    expect(r1.labels).toEqual(
      expect.arrayContaining([
        { vocabulary: 'SCP', code: 'NORM', name: 'normal ECG', likelihood: 100 },
        { vocabulary: 'SCP', code: 'SR', name: 'sinus rhythm', likelihood: 0 },
        { vocabulary: 'PTBXL-superclass', code: 'NORM', likelihood: 100 },
        { vocabulary: 'PTBXL-rhythm', code: 'SR', likelihood: 0 },
        { vocabulary: 'PTBXL-form', code: 'LVOLT', likelihood: 0 },
      ]),
    );
    expect(r1.leads.map((l) => l.name).slice(3, 6)).toEqual(['aVR', 'aVL', 'aVF']);
    expect(r1.leads.map((l) => l.digital[0])).toEqual([-115, -50, 65, 82, -90, 7, -65, -40, -5, -35, -35, -75]);
    expect(r1.leads.map((l) => l.digital[4999])).toEqual([210, 205, -5, -207, 107, 100, 75, 225, 175, 185, 170, 180]);
    // Row 2: sex 0 = male.
    expect(records[1]).toMatchObject({ sex: 'M', age: 19 });
    // Known quirk: 00137 and 00138 share identical 500 Hz signals.
    const byName = new Map(records.map((r) => [r.recordName, r]));
    const a = byName.get('00137_hr');
    const b = byName.get('00138_hr');
    expect(a && b).toBeTruthy();
    expect(Array.from(a!.leads[1].digital)).toEqual(Array.from(b!.leads[1].digital));
  });

  it('reads the 100 Hz records on request', async () => {
    const records = await readPtbxl(csv, { rate: 100 });
    expect(records).toHaveLength(353);
    expect(records[0]).toMatchObject({ recordName: '00001_lr', samplingRate: 100, length: 1000 });
  });

  it('lists every row’s WFDB files as companions', async () => {
    const reader = detectReader(head(csv), csv)!;
    const comp = await reader.companions(csv);
    expect(comp).toContain(dataPath('ptbxl', 'records500', '00000', '00001_hr.dat'));
    expect(comp).toContain(dataPath('ptbxl', 'records100', '00000', '00001_lr.hea'));
    expect(comp).toContain(dataPath('ptbxl', 'scp_statements.csv'));
  });
});

describe('MIT-BIH Arrhythmia (23 records)', () => {
  it('reads every record with its .atr annotations', async () => {
    const headers = readdirSync(dataPath('mitdb')).filter((f) => f.endsWith('.hea'));
    expect(headers).toHaveLength(23);
    for (const f of headers) {
      const [r] = await readViaRegistry(dataPath('mitdb', f));
      expect(r).toMatchObject({ format: 'wfdb', samplingRate: 360, length: 650000 });
      expect(r.annotations?.[0].annotator).toBe('atr');
      expect(r.annotations![0].annotations.filter((a) => isBeatSymbol(a.symbol)).length).toBeGreaterThan(1000);
    }
  });

  it('100: 2273 beats (2239 N, 33 A, 1 V), first beat N at sample 77', async () => {
    const [r] = await readViaRegistry(dataPath('mitdb', '100.hea'));
    const ann = r.annotations![0].annotations;
    const beats = ann.filter((a) => isBeatSymbol(a.symbol));
    expect(ann).toHaveLength(2274);
    expect(beats).toHaveLength(2273);
    expect(beats[0]).toMatchObject({ sample: 77, symbol: 'N' });
    expect(ann[0]).toMatchObject({ sample: 18, symbol: '+', aux: '(N' });
    const count = (s: string) => beats.filter((b) => b.symbol === s).length;
    expect([count('N'), count('A'), count('V')]).toEqual([2239, 33, 1]);
    expect(r).toMatchObject({ age: 69, sex: 'M' });
  });
});

describe('LUDB (100 records)', () => {
  const csv = dataPath('ludb', 'ludb.csv');

  it('reads every row with 12 per-lead delineation sets', async () => {
    const records = await readViaRegistry(csv);
    expect(records).toHaveLength(100);
    for (const r of records) {
      expect(r).toMatchObject({ format: 'ludb', samplingRate: 500, length: 5000 });
      expect(r.annotations!.map((a) => a.annotator)).toEqual(['i', 'ii', 'iii', 'avr', 'avl', 'avf', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6']);
      expect(r.labels.some((l) => l.vocabulary === 'LUDB' && l.name === 'Rhythms')).toBe(true);
    }
  });

  it('record 1: sinus bradycardia, left axis deviation, F 51, lead I delineation', async () => {
    const [r] = await readLudb(csv);
    expect(r).toMatchObject({ recordName: '1', sex: 'F', age: 51 });
    expect(r.labels).toEqual(
      expect.arrayContaining([
        { vocabulary: 'LUDB', code: 'Sinus bradycardia', name: 'Rhythms' },
        { vocabulary: 'SNOMED', code: '426177001' },
        { vocabulary: 'LUDB', code: 'Electric axis of the heart: left axis deviation', name: 'Electric axis of the heart' },
        { vocabulary: 'SNOMED', code: '39732003' },
      ]),
    );
    expect(r.leads[0]).toMatchObject({ name: 'I', gain: 1716, baseline: 6 });
    expect(r.leads.map((l) => l.digital[0])).toEqual([-120, 25, 145, 47, -132, 85, 150, 62, 65, 145, 105, -25]);
    const leadI = r.annotations![0].annotations;
    expect(leadI.slice(0, 3)).toEqual([
      { sample: 641, symbol: '(' },
      { sample: 664, symbol: 'N' },
      { sample: 690, symbol: ')' },
    ]);
    expect(new Set(leadI.map((a) => a.symbol))).toEqual(new Set(['(', ')', 'N', 'p', 't']));
  });
});
