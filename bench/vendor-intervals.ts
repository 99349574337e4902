// Our global intervals beside the recording device's own measurements, for the vendor files in
// ../shared/data/formats that carry them (GE MUSE XML, Philips SierraECG, SCP-ECG section 7/10 readings).
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
      const ours = ourIntervals(rec);
      const r = (x: number | null | undefined): number | null => (x === null || x === undefined ? null : Math.round(x));
      compared.push({
        file: path.relative(root, file),
        format: reader.format,
        model: rec.device?.model,
        intervals: Object.fromEntries(COMPARED.map(([k, o]) => [k, { device: r(device[k]?.value), ours: r(ours[o]) }])),
      });
    }
  }
  return { compared, skipped };
}

/** Mean and SD of ours - device per interval over the files where both have it (identical files counted once each). */
export function deviceAgreement(compared: VendorComparison[]): Record<string, { n: number; meanMs: number; sdMs: number }> {
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
