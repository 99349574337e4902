import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EcgRecord, LeadSignal } from '../../src-shared/record.ts';
import { FormatError } from '../../src-main/formats/format-error.ts';
import { geMuseXmlReader, museStatements, parseMuse } from '../../src-main/formats/ge-muse-xml.ts';
import { detectReader, readerForFile } from '../../src-main/formats/readers.ts';
import { dataPath } from '../helpers/shared-data.ts';
import { detectQrs } from '../../src-main/dsp/qrs-detector.ts';
import { matchBeats } from '../../src-main/dsp/beat-match.ts';
import { leadMillivolts } from '../../src-shared/record.ts';

const muse = (...p: string[]) => dataPath('formats', 'ge-muse-xml', ...p);
const egm = muse('EGM', 'muse-sinus.xml');
const head = (f: string) => new Uint8Array(readFileSync(f).subarray(0, 4096));
const lead = (r: EcgRecord, name: string) => r.leads.find((l) => l.name === name)!;
/** Microvolts in float64 (leadMillivolts is float32, too coarse for a 0.5 uV comparison). */
const microvolts = (l: LeadSignal) => Array.from(l.digital, (d) => ((d - l.baseline) / l.gain) * (l.units === 'uV' ? 1 : 1000));

describe('GE MUSE XML reader', () => {
  it('is chosen by content for every MUSE sample (never the aECG reader)', () => {
    for (const f of [egm, muse('easyRecg', 'muse_ecg1.xml'), muse('easyRecg', 'muse_ecg2.xml'), muse('easyRecg', 'muse_ecg3.xml')]) {
      expect(detectReader(head(f), f)?.format).toBe('ge-muse-xml');
      expect(readerForFile(head(f), f)?.format).toBe('ge-muse-xml');
    }
  });

  it('matches the reference WFDB decoding of muse-sinus within 0.5 uV for all 5000 x 12 samples (derived III, aVR, aVL, aVF)', async () => {
    const [r] = await geMuseXmlReader.read(egm);
    expect(r.samplingRate).toBe(500);
    expect(r.length).toBe(5000);
    expect(r.leads.map((l) => l.name)).toEqual(['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6', 'III', 'aVR', 'aVL', 'aVF']);
    expect(r.leads.filter((l) => l.derived).map((l) => l.name)).toEqual(['III', 'aVR', 'aVL', 'aVF']);
    // The .hea says 200/mV, but its values are microvolts (see ../shared/data/README.md).
    const dat = readFileSync(muse('EGM', 'muse-sinus.dat'));
    const columns = ['I', 'II', 'III', 'aVF', 'aVL', 'aVR', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'];
    let worst = 0;
    let compared = 0;
    for (let c = 0; c < columns.length; c++) {
      const uv = microvolts(lead(r, columns[c]));
      expect(uv).toHaveLength(5000);
      for (let i = 0; i < 5000; i++) {
        worst = Math.max(worst, Math.abs(uv[i] - dat.readInt16LE((i * 12 + c) * 2)));
        compared++;
      }
    }
    expect(compared).toBe(60000);
    expect(worst).toBeLessThanOrEqual(0.5);
    // 4.88 uV per count, as the file states.
    expect(lead(r, 'I').gain).toBeCloseTo(1 / 4.88, 12);
    expect(lead(r, 'I').units).toBe('uV');
  });

  it('keeps the patient, acquisition time and the cart reading of muse-sinus', async () => {
    const [r] = await geMuseXmlReader.read(egm);
    expect(r.format).toBe('ge-muse-xml');
    expect(r.patientId).toBe('081486213');
    expect(r.age).toBe(43);
    expect(r.sex).toBe('M');
    expect(r.startTime).toBe('2023-04-29T22:41:16');
    expect(r.attributes['muse.version']).toBe('9.0.10.18530');
    const d = r.device!;
    expect(d.model).toBe('GE MV360');
    expect(d.measurements.heartRate).toEqual({ value: 90, unit: 'bpm' });
    expect(d.measurements.prInterval).toEqual({ value: 144, unit: 'ms' });
    expect(d.measurements.qrsDuration).toEqual({ value: 86, unit: 'ms' });
    expect(d.measurements.qtInterval).toEqual({ value: 402, unit: 'ms' });
    expect(d.measurements.qtcInterval).toEqual({ value: 491, unit: 'ms' });
    expect([d.measurements.pAxis.value, d.measurements.qrsAxis.value, d.measurements.tAxis.value]).toEqual([48, 0, 111]);
    expect(d.measurements.rrInterval).toEqual({ value: 663, unit: 'ms' });
    expect(d.measurements.QRSCount.value).toBe(15);
    // Pieces without ENDSLINE run on into the next statement.
    expect(d.statements).toEqual([
      'Normal Sinus rhythm',
      'Anterior infarct, age undetermined',
      'T wave abnormality, consider lateral ischemia',
      'Abnormal ECG',
      'When compared with ECG of 30-MAR-2023 09:09,',
      'Questionable change in The axis',
    ]);
    // HighPassFilter is in hundredths of a hertz.
    expect(d.filters).toEqual({ highPassHz: 0.56, lowPassHz: 150, notchHz: 60 });
  });

  it("keeps the cart's QRS detections as beat annotations, where our detector finds the same beats", async () => {
    const [r] = await geMuseXmlReader.read(egm);
    const [set] = r.annotations!;
    expect(set.annotator).toBe('muse-qrs');
    // 15 beats, QRS Time 212 ms ... 9502 ms at 500 Hz.
    expect(set.annotations).toHaveLength(15);
    expect(set.annotations[0]).toEqual({ sample: 106, symbol: 'Q', subtype: 0 });
    expect(set.annotations[14].sample).toBe(4751);
    const ours = detectQrs(r.leads.filter((l) => !l.derived).map(leadMillivolts), r.samplingRate);
    const match = matchBeats(
      set.annotations.map((a) => a.sample),
      ours,
      r.samplingRate,
      { startSeconds: 0 },
    );
    expect(match.se).toBeGreaterThanOrEqual(14 / 15);
    expect(match.ppv).toBeGreaterThanOrEqual(14 / 15);
  });

  it('keeps the median beats (600 samples, 8 leads) with the device reading, decodable to the same scale', async () => {
    const [r] = await geMuseXmlReader.read(egm);
    const beats = r.device!.representativeBeats!;
    expect(beats.method).toBe('median');
    expect(beats.samplingRate).toBe(500);
    expect(beats.length).toBe(600);
    expect(beats.leads.map((l) => l.name)).toEqual(['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
    const ii = Buffer.from(beats.leads[1].values, 'base64');
    expect(ii.length).toBe(1200);
    const values = Array.from({ length: 600 }, (_, i) => ii.readInt16LE(i * 2) / beats.leads[1].gain);
    // A median beat has one dominant deflection of some hundreds of microvolts, and a quiet start.
    expect(Math.max(...values.map(Math.abs))).toBeGreaterThan(300);
    expect(Math.max(...values.map(Math.abs))).toBeLessThan(5000);
    expect(JSON.parse(JSON.stringify(r.device))).toEqual(r.device);
  });

  it('reads the three easyRecg MAC55 files: 8 stored leads, 5000 samples, 60 bpm, filters 0.16/150/60', async () => {
    for (const n of [1, 2, 3]) {
      const [r] = await geMuseXmlReader.read(muse('easyRecg', `muse_ecg${n}.xml`));
      expect(r.length).toBe(5000);
      expect(r.leads).toHaveLength(12);
      expect(r.leads.filter((l) => !l.derived)).toHaveLength(8);
      expect(r.device!.model).toBe('GE MAC55');
      expect(r.device!.measurements.heartRate.value).toBe(60);
      expect(r.device!.filters).toEqual({ highPassHz: 0.16, lowPassHz: 150, notchHz: 60 });
      expect(r.device!.statements.length).toBeGreaterThan(0);
      expect(r.device!.representativeBeats!.length).toBe(600);
      expect(r.warnings).toBeUndefined();
      // Einthoven holds for the derived leads: III = II - I, aVR + aVL + aVF = 0 (within a half count).
      const [i1, i2, i3] = ['I', 'II', 'III'].map((x) => microvolts(lead(r, x)));
      const [ar, al, af] = ['aVR', 'aVL', 'aVF'].map((x) => microvolts(lead(r, x)));
      for (let k = 0; k < 5000; k += 7) {
        expect(Math.abs(i3[k] - (i2[k] - i1[k]))).toBeLessThan(1e-6);
        expect(Math.abs(ar[k] + al[k] + af[k])).toBeLessThan(2.5);
      }
    }
  });

  it('honours the ISO-8859-1 prolog: a Latin-1 byte is the Latin-1 character', async () => {
    const xml = readFileSync(egm, 'latin1').replace(
      '<SiteName>UNIVERSITY OF HOSPITAL</SiteName>',
      '<SiteName>H\u00f4pital G\u00e9n\u00e9ral</SiteName>',
    );
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'muse-latin1-')), 'latin.xml');
    writeFileSync(file, Buffer.from(xml, 'latin1'));
    expect(readFileSync(file).includes(Buffer.from([0xf4]))).toBe(true);
    const [r] = await geMuseXmlReader.read(file);
    expect(r.attributes['muse.site']).toBe('H\u00f4pital G\u00e9n\u00e9ral');
  });

  it('joins statement pieces until ENDSLINE and decodes entities', () => {
    const diag = {
      DiagnosisStatement: [
        { StmtText: 'Sinus rhythm' },
        { StmtFlag: 'ENDSLINE', StmtText: 'with 1st degree A-V block' },
        { StmtFlag: ['USERINSERT', 'ENDSLINE'], StmtText: 'QTc &gt; 500 ms' },
      ],
    };
    expect(museStatements(diag)).toEqual(['Sinus rhythm with 1st degree A-V block', 'QTc > 500 ms']);
  });

  it('refuses a file without a Rhythm waveform, and a non-MUSE root, in one line', () => {
    const xml = readFileSync(egm).toString('latin1').replace('<WaveformType>Rhythm</WaveformType>', '<WaveformType>Other</WaveformType>');
    expect(() => parseMuse(xml, 'x.xml')).toThrow(/x\.xml: no Rhythm waveform/);
    expect(() => parseMuse('<?xml version="1.0"?><Other/>', 'y.xml')).toThrow(FormatError);
    expect(() => parseMuse('<?xml version="1.0"?><Other/>', 'y.xml')).toThrow(/root element <Other> is not RestingECG/);
  });
});
