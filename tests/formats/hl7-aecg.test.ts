import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { leadMillivolts } from '../../src-shared/record.ts';
import { FormatError } from '../../src-main/formats/format-error.ts';
import { hl7AecgReader, hl7TimeToIso, parseAecg } from '../../src-main/formats/hl7-aecg.ts';
import { philipsSierraEcgReader } from '../../src-main/formats/philips-sierraecg.ts';
import { dataPath } from '../helpers/shared-data.ts';

const fda = (...p: string[]) => dataPath('formats', 'hl7-aecg', 'fda', ...p);
const subject1 = fda('ectd_example/FDA000003/0000/m5/datasets/Test/misc/aecg/subject1_0.xml');
const head = (f: string) => new Uint8Array(readFileSync(f).subarray(0, 4096));
const mv = (rec: { leads: Parameters<typeof leadMillivolts>[0][] }, lead: string, i: number) =>
  leadMillivolts(rec.leads.find((l) => l.name === lead)!)[i];

describe('HL7 aECG reader', () => {
  it('reads the FDA eCTD example subject1_0: 12 rhythm leads, 500 Hz, 10 s, demographics', async () => {
    const [r] = await hl7AecgReader.read(subject1);
    expect(r.format).toBe('hl7-aecg');
    expect(r.recordName).toBe('subject1_0');
    expect(r.leads.map((l) => l.name)).toEqual(['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6', 'III', 'aVR', 'aVL', 'aVF']);
    expect(r.samplingRate).toBe(500);
    expect(r.length).toBe(5000);
    expect(r.leads.every((l) => l.digital.length === 5000 && l.units === 'uV')).toBe(true);
    expect(r.patientId).toBe('subject1');
    expect(r.sex).toBe('M');
    expect(r.age).toBe(46);
    expect(r.startTime).toBe('2002-11-22T09:10:00');
    expect(r.attributes['aecg.trial']).toBe('Test');
    // digits x 2.5 uV: lead I digit[1000] = -5, last = -13; V6 last = -15; aVL max = 253
    expect(mv(r, 'I', 0)).toBeCloseTo(-0.005, 6);
    expect(mv(r, 'I', 1000)).toBeCloseTo(-0.0125, 6);
    expect(mv(r, 'I', 4999)).toBeCloseTo(-0.0325, 6);
    expect(mv(r, 'V6', 4999)).toBeCloseTo(-0.0375, 6);
    expect(Math.max(...leadMillivolts(r.leads.find((l) => l.name === 'aVL')!))).toBeCloseTo(0.6325, 5);
  });

  it('keeps the rhythm series, not the representative beats under derivation (2003-12 schema example)', async () => {
    const [r] = await hl7AecgReader.read(fda('hl7/2003-12 Schema/example/Example aECG.xml'));
    expect(r.length).toBe(5000);
    expect(r.leads).toHaveLength(12);
    expect(r.startTime).toBe('2002-11-22T09:10:00.000');
    expect(r.patientId).toBe('SBJ-123');
  });

  it('reads the minimal aECG: one lead II with 13 digits', async () => {
    const [r] = await hl7AecgReader.read(fda('examples/minimum_aecg.xml'));
    expect(r.leads.map((l) => l.name)).toEqual(['II']);
    expect(r.length).toBe(13);
    expect(Array.from(r.leads[0].digital)).toEqual([-2, -2, -2, -2, -3, -4, -3, -5, -5, -4, -6, -9, -9]);
    expect(mv(r, 'II', 12)).toBeCloseTo(-0.0225, 6);
    expect(r.patientId).toBe('SBJ-123');
  });

  it('reads the LIRYC example at 100 Hz with its vendor PatientID element', async () => {
    const [r] = await hl7AecgReader.read(dataPath('formats', 'hl7-aecg', 'liryc', 'exemple', 'hl7aecg_example.xml'));
    expect(r.samplingRate).toBe(100);
    expect(r.length).toBe(1000);
    expect(r.patientId).toBe('25060897140');
    expect(r.sex).toBeUndefined(); // gender code 'UN'
    expect(r.leads.map((l) => l.name)).toEqual(['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
    expect(mv(r, 'aVR', 0)).toBeCloseTo(-0.185, 6); // -37 x 5 uV
    expect(mv(r, 'V1', 999)).toBeCloseTo(-0.07, 6); // -14 x 5 uV
    expect(r.startTime).toBe('2025-09-23T10:35:50');
  });

  it('detects aECG by content and not other XML', () => {
    expect(hl7AecgReader.detect(head(subject1), subject1)).toBe(true);
    expect(hl7AecgReader.detect(head(fda('examples/empty.xml')), 'empty.xml')).toBe(true);
    const sierra = dataPath('formats', 'philips-sierraecg', 'examples', 'xml', '1_04', '3191723_ZZDEMOPTONLY_1-04_orig.xml');
    expect(hl7AecgReader.detect(head(sierra), sierra)).toBe(false);
  });

  it('rejects the empty document and damaged waveforms with one-line FormatErrors', async () => {
    await expect(hl7AecgReader.read(fda('examples/empty.xml'))).rejects.toThrow(/empty\.xml: no waveform series/);
    const xml = readFileSync(fda('examples/minimum_aecg.xml'), 'utf8');
    expect(() => parseAecg(xml.replace(/<increment[^>]*\/>/, ''), 'a.xml')).toThrow(/time increment/);
    expect(() => parseAecg(xml.replace('-2 -2 -2', '-2 x7 -2'), 'a.xml')).toThrow(/digit 1 'x7' is not an integer/);
    expect(() => parseAecg(xml.replace(/<\/digits>[\s\S]*/, ''), 'a.xml')).toThrow(FormatError);
    expect(() => parseAecg(xml.replace('TIME_ABSOLUTE', 'TIME_OTHER'), 'a.xml')).toThrow(/no TIME_ABSOLUTE\/TIME_RELATIVE/);
  });

  it('reads GLIST_PQ relative time in ms, origin in another voltage unit and digits beyond 16 bits', () => {
    const xml = readFileSync(fda('examples/minimum_aecg.xml'), 'utf8')
      .replace('TIME_ABSOLUTE', 'TIME_RELATIVE')
      .replace('GLIST_TS', 'GLIST_PQ')
      .replace('<head value="20021122091000"/>', '<head value="0" unit="ms"/>')
      .replace('<increment value="0.002" unit="s"/>', '<increment value="4" unit="ms"/>')
      .replace('<origin value="0" unit="uV"/>', '<origin value="0.1" unit="mV"/>')
      .replace('-2 -2 -2 -2 -3', '40000 -2 -2 -2 -3');
    const r = parseAecg(xml, 'relative.xml');
    expect(r.samplingRate).toBe(250);
    expect(r.startTime).toBe('2002-11-22T09:10:00'); // from the series effective time
    expect(r.leads[0].digital).toBeInstanceOf(Int32Array);
    expect(leadMillivolts(r.leads[0])[0]).toBeCloseTo(100.1, 4); // 0.1 mV + 40000 x 2.5 uV
    expect(leadMillivolts(r.leads[0])[1]).toBeCloseTo(0.095, 6); // 100 uV - 2 x 2.5 uV
  });

  it('converts HL7 timestamps to ISO 8601', () => {
    expect(hl7TimeToIso('20021122091000')).toBe('2002-11-22T09:10:00');
    expect(hl7TimeToIso('20021122091000.250+0100')).toBe('2002-11-22T09:10:00.250+01:00');
    expect(hl7TimeToIso('19530508')).toBe('1953-05-08');
    expect(hl7TimeToIso('soon')).toBeUndefined();
  });

  it("keeps the device's global measurements and statements, the same as the Philips original says", async () => {
    const dir = dataPath('formats', 'philips-sierraecg', 'examples', 'xml', '1_04');
    const [converted] = await hl7AecgReader.read(path.join(dir, 'ad4d3d80-d165_1-04_converted.xml'));
    const [original] = await philipsSierraEcgReader.read(path.join(dir, 'ad4d3d80-d165_1-04_orig.xml'));
    expect(converted.device!.model).toBe('PageWriter Touch');
    for (const key of ['heartRate', 'rrInterval', 'prInterval', 'qrsDuration', 'qtInterval', 'qtcInterval']) {
      expect(converted.device!.measurements[key], key).toEqual(original.device!.measurements[key]);
    }
    expect(converted.device!.statements).toEqual([
      '(SB) SINUS BRADYCARDIA, V-rate<60',
      '(NPTA) NO PREVIOUS TRACING AVAILABLE FOR COMPARISON',
    ]);
    // FDA example: the representative beat's numerics (no interpretation), Mortara ELI250.
    const [fdaRec] = await hl7AecgReader.read(subject1);
    expect(fdaRec.device).toMatchObject({ model: 'ELI250', statements: [] });
    expect(fdaRec.device!.measurements.qrsAxis).toEqual({ value: -61, unit: 'deg' });
    expect(fdaRec.device!.measurements.qtcInterval).toEqual({ value: 443, unit: 'ms' });
    // The representative beats ride with the reading: 12 leads at the rhythm's 500 Hz, 2.5 uV steps.
    expect(converted.device!.representativeBeats).toMatchObject({ samplingRate: 500, length: 1200 });
    expect(converted.device!.representativeBeats!.leads).toHaveLength(12);
    // The same beat as the Philips original's repbeat of lead II (both 2.5 uV per unit).
    const ii = (d: typeof converted.device) => Buffer.from(d!.representativeBeats!.leads[1].values, 'base64');
    expect(ii(converted.device).equals(ii(original.device))).toBe(true);
  });
});
