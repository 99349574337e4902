// SCP-ECG and ISHNE Holter reading throughput, beside a WFDB Holter read of the same kind (bench/formats.bench.ts).
// SCP: the real Welch Allyn and PC-80B files, preloaded (decode only). ISHNE: synthetic Holters written by the test
// writer to a temporary folder and read from disk (page cache warm after writing), 3 leads x 200 Hz x 24 h and a
// 12-lead 1 kHz file (BENCH_ISHNE_12LEAD_HOURS, default 1); WFDB: the 12-lead 500 Hz format-16 Holter of
// bench/holter-wfdb.ts (BENCH_WFDB_HOLTER_HOURS, default 1), for samples/s side by side.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readIshne } from '../src-main/formats/ishne.ts';
import { parseScp } from '../src-main/formats/scp-ecg.ts';
import { readWfdbRecord } from '../src-main/formats/wfdb-record.ts';
import { writeIshneFile } from '../tests/helpers/ishne-writer.ts';
import { dataPath } from '../tests/helpers/shared-data.ts';
import { writeHolter } from './holter-wfdb.ts';

const log = (s: string) => process.stderr.write(`${s}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function scpRecordsPerSecond(): { records: number; recordsPerSecond: number } {
  const dir = dataPath('formats', 'scp-ecg');
  const files = [
    ...fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.SCP'))
      .map((f) => path.join(dir, f)),
    path.join(dir, 'pc-80b', '1.SCP'),
  ];
  const bytes = files.map((f) => new Uint8Array(fs.readFileSync(f)));
  for (let i = 0; i < 3; i++) bytes.forEach((b, k) => parseScp(b, files[k])); // warm-up
  const rates: number[] = [];
  for (let round = 0; round < 7; round++) {
    const t0 = performance.now();
    for (let rep = 0; rep < 5; rep++) bytes.forEach((b, k) => parseScp(b, files[k]));
    rates.push((5 * bytes.length) / ((performance.now() - t0) / 1000));
  }
  return { records: bytes.length, recordsPerSecond: Math.round(median(rates)) };
}

/** A beat-like Holter sample: 75 bpm QRS, wander, a little noise, per lead scale. */
const holterSample = (rate: number) => (lead: number, i: number) => {
  const beat = i % Math.round(0.8 * rate);
  const qrs = beat < 0.04 * rate ? 400 * Math.sin((Math.PI * beat) / (0.04 * rate)) : 0;
  return Math.round(qrs * (1 - lead / 24) + 20 * Math.sin(i / (3 * rate)) + ((i * 31 + lead) % 5));
};

async function ishneRead(leads: number, rate: number, hours: number): Promise<Record<string, number>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-bench-ishne-'));
  try {
    const file = path.join(dir, 'HOLTER.ecg');
    const samplesPerLead = Math.round(hours * 3600 * rate);
    const specs = leads === 3 ? [1, 1, 1] : Array.from({ length: leads }, (_, i) => 5 + i);
    writeIshneFile(
      file,
      { leadSpecs: specs, resolutions: new Array(leads).fill(2500), samplingRate: rate, samplesPerLead },
      holterSample(rate),
    );
    const runs: number[] = [];
    for (let r = 0; r < 2; r++) {
      const t0 = performance.now();
      const rec = await readIshne(file);
      runs.push((performance.now() - t0) / 1000);
      if (rec.length !== samplesPerLead) throw new Error(`ISHNE bench read ${rec.length} of ${samplesPerLead} samples`);
    }
    const seconds = Math.min(...runs);
    return {
      leads,
      rate,
      hours,
      fileMiB: Math.round(fs.statSync(file).size / 2 ** 20),
      readSeconds: +seconds.toFixed(3),
      samplesPerSecond: Math.round((samplesPerLead * leads) / seconds),
      recordsPerSecond: +(1 / seconds).toFixed(3),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function wfdbHolterRead(hours: number): Promise<Record<string, number>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-bench-wfdb-holter-'));
  try {
    const hea = writeHolter(dir, hours);
    const runs: number[] = [];
    let samples = 0;
    for (let r = 0; r < 2; r++) {
      const t0 = performance.now();
      const rec = await readWfdbRecord(hea);
      runs.push((performance.now() - t0) / 1000);
      samples = rec.length * rec.leads.length;
    }
    const seconds = Math.min(...runs);
    return { leads: 12, rate: 500, hours, readSeconds: +seconds.toFixed(3), samplesPerSecond: Math.round(samples / seconds) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function scpIshneFigures(): Promise<Record<string, unknown>> {
  log('SCP-ECG records (decode only)...');
  const scp = scpRecordsPerSecond();
  log(`  ${scp.recordsPerSecond} records/s`);
  log('ISHNE 3 leads x 200 Hz x 24 h...');
  const ishne24h = await ishneRead(3, 200, 24);
  log(`  ${JSON.stringify(ishne24h)}`);
  const hours12 = Number(process.env.BENCH_ISHNE_12LEAD_HOURS ?? 1);
  log(`ISHNE 12 leads x 1000 Hz x ${hours12} h...`);
  const ishne12 = await ishneRead(12, 1000, hours12);
  log(`  ${JSON.stringify(ishne12)}`);
  const wfdbHours = Number(process.env.BENCH_WFDB_HOLTER_HOURS ?? 1);
  log(`WFDB Holter 12 leads x 500 Hz x ${wfdbHours} h...`);
  const wfdb = await wfdbHolterRead(wfdbHours);
  log(`  ${JSON.stringify(wfdb)}`);
  return { scpRecordsPerSecond: scp.recordsPerSecond, scpRecords: scp.records, ishne24h, ishne12Lead: ishne12, wfdbHolter: wfdb };
}
