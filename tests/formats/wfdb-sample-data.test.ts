// Conformance against the wfdb-python sample data: every header there reads (checksums verified)
// or fails with the expected one-line FormatError. Expected values were decoded independently
// with numpy from the raw bytes; checksums in the headers cross-check every decoder.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../src-main/formats/format-error.ts';
import { readWfdbRecord } from '../../src-main/formats/wfdb-record.ts';
import { INVALID_DIGITAL_16 } from '../../src-shared/record.ts';
import type { EcgRecord } from '../../src-shared/record.ts';
import { dataPath } from '../helpers/shared-data.ts';

const root = dataPath('formats', 'wfdb-python-sample-data');
const rel = (f: string) => path.relative(root, f);
const allHeaders = [
  ...readdirSync(root)
    .filter((f) => f.endsWith('.hea'))
    .map((f) => path.join(root, f)),
  ...readdirSync(path.join(root, 'multi-segment')).flatMap((d) =>
    readdirSync(path.join(root, 'multi-segment', d))
      .filter((f) => f.endsWith('.hea'))
      .map((f) => path.join(root, 'multi-segment', d, f)),
  ),
];

/** Headers that must fail, and why (files absent from the snapshot). */
const EXPECTED_ERRORS: Record<string, RegExp> = {
  'multi-segment/p000878/p000878-2137-10-26-16-57.hea': /3269321_0003\.hea not found/,
  'multi-segment/s00001/3975656_0009.hea': /3975656_0009\.dat not found/,
  'multi-segment/s00001/3975656_0010.hea': /3975656_0010\.dat not found/,
  'multi-segment/s00001/3975656_0011.hea': /3975656_0011\.dat not found/,
  'multi-segment/s00001/s00001-2896-10-10-00-31.hea': /segment 3975656_0009: file 3975656_0009\.dat not found/,
};

const read = (...p: string[]) => readWfdbRecord(path.join(root, ...p));
const first = (r: EcgRecord, lead: number, n: number) => Array.from(r.leads[lead].digital.subarray(0, n));
const last = (r: EcgRecord, lead: number) => r.leads[lead].digital[r.leads[lead].digital.length - 1];

describe('every wfdb-python sample header', () => {
  it('finds the headers', () => {
    expect(allHeaders.length).toBeGreaterThanOrEqual(80);
  });
  for (const h of allHeaders) {
    const name = rel(h);
    it(name, async () => {
      // Layout headers (length 0, '~' signals) describe a multi-segment record's leads; alone they hold no samples.
      const expected = EXPECTED_ERRORS[name] ?? (name.endsWith('_layout.hea') ? /record names no signal file/ : undefined);
      if (expected) {
        const err = await readWfdbRecord(h).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(FormatError);
        expect((err as Error).message).toMatch(expected);
        expect((err as Error).message).not.toContain('\n');
      } else {
        const r = await readWfdbRecord(h);
        for (const l of r.leads) expect(l.digital.length).toBe(r.length);
      }
    });
  }
});

describe('decoded values of named sample records', () => {
  it('100 (format 212): first and last samples, length', async () => {
    const r = await read('100.hea');
    expect(r).toMatchObject({ samplingRate: 360, length: 650000, age: 69, sex: 'M' });
    expect(r.leads.map((l) => l.name)).toEqual(['MLII', 'V5']);
    expect(first(r, 0, 5)).toEqual([995, 995, 995, 995, 995]);
    expect(first(r, 1, 5)).toEqual([1011, 1011, 1011, 1011, 1011]);
    expect(last(r, 0)).toBe(768);
    expect(last(r, 1)).toBe(1024);
    expect(r.leads[0]).toMatchObject({ gain: 200, baseline: 1024, units: 'mV' });
  });

  it('100-no-len infers 650000 frames from the file size', async () => {
    expect((await read('100-no-len.hea')).length).toBe(650000);
  });

  it('100_3chan: format 212 with an odd number of samples', async () => {
    const r = await read('100_3chan.hea');
    expect(r.length).toBe(999);
    expect(r.leads.map((l) => l.name)).toEqual(['I', 'II', 'III']);
    expect(first(r, 2, 2)).toEqual([995, 995]);
  });

  it('100skew: channel 1 is shifted by 3 frames, its tail is invalid', async () => {
    const plain = await read('100.hea');
    const r = await read('100skew.hea');
    expect(Array.from(r.leads[0].digital.subarray(0, 100))).toEqual(Array.from(plain.leads[0].digital.subarray(0, 100)));
    expect(Array.from(r.leads[1].digital.subarray(0, 1000))).toEqual(Array.from(plain.leads[1].digital.subarray(3, 1003)));
    expect(Array.from(r.leads[1].digital.subarray(649997))).toEqual([INVALID_DIGITAL_16, INVALID_DIGITAL_16, INVALID_DIGITAL_16]);
  });

  it('binformats: formats 8, 16, 61, 80, 160, 212, 310, 311, 24, 32 in one record', async () => {
    const r = await read('binformats.hea');
    expect(r.length).toBe(499);
    expect(first(r, 0, 3)).toEqual([-2047, -1920, -1793]);
    expect(first(r, 1, 3)).toEqual([-32766, -32242, -31718]);
    expect(first(r, 2, 3)).toEqual([-32765, -32241, -31717]);
    expect(first(r, 3, 3)).toEqual([-124, -110, -96]);
    expect(first(r, 4, 3)).toEqual([-32763, -32239, -31715]);
    expect(first(r, 5, 3)).toEqual([-2042, -1758, -1474]);
    expect(first(r, 6, 3)).toEqual([-505, -158, 189]);
    expect(first(r, 7, 3)).toEqual([-504, -157, 190]);
    expect(r.leads[8].digital).toBeInstanceOf(Int32Array);
    expect(first(r, 8, 3)).toEqual([-8388599, -8322795, -8256991]);
    expect(last(r, 8)).toBe(7604578);
    expect(first(r, 9, 3)).toEqual([-2147483638, -2130640619, -2113797600]);
    expect(last(r, 9)).toBe(1945372529);
    expect(r.leads[1].digital).toBeInstanceOf(Int16Array);
  });

  it('310/311 records with partial trailing groups', async () => {
    for (const [f, n] of [
      ['310derive_3.hea', 1018],
      ['311derive_3.hea', 1019],
      ['311derive_4.hea', 1018],
      ['310derive_2.hea', 1020],
    ] as const) {
      const r = await read(f);
      expect(r.length).toBe(n);
      expect(first(r, 0, 3)).toEqual([-5, -5, -6]);
    }
  });

  it('p10143 (format 61, big-endian 16-bit)', async () => {
    const r = await read('p10143.hea');
    expect(first(r, 0, 3)).toEqual([-20863, 30, 16672]);
    expect(first(r, 1, 3)).toEqual([12175, 263, 0]);
    expect(r.leads[0].digital[449999]).toBe(827);
  });

  it('a103l: .mat signal file with byte offset 24', async () => {
    for (const f of ['a103l.hea', 'a103l-no-len.hea']) {
      const r = await read(f);
      expect(r.length).toBe(82500);
      expect(first(r, 0, 2)).toEqual([-171, -268]);
      expect(first(r, 2, 2)).toEqual([6042, 6821]);
      expect([last(r, 0), last(r, 1), last(r, 2)]).toEqual([-339, 8011, 6301]);
      expect(r.leads[2]).toMatchObject({ name: 'PLETH', units: 'NU', gain: 12530 });
    }
  });

  it('test01_00s: format 16 with four signals', async () => {
    const r = await read('test01_00s.hea');
    expect([0, 1, 2, 3].map((i) => first(r, i, 3))).toEqual([
      [10, 11, 13],
      [-8, -6, -6],
      [-57, -56, -55],
      [-66, -66, -67],
    ]);
    expect([0, 1, 2, 3].map((i) => last(r, i))).toEqual([-26, -18, 12, 16]);
  });

  it('multi-frequency: test01_00s_frame is exposed at 2 x 500 Hz, slow signals repeated', async () => {
    const r = await read('test01_00s_frame.hea');
    expect(r).toMatchObject({ samplingRate: 1000, length: 8000, attributes: { frameRate: 500 } });
    // ECG_2 takes 2 samples per frame: the file's columns 1 and 2 of each 4-sample frame.
    expect(first(r, 1, 4)).toEqual([-8, -57, -6, -56]);
    expect(first(r, 0, 4)).toEqual([10, 10, 11, 11]);
  });

  it('multi-frequency: 03700181 ECG at 4 samples per frame -> 500 Hz', async () => {
    const r = await read('03700181.hea');
    expect(r).toMatchObject({ samplingRate: 500, length: 300000, startTime: '1994-08-15T17:27:45.000' });
    expect(r.leads.map((l) => l.name)).toEqual(['MCL1', 'ABP', 'RESP']);
  });

  it('test_generator_2: 200 samples per frame at 1 frame/s', async () => {
    const r = await read('test_generator_2.hea');
    expect(r).toMatchObject({ samplingRate: 200, length: 120000, startTime: '2009-12-10T12:44:02.000' });
    expect(first(r, 1, 3)).toEqual([-3276, -3243, -3211]);
  });

  it('fixed-layout multi-segment v102s = three copies of v102s', async () => {
    const single = await read('v102s.hea');
    const r = await read('multi-segment', 'fixed1', 'v102s.hea');
    expect(r.length).toBe(225000);
    for (const k of [0, 75000, 150000]) {
      expect(Array.from(r.leads[3].digital.subarray(k, k + 50))).toEqual(Array.from(single.leads[3].digital.subarray(0, 50)));
    }
  });

  it('multi-segment 041s with 4 samples per frame concatenates 041s01 and 041s02', async () => {
    const a = await read('multi-segment', '041s', '041s01.hea');
    const b = await read('multi-segment', '041s', '041s02.hea');
    const r = await read('multi-segment', '041s', '041s.hea');
    expect(r).toMatchObject({ samplingRate: 500, length: 8000 });
    expect(r.leads[1].digital[0]).toBe(a.leads[1].digital[0]);
    expect(r.leads[1].digital[4000]).toBe(b.leads[1].digital[0]);
    expect(r.leads[1].digital[7999]).toBe(b.leads[1].digital[3999]);
  });

  it('variable-layout s25047: gaps and missing signals are invalid samples, gains rescaled to the layout', async () => {
    const r = await read('multi-segment', 's25047', 's25047-2704-05-04-10-44.hea');
    expect(r.length).toBe(543240);
    expect(r.leads.map((l) => [l.name, l.gain])).toEqual([
      ['II', 86],
      ['V', 86],
      ['ABP', 1.25],
    ]);
    // The record starts with a gap segment.
    expect(r.leads[0].digital[0]).toBe(INVALID_DIGITAL_16);
    const seg1 = await read('multi-segment', 's25047', '3234460_0001.hea');
    const start = r.leads[0].digital.findIndex((v) => v !== INVALID_DIGITAL_16);
    expect(r.leads[0].digital[start]).toBe(seg1.leads[0].digital[0]);
    // Segment 1 lacks ABP: it stays invalid there.
    expect(r.leads[2].digital[start]).toBe(INVALID_DIGITAL_16);
  });

  it('all-gap layout record s00001-2896-10-09-01-56 is all invalid samples', async () => {
    const r = await read('multi-segment', 's00001', 's00001-2896-10-09-01-56.hea');
    expect(r.length).toBe(7500);
    expect(r.leads.every((l) => l.digital.every((v) => v === INVALID_DIGITAL_16))).toBe(true);
  });
});
