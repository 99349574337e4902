// The device-comparison bench leaves out generated waveforms: a record whose moving samples repeat exactly.
import fs from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { exactRepeatPeriod } from '../../bench/vendor-intervals.ts';
import { readerForFile } from '../../src-main/formats/readers.ts';
import { readWfdbRecord } from '../../src-main/formats/wfdb-record.ts';
import { leadMillivolts, type EcgRecord } from '../../src-shared/record.ts';
import { dataPath } from '../helpers/shared-data.ts';
import { NEAR_QTC_LIMIT_AECG } from '../helpers/same-patient-muse.ts';

async function vendorRecord(file: string): Promise<EcgRecord> {
  const reader = readerForFile(new Uint8Array(await fs.readFile(file)).subarray(0, 4096), file)!;
  return (await reader.read(file))[0];
}

describe('generated waveforms', () => {
  it("the LIRYC HL7 aECG example repeats itself sample for sample every 5 s: a generator's drawing", async () => {
    const rec = await vendorRecord(dataPath('formats', 'hl7-aecg', 'liryc', 'exemple', 'hl7aecg_example.xml'));
    expect(exactRepeatPeriod(leadMillivolts(rec.leads[0]), rec.samplingRate)).toBeCloseTo(5, 2);
  });

  it('recorded ECGs never do: the FDA aECG example, a LUDB record', async () => {
    const aecg = await vendorRecord(NEAR_QTC_LIMIT_AECG);
    expect(exactRepeatPeriod(leadMillivolts(aecg.leads[0]), aecg.samplingRate)).toBeUndefined();
    const ludb = await readWfdbRecord(dataPath('ludb', 'data', '1.hea'));
    expect(exactRepeatPeriod(leadMillivolts(ludb.leads[1]), ludb.samplingRate)).toBeUndefined();
  });

  it('a beat pasted twice is caught, the same beat with 20 microvolts of noise is not', () => {
    const fs = 250;
    const beat = Float32Array.from({ length: fs }, (_, k) => Math.sin((2 * Math.PI * k) / fs) * (k < 40 ? 1 : 0.2));
    const pasted = new Float32Array(fs * 4);
    for (let b = 0; b < 4; b++) pasted.set(beat, b * fs);
    expect(exactRepeatPeriod(pasted, fs)).toBeCloseTo(1, 6);
    let seed = 3;
    const noisy = pasted.map((v) => v + 0.02 * ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32 - 0.5));
    expect(exactRepeatPeriod(noisy, fs)).toBeUndefined();
  });
});
