import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { leadMillivolts } from '../../src-shared/record.ts';
import { edfReader, parseEdf } from '../../src-main/formats/edf.ts';
import { dataPath } from '../helpers/shared-data.ts';

const py = (f: string) => dataPath('formats', 'edf', 'pyedflib', f);
const wfdbSample = (f: string) => dataPath('formats', 'wfdb-python-sample-data', f);

describe('EDF / EDF+ / BDF reader', () => {
  it('reads pyedflib test_generator.edf (EDF+C): 11 signals at 200 Hz, patient fields, annotations', async () => {
    const [r] = await edfReader.read(py('test_generator.edf'));
    expect(r.format).toBe('edf');
    expect(r.leads).toHaveLength(11); // 12 signals minus 'EDF Annotations'
    expect(r.leads[0].name).toBe('squarewave');
    expect(r.leads[10].name).toBe('sine 50 Hz');
    expect(r.samplingRate).toBe(200);
    expect(r.length).toBe(120000); // 600 records x 200 samples
    expect(r.leads[0].digital).toBeInstanceOf(Int16Array);
    expect(r.patientId).toBe('abcxyz99');
    expect(r.sex).toBe('M');
    expect(r.age).toBe(41); // born 30-JUN-1969, recorded 04-APR-2011
    expect(r.startTime).toBe('2011-04-04T12:57:02');
    // physical range -1000..1000 uV over -32768..32767: gain 32.7675 digits/uV
    expect(r.leads[0].gain).toBeCloseTo(65535 / 2000, 9);
    expect(leadMillivolts(r.leads[0])[0]).toBeCloseTo(0.1, 4); // square wave at +100 uV
    const ann = r.annotations?.[0];
    expect(ann?.annotator).toBe('edf');
    expect(ann?.annotations.map((a) => [a.sample, a.aux])).toEqual([
      [0, 'Recording starts'],
      [120000, 'Recording ends'],
    ]);
  });

  it('reads the same signals from a plain EDF (no EDF+ reserved field)', async () => {
    const [legacy] = await edfReader.read(py('test_legacy.edf'));
    const [plus] = await edfReader.read(py('test_generator.edf'));
    expect(legacy.patientId).toBeUndefined();
    expect(legacy.attributes['edf.patient']).toBe('Legacy patient description');
    expect(Array.from(legacy.leads[4].digital.subarray(0, 400))).toEqual(Array.from(plus.leads[4].digital.subarray(0, 400)));
  });

  it('reads BDF 24-bit samples into Int32Array and keeps only the highest-rate signal', async () => {
    const [r] = await edfReader.read(py('test_generator.bdf'));
    expect(r.leads.map((l) => l.name)).toEqual(['sine 5Hz']);
    expect(r.leads[0].digital).toBeInstanceOf(Int32Array);
    expect(r.samplingRate).toBe(1000);
    expect(r.length).toBe(30000);
    expect(String(r.attributes['edf.skipped'])).toMatch(/^square 13Hz \(800 samples\/record, not 1000\);/);
    // 5 Hz sine of 1000 uV whose first sample is at t = 1 ms: sample i is sin(2 pi 5 (i + 1) / 1000)
    const mv = leadMillivolts(r.leads[0]);
    expect(mv[0]).toBeCloseTo(Math.sin(Math.PI / 100), 4);
    expect(mv[49]).toBeCloseTo(1, 3);
    expect(mv[99]).toBeCloseTo(0, 3);
    expect(mv[149]).toBeCloseTo(-1, 3);
    expect(r.startTime).toBe('2000-01-01T00:00:00');
  });

  it('derives the rate from the data record duration (0.5 s and 2 s records)', async () => {
    const [half] = await edfReader.read(py('test_generator_datarec_generator_0_5.bdf'));
    const [two] = await edfReader.read(py('test_generator_datarec_generator_2.bdf'));
    expect(half.samplingRate).toBe(2000);
    expect(two.samplingRate).toBe(500);
    expect(half.length / half.samplingRate).toBe(30);
    expect(two.length / two.samplingRate).toBe(30);
  });

  it('skips non-voltage channels and keeps the ECG signal (wfdb sample test_generator_2.edf)', async () => {
    const [r] = await edfReader.read(wfdbSample('test_generator_2.edf'));
    expect(r.leads.map((l) => l.name)).toContain('ECG');
    expect(r.leads).toHaveLength(9);
    expect(r.attributes['edf.skipped']).toBe("sine 15 Hz (units '°'); sine 17 Hz (units '°')");
    expect(r.startTime).toBe('2009-12-10T12:44:02');
  });

  it('applies the EDF+ subsecond start and negative physical ranges (test_subsecond.edf)', async () => {
    const [r] = await edfReader.read(py('test_subsecond.edf'));
    expect(r.startTime).toBe('2020-01-24T04:05:56.394531');
    expect(r.samplingRate).toBe(128);
    expect(r.leads[0].name).toBe('Fp1');
    expect(r.leads[0].gain).toBeLessThan(0); // physical max -8711 < min 8711
    expect(r.sex).toBe('F');
    const ann = r.annotations![0].annotations;
    expect(ann[0]).toEqual({ sample: 250, symbol: '"', aux: 'XLSpike' }); // (2.3457031 - 0.3945312) s x 128
  });

  it('reads EDF+D as back-to-back data records and says so', () => {
    const buf = Buffer.from(readFileSync(py('test_generator.edf')));
    buf.write('EDF+D', 192, 'latin1');
    const r = parseEdf(new Uint8Array(buf), 'discontinuous.edf');
    expect(r.attributes['edf.discontinuous']).toMatch(/^EDF\+D: data records concatenated/);
    expect(r.length).toBe(120000);
  });

  it('decodes UTF-8 annotation text', async () => {
    const [r] = await edfReader.read(py('test_utf8.edf'));
    expect(r.annotations![0].annotations.map((a) => a.aux)).toContain('中文测试八个字');
  });

  it('rejects an annotation-only file and damaged headers with one-line errors', async () => {
    await expect(edfReader.read(wfdbSample('test_edfann.edf'))).rejects.toThrow(/test_edfann\.edf: no voltage signals/);
    const buf = Buffer.from(readFileSync(py('test_generator.edf')));
    const bad = Buffer.from(buf);
    bad.write('abc     ', 256 + 104 * 12, 'latin1'); // physical minimum of the first signal
    expect(() => parseEdf(new Uint8Array(bad), 'bad.edf')).toThrow(/header field 'physical minimum of squarewave' is 'abc'/);
    expect(() => parseEdf(new Uint8Array(buf.subarray(0, 3000)), 'cut.edf')).toThrow(/header of 3328 bytes is truncated/);
    const short = parseEdf(new Uint8Array(buf.subarray(0, buf.length - 10000)), 'short.edf');
    expect(short.attributes['edf.truncatedRecords']).toBe(3);
    expect(short.length).toBe(597 * 200);
  });

  it('detects EDF and BDF by header, not other binaries', () => {
    const head = (f: string) => new Uint8Array(readFileSync(f).subarray(0, 4096));
    expect(edfReader.detect(head(py('test_generator.edf')), 'x')).toBe(true);
    expect(edfReader.detect(head(py('test_generator.bdf')), 'x')).toBe(true);
    expect(edfReader.detect(head(dataPath('formats', 'dicom', 'waveform_ecg.dcm')), 'x')).toBe(false);
    expect(edfReader.detect(head(dataPath('mitdb', '100.dat')), 'x')).toBe(false);
  });
});
