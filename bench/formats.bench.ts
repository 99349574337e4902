// WFDB decoding throughput: format 212 (MIT-BIH), format 16 (PTB-XL 500 Hz, LUDB), and CinC
// .hea + .mat records read per second. Files are preloaded for the decode figures (no I/O); the
// CinC figure includes reading from disk (page cache warm after the first pass). Beside them the vendor
// readers' records/s: SCP-ECG, ISHNE, GE MUSE XML and Philips SierraECG XML (XLI).
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeSignalFile } from '../src-main/formats/wfdb-signal.ts';
import { readWfdbRecord } from '../src-main/formats/wfdb-record.ts';
import { geMuseXmlReader } from '../src-main/formats/ge-muse-xml.ts';
import { philipsSierraEcgReader } from '../src-main/formats/philips-sierraecg.ts';
import type { EcgFileReader } from '../src-main/formats/reader.ts';
import { dataPath } from '../tests/helpers/shared-data.ts';
import { scpIshneFigures } from './scp-ishne-throughput.ts';

const log = (s: string) => process.stderr.write(`${s}\n`);
const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));

interface Job {
  bytes: Uint8Array;
  format: number;
  nsig: number;
  frames: number;
}

function loadJobs(dats: string[], format: number, nsig: number): Job[] {
  return dats.map((f) => {
    const bytes = new Uint8Array(readFileSync(f));
    const frames = format === 212 ? Math.floor((bytes.length * 2) / 3 / nsig) : bytes.length / 2 / nsig;
    return { bytes, format, nsig, frames };
  });
}

/** Median samples/s over `rounds` passes decoding all jobs. */
function decodeRate(jobs: Job[], rounds: number): { samplesPerSecond: number; samplesPerPass: number } {
  const samples = jobs.reduce((a, j) => a + j.frames * j.nsig, 0);
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (const j of jobs) {
      decodeSignalFile(j.bytes, { format: j.format, samplesPerFrame: new Array(j.nsig).fill(1), initialValues: [] }, j.frames, 'bench');
    }
    rates.push(samples / ((performance.now() - t0) / 1000));
  }
  rates.sort((a, b) => a - b);
  return { samplesPerSecond: Math.round(rates[rates.length >> 1]), samplesPerPass: samples };
}

log(
  `load average ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
const mit = loadJobs(
  readdirSync(dataPath('mitdb'))
    .filter((f) => f.endsWith('.dat'))
    .map((f) => dataPath('mitdb', f)),
  212,
  2,
);
const ptb = loadJobs(
  walk(dataPath('ptbxl', 'records500')).filter((f) => f.endsWith('.dat')),
  16,
  12,
);
const ludb = loadJobs(
  readdirSync(dataPath('ludb', 'data'))
    .filter((f) => f.endsWith('.dat'))
    .map((f) => dataPath('ludb', 'data', f)),
  16,
  12,
);
log('warm-up');
decodeRate(mit, 2);
decodeRate(ptb, 2);
log('format 212 (mitdb)...');
const f212 = decodeRate(mit, 9);
log(`  ${(f212.samplesPerSecond / 1e6).toFixed(0)} M samples/s`);
log('format 16 (ptbxl 500 Hz + ludb)...');
const f16 = decodeRate([...ptb, ...ludb], 9);
log(`  ${(f16.samplesPerSecond / 1e6).toFixed(0)} M samples/s`);

const cinc = walk(dataPath('cinc', 'chapman-ningbo', 'WFDBRecords')).filter((f) => f.endsWith('.hea'));
log(`CinC ${cinc.length} records .hea + .mat...`);
const cincRates: number[] = [];
for (let r = 0; r < 3; r++) {
  const t0 = performance.now();
  for (const h of cinc) await readWfdbRecord(h);
  cincRates.push(cinc.length / ((performance.now() - t0) / 1000));
}
cincRates.sort((a, b) => a - b);
log(`  ${cincRates.map((x) => x.toFixed(0)).join(', ')} records/s`);

const scpIshne = await scpIshneFigures();

/** Median records/s of a reader over `rounds` passes of its sample files (read from the warm page cache). */
async function readerRate(reader: EcgFileReader, files: string[], rounds: number): Promise<number> {
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (const f of files) await reader.read(f);
    rates.push(files.length / ((performance.now() - t0) / 1000));
  }
  rates.sort((a, b) => a - b);
  return Math.round(rates[rates.length >> 1]);
}

const muse = walk(dataPath('formats', 'ge-muse-xml')).filter((f) => f.endsWith('.xml'));
const philips = walk(dataPath('formats', 'philips-sierraecg')).filter((f) => /\.xml$/i.test(f) && !f.includes('converted'));
await readerRate(geMuseXmlReader, muse, 1);
await readerRate(philipsSierraEcgReader, philips, 1);
log(`GE MUSE XML ${muse.length} files, Philips SierraECG ${philips.length} files...`);
const museRate = await readerRate(geMuseXmlReader, muse, 15);
const philipsRate = await readerRate(philipsSierraEcgReader, philips, 15);
log(`  MUSE ${museRate} records/s, Philips ${philipsRate} records/s (CinC WFDB ${Math.round(cincRates[1])})`);

console.log(
  JSON.stringify({
    format212SamplesPerSecond: f212.samplesPerSecond,
    format212SamplesPerPass: f212.samplesPerPass,
    format16SamplesPerSecond: f16.samplesPerSecond,
    format16SamplesPerPass: f16.samplesPerPass,
    cincRecordsPerSecond: Math.round(cincRates[1]),
    cincRecords: cinc.length,
    ...scpIshne,
    museXmlRecordsPerSecond: museRate,
    museXmlFiles: muse.length,
    philipsXmlRecordsPerSecond: philipsRate,
    philipsXmlFiles: philips.length,
    loadavg: os.loadavg(),
  }),
);
