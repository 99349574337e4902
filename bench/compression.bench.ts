// Compression of stored signal chunks (src-main/store/signal-codec.ts) beside FLAC on the same samples, measured in
// the same run: the 800 Chapman records, the MIT-BIH records and a synthetic Holter (BENCH_HOLTER_HOURS, default 24).
// Ratio = raw int16 bytes / stored bytes. Ours: every 65,536-sample level-0 chunk of every lead, headers included.
// FLAC: Debian's `flac -8` (--no-padding --no-seektable) on each lead as its own mono 16-bit stream, all leads of a
// set in one flac run; reported whole (with its ~90-byte metadata per stream) and frames only. Also our encode and
// decode speed in samples/s (one thread). Needs `flac` on PATH (FLAC_BIN to override). Last stdout line: JSON.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readWfdbRecord } from '../src-main/formats/wfdb-record.ts';
import { CHUNK_VALUES } from '../src-main/store/record-store.ts';
import { decodeChunkInto, encodeChunk } from '../src-main/store/signal-codec.ts';
import { SHARED_DATA } from '../tests/helpers/shared-data.ts';
import { writeHolter } from './holter-wfdb.ts';

const log = (s: string) => process.stderr.write(s + '\n');
const flacBin = process.env.FLAC_BIN ?? 'flac';
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

/** Bytes of a FLAC file's metadata (marker + blocks), to report frame bytes alone. */
function flacMetadataBytes(b: Buffer): number {
  let at = 4;
  for (let last = false; !last;) {
    last = (b[at] & 0x80) !== 0;
    at += 4 + ((b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]);
  }
  return at;
}

interface SetResult {
  leads: number;
  samples: number;
  ratio: number;
  flacRatio: number;
  flacFramesOnlyRatio: number;
  encodeSamplesPerSecond: number;
  decodeSamplesPerSecond: number;
}

/** Ours and FLAC on the same int16 leads. `leads` is consumed lead by lead, so a day-long set is not held twice. */
function measure(name: string, leads: Iterable<{ digital: Int16Array; rate: number }>): SetResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `leadlens-bench-flac-${name}-`));
  let samples = 0;
  let stored = 0;
  let encodeMs = 0;
  let decodeMs = 0;
  let count = 0;
  const rates = new Map<number, string[]>();
  const scratch = new Int16Array(CHUNK_VALUES);
  for (const lead of leads) {
    const d = lead.digital;
    for (let s = 0; s < d.length; s += CHUNK_VALUES) {
      const part = d.subarray(s, Math.min(d.length, s + CHUNK_VALUES));
      const t0 = performance.now();
      const blob = encodeChunk(part);
      const t1 = performance.now();
      decodeChunkInto(blob, scratch);
      decodeMs += performance.now() - t1;
      encodeMs += t1 - t0;
      stored += blob.length;
      for (let i = 0; i < part.length; i++) if (scratch[i] !== part[i]) throw new Error(`${name}: chunk not bit-exact`);
    }
    samples += d.length;
    const file = path.join(dir, `${count++}.raw`);
    fs.writeFileSync(file, Buffer.from(d.buffer, d.byteOffset, d.byteLength));
    const r = Math.round(lead.rate);
    rates.set(r, [...(rates.get(r) ?? []), file]);
  }
  let flacBytes = 0;
  let flacFrames = 0;
  for (const [rate, files] of rates) {
    for (let i = 0; i < files.length; i += 500) {
      execFileSync(
        flacBin,
        [
          '-s',
          '-f',
          '-8',
          '--no-padding',
          '--no-seektable',
          '--force-raw-format',
          '--endian=little',
          '--sign=signed',
          '--channels=1',
          '--bps=16',
          `--sample-rate=${rate}`,
          ...files.slice(i, i + 500),
        ],
        { stdio: ['ignore', 'ignore', 'inherit'] },
      );
    }
    for (const f of files) {
      const b = fs.readFileSync(f.replace(/\.raw$/, '.flac'));
      flacBytes += b.length;
      flacFrames += b.length - flacMetadataBytes(b);
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const raw = 2 * samples;
  const out = {
    leads: count,
    samples,
    ratio: round(raw / stored),
    flacRatio: round(raw / flacBytes),
    flacFramesOnlyRatio: round(raw / flacFrames),
    encodeSamplesPerSecond: Math.round(samples / (encodeMs / 1000)),
    decodeSamplesPerSecond: Math.round(samples / (decodeMs / 1000)),
  };
  log(`${name}: ${JSON.stringify(out)}`);
  return out;
}

async function* recordLeads(heas: string[]): AsyncGenerator<{ digital: Int16Array; rate: number }[]> {
  for (const h of heas) {
    const r = await readWfdbRecord(h);
    yield r.leads.map((l) => {
      if (!(l.digital instanceof Int16Array)) throw new Error(`${h}: not int16`);
      return { digital: l.digital, rate: r.samplingRate };
    });
  }
}

async function collect(heas: string[]): Promise<{ digital: Int16Array; rate: number }[]> {
  const all: { digital: Int16Array; rate: number }[] = [];
  for await (const leads of recordLeads(heas)) all.push(...leads);
  return all;
}

const chapmanRoot = path.join(SHARED_DATA, 'cinc', 'chapman-ningbo', 'WFDBRecords', '01');
const chapman = fs
  .readdirSync(chapmanRoot)
  .flatMap((d) =>
    fs
      .readdirSync(path.join(chapmanRoot, d))
      .filter((f) => f.endsWith('.hea'))
      .map((f) => path.join(chapmanRoot, d, f)),
  )
  .sort();
const mitdb = fs
  .readdirSync(path.join(SHARED_DATA, 'mitdb'))
  .filter((f) => f.endsWith('.hea'))
  .map((f) => path.join(SHARED_DATA, 'mitdb', f))
  .sort();
const hours = Number(process.env.BENCH_HOLTER_HOURS ?? 24);
const result: Record<string, unknown> = { loadavgAtStart: os.loadavg().map((x) => round(x, 2)) };
result.chapman = { records: chapman.length, ...measure('chapman', await collect(chapman)) };
result.mitdb = { records: mitdb.length, ...measure('mitdb', await collect(mitdb)) };
const holterDir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-bench-compression-holter-'));
const holter = await readWfdbRecord(writeHolter(holterDir, hours));
fs.rmSync(holterDir, { recursive: true, force: true });
result.holter = {
  hours,
  ...measure(
    'holter',
    holter.leads.map((l) => ({ digital: l.digital as Int16Array, rate: holter.samplingRate })),
  ),
};
result.loadavgAtEnd = os.loadavg().map((x) => round(x, 2));
process.stdout.write(JSON.stringify(result) + '\n');
