// Delineation against LUDB's cardiologists, records 1-100 (12 leads, 500 Hz, 10 s; ../shared/data holds no more).
// 1. Global intervals (P duration, PR, QRS, QT) against three references built from the annotations
//    (bench/ludb-delineation.ts): lead II, all 12 leads (IEC 60601-2-25's global boundaries) and all leads robust;
//    mean and SD of ours - reference, the share measured and the IEC verdict; then the odd and even records apart.
//    The prolonged-interval rules' decisions on our intervals against the same decisions on the references' intervals.
// 2. The per-boundary errors against lead II's annotations (every annotated wave matched to our beat), as before.
// 3. Each lead's QRS consistency on the real records, and the leads left out of the global boundaries as noise.
// Prints one JSON object as the last stdout line.
import os from 'node:os';
import { readWfdbRecord } from '../src-main/formats/wfdb-record.ts';
import { readWfdbAnnotations } from '../src-main/formats/wfdb-annotation.ts';
import { canonicalLeadName, leadMillivolts } from '../src-shared/record.ts';
import { measureRecord, type EcgMeasurements } from '../src-main/dsp/measurements.ts';
import { MIN_QRS_CONSISTENCY } from '../src-main/dsp/qrs-consistency.ts';
import { quantile, roundTo } from '../src-main/dsp/wave-math.ts';
import { BOUNDARIES, boundaryErrors, summariseErrors, type Boundary } from './delineation-agreement.ts';
import { agreementTable, IEC_TOLERANCES, ludbAgreement, REFERENCE_DEFINITIONS, referenceBeatNoise } from './ludb-delineation.ts';
import { SHARED_DATA } from './shared-data-path.ts';
import { headerPaths } from './rule-validation.ts';
import { compareWithDevices, deviceAgreement } from './vendor-intervals.ts';

const loadAtStart = os.loadavg();
const lead2: Record<Boundary, number[]> = { pOnset: [], pOffset: [], qrsOnset: [], qrsOffset: [], tOffset: [] };
let delineated = 0;
// Every lead's QRS consistency on real records (src-main/dsp/qrs-consistency.ts), and the leads left out.
const consistency: number[] = [];
const leftOut: { record: string; lead: string; consistency: number }[] = [];
const countConsistency = (record: string, m: EcgMeasurements): void => {
  const names = Object.keys(m.leads);
  m.delineation?.leads?.forEach((b, l) => {
    if (b.qrsConsistency !== undefined) consistency.push(b.qrsConsistency);
    if (b.leftOut) leftOut.push({ record, lead: names[l], consistency: b.qrsConsistency ?? 0 });
  });
  if (!m.delineation && m.leftOutLeads.length) leftOut.push({ record, lead: 'all', consistency: 0 });
};
const ids = Array.from({ length: 100 }, (_, i) => i + 1);
const all = await ludbAgreement('1-100', ids, async (id, m) => {
  if (m.delineation) delineated++;
  countConsistency(`ludb ${id}`, m);
  const e = boundaryErrors(m, await readWfdbAnnotations(`${SHARED_DATA}/ludb/data/${id}.ii`));
  for (const k of BOUNDARIES) lead2[k].push(...e[k]);
  if (id % 20 === 0) process.stderr.write(`delineation ${id}/100\n`);
});
// This session tuned only on the odd records (the constants before it were fitted on all 100).
const odd = await ludbAgreement(
  'odd 1-99',
  ids.filter((i) => i % 2 === 1),
);
const even = await ludbAgreement(
  'even 2-100',
  ids.filter((i) => i % 2 === 0),
);
for (const r of [all, odd, even]) console.error(agreementTable(r));
const refNoise = await referenceBeatNoise(ids);
// Chapman-Shaoxing/Ningbo dev records: how often QT / PR are measured outside LUDB (no boundary reference there).
const chapman = { records: 0, qtMeasured: 0, prMeasured: 0, qrsMeasured: 0, notMeasurableQt: {} as Record<string, number> };
for (const p of await headerPaths(`${SHARED_DATA}/cinc/chapman-ningbo/WFDBRecords`)) {
  const rec = await readWfdbRecord(p);
  const leads: Record<string, Float32Array> = {};
  for (const l of rec.leads) leads[canonicalLeadName(l.name)] = leadMillivolts(l);
  const m = measureRecord(leads, rec.samplingRate);
  countConsistency(rec.recordName, m);
  chapman.records++;
  if (m.qtMs !== null) chapman.qtMeasured++;
  else chapman.notMeasurableQt[m.notMeasurable.qt ?? '?'] = (chapman.notMeasurableQt[m.notMeasurable.qt ?? '?'] ?? 0) + 1;
  if (m.prMs !== null) chapman.prMeasured++;
  if (m.qrsMs !== null) chapman.qrsMeasured++;
  if (chapman.records % 200 === 0) process.stderr.write(`chapman ${chapman.records}\n`);
}
const vendor = await compareWithDevices(`${SHARED_DATA}/formats`);
for (const o of all.outliers) console.error(`${o.record}\t${o.interval}\t${o.errorMs ?? o.reason}\t${o.diagnoses}`);
console.log(
  JSON.stringify({
    dataset: 'ludb records 1-100, 12 leads, 500 Hz (all of LUDB in ../shared/data)',
    method:
      'median beat of all detected beats (0.5-40 Hz zero-phase band-pass); global boundaries from all leads (see src-main/dsp/delineation.ts)',
    global: {
      references: REFERENCE_DEFINITIONS,
      standardReference:
        'allLeads: IEC 60601-2-25 defines the global QRS onset / offset and T end as the earliest onset / latest offset in any lead; ' +
        "its tolerances were set on the CSE database, whose reference came from several cardiologists' and programs' medians, " +
        "closer to allLeadsRobust than to a single annotator's extreme lead",
      tolerancesIec60601_2_25: IEC_TOLERANCES,
      records1To100: all.byReference,
      referenceBeatNoiseSdMs: {
        note:
          "each reference built from the even beats and from the odd beats; SD of the halves' difference / 2 = the whole " +
          "reference's beat-to-beat noise. Small against our spread: the disagreement is per record (where the annotator puts " +
          'a boundary in every beat), not beat jitter',
        ...refNoise,
      },
      oddRecords: { note: 'the records this session tuned on', ...odd.byReference },
      evenRecords: {
        note: 'not tuned on in this session (the earlier constants were fitted on all 100); LUDB 101-200 are not in ../shared/data',
        ...even.byReference,
      },
      decisions: {
        note:
          "the prolonged-interval rules' decisions (PR > 200, QRS >= 120, QTc > 460 by each formula) on our intervals against the " +
          "same decisions on each reference's intervals (the reference QT corrected with our median RR); agreement over the " +
          "records both sides measured, Cohen's kappa, oursOnly = the rule says prolonged and the cardiologists' interval does not",
        ...all.decisions,
      },
      diagnoses: {
        note:
          "prolonged PR (> 200) and QRS (>= 120) decided on our intervals and on each reference's, against LUDB's own diagnoses " +
          '(I degree AV block; complete bundle branch block, as the rules bench scores them): a wide reference QRS in a record ' +
          'the cardiologists diagnosed with no conduction block counts as a false positive of that reference',
        ...all.diagnoses,
      },
      outlierRule: 'against allLeadsRobust: not measured, or |error| > 20 ms (P duration, PR, QRS) / 60 ms (QT)',
      outliers: all.outliers,
    },
    chapmanDev: { ...chapman, qtMeasuredShare: Math.round((1000 * chapman.qtMeasured) / chapman.records) / 1000 },
    deviceComparison: {
      note: "our intervals beside the device's own (GE MUSE, Philips SierraECG, SCP-ECG, HL7 aECG files that carry them)",
      agreement: deviceAgreement(vendor.compared),
      agreementDistinctWaveforms: deviceAgreement(vendor.compared, { distinct: true }),
      files: vendor.compared,
      skipped: vendor.skipped,
    },
    qrsConsistency: {
      note:
        "each lead's QRS consistency (median over beats of the correlation a quarter of the other beats reach) over LUDB 1-100 " +
        `and Chapman's dev records; below ${MIN_QRS_CONSISTENCY} a lead is left out of the global boundaries`,
      leads: consistency.length,
      leftOut,
      percentiles: Object.fromEntries(
        [0.001, 0.01, 0.05, 0.5].map((q) => [`p${q * 100}`, consistency.length ? roundTo(quantile(consistency, q), 2) : null]),
      ),
    },
    recordsDelineated: delineated,
    lead2BoundaryErrorsMs: Object.fromEntries(BOUNDARIES.map((k) => [k, summariseErrors(lead2[k])])),
    measureMsPerRecord: all.measureMsPerRecord,
    timingNote: `provisional: measured under load (load average at start ${loadAtStart.map((x) => x.toFixed(2)).join(' ')})`,
  }),
);
