// What a model of the same architecture loses with fewer leads, per class: its probabilities against the
// reference lead set's (mean change; detections among the records labelled with the class) and where its
// saliency goes (share per wave and per lead), stated in one sentence per class and reduced lead set.
import { finiteMean, median } from '../../src-shared/rank-stats.ts';
import { vocabularyEntry } from '../../src-shared/vocabulary-search.ts';
import { rhythmStripLead } from '../../src-shared/saliency-result.ts';

export const LEAD_SET_WAVES = ['qrs', 'p', 'stT'] as const;
export type LeadSetWave = (typeof LEAD_SET_WAVES)[number];
const WAVE_NAMES: Record<LeadSetWave, string> = { qrs: 'QRS', p: 'P', stT: 'ST-T' };
/** Wave shares within this of the reference's count as looking at the same waves. */
export const SAME_WAVES_TOLERANCE = 0.1;
/** Probability from which a class counts as detected. */
export const DETECTION_THRESHOLD = 0.5;

/** One record scored (and explained) by the model of one lead set. */
export interface LeadSetOutcome {
  recordId: number;
  recordName: string;
  /** Lead-set size (12, 6, 4, 3, 2). */
  leadSet: number;
  modelId: number;
  /** Probability per class code. */
  probabilities: Record<string, number>;
  /** The class explained (the reference model's top class for the record), or null when not explained. */
  explainedClass: string | null;
  /** Share of the map's total per lead (the model's leads). */
  leadShares: Record<string, number>;
  /** Share of the map in each wave; null when the record's beats could not be delineated. */
  waveShares: Record<LeadSetWave, number> | null;
  /** The record's labels (class codes). */
  labels: string[];
}

export interface ClassLeadSetFinding {
  classCode: string;
  leadSet: number;
  reference: number;
  /** Records scored by both models. */
  records: number;
  meanProbability: number;
  referenceMeanProbability: number;
  /** Mean over records of (probability - reference probability). */
  meanChange: number;
  /** Records labelled with the class, and how many each model detects (probability >= DETECTION_THRESHOLD). */
  labelled: number;
  detected: number;
  referenceDetected: number;
  /** Median wave shares of the maps explaining this class (records where both were explained and delineated). */
  waveShares: Record<LeadSetWave, number> | null;
  referenceWaveShares: Record<LeadSetWave, number> | null;
  explained: number;
  sameWaves: boolean | null;
  sentence: string;
}

/** 'AF 164889003 (atrial fibrillation)', or the bare code when the vocabulary does not know it. */
export function className(code: string): string {
  const e = vocabularyEntry(code);
  return e ? `${e.abbreviation} ${code} (${e.name})` : code;
}

const f2 = (v: number): string => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');
const signed = (v: number): string => (Number.isFinite(v) ? `${v >= 0 ? '+' : ''}${v.toFixed(2)}` : 'n/a');
const pct = (v: number): string => (Number.isFinite(v) ? `${Math.round(v * 100)} %` : 'n/a');

function medianWaves(rows: LeadSetOutcome[]): Record<LeadSetWave, number> | null {
  const w = rows.map((r) => r.waveShares).filter((x): x is Record<LeadSetWave, number> => x !== null);
  return w.length ? (Object.fromEntries(LEAD_SET_WAVES.map((k) => [k, median(w.map((x) => x[k]))])) as Record<LeadSetWave, number>) : null;
}

export function leadSetSentence(f: Omit<ClassLeadSetFinding, 'sentence'>): string {
  const head =
    `${className(f.classCode)}, ${f.leadSet} vs ${f.reference} leads: mean probability ${f2(f.meanProbability)} vs ` +
    `${f2(f.referenceMeanProbability)} (change ${signed(f.meanChange)}) over ${f.records} records`;
  const detection = f.labelled
    ? `; of ${f.labelled} labelled records ${f.detected} detected vs ${f.referenceDetected} at ${DETECTION_THRESHOLD}`
    : '; no record is labelled with it';
  let waves = '; saliency not compared (no delineated record explained for this class by both models)';
  if (f.waveShares && f.referenceWaveShares) {
    const shares = LEAD_SET_WAVES.map((w) => `${WAVE_NAMES[w]} ${pct(f.waveShares![w])} vs ${pct(f.referenceWaveShares![w])}`).join(', ');
    const moved = [...LEAD_SET_WAVES].sort(
      (a, b) => Math.abs(f.waveShares![b] - f.referenceWaveShares![b]) - Math.abs(f.waveShares![a] - f.referenceWaveShares![a]),
    )[0];
    const d = f.waveShares[moved] - f.referenceWaveShares[moved];
    waves =
      `; saliency share ${shares} over ${f.explained} records` +
      (f.sameWaves
        ? ` — looks at the same waves (within ${pct(SAME_WAVES_TOLERANCE)})`
        : ` — looks elsewhere: ${d > 0 ? 'more' : 'less'} on ${WAVE_NAMES[moved]} (${signed(d * 100).replace(/\.00$/, '')} points)`);
  }
  return `${head}${detection}${waves}.`;
}

/** Per class of the reference model and per other lead set: what changes against the reference lead set. */
export function leadSetFindings(outcomes: readonly LeadSetOutcome[], classes: readonly string[], reference: number): ClassLeadSetFinding[] {
  const byRecord = new Map<number, Map<number, LeadSetOutcome>>();
  for (const o of outcomes) {
    if (!byRecord.has(o.recordId)) byRecord.set(o.recordId, new Map());
    byRecord.get(o.recordId)!.set(o.leadSet, o);
  }
  const sizes = [...new Set(outcomes.map((o) => o.leadSet))].filter((s) => s !== reference).sort((a, b) => b - a);
  const out: ClassLeadSetFinding[] = [];
  for (const code of classes) {
    for (const size of sizes) {
      const both = [...byRecord.values()]
        .map((m) => [m.get(size), m.get(reference)] as const)
        .filter((p): p is readonly [LeadSetOutcome, LeadSetOutcome] => !!p[0] && !!p[1] && code in p[0].probabilities);
      const labelled = both.filter(([, r]) => r.labels.includes(code));
      const explainedBoth = both.filter(([o, r]) => o.explainedClass === code && r.explainedClass === code && o.waveShares && r.waveShares);
      const waveShares = medianWaves(explainedBoth.map(([o]) => o));
      const referenceWaveShares = medianWaves(explainedBoth.map(([, r]) => r));
      const partial = {
        classCode: code,
        leadSet: size,
        reference,
        records: both.length,
        meanProbability: finiteMean(both.map(([o]) => o.probabilities[code])),
        referenceMeanProbability: finiteMean(both.map(([, r]) => r.probabilities[code])),
        meanChange: finiteMean(both.map(([o, r]) => o.probabilities[code] - r.probabilities[code])),
        labelled: labelled.length,
        detected: labelled.filter(([o]) => o.probabilities[code] >= DETECTION_THRESHOLD).length,
        referenceDetected: labelled.filter(([, r]) => r.probabilities[code] >= DETECTION_THRESHOLD).length,
        waveShares,
        referenceWaveShares,
        explained: explainedBoth.length,
        sameWaves:
          waveShares && referenceWaveShares
            ? LEAD_SET_WAVES.every((w) => Math.abs(waveShares[w] - referenceWaveShares[w]) <= SAME_WAVES_TOLERANCE)
            : null,
      };
      if (partial.records > 0) out.push({ ...partial, sentence: leadSetSentence(partial) });
    }
  }
  return out;
}

/**
 * Share of the map's total attribution per lead (absolute values), over the leads in `only` when given (a reduced-lead
 * model's input may carry the other leads as zeros); zeros when the map is all zero.
 */
export function leadShares(
  map: { map: Float32Array; leads: readonly string[]; samples: number },
  only?: readonly string[],
): Record<string, number> {
  // A rhythm strip counts with the lead it draws.
  const outside = (name: string): boolean => only !== undefined && !only.includes(rhythmStripLead(name) ?? name);
  const sums = map.leads.map((name, l) => {
    if (outside(name)) return 0;
    let s = 0;
    for (let t = l * map.samples; t < (l + 1) * map.samples; t++) s += Math.abs(map.map[t]);
    return s;
  });
  const total = sums.reduce((a, b) => a + b, 0);
  return Object.fromEntries(map.leads.flatMap((name, l) => (outside(name) ? [] : [[name, total > 0 ? sums[l] / total : 0]])));
}
