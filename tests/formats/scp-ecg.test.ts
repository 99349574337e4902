// SCP-ECG reader: the seven Welch Allyn exports and the PC-80B file in ../shared/data (default Huffman table, first
// differences, reference beat stored but not subtracted, raw-word quirk), and synthetic files from the test writer
// for the paths no real sample uses (custom tables with switching, no Huffman, second differences, bimodal,
// reference-beat subtraction), plus CRC and corruption handling.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../src-main/formats/format-error.ts';
import { decodeScp, parseScp } from '../../src-main/formats/scp-ecg.ts';
import type { HuffmanCode } from '../../src-main/formats/scp-huffman.ts';
import { leadMillivolts } from '../../src-shared/record.ts';
import type { EcgRecord } from '../../src-shared/record.ts';
import { seededRandom } from '../../src-shared/seeded-random.ts';
import { dataPath } from '../helpers/shared-data.ts';
import { fixScpCrcs, writeScp } from '../helpers/scp-writer.ts';
import type { ScpTestFile } from '../helpers/scp-writer.ts';

const dir = dataPath('formats', 'scp-ecg');
const WELCH_ALLYN = readdirSync(dir)
  .filter((f) => f.endsWith('.SCP'))
  .sort();
const read = (name: string) => parseScp(readFileSync(`${dir}/${name}`), name);
const lead = (r: EcgRecord, name: string) => {
  const l = r.leads.find((x) => x.name === name);
  if (!l) throw new Error(`no lead ${name}`);
  return l;
};

/** R peaks (sample indices) of a lead in mV: slope maxima at least 250 ms apart, then the largest |deviation| nearby. */
function rPeaks(mv: Float32Array, fs: number): number[] {
  const slope = new Float32Array(mv.length);
  for (let i = 1; i + 1 < mv.length; i++) slope[i] = Math.abs(mv[i + 1] - mv[i - 1]);
  const threshold = 0.4 * slope.reduce((a, b) => Math.max(a, b), 0);
  const refractory = Math.round(0.25 * fs);
  const near = Math.round(0.06 * fs);
  const peaks: number[] = [];
  for (let i = 1; i + 1 < mv.length; i++) {
    if (slope[i] < threshold) continue;
    let best = i;
    for (let k = i; k < Math.min(mv.length, i + refractory); k++) if (slope[k] > slope[best]) best = k;
    let r = best;
    for (let k = Math.max(0, best - near); k < Math.min(mv.length, best + near); k++) if (Math.abs(mv[k]) > Math.abs(mv[r])) r = k;
    peaks.push(r);
    i = best + refractory;
  }
  return peaks;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

describe('SCP-ECG, Welch Allyn CardioControl exports', () => {
  it.each(WELCH_ALLYN)('%s: 8 recorded + 4 derived leads, 600 Hz, 10 s, 3750 nV per count, no warnings', (name) => {
    const r = read(name);
    const recorded = name.startsWith('example_')
      ? ['I', 'II', 'V3R', 'V1', 'V2', 'V4', 'V6', 'V7']
      : ['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'];
    expect(r.leads.filter((l) => !l.derived).map((l) => l.name)).toEqual(recorded);
    expect(r.leads.filter((l) => l.derived).map((l) => l.name)).toEqual(['III', 'aVR', 'aVL', 'aVF']);
    expect(r).toMatchObject({ format: 'scp-ecg', samplingRate: 600, length: 6000 });
    for (const l of r.leads) {
      expect(l.digital.length).toBe(6000);
      expect(l.units).toBe('uV');
      expect(l.gain).toBeCloseTo(1000 / 3750, 12);
    }
    expect(r.warnings).toBeUndefined();
    expect(r.attributes['scp.compression']).toBe('default Huffman table; first differences; reference beat stored, not subtracted');
  });

  it.each(WELCH_ALLYN)('%s: physiological amplitudes, R peaks aligned across leads, rate as the device measured', (name) => {
    const r = read(name);
    const fs = r.samplingRate;
    const ii = leadMillivolts(lead(r, 'II'));
    const peaks = rPeaks(ii, fs);
    const rr = median(peaks.slice(1).map((p, i) => ((p - peaks[i]) * 1000) / fs));
    // The device's own average RR (section 7) against the R peaks found in the decoded signal.
    expect(Math.abs(rr - r.device!.measurements.rrInterval.value)).toBeLessThan(0.06 * r.device!.measurements.rrInterval.value);
    for (const l of r.leads.filter((x) => !x.derived)) {
      const mv = leadMillivolts(l);
      const span = Math.max(...mv) - Math.min(...mv);
      expect(span, l.name).toBeGreaterThan(0.2);
      expect(span, l.name).toBeLessThan(8);
      // Every lead's steepest QRS slope lies within 50 ms of lead II's R peak.
      const w = Math.round(0.1 * fs);
      const offsets = peaks
        .filter((p) => p > w && p < mv.length - w)
        .map((p) => {
          let best = p - w;
          for (let k = p - w; k < p + w; k++) if (Math.abs(mv[k + 1] - mv[k - 1]) > Math.abs(mv[best + 1] - mv[best - 1])) best = k;
          return Math.abs(best - p);
        });
      expect(median(offsets) / fs, l.name).toBeLessThan(0.05);
    }
  });

  it.each(WELCH_ALLYN)(
    "%s: reference beat R amplitudes (I, II, and III, aVF from them) match the device's section 10; the rhythm's beats agree",
    (name) => {
      const { record: r, reference } = decodeScp(readFileSync(`${dir}/${name}`), name);
      const device = JSON.parse(String(r.attributes['scp.leadMeasurements'])) as Record<string, Record<string, number>>;
      expect(reference).toMatchObject({ samplingRate: 600, avm: 3750 });
      const beat = (n: string) => Array.from(reference!.leads.find((l) => l.name === n)!.values, (x) => (x * reference!.avm) / 1000);
      const [i, ii] = [beat('I'), beat('II')];
      // Einthoven/Goldberger on the device's own median beat: III = II - I, aVF = II - I/2.
      const limb: Record<string, number[]> = { I: i, II: ii, III: ii.map((x, k) => x - i[k]), aVF: ii.map((x, k) => x - i[k] / 2) };
      for (const [lead, uv] of Object.entries(limb)) {
        const rAmplitude = Math.max(...uv.slice(reference!.fiducial! - 36, reference!.fiducial! + 36));
        expect(
          Math.abs(rAmplitude - device[lead].rAmplitude),
          `${lead}: ours ${rAmplitude.toFixed(0)} µV, device ${device[lead].rAmplitude} µV`,
        ).toBeLessThan(25);
      }
      // The rhythm's beats in lead II reach the reference beat's R (its 35 Hz low-pass flattens narrow QRS a little).
      const fs = r.samplingRate;
      const uv = Array.from(leadMillivolts(lead(r, 'II')), (x) => x * 1000);
      const peaks = rPeaks(leadMillivolts(lead(r, 'II')), fs).filter((p) => p > 0.2 * fs && p < r.length - 0.2 * fs);
      const rhythmR = median(peaks.map((p) => Math.max(...uv.slice(p - 30, p + 30)) - median(uv.slice(p - 60, p - 40))));
      const referenceR =
        Math.max(...ii.slice(reference!.fiducial! - 36, reference!.fiducial! + 36)) -
        median(ii.slice(reference!.fiducial! - 60, reference!.fiducial! - 40));
      expect(rhythmR / referenceR).toBeGreaterThan(0.7);
      expect(rhythmR / referenceR).toBeLessThan(1.1);
    },
  );

  it('reads patient, acquisition, device measurements and Swedish statements (ISO 8859-1)', () => {
    const r = read('ECG_20170504_163507_123456789.SCP');
    expect(r).toMatchObject({ patientId: '123456789', age: 104, sex: 'M', startTime: '2017-05-04T16:35:07' });
    expect(r.attributes['scp.birthDate']).toBe('1912-12-12');
    expect(r.device).toEqual({
      model: 'Welch Allyn Cardio Control MDW14',
      measurements: {
        rrInterval: { value: 1000, unit: 'ms' },
        heartRate: { value: 60, unit: 'bpm' },
        pDuration: { value: 92, unit: 'ms' },
        prInterval: { value: 167, unit: 'ms' },
        qrsDuration: { value: 88, unit: 'ms' },
        qtInterval: { value: 386, unit: 'ms' },
        qtcInterval: { value: 386, unit: 'ms' },
        pAxis: { value: 48, unit: 'deg' },
        qrsAxis: { value: 48, unit: 'deg' },
        tAxis: { value: 49, unit: 'deg' },
      },
      statements: ['sinusrytm (långsam)', 'hög P-amplitud', 'normal EKG-variant'],
      filters: { lowPassHz: 35, notchHz: 50 },
    });
    expect(read('example_full_anon.SCP').device!.statements).toContain('AV-block I (begränsad)');
    expect(read('ECG_20070321_110542_ANON000014.SCP').device!.statements.slice(0, 3)).toEqual([
      'sinusrytm',
      'VK-hypertrofi',
      'ålderskorrigerat Sokolow index (SV1+RV5 eller V6) = 4.1 mV',
    ]);
    const paced = read('ECG_20081029_105642_ANON000010.SCP').device!;
    expect(paced.statements[0]).toMatch(/^Warning: artifact/);
    // P wave undefined (29999) and P axis 999 are left out, not stored as numbers.
    expect(paced.measurements.prInterval).toBeUndefined();
    expect(paced.measurements.pAxis).toBeUndefined();
    expect(paced.measurements).toMatchObject({ heartRate: { value: 80, unit: 'bpm' }, qtcInterval: { value: 412, unit: 'ms' } });
  });
});

describe('SCP-ECG, PC-80B handheld (non-compliant section 6)', () => {
  const name = 'pc-80b/1.SCP';
  it('reads the raw 12-bit words with a warning, 1 lead, 150 Hz, 30 s, 806 nV per count', () => {
    const r = read(name);
    expect(r).toMatchObject({ samplingRate: 150, length: 4500, startTime: '2000-01-13T00:02:09' });
    expect(r.attributes).toMatchObject({
      'scp.version': '1.3',
      'scp.sections': '0,1,2,3,6,9',
      'scp.compression': 'raw 12-bit words (PC-80B)',
    });
    expect(r.leads.map((l) => l.name)).toEqual(['SCP lead 101']);
    expect(r.leads[0].gain).toBeCloseTo(1000 / 806, 12);
    expect(r.warnings).toEqual([expect.stringMatching(/PC-80B/)]);
    // Section 6's data start after its headers (pointer index 173 -> byte 172, +16 header, +6, +2 lead length).
    const raw = readFileSync(`${dir}/${name}`);
    const at = 172 + 16 + 6 + 2;
    const words = Array.from({ length: 4500 }, (_, i) => (raw.readUInt16LE(at + 2 * i) & 0xfff) - 2048);
    expect(Array.from(r.leads[0].digital)).toEqual(words);
    const mv = leadMillivolts(r.leads[0]);
    expect(Math.max(...mv) - Math.min(...mv)).toBeGreaterThan(0.2);
    expect(Math.max(...mv.map(Math.abs))).toBeLessThan(5);
  });
});

// ---- synthetic files ----

/** A beat-like test signal in counts: baseline wander plus a sharp QRS every `rr` samples from `first`. */
function synthetic(length: number, rr: number, first: number, scale: number): Int32Array {
  const out = new Int32Array(length);
  for (let i = 0; i < length; i++) {
    let v = (37 + 40 * Math.sin((2 * Math.PI * i) / 900)) * scale;
    for (let b = first; b < length + 100; b += rr) {
      const t = i - b;
      v += scale * (600 * Math.exp(-(t * t) / 18) - 150 * Math.exp(-((t - 8) ** 2) / 20) + 120 * Math.exp(-((t - 90) ** 2) / 400));
    }
    out[i] = Math.round(v);
  }
  return out;
}

const base = (over: Partial<ScpTestFile> = {}): ScpTestFile => ({
  leads: [
    { code: 1, values: synthetic(3000, 500, 200, 1) },
    { code: 2, values: synthetic(3000, 500, 200, 1.6) },
    { code: 7, values: synthetic(3000, 500, 200, -0.8) },
  ],
  intervalUs: 2000,
  avm: 5000,
  ...over,
});

const digits = (r: EcgRecord, i: number) => Array.from(r.leads[i].digital);
/** Byte offset of a section in a file from the test writer (section 0 lists ids 0-11 in order). */
const sectionOffset = (b: Uint8Array, id: number) => new DataView(b.buffer, b.byteOffset).getUint32(6 + 16 + id * 10 + 6, true) - 1;

describe('SCP-ECG, synthetic compression paths', () => {
  it('keeps lead names unique when lead codes repeat or are unspecified', () => {
    const f = base();
    f.leads = f.leads.map((l) => ({ ...l, code: 0 }));
    expect(parseScp(writeScp(f), 'unspecified.scp').leads.map((l) => l.name)).toEqual(['unspecified', 'unspecified-2', 'unspecified-3']);
  });

  it('round-trips the default table with first and second differences, and raw int16 without section 2', () => {
    for (const over of [
      { difference: 1 as const },
      { difference: 2 as const },
      { difference: 0 as const, huffman: 'none' as const },
      { difference: 2 as const, huffman: 'none' as const },
    ]) {
      const f = base(over);
      const r = parseScp(writeScp(f), 'synthetic.scp');
      expect(r.samplingRate).toBe(500);
      expect(r.leads.slice(0, 3).map((l) => l.name)).toEqual(['I', 'II', 'V5']);
      f.leads.forEach((l, i) => expect(digits(r, i)).toEqual(Array.from(l.values)));
      expect(r.warnings).toBeUndefined();
    }
  });

  it('decodes custom Huffman tables with a switch between tables', () => {
    const c = (prefixBits: number, prefix: number, value: number, isValue = true, totalBits = prefixBits): HuffmanCode => ({
      prefixBits,
      totalBits,
      isValue,
      value,
      prefix,
    });
    // Table 1: small values and a switch to table 2; table 2: a 16-bit escape and a switch back.
    const t1 = [c(1, 0b0, 0), c(3, 0b100, 1), c(3, 0b101, -1), c(3, 0b110, 2), c(4, 0b1110, -2), c(4, 0b1111, 2, false)];
    const t2 = [c(1, 0b0, 0, true, 17), c(1, 0b1, 1, false)];
    const f = base({ huffman: [t1, t2], difference: 1 });
    const file = writeScp(f);
    const r = parseScp(file, 'custom.scp');
    f.leads.forEach((l, i) => expect(digits(r, i)).toEqual(Array.from(l.values)));
    expect(r.attributes['scp.compression']).toMatch(/^2 custom Huffman table/);
  });

  const beats = (f: ScpTestFile, fiducial: number, length: number) =>
    f.leads.map((l) => l.values.slice(700 - fiducial + 1, 700 - fiducial + 1 + length)); // the beat at sample 700 (0-based)

  it('adds the reference beat back over the subtraction zones: exact, and continuous at the zone edges', () => {
    const f = base({ difference: 1 });
    const fiducial = 60;
    const qrs = [200, 700, 1200, 1700, 2200, 2700].map((p) => ({ type: 0, start: p + 1 - 40, fiducial: p + 1, end: p + 1 + 120 }));
    // The reference beat comes from one beat, so the others leave a residual; a zone not of type 0 is left alone.
    qrs[3].type = 1;
    f.reference = { beats: beats(f, fiducial, 200), fiducial, qrs, subtract: true };
    const r = parseScp(writeScp(f), 'subtracted.scp');
    expect(r.attributes['scp.compression']).toMatch(/reference beat subtracted \(5 beats\)/);
    f.leads.forEach((l, i) => expect(digits(r, i)).toEqual(Array.from(l.values)));
    // Without adding the beat back, the residual jumps at the zone edges: the check below would catch a missed beat.
    const jumps = (v: number[]) =>
      Math.max(...qrs.flatMap((q) => [Math.abs(v[q.start - 1] - v[q.start - 2]), Math.abs(v[q.end] - v[q.end - 1])]));
    const typical = (v: number[]) => median(v.slice(1).map((x, k) => Math.abs(x - v[k])));
    const ii = digits(r, 1);
    expect(jumps(ii)).toBeLessThanOrEqual(Math.max(6, 4 * typical(ii)));
    const file = writeScp(f);
    file[sectionOffset(file, 3) + 16 + 1] &= ~1; // section 3: "reference beat not subtracted"
    const residual = parseScp(fixScpCrcs(file), 'residual.scp');
    expect(residual.attributes['scp.compression']).toMatch(/not subtracted/);
    expect(jumps(digits(residual, 1))).toBeGreaterThan(4 * typical(ii));
  });

  it("rescales the reference beat when its amplitude multiplier differs from the rhythm's", () => {
    const f = base({ difference: 2 });
    const fiducial = 60;
    const qrs = [700, 1200].map((p) => ({ type: 0, start: p + 1 - 40, fiducial: p + 1, end: p + 1 + 120 }));
    const beat = beats(f, fiducial, 200).map((b) => b.map((x) => Math.round(x / 2)));
    f.reference = { beats: beat, fiducial, qrs, subtract: true, avm: 10000 };
    const r = parseScp(writeScp(f), 'avm.scp');
    f.leads.forEach((l, i) => expect(digits(r, i)).toEqual(Array.from(l.values)));
  });

  it('expands bimodal residuals: exact in the protected zones, interpolated elsewhere', () => {
    const f = base({ difference: 1 });
    const fiducial = 60;
    const qrs = [200, 700, 1200, 1700, 2200, 2700].map((p) => ({ type: 0, start: p + 1 - 40, fiducial: p + 1, end: p + 1 + 120 }));
    const zones = qrs.map((q) => ({ start: q.fiducial - 30, end: q.fiducial + 40 }));
    f.reference = { beats: beats(f, fiducial, 200), fiducial, qrs, subtract: true };
    f.bimodal = { factor: 4, zones };
    const r = parseScp(writeScp(f), 'bimodal.scp');
    expect(r.samplingRate).toBe(500);
    expect(r.length).toBe(3000);
    expect(r.attributes['scp.compression']).toMatch(/bimodal, decimation 4/);
    f.leads.forEach((l, i) => {
      const got = digits(r, i);
      for (const z of zones) expect(got.slice(z.start - 1, z.end)).toEqual(Array.from(l.values.slice(z.start - 1, z.end)));
      // Outside the zones the residual is slow (wander, T wave): interpolation stays within a few counts.
      // The residual's step at each subtraction-zone end is smeared over one decimation step: a few % of the lead's range.
      const err = got.map((v, k) => Math.abs(v - l.values[k]));
      expect(Math.max(...err)).toBeLessThan(0.03 * (Math.max(...l.values) - Math.min(...l.values)));
    });
  });
});

describe('SCP-ECG, statements', () => {
  it('lists section 8 statements, then section 11 statements (coded and text fields joined)', () => {
    const f = base({
      statements: ['sinusrytm', '', 'hög P-amplitud'],
      universalStatements: [
        [1, ['SR']],
        [3, ['LVH', 'left ventricular hypertrophy']],
      ],
    });
    expect(parseScp(writeScp(f), 'statements.scp').device!.statements).toEqual([
      'sinusrytm',
      'hög P-amplitud',
      'SR',
      'LVH left ventricular hypertrophy',
    ]);
  });
});

describe('SCP-ECG, section 1', () => {
  it('reads age in months, sex, acquisition time and filter settings; falls back to the birth date for age', () => {
    const u16 = (v: number) => [v & 0xff, v >> 8];
    const tags = (age: number[]): [number, Uint8Array][] => [
      [2, new TextEncoder().encode('P-42\0')],
      [4, Uint8Array.from(age)],
      [5, Uint8Array.from([...u16(2019), 3, 15])],
      [8, Uint8Array.from([2])],
      [25, Uint8Array.from([...u16(2024), 3, 14])],
      [26, Uint8Array.from([9, 5, 0])],
      [27, Uint8Array.from(u16(5))],
      [28, Uint8Array.from(u16(150))],
      [29, Uint8Array.from([1])],
    ];
    const r = parseScp(writeScp(base({ patientTags: tags([...u16(30), 2]) })), 'months.scp');
    expect(r).toMatchObject({ patientId: 'P-42', age: 2, sex: 'F', startTime: '2024-03-14T09:05:00' });
    expect(r.device!.filters).toEqual({ highPassHz: 0.05, lowPassHz: 150, notchHz: 60 });
    // Age 0 (not given): from the birth date, one day before the fifth birthday.
    expect(parseScp(writeScp(base({ patientTags: tags([0, 0, 0]) })), 'birth.scp').age).toBe(4);
  });
});

describe('SCP-ECG, CRCs and damaged files', () => {
  const good = () => writeScp(base({ statements: ['sinusrytm', 'hög P-amplitud'] }));
  const expectOneLine = (f: () => unknown, pattern: RegExp) => {
    let error: unknown;
    try {
      f();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FormatError);
    expect((error as Error).message).toMatch(pattern);
    expect((error as Error).message).not.toMatch(/\n/);
  };

  it('refuses a damaged signal section (bad CRC) with a one-line reason', () => {
    const b = good();
    b[sectionOffset(b, 6) + 40] ^= 0x10;
    expectOneLine(() => parseScp(b, 'bad6.scp'), /section 6 CRC mismatch/);
  });

  it('keeps the record with a warning when only a statement section or the file CRC is damaged', () => {
    const b = good();
    b[sectionOffset(b, 8) + 30] ^= 0x01;
    const r = parseScp(b, 'bad8.scp');
    expect(r.warnings).toEqual([expect.stringMatching(/CRC mismatch in section 8/)]);
    expect(r.leads[0].digital.length).toBe(3000);
    const c = good();
    c[0] ^= 0xff;
    expect(parseScp(c, 'badfile.scp').warnings).toEqual(['file CRC mismatch although every section CRC is valid']);
  });

  it('reads sections whose CRC was never computed (stored 0xFFFF or 0), with a warning', () => {
    const b = good();
    const v = new DataView(b.buffer);
    v.setUint16(sectionOffset(b, 6), 0xffff, true);
    v.setUint16(sectionOffset(b, 3), 0, true);
    v.setUint16(0, 0xffff, true);
    const r = parseScp(b, 'unset.scp');
    expect(r.warnings).toEqual(['CRC not set (stored 0 or 0xFFFF), not checked: file, section 3, section 6']);
    expect(digits(r, 0)).toEqual(Array.from(base().leads[0].values));
  });

  it('gives one-line reasons for truncation, absurd section sizes, bad Huffman tables and short streams', () => {
    const b = good();
    expectOneLine(() => parseScp(b.subarray(0, 3000), 'trunc.scp'), /truncated/);
    expectOneLine(() => parseScp(b.subarray(0, 10), 'tiny.scp'), /not an SCP-ECG record/);
    // Section 6 pointer length far beyond the file.
    const big = good();
    new DataView(big.buffer).setUint32(6 + 16 + 6 * 10 + 2, 0x7fffffff, true);
    expectOneLine(() => parseScp(fixScpCrcs(big), 'big.scp'), /section 6 .*outside/);
    // A lead's byte count larger than its section.
    const lengths = good();
    new DataView(lengths.buffer).setUint16(sectionOffset(lengths, 6) + 16 + 6, 60000, true);
    expectOneLine(() => parseScp(fixScpCrcs(lengths), 'lengths.scp'), /section 6 lead data need/);
    // A custom table that is not prefix-free ('0' and '01').
    const c = (prefixBits: number, prefix: number, value: number) => ({ prefixBits, totalBits: prefixBits, isValue: true, value, prefix });
    const clash = writeScp(
      base({ huffman: [[c(1, 0, 0), c(2, 0b01, 1), c(2, 0b11, -1)]], leads: [{ code: 1, values: new Int32Array(10) }] }),
    );
    expectOneLine(() => parseScp(clash, 'clash.scp'), /not prefix-free/);
    // Tables that only switch to each other: '1' in table 1 goes to table 2, whose every code goes back.
    const sw = (prefixBits: number, prefix: number, to: number) => ({
      prefixBits,
      totalBits: prefixBits,
      isValue: false,
      value: to,
      prefix,
    });
    const cyclic = writeScp(
      base({
        huffman: [
          [c(1, 0, 0), sw(1, 1, 2)],
          [sw(1, 0, 1), sw(1, 1, 1)],
        ],
        leads: [{ code: 1, values: new Int32Array(16) }],
      }),
    );
    cyclic.fill(0xff, sectionOffset(cyclic, 6) + 16 + 8, sectionOffset(cyclic, 6) + 16 + 10);
    expectOneLine(() => parseScp(fixScpCrcs(cyclic), 'cyclic.scp'), /switch in a cycle/);
    // A switch to a table that does not exist.
    const missing = writeScp(
      base({
        huffman: [
          [c(1, 0, 0), sw(1, 1, 2)],
          [c(1, 0, 0), sw(1, 1, 1)],
        ],
        leads: [{ code: 1, values: new Int32Array(16) }],
      }),
    );
    new DataView(missing.buffer).setUint16(sectionOffset(missing, 2) + 16 + 2 + 2 + 9 + 3, 7, true);
    expectOneLine(() => parseScp(fixScpCrcs(missing), 'missing.scp'), /switches to table 7 of 2/);
    // Huffman data that end before the lead's samples.
    const short = writeScp(base({ leads: [{ code: 1, values: synthetic(3000, 500, 200, 1) }] }));
    const s3 = sectionOffset(short, 3) + 16;
    new DataView(short.buffer).setUint32(s3 + 2 + 4, 30000, true); // lead end sample 30000
    expectOneLine(() => parseScp(fixScpCrcs(short), 'short.scp'), /rhythm data end after \d+ of 30000 samples/);
  });
});

/** FUZZ_ITERATIONS=20000 for a deeper local hunt. */
const STRUCTURE_ITERATIONS = Number(process.env.FUZZ_ITERATIONS) || 400;

describe('SCP-ECG, corrupted structure behind valid CRCs', () => {
  // CRCs catch most damage before parsing; recomputing them after each mutation drives the section parsers and the
  // Huffman decoder with damaged lengths, offsets, tables and streams.
  const sources = ['ECG_20170504_163507_123456789.SCP', 'pc-80b/1.SCP'].map((n) => readFileSync(`${dir}/${n}`));
  sources.push(
    Buffer.from(
      writeScp({
        ...base({ difference: 2 }),
        bimodal: { factor: 4, zones: [{ start: 150, end: 260 }] },
        reference: {
          beats: base().leads.map((l) => l.values.slice(140, 340)),
          fiducial: 61,
          qrs: [{ type: 0, start: 160, fiducial: 201, end: 320 }],
          subtract: true,
        },
      }),
    ),
  );
  it.each(sources.map((s, i) => [i, s] as const))('source %i: corrupted variants read or give a one-line FormatError', (i, source) => {
    const r = seededRandom(1000 + i);
    const problems: string[] = [];
    for (let k = 0; k < STRUCTURE_ITERATIONS; k++) {
      const b = new Uint8Array(source);
      const v = new DataView(b.buffer);
      const kind = k % 4;
      if (kind === 0) for (let n = 1 + Math.floor(r() * 8); n > 0; n--) b[6 + Math.floor(r() * (b.length - 6))] ^= 1 << Math.floor(r() * 8);
      else if (kind === 1)
        v.setUint32(6 + Math.floor(r() * Math.min(b.length - 10, 600)), [0xffffffff, 0x7fffffff, 0, 65535][Math.floor(r() * 4)], true);
      else if (kind === 2) v.setUint16(6 + Math.floor(r() * (b.length - 8)), Math.floor(r() * 65536), true);
      else b.fill(Math.floor(r() * 256), 200 + Math.floor(r() * (b.length - 260)), 200 + Math.floor(r() * (b.length - 260)) + 40);
      fixScpCrcs(b);
      try {
        const rec = parseScp(b, 'fuzz.scp');
        for (const l of rec.leads) if (l.digital.length !== rec.length || !(l.gain > 0)) problems.push(`#${k}: lead ${l.name} malformed`);
        if (!(rec.samplingRate > 0)) problems.push(`#${k}: rate ${rec.samplingRate}`);
      } catch (e) {
        if (!(e instanceof FormatError) || /\n/.test((e as Error).message))
          problems.push(`#${k}: ${(e as Error).name}: ${(e as Error).message.slice(0, 120)}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
