import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { leadMillivolts } from '../../src-shared/record.ts';
import type { EcgRecord, LeadSignal } from '../../src-shared/record.ts';
import { detectQrs } from '../../src-main/dsp/qrs-detector.ts';
import { ecgClean } from '../../src-main/dsp/ecg-clean.ts';
import { rrStatistics } from '../../src-main/dsp/measurements.ts';
import { hl7AecgReader } from '../../src-main/formats/hl7-aecg.ts';
import { parsePhilips, philipsSierraEcgReader } from '../../src-main/formats/philips-sierraecg.ts';
import { lzwDecode } from '../../src-main/formats/philips-xli.ts';
import { detectReader, readerForFile } from '../../src-main/formats/readers.ts';
import { dataPath } from '../helpers/shared-data.ts';

const xml = (...p: string[]) => dataPath('formats', 'philips-sierraecg', 'examples', 'xml', ...p);
const V103 = xml('1_03', '129DYPRG.XML');
const V104 = xml('1_04', '3191723_ZZDEMOPTONLY_1-04_orig.xml');
const V104_ORIG = xml('1_04', 'ad4d3d80-d165_1-04_orig.xml');
const V104_AECG = xml('1_04', 'ad4d3d80-d165_1-04_converted.xml');
const V10401 = xml('1_04_01', '2020-5-18_15-48-11.xml');
const ALL = [V103, V104, V104_ORIG, V10401];
const STD12 = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'];
const head = (f: string) => new Uint8Array(readFileSync(f).subarray(0, 4096));
const lead = (r: EcgRecord, name: string): LeadSignal => r.leads.find((l) => l.name === name)!;
const read = async (f: string) => (await philipsSierraEcgReader.read(f))[0];

describe('Philips SierraECG XML reader', () => {
  it('is chosen by content for UTF-8 (1.03) and UTF-16 LE with BOM (1.04, 1.04.01) files; the converted aECG stays HL7', () => {
    expect(readFileSync(V104).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xfe]));
    for (const f of ALL) {
      expect(detectReader(head(f), f)?.format).toBe('philips-sierraecg');
      expect(readerForFile(head(f), f)?.format).toBe('philips-sierraecg');
    }
    expect(detectReader(head(V104_AECG), V104_AECG)?.format).toBe('hl7-aecg');
  });

  it('decodes the XLI waveforms of every version: 12 leads x 5500 samples at 500 Hz, 5 uV per unit, the 1 mV calibration mark cut off', async () => {
    for (const f of ALL) {
      const r = await read(f);
      expect(r.samplingRate).toBe(500);
      // 11 000 ms declared = 5500 samples, of which the last few hundred are the cart's calibration mark in every lead.
      expect(r.length + Number(r.attributes['philips.calibrationSamples'])).toBe(5500);
      expect(r.length).toBeGreaterThan(5000);
      // The mark is 1 mV: 200 units of 5 uV, so the scale is right.
      expect(r.attributes['philips.calibrationUv']).toBe(1000);
      expect(r.leads.map((l) => l.name)).toEqual(STD12);
      expect(r.leads.every((l) => l.digital.length === r.length && l.units === 'uV' && l.gain === 0.2 && !l.derived)).toBe(true);
      expect(r.warnings).toBeUndefined();
    }
  });

  it('gives the mid-record values sierra-ecg-tools asserts for its fixtures (sample 2750 of each lead)', async () => {
    const mid = async (f: string) => (await read(f)).leads.map((l) => l.digital[2750]);
    expect(await mid(V103)).toEqual([-9, -17, -7, 13, -1, -12, 0, -1, -3, -4, -7, -6]);
    expect(await mid(V104)).toEqual([-11, -54, -43, 33, 16, -50, 7, -4, -14, -41, -35, -33]);
    expect(await mid(V104_ORIG)).toEqual([32, 46, 14, -39, 9, 30, -74, 320, -1633, 197, 26, 55]);
    expect(await mid(V10401)).toEqual([-12, 78, 90, -33, -51, 84, 14, 3, -24, -20, -13, -21]);
  });

  it('agrees sample by sample with the HL7 aECG conversion of the same ECG shipped beside it', async () => {
    const [ref] = await hl7AecgReader.read(V104_AECG);
    const r = await read(V104_ORIG);
    expect(ref.length).toBe(5500);
    for (const name of STD12) {
      const a = leadMillivolts(lead(ref, name)).subarray(0, r.length);
      const b = leadMillivolts(lead(r, name));
      let sum = 0;
      let worst = 0;
      for (let i = 0; i < a.length; i++) {
        const d = Math.abs(a[i] - b[i]) * 1000;
        sum += d;
        worst = Math.max(worst, d);
      }
      // The converter rounds/filters lightly: within 4 units (20 uV) everywhere, under 1 unit (5 uV) on average,
      // including V3's -17 mV electrode offset that both keep.
      expect(worst, name).toBeLessThanOrEqual(20.01);
      expect(sum / a.length, name).toBeLessThan(5);
    }
  });

  it('restores the limb leads: III = II - I and aVR + aVL + aVF = 0 within the stored residual', async () => {
    for (const f of ALL) {
      const r = await read(f);
      const [i1, i2, i3, ar, al, af] = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF'].map((n) => lead(r, n).digital);
      let einthoven = 0;
      let goldberger = 0;
      for (let k = 0; k < r.length; k++) {
        einthoven = Math.max(einthoven, Math.abs(i3[k] - (i2[k] - i1[k])));
        goldberger = Math.max(goldberger, Math.abs(ar[k] + al[k] + af[k]));
      }
      expect(einthoven, `${f} III`).toBeLessThanOrEqual(3);
      expect(goldberger, `${f} aV*`).toBeLessThanOrEqual(3);
    }
  });

  it('decodes physiological amplitudes and the heart rate the cart measured', async () => {
    for (const f of ALL) {
      const r = await read(f);
      for (const l of r.leads) {
        // Band-limited as for measurements: raw V3 of one file drifts by several mV (0.05 Hz high-pass at the cart).
        const mv = ecgClean(leadMillivolts(l), r.samplingRate, 'measurement');
        const sorted = Float32Array.from(mv).sort();
        const ptp = sorted[Math.floor(sorted.length * 0.999)] - sorted[Math.floor(sorted.length * 0.001)];
        expect(ptp, `${f} ${l.name}`).toBeGreaterThan(0.05);
        expect(ptp, `${f} ${l.name}`).toBeLessThan(8);
      }
      const beats = detectQrs(r.leads.map(leadMillivolts), r.samplingRate);
      // The cart's rate is from the mean RR (one file slows from ~100 to ~70 bpm).
      const ours = 60000 / rrStatistics(beats, r.samplingRate)!.meanMs;
      const cart = r.device!.measurements.heartRate.value;
      expect(Math.abs(ours - cart), `${f}: ours ${ours.toFixed(1)} vs cart ${cart}`).toBeLessThan(4);
    }
  });

  it('keeps the cart reading: model, measurements, statements, filters, representative beats', async () => {
    const r = await read(V104);
    expect(r.patientId).toBe('9999');
    expect(r.sex).toBe('M');
    expect(r.startTime).toBe('2010-01-19T15:19:22');
    expect(r.attributes['philips.documentVersion']).toBe('1.04');
    const d = r.device!;
    expect(d.model).toBe('Philips PageWriter Touch');
    expect(d.measurements.heartRate).toEqual({ value: 84, unit: 'bpm' });
    expect(d.measurements.rrInterval).toEqual({ value: 714, unit: 'ms' });
    expect(d.measurements.prInterval).toEqual({ value: 144, unit: 'ms' });
    expect(d.measurements.qrsDuration).toEqual({ value: 84, unit: 'ms' });
    expect(d.measurements.qtInterval).toEqual({ value: 352, unit: 'ms' });
    expect(d.measurements.qtcInterval).toEqual({ value: 417, unit: 'ms' });
    expect([d.measurements.pAxis.value, d.measurements.qrsAxis.value, d.measurements.tAxis.value]).toEqual([81, 78, 67]);
    expect(d.statements[0]).toBe('SINUS RHYTHM — normal P axis, V-rate 60-99');
    expect(d.statements).toContain('PROBABLE LEFT VENTRICULAR HYPERTROPHY — (RaVL+SV3)xQRSd >280');
    expect(d.statements.at(-1)).toBe('- ABNORMAL ECG -');
    expect(d.filters).toMatchObject({ highPassHz: 0.05, lowPassHz: 150, reportHighPassHz: 0.15, reportLowPassHz: 100 });
    const beats = d.representativeBeats!;
    expect(beats).toMatchObject({ samplingRate: 500, length: 1200, method: 'mean' });
    expect(beats.leads.map((l) => l.name)).toEqual(STD12);
    expect(beats.leads[0].gain).toBeCloseTo(1 / 2.5, 12);

    // 1.03: measurements under interpretationmeasurements, entities decoded in statements, no repbeats.
    const old = await read(V103);
    expect(old.device!.model).toBe('Philips HeartstartMRx');
    expect(old.device!.measurements.heartRate.value).toBe(41);
    expect(old.device!.measurements.qrsDuration.value).toBe(135);
    expect(old.device!.statements).toContain('Sinus bradycardia — rate< 50');
    expect(old.device!.statements).toContain('>>> Acute MI <<<');
    expect(old.age).toBe(50);
    // 1.04.01: 1 kHz representative beats.
    expect((await read(V10401)).device!.representativeBeats).toMatchObject({ samplingRate: 1000, length: 1200 });
  });

  it('reads uncompressed base64 and plain waveforms to the same samples as the XLI ones', async () => {
    const r = await read(V104);
    const n = r.length;
    const bytes = Buffer.alloc(12 * n * 2);
    r.leads.forEach((l, i) => l.digital.forEach((v, k) => bytes.writeInt16LE(v, (i * n + k) * 2)));
    const src = readFileSync(V104)
      .toString('utf16le')
      .replace('durationperchannel="11000"', `durationperchannel="${n * 2}"`);
    const swap = (attrs: string, body: string) =>
      src.replace(
        /<parsedwaveforms([^>]*)>[^<]*<\/parsedwaveforms>/,
        (_m, a: string) => `<parsedwaveforms${a.replace('compression="XLI"', attrs)}>${body}</parsedwaveforms>`,
      );
    for (const doc of [
      swap('compression="Uncompressed"', bytes.toString('base64')),
      swap('compression="Uncompressed"', r.leads.map((l) => Array.from(l.digital).join(' ')).join('\n')).replace(
        'dataencoding="Base64" compression',
        'dataencoding="Plain" compression',
      ),
    ]) {
      const u = parsePhilips(doc, 'uncompressed.xml');
      expect(u.leads.map((l) => l.name)).toEqual(STD12);
      for (const name of STD12) expect(Array.from(lead(u, name).digital)).toEqual(Array.from(lead(r, name).digital));
    }
  });

  it('gives one-line reasons for invalid documents', async () => {
    const src = readFileSync(V103, 'utf8');
    const cases: [string, RegExp][] = [
      [
        src.replace('<documenttype>SierraECG</documenttype>', '<documenttype>OtherECG</documenttype>'),
        /documenttype 'OtherECG' is not SierraECG or PhilipsECG/,
      ],
      [
        src.replace('<documentversion>1.03</documentversion>', '<documentversion>2.00</documentversion>'),
        /document version '2\.00' is not 1\.03 or 1\.04/,
      ],
      [src.replace(/<parsedwaveforms[^>]*>[^<]*<\/parsedwaveforms>/, ''), /no waveforms\/parsedwaveforms element/],
      [src.replace('compressmethod="XLI"', 'compressmethod="ZIP"'), /waveform compression 'ZIP' is not supported/],
      [src.replace(/(<parsedwaveforms[^>]*>)(.{40})/s, '$1$2!!'), /parsedwaveforms: not base64 \(character '!'\)/],
      [src.replace('durationperchannel="11000"', 'durationperchannel="-5"'), /durationperchannel '-5' is not a duration/],
      ['<?xml version="1.0"?><restingecgdata><documentinfo><documenttype', /not well-formed XML/],
    ];
    for (const [doc, reason] of cases) {
      let message = '';
      try {
        parsePhilips(doc, 'bad.xml');
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(reason);
      expect(message).toMatch(/^bad\.xml: /);
      expect(message).not.toMatch(/\n/);
    }
  });

  it('rejects an LZW code that is not yet defined and bounds the output', () => {
    // 10-bit codes MSB first: 0x041 ('A'), then 300 (undefined: the table only reaches 256).
    const codes = [0x41, 300];
    const bits = codes
      .map((c) => c.toString(2).padStart(10, '0'))
      .join('')
      .padEnd(24, '0');
    const bytes = Uint8Array.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
    expect(() => lzwDecode(bytes, 100, 'x')).toThrow(/LZW code 300 at bit 10 is not yet defined/);
    // 'A', 'A', then code 257 (KwKwK, being defined) repeatedly: expands fast, capped at maxBytes.
    const many = [0x41, 0x41, ...Array.from({ length: 40 }, (_, i) => 257 + i)];
    const bits2 = many.map((c) => c.toString(2).padStart(10, '0')).join('');
    const bytes2 = Uint8Array.from(
      bits2
        .padEnd(Math.ceil(bits2.length / 8) * 8, '0')
        .match(/.{8}/g)!
        .map((b) => parseInt(b, 2)),
    );
    expect(lzwDecode(bytes2, 10_000, 'x').length).toBe(2 + (40 * 41) / 2 + 40);
    expect(() => lzwDecode(bytes2, 100, 'x')).toThrow(/expands beyond 100 bytes/);
  });
});
