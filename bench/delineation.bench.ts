// Delineation against LUDB's cardiologists, records 1-100 (12 leads, 500 Hz, 10 s).
// 1. Global intervals (P duration, PR, QRS, QT) against a reference built from all 12 leads' annotations (earliest
//    onset / latest offset across leads per beat, median over beats, one figure per record): mean and SD of
//    ours - reference, the share of records measured, and the outliers with LUDB's diagnoses.
// 2. The per-boundary errors against lead II's annotations (every annotated wave matched to our beat), as before.
// Prints one JSON object as the last stdout line.
import { readWfdbRecord } from '../src-main/formats/wfdb-record.ts';
import { readWfdbAnnotations } from '../src-main/formats/wfdb-annotation.ts';
import { canonicalLeadName, leadMillivolts } from '../src-shared/record.ts';
import { measureRecord } from '../src-main/dsp/measurements.ts';
import { BOUNDARIES, boundaryErrors, summariseErrors, type Boundary } from './delineation-agreement.ts';
import { annotatedWaves, globalReference, intervalAgreement, INTERVALS, ludbDiagnoses, type Interval } from './ludb-global-reference.ts';
import { SHARED_DATA } from './shared-data-path.ts';
import { headerPaths } from './rule-validation.ts';
import { compareWithDevices, deviceAgreement } from './vendor-intervals.ts';

const LEAD_FILES = ['i', 'ii', 'iii', 'avr', 'avl', 'avf', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6'];
/** An error beyond this (ms) lists the record as an outlier: twice the IEC SD tolerance. */
const OUTLIER_MS: Record<Interval, number> = { pDuration: 20, pr: 20, qrs: 20, qt: 60 };

const lead2: Record<Boundary, number[]> = { pOnset: [], pOffset: [], qrsOnset: [], qrsOffset: [], tOffset: [] };
const pairs: Record<Interval, { ours: number | null; ref: number | null }[]> = { pDuration: [], pr: [], qrs: [], qt: [] };
const trimmedPairs: Record<Interval, { ours: number | null; ref: number | null }[]> = { pDuration: [], pr: [], qrs: [], qt: [] };
/** Records 1-50 / 51-100: the fitted constants were chosen on all 100, so the halves show how stable they are. */
const halves: Record<Interval, { ours: number | null; ref: number | null }[]>[] = [0, 1].map(() => ({
  pDuration: [],
  pr: [],
  qrs: [],
  qt: [],
}));
const outliers: { record: number; interval: Interval; errorMs: number | null; reason?: string; diagnoses: string }[] = [];
let ms = 0;
let delineated = 0;
const dir = `${SHARED_DATA}/ludb/data`;
for (let id = 1; id <= 100; id++) {
  const rec = await readWfdbRecord(`${dir}/${id}.hea`);
  const leads: Record<string, Float32Array> = {};
  for (const l of rec.leads) leads[canonicalLeadName(l.name)] = leadMillivolts(l);
  const t0 = performance.now();
  const m = measureRecord(leads, rec.samplingRate);
  ms += performance.now() - t0;
  if (m.delineation) delineated++;
  const e = boundaryErrors(m, await readWfdbAnnotations(`${dir}/${id}.ii`));
  for (const k of BOUNDARIES) lead2[k].push(...e[k]);
  const waves = await Promise.all(LEAD_FILES.map(async (f) => annotatedWaves(await readWfdbAnnotations(`${dir}/${id}.${f}`))));
  const ref = globalReference(waves, rec.samplingRate);
  const trimmed = globalReference(waves, rec.samplingRate, 1);
  const ours: Record<Interval, number | null> = {
    pDuration: m.pDurationMs,
    pr: m.prMs,
    qrs: m.qrsMs,
    qt: m.qtMs,
  };
  const diagnoses = ludbDiagnoses(String(rec.attributes.comments ?? ''));
  for (const k of INTERVALS) {
    pairs[k].push({ ours: ours[k], ref: ref[k] });
    trimmedPairs[k].push({ ours: ours[k], ref: trimmed[k] });
    halves[id <= 50 ? 0 : 1][k].push({ ours: ours[k], ref: ref[k] });
    if (ref[k] === null) continue;
    const err = ours[k] === null ? null : Math.round(ours[k]! - ref[k]!);
    if (err === null || Math.abs(err) > OUTLIER_MS[k])
      outliers.push({
        record: id,
        interval: k,
        errorMs: err,
        ...(err === null ? { reason: m.notMeasurable[k] ?? 'not measured' } : {}),
        diagnoses,
      });
  }
  if (id % 20 === 0) process.stderr.write(`delineation ${id}/100\n`);
}
// Chapman-Shaoxing/Ningbo dev records: how often QT / PR are measured outside LUDB (no boundary reference there).
const chapman = { records: 0, qtMeasured: 0, prMeasured: 0, qrsMeasured: 0, notMeasurableQt: {} as Record<string, number> };
for (const p of await headerPaths(`${SHARED_DATA}/cinc/chapman-ningbo/WFDBRecords`)) {
  const rec = await readWfdbRecord(p);
  const leads: Record<string, Float32Array> = {};
  for (const l of rec.leads) leads[canonicalLeadName(l.name)] = leadMillivolts(l);
  const m = measureRecord(leads, rec.samplingRate);
  chapman.records++;
  if (m.qtMs !== null) chapman.qtMeasured++;
  else chapman.notMeasurableQt[m.notMeasurable.qt ?? '?'] = (chapman.notMeasurableQt[m.notMeasurable.qt ?? '?'] ?? 0) + 1;
  if (m.prMs !== null) chapman.prMeasured++;
  if (m.qrsMs !== null) chapman.qrsMeasured++;
  if (chapman.records % 200 === 0) process.stderr.write(`chapman ${chapman.records}\n`);
}
const vendor = await compareWithDevices(`${SHARED_DATA}/formats`);
const global = Object.fromEntries(INTERVALS.map((k) => [k, intervalAgreement(pairs[k])]));
console.error(JSON.stringify(global, null, 1));
for (const o of outliers) console.error(`${o.record}\t${o.interval}\t${o.errorMs ?? o.reason}\t${o.diagnoses}`);
console.log(
  JSON.stringify({
    dataset: 'ludb records 1-100, 12 leads, 500 Hz',
    method:
      'median beat of all detected beats (0.5-40 Hz zero-phase band-pass); global boundaries from all leads (see src-main/dsp/delineation.ts)',
    global: {
      reference:
        "all 12 leads' annotations: per beat earliest onset / latest offset across leads (QRS in >= 6 leads, P and T in >= 3), median over beats, one figure per record",
      tolerancesIec60601_2_25: { prMeanMs: 10, prSdMs: 10, qrsMeanMs: 10, qrsSdMs: 10, qtMeanMs: 25, qtSdMs: 30 },
      intervals: global,
      halves: halves.map((h, i) => ({
        records: i === 0 ? '1-50' : '51-100',
        ...Object.fromEntries(INTERVALS.map((k) => [k, intervalAgreement(h[k])])),
      })),
      trimmedReference: {
        reference: 'second earliest onset / second latest offset across leads (one extreme lead dropped)',
        intervals: Object.fromEntries(INTERVALS.map((k) => [k, intervalAgreement(trimmedPairs[k])])),
      },
      outlierRule: 'not measured, or |error| > 20 ms (P duration, PR, QRS) / 60 ms (QT)',
      outliers,
    },
    chapmanDev: { ...chapman, qtMeasuredShare: Math.round((1000 * chapman.qtMeasured) / chapman.records) / 1000 },
    deviceComparison: {
      note: "our intervals beside the device's own (GE MUSE, Philips SierraECG, SCP-ECG, HL7 aECG files that carry them)",
      agreement: deviceAgreement(vendor.compared),
      files: vendor.compared,
      skipped: vendor.skipped,
    },
    recordsDelineated: delineated,
    lead2BoundaryErrorsMs: Object.fromEntries(BOUNDARIES.map((k) => [k, summariseErrors(lead2[k])])),
    measureMsPerRecord: Math.round((ms / 100) * 10) / 10,
  }),
);
