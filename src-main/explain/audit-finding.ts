// What an audit found, per pair of layouts (or methods): the distribution of per-record agreement (per-lead
// Spearman), its median with a seeded 95 % bootstrap interval, the share of records below a stated level, the
// same restricted to records whose maps pass the randomisation check, and one sentence a researcher can quote.
import { valuesBootstrapInterval, finiteMedian, type BootstrapInterval } from '../../src-shared/bootstrap-interval.ts';
import type { AuditReport, MapRow, PairRow } from './audit.ts';

/** Agreement below this counts as a disagreeing record (stated in every sentence). */
export const LOW_AGREEMENT = 0.5;
/** A pair agrees when the whole 95 % interval of the median lies at or above this. */
export const HIGH_AGREEMENT = 0.7;
/** From this share of maps failing the randomisation check on, the sentence says to treat the pair with caution. */
export const CAUTION_FAIL_SHARE = 0.2;
export const BOOTSTRAP_ROUNDS = 1000;
export const BOOTSTRAP_SEED = 1;

export interface AgreementSummary {
  /** Records with a finite agreement value. */
  n: number;
  median: BootstrapInterval;
  /** Share of those records below LOW_AGREEMENT. */
  belowShare: number;
}

export interface PairFinding {
  /** The audit's pair key: the method compared across layouts a and b, or 'methods' with methods a and b. */
  method: string;
  a: string;
  b: string;
  /** e.g. 'Guided Grad-CAM, 3x4+II vs 6x2' or 'Grad-CAM vs Occlusion'. */
  label: string;
  /** Per-record per-lead Spearman, in record order (for the distribution plot). */
  values: number[];
  all: AgreementSummary;
  /** Maps of this pair that had the randomisation check, and how many failed it. */
  sanity: { checked: number; failed: number };
  /** Records whose maps in this pair were all checked and all passed; null when none were checked. */
  passing: AgreementSummary | null;
  verdict: 'agree' | 'disagree' | 'partial' | 'undetermined';
  sentence: string;
}

const METHOD_NAMES: Record<string, string> = {
  'vanilla-gradient': 'Vanilla gradient',
  'gradient-x-input': 'Gradient x input',
  'integrated-gradients': 'Integrated gradients',
  smoothgrad: 'SmoothGrad',
  'grad-cam': 'Grad-CAM',
  'guided-backprop': 'Guided backprop',
  'guided-grad-cam': 'Guided Grad-CAM',
  occlusion: 'Occlusion',
};

/** 'guided-grad-cam@block2' -> 'Guided Grad-CAM (block2)', 'integrated-gradients:mean' -> 'Integrated gradients (mean baseline)'. */
export function methodDisplayName(spec: string): string {
  const [head, layer] = spec.split('@');
  const [name, baseline] = head.split(':');
  const extra = [baseline && `${baseline} baseline`, layer && `layer ${layer}`].filter(Boolean).join(', ');
  return `${METHOD_NAMES[name] ?? name}${extra ? ` (${extra})` : ''}`;
}

const pct = (share: number): string => `${Math.round(share * 100)} %`;
const f2 = (v: number): string => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');

export function summariseAgreement(values: readonly number[]): AgreementSummary {
  const v = values.filter(Number.isFinite);
  return {
    n: v.length,
    median: valuesBootstrapInterval(v, finiteMedian, { rounds: BOOTSTRAP_ROUNDS, seed: BOOTSTRAP_SEED }),
    belowShare: v.length ? v.filter((x) => x < LOW_AGREEMENT).length / v.length : Number.NaN,
  };
}

function verdictOf(s: AgreementSummary): PairFinding['verdict'] {
  if (s.n < 2) return 'undetermined';
  if (s.median.lo >= HIGH_AGREEMENT) return 'agree';
  if (s.median.hi < LOW_AGREEMENT) return 'disagree';
  return 'partial';
}

const VERDICT_WORDS: Record<PairFinding['verdict'], string> = {
  agree: `consistent (the whole interval is at or above ${HIGH_AGREEMENT})`,
  disagree: `inconsistent (the whole interval is below ${LOW_AGREEMENT})`,
  partial: `only partly consistent (the interval is not wholly at or above ${HIGH_AGREEMENT})`,
  undetermined: 'undetermined (fewer than 2 records)',
};

/** The one-sentence finding of a pair (a few clauses), as the report and the CLI print it. */
export function findingSentence(f: Omit<PairFinding, 'sentence'>): string {
  const { all, sanity, passing } = f;
  const parts = [
    `${f.label}: median per-lead Spearman ${f2(all.median.estimate)} [${f2(all.median.lo)}, ${f2(all.median.hi)}] over ${all.n} records, ` +
      `${pct(all.belowShare)} of records below ${LOW_AGREEMENT}`,
  ];
  if (sanity.checked === 0) parts.push('no map had the randomisation check');
  else if (sanity.failed === 0) parts.push(`all ${sanity.checked} checked maps pass the randomisation check`);
  else {
    const share = sanity.failed / sanity.checked;
    parts.push(
      `${pct(share)} of maps fail the randomisation check (${sanity.failed} of ${sanity.checked})` +
        (share >= CAUTION_FAIL_SHARE ? ' — treat with caution' : ''),
    );
  }
  let text = `${parts.join('; ')}. Verdict: ${VERDICT_WORDS[f.verdict]}.`;
  if (passing && sanity.failed > 0)
    text +=
      passing.n > 0
        ? ` Over the ${passing.n} records whose maps pass it: median ${f2(passing.median.estimate)} [${f2(passing.median.lo)}, ` +
          `${f2(passing.median.hi)}], ${pct(passing.belowShare)} below ${LOW_AGREEMENT}.`
        : ' No record has both maps passing it.';
  return text;
}

/** The two maps a pair compares in one record. */
function pairMaps(p: PairRow, byKey: Map<string, MapRow>): (MapRow | undefined)[] {
  return p.method === 'methods'
    ? [byKey.get(`${p.recordId}|${p.a}|`), byKey.get(`${p.recordId}|${p.b}|`)]
    : [byKey.get(`${p.recordId}|${p.method}|${p.a}`), byKey.get(`${p.recordId}|${p.method}|${p.b}`)];
}

/** One finding per pair of layouts (or methods) in the audit, in the order the pairs first appear. */
export function auditFindings(report: Pick<AuditReport, 'pairs' | 'maps'>): PairFinding[] {
  const byKey = new Map(report.maps.map((m) => [`${m.recordId}|${m.method}|${m.variant}`, m]));
  const groups = new Map<string, PairRow[]>();
  for (const p of report.pairs) {
    const k = `${p.method}|${p.a}|${p.b}`;
    groups.set(k, [...(groups.get(k) ?? []), p]);
  }
  return [...groups.values()].map((rows) => {
    const { method, a, b } = rows[0];
    const label =
      method === 'methods' ? `${methodDisplayName(a)} vs ${methodDisplayName(b)}` : `${methodDisplayName(method)}, ${a} vs ${b}`;
    const values = rows.map((p) => p.metrics.leadSpearman);
    const seen = new Set<MapRow>();
    const passingValues: number[] = [];
    for (const p of rows) {
      const maps = pairMaps(p, byKey);
      maps.forEach((m) => m && seen.add(m));
      if (maps.every((m) => m?.measures.sanity && !m.measures.sanity.flagged)) passingValues.push(p.metrics.leadSpearman);
    }
    const checked = [...seen].filter((m) => m.measures.sanity);
    const sanity = { checked: checked.length, failed: checked.filter((m) => m.measures.sanity!.flagged).length };
    const all = summariseAgreement(values);
    const partial = {
      method,
      a,
      b,
      label,
      values,
      all,
      sanity,
      passing: sanity.checked ? summariseAgreement(passingValues) : null,
      verdict: verdictOf(all),
    };
    return { ...partial, sentence: findingSentence(partial) };
  });
}
