// EC57 / bxb-style evaluation of detectQrs on a WFDB database with reference beat annotations
// (MIT-BIH): per-record and gross Se, +P, timing error and speed.
import fs from 'node:fs/promises';
import path from 'node:path';
import { leadMillivolts } from '../../src-shared/record.ts';
import { readWfdbRecord } from '../formats/wfdb-record.ts';
import { isBeatSymbol, readWfdbAnnotations } from '../formats/wfdb-annotation.ts';
import { detectQrs } from './qrs-detector.ts';
import { matchBeats, medianAbs } from './beat-match.ts';

export interface QrsRecordResult {
  record: string;
  leads: number;
  seconds: number;
  tp: number;
  fn: number;
  fp: number;
  se: number;
  ppv: number;
  medianAbsErrorMs: number;
  meanErrorMs: number;
  /** Detector wall time for all leads of the record, ms (best of `repeats`). */
  detectMs: number;
  /** Detector CPU time (user + system) for all leads, ms (best of `repeats`): less inflated by other processes. */
  detectCpuMs: number;
}

export interface QrsBenchmark {
  records: QrsRecordResult[];
  gross: { tp: number; fn: number; fp: number; se: number; ppv: number; medianAbsErrorMs: number; meanAbsErrorMs: number };
  /** Mean detector wall time per lead per 30 minutes of signal, ms. */
  msPer30MinLead: number;
  /** The same in CPU time. */
  cpuMsPer30MinLead: number;
}

export interface QrsBenchmarkOptions {
  /** Annotator extension of the reference beats. */
  annotator?: string;
  /** Timing repeats per record (the fastest is kept, to damp load from other processes). */
  repeats?: number;
  onRecord?: (r: QrsRecordResult, index: number, total: number) => void;
}

/** Records in `dir` that have both a header and a reference annotation file, sorted. */
export async function annotatedRecords(dir: string, annotator = 'atr'): Promise<string[]> {
  const names = await fs.readdir(dir);
  const set = new Set(names);
  return names
    .filter((n) => n.endsWith('.hea') && set.has(n.replace(/\.hea$/, `.${annotator}`)))
    .map((n) => n.replace(/\.hea$/, ''))
    .sort();
}

/** Runs the detector on every annotated record in `dir` and scores it against the reference beats. */
export async function benchmarkQrs(dir: string, opts: QrsBenchmarkOptions = {}): Promise<QrsBenchmark> {
  const annotator = opts.annotator ?? 'atr';
  const names = await annotatedRecords(dir, annotator);
  if (names.length === 0) throw new Error(`${dir}: no records with .hea and .${annotator} files`);
  const records: QrsRecordResult[] = [];
  const errors: number[] = [];
  let tp = 0,
    fn = 0,
    fp = 0,
    leadMs = 0,
    leadCpuMs = 0,
    leadMinutes = 0;
  for (const [k, name] of names.entries()) {
    const rec = await readWfdbRecord(path.join(dir, `${name}.hea`));
    const fsHz = rec.samplingRate;
    const leads = rec.leads.map(leadMillivolts);
    const reference = (await readWfdbAnnotations(path.join(dir, `${name}.${annotator}`)))
      .filter((a) => isBeatSymbol(a.symbol))
      .map((a) => a.sample);
    let detected: Int32Array = new Int32Array(0);
    let best = Infinity;
    let bestCpu = Infinity;
    for (let r = 0; r < (opts.repeats ?? 1); r++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      detected = detectQrs(leads, fsHz);
      best = Math.min(best, performance.now() - t0);
      const c = process.cpuUsage(c0);
      bestCpu = Math.min(bestCpu, (c.user + c.system) / 1000);
    }
    const m = matchBeats(reference, detected, fsHz);
    const ms = (s: number): number => (s / fsHz) * 1000;
    let sum = 0;
    for (const e of m.timingErrors) {
      sum += e;
      errors.push(ms(e));
    }
    const res: QrsRecordResult = {
      record: name,
      leads: leads.length,
      seconds: rec.length / fsHz,
      tp: m.tp,
      fn: m.fn,
      fp: m.fp,
      se: m.se,
      ppv: m.ppv,
      medianAbsErrorMs: ms(medianAbs(m.timingErrors)),
      meanErrorMs: ms(sum / Math.max(1, m.timingErrors.length)),
      detectMs: best,
      detectCpuMs: bestCpu,
    };
    records.push(res);
    tp += m.tp;
    fn += m.fn;
    fp += m.fp;
    leadMs += best;
    leadCpuMs += bestCpu;
    leadMinutes += (leads.length * rec.length) / fsHz / 60;
    opts.onRecord?.(res, k, names.length);
  }
  let absSum = 0;
  for (const e of errors) absSum += Math.abs(e);
  return {
    records,
    gross: {
      tp,
      fn,
      fp,
      se: tp / (tp + fn),
      ppv: tp / (tp + fp),
      medianAbsErrorMs: medianAbs(errors),
      meanAbsErrorMs: absSum / Math.max(1, errors.length),
    },
    msPer30MinLead: (leadMs / leadMinutes) * 30,
    cpuMsPer30MinLead: (leadCpuMs / leadMinutes) * 30,
  };
}
