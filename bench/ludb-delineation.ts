// Our global intervals on a range of LUDB records against three references built from the cardiologists'
// per-lead annotations: lead II alone (the first definition), all 12 leads (per beat earliest onset /
// latest offset, IEC 60601-2-25's definition of a global boundary) and all leads robust (the single most extreme
// lead dropped, since each lead was annotated on its own). Used by delineation.bench.ts for the tuned records
// 1-100 and the held-out 101-200.
import { readWfdbRecord } from '../src-main/formats/wfdb-record.ts';
import { readWfdbAnnotations } from '../src-main/formats/wfdb-annotation.ts';
import { canonicalLeadName, leadMillivolts } from '../src-shared/record.ts';
import { measureRecord, type EcgMeasurements } from '../src-main/dsp/measurements.ts';
import { annotatedWaves, globalReference, intervalAgreement, INTERVALS, ludbDiagnoses, type Interval } from './ludb-global-reference.ts';
import { SHARED_DATA } from './shared-data-path.ts';
import { addOutcome, emptyConfusion, finishConfusion, ludbTruth, readLudbDiagnoses, type Confusion } from './rule-validation.ts';
import {
  decisionAgreement,
  DECISIONS,
  recordDecisions,
  type DecisionAgreement,
  type DecisionName,
  type DecisionPair,
} from './ludb-decisions.ts';

export const LUDB_LEAD_FILES = ['i', 'ii', 'iii', 'avr', 'avl', 'avf', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6'];
export const REFERENCES = ['leadII', 'allLeads', 'allLeadsRobust'] as const;
export type Reference = (typeof REFERENCES)[number];

export const REFERENCE_DEFINITIONS: Record<Reference, string> = {
  leadII: "lead II's annotations only (the issue's first definition), median over beats",
  allLeads:
    'all 12 leads: per beat earliest onset / latest offset across leads (QRS in >= 6 leads, P and T in >= 3), median over beats ' +
    "(IEC 60601-2-25's definition of global boundaries)",
  allLeadsRobust: 'all 12 leads with the single most extreme lead dropped (second earliest onset / second latest offset)',
};

/** IEC 60601-2-25 tolerances on biological ECGs (CSE): |mean| and SD of ours - reference, ms. */
export const IEC_TOLERANCES: Partial<Record<Interval, { meanMs: number; sdMs: number }>> = {
  pr: { meanMs: 10, sdMs: 10 },
  qrs: { meanMs: 10, sdMs: 10 },
  qt: { meanMs: 25, sdMs: 30 },
};

/** An error beyond this (ms) lists the record as an outlier: twice the IEC SD tolerance. */
const OUTLIER_MS: Record<Interval, number> = { pDuration: 20, pr: 20, qrs: 20, qt: 60 };

type Pair = { ours: number | null; ref: number | null };

export interface LudbOutlier {
  record: number;
  interval: Interval;
  /** Against the all-lead robust reference. */
  errorMs: number | null;
  reason?: string;
  diagnoses: string;
}

export interface LudbRangeResult {
  records: string;
  byReference: Record<Reference, Record<Interval, ReturnType<typeof intervalAgreement> & { iec?: 'meets' | 'fails' }>>;
  /** The prolonged-interval rules' decisions on our intervals against the same decisions on each reference's intervals. */
  decisions: Record<Reference, Record<DecisionName, DecisionAgreement>>;
  /**
   * The prolonged PR and QRS decisions against LUDB's diagnoses (I degree AV block; complete bundle branch block, as the
   * rules bench scores them), taken on our intervals and on each reference's: which intervals the diagnoses bear out.
   */
  diagnoses: Record<'prolongedPr' | 'prolongedQrs', Record<'ours' | Reference, Confusion>>;
  outliers: LudbOutlier[];
  measureMsPerRecord: number;
}

export async function readLudbRecord(id: number): Promise<{ leads: Record<string, Float32Array>; fs: number; diagnoses: string }> {
  const rec = await readWfdbRecord(`${SHARED_DATA}/ludb/data/${id}.hea`);
  const leads: Record<string, Float32Array> = {};
  for (const l of rec.leads) leads[canonicalLeadName(l.name)] = leadMillivolts(l);
  return { leads, fs: rec.samplingRate, diagnoses: ludbDiagnoses(String(rec.attributes.comments ?? '')) };
}

/** The three references of one LUDB record; `beatParity` builds them from the even (0) or odd (1) beats only. */
export async function ludbReferences(
  id: number,
  fs: number,
  beatParity?: 0 | 1,
): Promise<Record<Reference, Record<Interval, number | null>>> {
  const waves = await Promise.all(
    LUDB_LEAD_FILES.map(async (f) => annotatedWaves(await readWfdbAnnotations(`${SHARED_DATA}/ludb/data/${id}.${f}`))),
  );
  return {
    leadII: globalReference([waves[1]], fs, 0, { qrs: 1, pt: 1 }, beatParity),
    allLeads: globalReference(waves, fs, 0, undefined, beatParity),
    allLeadsRobust: globalReference(waves, fs, 1, undefined, beatParity),
  };
}

/**
 * How much of the spread is the reference's own beat-to-beat noise: each reference built twice, from the even and
 * from the odd beats; the SD of the two halves' difference over 2 estimates the whole reference's noise SD (ms).
 * A per-record bias of the annotator (the same in every beat) does not show here.
 */
export async function referenceBeatNoise(ids: number[]): Promise<Record<Reference, Partial<Record<Interval, number>>>> {
  const diffs = Object.fromEntries(REFERENCES.map((r) => [r, Object.fromEntries(INTERVALS.map((k) => [k, [] as number[]]))])) as Record<
    Reference,
    Record<Interval, number[]>
  >;
  for (const id of ids) {
    // LUDB is 500 Hz throughout.
    const [even, odd] = [await ludbReferences(id, 500, 0), await ludbReferences(id, 500, 1)];
    for (const r of REFERENCES)
      for (const k of INTERVALS) if (even[r][k] !== null && odd[r][k] !== null) diffs[r][k].push(even[r][k]! - odd[r][k]!);
  }
  const noise = (d: number[]): number => {
    const mean = d.reduce((a, b) => a + b, 0) / d.length;
    return Math.round((Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / d.length) / 2) * 10) / 10;
  };
  return Object.fromEntries(
    REFERENCES.map((r) => [r, Object.fromEntries(INTERVALS.filter((k) => diffs[r][k].length).map((k) => [k, noise(diffs[r][k])]))]),
  ) as Record<Reference, Partial<Record<Interval, number>>>;
}

function verdict(k: Interval, a: ReturnType<typeof intervalAgreement>): 'meets' | 'fails' | undefined {
  const tol = IEC_TOLERANCES[k];
  if (!tol) return undefined;
  return Math.abs(a.meanMs) <= tol.meanMs && a.sdMs <= tol.sdMs ? 'meets' : 'fails';
}

/** Agreement of measureRecord with the three references over the LUDB records `ids`, named `records`. */
export async function ludbAgreement(
  records: string,
  ids: number[],
  onRecord?: (id: number, m: EcgMeasurements) => Promise<void> | void,
): Promise<LudbRangeResult> {
  const pairs = Object.fromEntries(REFERENCES.map((r) => [r, Object.fromEntries(INTERVALS.map((k) => [k, [] as Pair[]]))])) as Record<
    Reference,
    Record<Interval, Pair[]>
  >;
  const decisions = Object.fromEntries(
    REFERENCES.map((r) => [r, Object.fromEntries(DECISIONS.map((d) => [d, [] as DecisionPair[]]))]),
  ) as Record<Reference, Record<DecisionName, DecisionPair[]>>;
  const diagnosisRows = await readLudbDiagnoses(`${SHARED_DATA}/ludb/ludb.csv`);
  const byDiagnosis = {
    prolongedPr: Object.fromEntries(['ours', ...REFERENCES].map((r) => [r, emptyConfusion()])),
    prolongedQrs: Object.fromEntries(['ours', ...REFERENCES].map((r) => [r, emptyConfusion()])),
  } as LudbRangeResult['diagnoses'];
  const outliers: LudbOutlier[] = [];
  let ms = 0;
  for (const id of ids) {
    const { leads, fs, diagnoses } = await readLudbRecord(id);
    const t0 = performance.now();
    const m = measureRecord(leads, fs);
    ms += performance.now() - t0;
    await onRecord?.(id, m);
    const refs = await ludbReferences(id, fs);
    const ours: Record<Interval, number | null> = { pDuration: m.pDurationMs, pr: m.prMs, qrs: m.qrsMs, qt: m.qtMs };
    const decided = Object.fromEntries(REFERENCES.map((r) => [r, recordDecisions(m, refs[r])])) as Record<
      Reference,
      ReturnType<typeof recordDecisions>
    >;
    for (const r of REFERENCES) {
      for (const k of INTERVALS) pairs[r][k].push({ ours: ours[k], ref: refs[r][k] });
      for (const k of DECISIONS) decisions[r][k].push(decided[r][k]);
    }
    const row = diagnosisRows[String(id)];
    for (const [k, detector] of [
      ['prolongedPr', 'prolonged-pr'],
      ['prolongedQrs', 'prolonged-qrs'],
    ] as const) {
      const truth = row ? ludbTruth(detector, row) : undefined;
      if (truth === undefined) continue;
      // Our decision does not depend on the reference: any reference's pair carries it.
      addOutcome(byDiagnosis[k].ours, decided.leadII[k].ours ?? 'not-applicable', truth);
      for (const r of REFERENCES) addOutcome(byDiagnosis[k][r], decided[r][k].ref ?? 'not-applicable', truth);
    }
    for (const k of INTERVALS) {
      const ref = refs.allLeadsRobust[k];
      if (ref === null) continue;
      const err = ours[k] === null ? null : Math.round(ours[k]! - ref);
      if (err === null || Math.abs(err) > OUTLIER_MS[k])
        outliers.push({
          record: id,
          interval: k,
          errorMs: err,
          ...(err === null ? { reason: m.notMeasurable[k] ?? 'not measured' } : {}),
          diagnoses,
        });
    }
  }
  const byReference = Object.fromEntries(
    REFERENCES.map((r) => [
      r,
      Object.fromEntries(
        INTERVALS.map((k) => {
          const a = intervalAgreement(pairs[r][k]);
          const v = verdict(k, a);
          return [k, v ? { ...a, iec: v } : a];
        }),
      ),
    ]),
  ) as LudbRangeResult['byReference'];
  const decisionsByReference = Object.fromEntries(
    REFERENCES.map((r) => [r, Object.fromEntries(DECISIONS.map((k) => [k, decisionAgreement(decisions[r][k])]))]),
  ) as LudbRangeResult['decisions'];
  for (const k of ['prolongedPr', 'prolongedQrs'] as const)
    for (const r of ['ours', ...REFERENCES] as const) byDiagnosis[k][r] = finishConfusion(byDiagnosis[k][r]);
  return {
    records,
    byReference,
    decisions: decisionsByReference,
    diagnoses: byDiagnosis,
    outliers,
    measureMsPerRecord: Math.round((ms / ids.length) * 10) / 10,
  };
}

/** One line per reference: 'PR -0.8±13.7 (96 %) fails' etc. */
export function agreementTable(res: LudbRangeResult): string {
  const lines = [`LUDB ${res.records}`];
  for (const r of REFERENCES) {
    const cells = INTERVALS.map((k) => {
      const a = res.byReference[r][k];
      return `${k} ${a.meanMs}±${a.sdMs} (${Math.round(a.measuredShare * 100)} %)${a.iec ? ' ' + a.iec : ''}`;
    });
    lines.push(`  ${r.padEnd(15)} ${cells.join('  ')}`);
  }
  for (const r of REFERENCES) {
    const cells = DECISIONS.map((k) => {
      const d = res.decisions[r][k];
      return `${k} ${Math.round(d.agreement * 100)} % κ ${d.kappa ?? '-'} (+${d.oursOnly}/-${d.referenceOnly})`;
    });
    lines.push(`  decisions ${r.padEnd(15)} ${cells.join('  ')}`);
  }
  for (const [k, by] of Object.entries(res.diagnoses))
    lines.push(
      `  ${k} vs LUDB diagnoses: ` +
        Object.entries(by)
          .map(([r, c]) => `${r} TP ${c.tp} FP ${c.fp} FN ${c.fn} TN ${c.tn}`)
          .join('; '),
    );
  return lines.join('\n');
}
