import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { leadMillivolts } from '../../src-shared/record.ts';
import { dicomEcgReader, parseDicomEcg } from '../../src-main/formats/dicom-ecg.ts';
import { dataPath } from '../helpers/shared-data.ts';

const file = dataPath('formats', 'dicom', 'waveform_ecg.dcm');

/** A small DICOM file built by hand, explicit or implicit VR, sequences of undefined or defined length. */
function buildDicom(explicit: boolean, undefinedLengths: boolean): Uint8Array {
  const chunks: number[] = [];
  const u16 = (v: number) => chunks.push(v & 0xff, (v >> 8) & 0xff);
  const u32 = (v: number) => {
    u16(v & 0xffff);
    u16(v >>> 16);
  };
  const bytes = (b: ArrayLike<number>) => {
    for (let i = 0; i < b.length; i++) chunks.push(b[i]);
  };
  const str = (s: string) => {
    const b = Buffer.from(s.length % 2 ? s + ' ' : s, 'latin1');
    return b;
  };
  type El = [number, number, string, Uint8Array | El[][]];
  const enc = (els: El[], expl: boolean): number[] => {
    const saved = chunks.splice(0);
    for (const [g, e, vr, value] of els) {
      u16(g);
      u16(e);
      const body = value instanceof Uint8Array ? Array.from(value) : seq(value as El[][], expl);
      const long = ['OB', 'OW', 'SQ', 'UN', 'UT'].includes(vr);
      const len = vr === 'SQ' && undefinedLengths ? 0xffffffff : body.length;
      if (expl) {
        bytes(Buffer.from(vr));
        if (long) {
          u16(0);
          u32(len);
        } else u16(len);
      } else u32(len);
      bytes(body);
      if (vr === 'SQ' && undefinedLengths) {
        u16(0xfffe);
        u16(0xe0dd);
        u32(0);
      }
    }
    return chunks.splice(0, chunks.length, ...saved);
  };
  const seq = (items: El[][], expl: boolean): number[] =>
    items.flatMap((item) => {
      const body = enc(item, expl);
      const head = [0xfe, 0xff, 0x00, 0xe0];
      if (!undefinedLengths) return [...head, ...le32(body.length), ...body];
      return [...head, 0xff, 0xff, 0xff, 0xff, ...body, 0xfe, 0xff, 0x0d, 0xe0, 0, 0, 0, 0];
    });
  const le32 = (v: number) => [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff];
  const us = (v: number) => new Uint8Array([v & 0xff, v >> 8]);
  const ul = (v: number) => new Uint8Array(le32(v));
  const samples = new Int16Array([10, -20, 11, -21, 12, -22]); // 3 samples x 2 channels, multiplexed
  const channel = (meaning: string, sens: string, baseline: string): El[] => [
    [0x003a, 0x0208, 'SQ', [[[0x0008, 0x0104, 'LO', str(meaning)]]]],
    [0x003a, 0x0210, 'DS', str(sens)],
    [0x003a, 0x0211, 'SQ', [[[0x0008, 0x0100, 'SH', str('uV')]]]],
    [0x003a, 0x0212, 'DS', str('1')],
    [0x003a, 0x0213, 'DS', str(baseline)],
  ];
  const dataset: El[] = [
    [0x0010, 0x0020, 'LO', str('PAT-7')],
    [0x0010, 0x0040, 'CS', str('M')],
    [
      0x5400,
      0x0100,
      'SQ',
      [
        [
          [0x003a, 0x0005, 'US', us(2)],
          [0x003a, 0x0010, 'UL', ul(3)],
          [0x003a, 0x001a, 'DS', str('500')],
          [0x003a, 0x0020, 'SH', str('RHYTHM')],
          [0x003a, 0x0200, 'SQ', [channel('Lead II', '2.5', '0'), channel('Lead V1', '5', '100')]],
          [0x5400, 0x1004, 'US', us(16)],
          [0x5400, 0x1006, 'CS', str('SS')],
          [0x5400, 0x1010, 'OW', new Uint8Array(samples.buffer)],
        ],
      ],
    ],
  ];
  const ts = explicit ? '1.2.840.10008.1.2.1\0' : '1.2.840.10008.1.2\0';
  const meta = enc([[0x0002, 0x0010, 'UI', Buffer.from(ts, 'latin1')]], true);
  const body = enc(dataset, explicit);
  return new Uint8Array([...new Array(128).fill(0), ...Buffer.from('DICM'), ...meta, ...body]);
}

describe('DICOM ECG reader', () => {
  it('reads pydicom waveform_ecg.dcm: 12 leads, 1 kHz, 10 s, the RHYTHM group, patient data', async () => {
    const [r] = await dicomEcgReader.read(file);
    expect(r.format).toBe('dicom');
    expect(r.leads.map((l) => l.name)).toEqual(['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
    expect(r.samplingRate).toBe(1000);
    expect(r.length).toBe(10000);
    expect(r.patientId).toBe('642341');
    expect(r.sex).toBe('F');
    expect(r.age).toBe(42);
    expect(r.startTime).toBe('2013-01-25T10:59:19');
    expect(r.attributes['dicom.multiplexGroup']).toBe('RHYTHM');
    expect(r.attributes['dicom.birthDate']).toBe('1971-01-23');
    expect(r.attributes['dicom.statements']).toBe('RITMO SINUSALE | ECG NORMALE');
    // First and last multiplexed samples as pydicom documents them (raw values, sensitivity 1.25 uV)
    expect(r.leads.map((l) => l.digital[0])).toEqual([80, 90, 10, -85, 35, 50, 40, 15, -10, -20, -55, -40]);
    expect(r.leads.map((l) => l.digital[9999])).toEqual([20, 110, 90, -65, -35, 100, 20, -10, -90, -110, -120, -90]);
    expect(r.leads[0].units).toBe('uV');
    expect(leadMillivolts(r.leads[0])[0]).toBeCloseTo(0.1, 6);
    expect(leadMillivolts(r.leads[10])[9999]).toBeCloseTo(-0.15, 6);
  });

  it('detects by the DICM marker only', () => {
    const buf = readFileSync(file);
    expect(dicomEcgReader.detect(new Uint8Array(buf.subarray(0, 4096)), file)).toBe(true);
    expect(dicomEcgReader.detect(new Uint8Array(readFileSync(dataPath('mitdb', '100.hea'))), '100.hea')).toBe(false);
  });

  for (const [explicit, undef] of [
    [true, true],
    [true, false],
    [false, true],
    [false, false],
  ] as const) {
    it(`reads a ${explicit ? 'explicit' : 'implicit'} VR file with ${undef ? 'undefined' : 'defined'}-length sequences`, () => {
      const r = parseDicomEcg(buildDicom(explicit, undef), 'built.dcm');
      expect(r.patientId).toBe('PAT-7');
      expect(r.sex).toBe('M');
      expect(r.samplingRate).toBe(500);
      expect(r.leads.map((l) => l.name)).toEqual(['II', 'V1']);
      expect(Array.from(r.leads[0].digital)).toEqual([10, 11, 12]);
      expect(Array.from(r.leads[1].digital)).toEqual([-20, -21, -22]);
      expect(leadMillivolts(r.leads[0])[2]).toBeCloseTo(0.03, 6); // 12 x 2.5 uV
      expect(leadMillivolts(r.leads[1])[0]).toBeCloseTo(0, 6); // -20 x 5 uV + 100 uV baseline
    });
  }

  it('rejects truncated waveform data and unsupported transfer syntaxes with one line', () => {
    const buf = readFileSync(file);
    expect(() => parseDicomEcg(new Uint8Array(buf.subarray(0, buf.length - 1000)), 'cut.dcm')).toThrow(/cut\.dcm: .*runs past the end/);
    const big = Buffer.from(buf);
    const at = big.indexOf('1.2.840.10008.1.2.1');
    big.write('1.2.840.10008.1.2.2', at, 'latin1'); // explicit VR big endian
    expect(() => parseDicomEcg(new Uint8Array(big), 'be.dcm')).toThrow(/transfer syntax '1\.2\.840\.10008\.1\.2\.2' is not supported/);
  });
});
