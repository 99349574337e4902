// Our global intervals beside the recording device's own measurements, for the vendor files in
// ../shared/data/formats that carry them (GE MUSE XML, Philips SierraECG, SCP-ECG section 7/10 readings).
// Generated waveforms are skipped with that reason: a record whose moving samples all repeat exactly one period
// later (the LIRYC HL7 aECG example: 100 Hz ramps with a fixed 5-sample ripple, its second 5 s a copy of its
// first) is a generator's drawing, not an ECG a device measured.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { canonicalLeadName, leadMillivolts, type EcgRecord } from '../src-shared/record.ts';
import { deriveLimbLeads } from '../src-shared/derived-leads.ts';
import { measureRecord } from '../src-main/dsp/measurements.ts';
import { readerForFile } from '../src-main/formats/readers.ts';

const COMPARED = [
  ['heartRate', 'heartRateBpm'],
  ['pDuration', 'pDurationMs'],
  ['prInterval', 'prMs'],
  ['qrsDuration', 'qrsMs'],
  ['qtInterval', 'qtMs'],
  ['qtcInterval', 'qtcBazettMs'],
] as const;

export interface VendorComparison {
  file: string;
  format: string;
  model?: string;
  /** Per interval: the device's value and ours (null where either is missing). */
  intervals: Record<string, { device: number | null; ours: number | null }>;
  /** Fingerprint of the samples: the same recording shipped in several files shares it. */
  waveform: string;
}

/** A sample "moves" when it differs from the one before by more than this (mV): flat stretches repeat in any ECG. */
const MOVING_MV = 0.02;
/** Share of moving samples that must repeat exactly, one period later, for a waveform to count as generated. */
const REPEAT_SHARE = 0.99;

/**
 * The period (s) at which the lead repeats itself sample for sample, or undefined: no recorded ECG does (beats vary,
 * noise never repeats), a waveform generator's output does.
 */
export function exactRepeatPeriod(x: Float32Array, fs: number): number | undefined {
  const moving: number[] = [];
  for (let k = 1; k < x.length; k++) if (Math.abs(x[k] - x[k - 1]) > MOVING_MV) moving.push(k);
  for (let lag = Math.round(0.25 * fs); lag <= x.length / 2; lag++) {
    const inRange = moving.filter((k) => k + lag < x.length);
    if (inRange.length < 10) break;
    const allowed = (1 - REPEAT_SHARE) * inRange.length;
    let misses = 0;
    for (const k of inRange) if (x[k] !== x[k + lag] && ++misses > allowed) break;
    if (misses <= allowed) return lag / fs;
  }
  return undefined;
}

function waveformOf(rec: EcgRecord): string {
  const h = createHash('sha1').update(String(rec.samplingRate));
  for (const l of rec.leads) h.update(leadMillivolts(l));
  return h.digest('hex').slice(0, 16);
}

async function* files(dir: string): AsyncGenerator<string> {
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (/\.(xml|scp)$/i.test(e.name)) yield p;
  }
}

function ourIntervals(rec: EcgRecord): Record<string, number | null> {
  const leads: Record<string, Float32Array> = {};
  for (const l of deriveLimbLeads(rec.leads.map((l) => ({ ...l, name: canonicalLeadName(l.name) })))) leads[l.name] = leadMillivolts(l);
  const m = measureRecord(leads, rec.samplingRate);
  return {
    heartRateBpm: m.heartRateBpm,
    pDurationMs: m.pDurationMs,
    prMs: m.prMs,
    qrsMs: m.qrsMs,
    qtMs: m.qtMs,
    qtcBazettMs: m.qtcBazettMs,
  };
}

/** Every vendor file under `root` whose reader found device measurements, compared; unreadable files listed. */
export async function compareWithDevices(root: string): Promise<{ compared: VendorComparison[]; skipped: string[] }> {
  const compared: VendorComparison[] = [];
  const skipped: string[] = [];
  for await (const file of files(root)) {
    const head = new Uint8Array(await fs.readFile(file)).subarray(0, 4096);
    const reader = readerForFile(head, file);
    if (!reader) continue;
    let records: EcgRecord[];
    try {
      records = await reader.read(file);
    } catch (e) {
      skipped.push(`${path.relative(root, file)}: ${(e as Error).message.split('\n')[0]}`);
      continue;
    }
    for (const rec of records) {
      const device = rec.device?.measurements ?? {};
      if (!COMPARED.some(([k]) => device[k])) continue;
      const period = rec.leads.length ? exactRepeatPeriod(leadMillivolts(rec.leads[0]), rec.samplingRate) : undefined;
      if (period !== undefined) {
        skipped.push(`${path.relative(root, file)}: generated waveform (repeats exactly every ${period.toFixed(2)} s), not a recording`);
        continue;
      }
      const ours = ourIntervals(rec);
      const r = (x: number | null | undefined): number | null => (x === null || x === undefined ? null : Math.round(x));
      const intervals = Object.fromEntries(COMPARED.map(([k, o]) => [k, { device: r(device[k]?.value), ours: r(ours[o]) }]));
      // The P wave lies inside the PR interval: a device P duration beyond its own PR is not a P duration (Philips
      // PageWriter 1.04 ad4d3d80 states 508 ms beside PR 144 ms), so it is listed, not compared.
      const { pDuration, prInterval } = intervals;
      if (pDuration?.device !== null && prInterval?.device !== null && pDuration.device > prInterval.device) {
        skipped.push(
          `${path.relative(root, file)}: device P duration ${pDuration.device} ms exceeds its PR interval ${prInterval.device} ms; P duration not compared`,
        );
        pDuration.device = null;
      }
      compared.push({
        file: path.relative(root, file),
        format: reader.format,
        model: rec.device?.model,
        intervals,
        waveform: waveformOf(rec),
      });
    }
  }
  return { compared, skipped };
}

/**
 * Mean and SD of ours - device per interval over the files where both have it (identical files counted once each),
 * or with `distinct`, over the distinct waveforms (a recording shipped in seven files counted once).
 */
export function deviceAgreement(
  compared: VendorComparison[],
  opts: { distinct?: boolean } = {},
): Record<string, { n: number; meanMs: number; sdMs: number }> {
  if (opts.distinct) compared = [...new Map(compared.map((c) => [c.waveform, c])).values()];
  const out: Record<string, { n: number; meanMs: number; sdMs: number }> = {};
  for (const [k] of COMPARED) {
    const d = compared.flatMap((c) =>
      c.intervals[k].device !== null && c.intervals[k].ours !== null ? [c.intervals[k].ours! - c.intervals[k].device!] : [],
    );
    if (d.length === 0) continue;
    const mean = d.reduce((a, b) => a + b, 0) / d.length;
    const sd = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / d.length);
    out[k] = { n: d.length, meanMs: Math.round(mean * 10) / 10, sdMs: Math.round(sd * 10) / 10 };
  }
  return out;
}
