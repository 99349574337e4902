import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../src-main/formats/format-error.ts';
import { isWfdbRecordLine, parseWfdbHeader } from '../../src-main/formats/wfdb-header.ts';
import { dataPath } from '../helpers/shared-data.ts';

const sample = (...p: string[]) => dataPath('formats', 'wfdb-python-sample-data', ...p);
const parseFile = (f: string) => parseWfdbHeader(readFileSync(f, 'latin1'), f);

describe('parseWfdbHeader on real headers', () => {
  it('reads mitdb 100: record line, 212 signals, checksums, comments before and after', () => {
    const h = parseFile(dataPath('mitdb', '100.hea'));
    expect(h).toMatchObject({ recordName: '100', signalCount: 2, frequency: 360, length: 650000 });
    expect(h.signals[0]).toMatchObject({
      fileName: '100.dat',
      format: 212,
      samplesPerFrame: 1,
      skew: 0,
      byteOffset: 0,
      gain: 200,
      baseline: 1024,
      units: 'mV',
      adcResolution: 11,
      adcZero: 1024,
      initialValue: 995,
      checksum: -22131,
      blockSize: 0,
      description: 'MLII',
    });
    expect(h.signals[1].description).toBe('V5');
    expect(h.comments[0]).toBe('69 M 1085 1629 x1');
  });

  it('reads the comment line before the record line and blank lines (sample 100.hea)', () => {
    const h = parseFile(sample('100.hea'));
    expect(h.comments).toEqual(['unnecessary comment', '69 M 1085 1629 x1', 'Aldomet, Inderal']);
    expect(h.signals).toHaveLength(2);
  });

  it('leaves the length undefined when the header omits it', () => {
    expect(parseFile(sample('100-no-len.hea')).length).toBeUndefined();
    const a = parseFile(sample('a103l-no-len.hea'));
    expect(a.length).toBeUndefined();
    expect(a.signals[2]).toMatchObject({
      fileName: 'a103l.mat',
      format: 16,
      byteOffset: 24,
      gain: 12530,
      units: 'NU',
      description: 'PLETH',
    });
  });

  it('parses samples per frame, skew, baseline in parentheses, base time and date', () => {
    const h = parseFile(sample('03700181.hea'));
    expect(h).toMatchObject({ baseTime: '17:27:45', baseDate: '15/08/1994', frequency: 125 });
    expect(h.signals[0]).toMatchObject({ format: 212, samplesPerFrame: 4, gain: 2963.77, units: 'mV' });
    expect(h.signals[1]).toMatchObject({ gain: 12.84, baseline: -1605, units: 'mmHg', adcZero: 0 });
    expect(h.signals[2]).toMatchObject({ skew: 4, samplesPerFrame: 1 });
    expect(parseFile(sample('test01_00s_skewframe.hea')).signals[0].skew).toBe(3);
  });

  it('parses counter frequency and fractional base time (s00001 numerics header)', () => {
    const h = parseFile(sample('multi-segment', 's00001', 's00001-2896-10-10-00-31n.hea'));
    expect(h.frequency).toBeCloseTo(0.0166666666667, 12);
    expect(h.counterFrequency).toBe(125);
    expect(h.baseTime).toBe('31:25.894');
    expect(h.signals[7]).toMatchObject({
      gain: 1,
      baseline: 0,
      initialValue: -32768,
      checksum: 20012,
      units: 'mmHg',
      description: 'NBPSys',
    });
  });

  it('defaults gain 0 to 200 and keeps a zero ADC resolution default (v102s)', () => {
    const s = parseFile(sample('v102s.hea')).signals[0];
    expect(s).toMatchObject({ gain: 2281, adcResolution: 12, baseline: 0 });
  });

  it('parses multi-segment headers with a layout segment and gaps (p000878)', () => {
    const h = parseFile(sample('multi-segment', 'p000878', 'p000878-2137-10-26-16-57.hea'));
    expect(h).toMatchObject({ recordName: 'p000878-2137-10-26-16-57', segmentCount: 36, signalCount: 4, length: 52725000 });
    expect(h.segments.slice(0, 3)).toEqual([
      { name: '3269321_layout', length: 0 },
      { name: '~', length: 3750 },
      { name: '3269321_0001', length: 2000 },
    ]);
    const layout = parseFile(sample('multi-segment', 'p000878', '3269321_layout.hea'));
    expect(layout.signals[1]).toMatchObject({ fileName: '~', format: 0, gain: 127, baseline: -64, description: 'II' });
  });

  it('handles CRLF headers (CinC JS00739)', () => {
    const h = parseFile(dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01', '017', 'JS00739.hea'));
    expect(h.signals[11].description).toBe('V6');
    expect(h.comments).toContain('Dx: 427084000,39732003,284470004');
  });

  it('detects record lines by content', () => {
    expect(isWfdbRecordLine('JS00001 12 500 5000')).toBe(true);
    expect(isWfdbRecordLine('041s/2 7 125 2000 8:26:04 26/10/1994')).toBe(true);
    expect(isWfdbRecordLine('s00001n 10 0.0166666666667/125 1')).toBe(true);
    expect(isWfdbRecordLine('ecg_id,patient_id,age')).toBe(false);
    expect(isWfdbRecordLine('hello world')).toBe(false);
  });
});

describe('parseWfdbHeader errors are one line with file and line number', () => {
  const base = readFileSync(dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01', '010', 'JS00001.hea'), 'latin1');
  const lines = base.split(/\r?\n/);
  const cases: [string, string, RegExp][] = [
    // A comment merged into the last signal line (the CinC JS01052 kind of damage).
    ['merged comment', [...lines.slice(0, 12), lines[12] + '#Age: 85', ...lines.slice(14)].join('\n'), /h\.hea:13: .*'#' comment/],
    // Two signal lines merged into one: 11 signal lines for 12 signals.
    [
      'merged signal lines',
      [...lines.slice(0, 11), lines[11] + ' ' + lines[12], ...lines.slice(13)].join('\n'),
      /h\.hea:(12|13): .*(declares 12 signals but has 11|malformed|not)/,
    ],
    [
      'merged record and signal line',
      [lines[0] + lines[1], ...lines.slice(2)].join('\n'),
      /h\.hea:1: number of samples '5000JS00001\.mat' is not an integer/,
    ],
    ['wrong nsig', base.replace('JS00001 12 500', 'JS00001 13 500'), /h\.hea:\d+: header declares 13 signals but has 12 signal lines/],
    ['bad format', base.replace('16+24 1000/mV 16 0 -254', '16y2 1000/mV 16 0 -254'), /h\.hea:2: signal format '16y2' is malformed/],
    ['unknown format', base.replace('16+24 1000/mV 16 0 -254', '17+24 1000/mV 16 0 -254'), /h\.hea:2: unknown WFDB signal format 17/],
    ['bad gain', base.replace('1000/mV 16 0 -254', 'abc/mV 16 0 -254'), /h\.hea:2: ADC gain 'abc' is not a number/],
    ['bad frequency', base.replace('JS00001 12 500', 'JS00001 12 fast'), /h\.hea:1: sampling frequency 'fast' is not a number/],
    ['bad length', base.replace('12 500 5000', '12 500 5e3x'), /h\.hea:1: number of samples '5e3x' is not an integer/],
    ['empty', '', /h\.hea: no record line/],
    ['only comments', '# nothing\n#Dx: 1\n', /h\.hea: no record line/],
    ['binary', '\0\x01\x02garbage', /h\.hea: not a WFDB header/],
    ['bad segment count', '041s/3 7 125 2000\n041s01 1000\n041s02 1000\n', /h\.hea:3: header declares 3 segments but has 2/],
  ];
  for (const [name, text, re] of cases) {
    it(name, () => {
      let err: unknown;
      try {
        parseWfdbHeader(text, '/x/h.hea');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(FormatError);
      const msg = (err as Error).message;
      expect(msg).toMatch(re);
      expect(msg).not.toContain('\n');
    });
  }
});
