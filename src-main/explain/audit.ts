// Dataset audit: for every record, attributions in several variants (chart layouts for an image model,
// or methods for a signal model) are compared pairwise; records and classes are ranked by inconsistency
// (1 - per-lead Spearman, averaged over variant pairs). Each map can also be measured on its own
// (fidelity, sanity check, localisation); those are summarised by median per method. audit-report.ts writes it out.
import { compareAttributions, type ConsistencyMetrics } from './consistency.ts';
import type { FidelityResult } from './fidelity.ts';
import type { Localisation } from './localisation.ts';
import { leadShares } from './lead-set-findings.ts';
import { finiteMean, median } from '../../src-shared/rank-stats.ts';
import type { SanityResult } from './sanity-check.ts';
import type { SaliencyResult } from '../../src-shared/saliency-result.ts';

export interface AuditItem {
  recordId: number;
  recordName: string;
  /** Class labels of the record (e.g. SNOMED abbreviations), for the class ranking. */
  classes: string[];
}

/** Thrown by `explain` when a record cannot be explained at all (e.g. it lacks the model's leads): the audit skips it. */
export class SkipRecord extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'SkipRecord';
  }
}

export interface AuditInput {
  items: AuditItem[];
  /** Methods explained; each compared across variants. */
  methods: string[];
  /** Variants compared within a method: layouts (image models) or a single '' (then methods are compared instead). */
  variants: string[];
  explain(item: AuditItem, method: string, variant: string): Promise<SaliencyResult>;
  /** Measures of one map on its own; any field may be left out (e.g. fidelity on a subset of records). */
  measure?(item: AuditItem, method: string, variant: string, result: SaliencyResult): Promise<MapMeasures>;
  /** Called with each map as it is made (e.g. to store it). */
  onMap?(item: AuditItem, result: SaliencyResult): void;
  onProgress?(done: number, total: number): void;
  /** Checked before every map: when aborted, the audit stops with 'cancelled' (maps already made stay stored). */
  signal?: AbortSignal;
}

export interface MapMeasures {
  /** All-zero map (e.g. Grad-CAM with no positive evidence at its layer): nothing to measure, counted apart. */
  empty?: true;
  fidelity?: FidelityResult;
  sanity?: SanityResult;
  localisation?: Localisation;
}

export interface MapRow {
  recordId: number;
  recordName: string;
  method: string;
  variant: string;
  targetClass: number;
  /** Grad-CAM layer used, if any. */
  layer: string | null;
  /** Share of the map per row: the record's leads, and a rhythm strip apart from its lead ('II (rhythm strip)'). */
  leadShares: Record<string, number>;
  measures: MapMeasures;
}

export type Wave = keyof Localisation;
export const WAVES: readonly Wave[] = ['qrs', 'p', 'stT', 'pacing'];

/** Medians over the maps of one method (and layout) that have each measure. */
export interface MapSummary {
  maps: number;
  /** All-zero maps, left out of the measures. */
  empty: number;
  fidelity: {
    n: number;
    deletionAuc: number;
    insertionAuc: number;
    fractions: number[];
    meanDeletion: number[];
    meanInsertion: number[];
  } | null;
  sanity: { n: number; flagged: number; spearman: number; ssim: number } | null;
  localisation: { n: number; share: Record<Wave, number>; coverage: Record<Wave, number>; enrichment: Record<Wave, number> } | null;
}

export interface PairRow {
  recordId: number;
  recordName: string;
  method: string;
  a: string;
  b: string;
  metrics: ConsistencyMetrics;
}

export interface AuditReport {
  methods: string[];
  variants: string[];
  records: number;
  pairs: PairRow[];
  maps: MapRow[];
  /** Per map label (method, or 'method @ layout' for image models). */
  mapSummary: Record<string, MapSummary>;
  /** Per method (or 'methods' when methods are compared): median / mean Spearman between variants. */
  spearmanByMethod: Record<string, { median: number; mean: number; n: number }>;
  recordRanking: { recordId: number; recordName: string; inconsistency: number; classes: string[] }[];
  classRanking: { className: string; inconsistency: number; records: number }[];
  /** Records left out, with the reason (e.g. the leads they lack). */
  skipped: { recordId: number; recordName: string; reason: string }[];
  /** The model's class codes (a map's targetClass indexes them), when the caller knows them. */
  classes?: string[];
}

/** Pairs of labelled attributions to compare: variants within each method, or methods when there is one variant. */
function comparisons(
  maps: Map<string, SaliencyResult>,
  methods: string[],
  variants: string[],
): { method: string; a: string; b: string; ra: SaliencyResult; rb: SaliencyResult }[] {
  const out = [];
  if (variants.length > 1) {
    for (const m of methods) {
      for (let i = 0; i < variants.length; i++) {
        for (let j = i + 1; j < variants.length; j++) {
          out.push({
            method: m,
            a: variants[i],
            b: variants[j],
            ra: maps.get(`${m}|${variants[i]}`)!,
            rb: maps.get(`${m}|${variants[j]}`)!,
          });
        }
      }
    }
  } else {
    for (let i = 0; i < methods.length; i++) {
      for (let j = i + 1; j < methods.length; j++) {
        out.push({
          method: 'methods',
          a: methods[i],
          b: methods[j],
          ra: maps.get(`${methods[i]}|${variants[0]}`)!,
          rb: maps.get(`${methods[j]}|${variants[0]}`)!,
        });
      }
    }
  }
  return out;
}

/** Label of a map in the per-map summary: its method, and its layout when layouts vary. */
export const mapLabel = (method: string, variant: string): string => (variant ? `${method} @ ${variant}` : method);

export async function runAudit(input: AuditInput): Promise<AuditReport> {
  const { items, methods, variants } = input;
  if (variants.length < 2 && methods.length < 2 && !input.measure)
    throw new Error('an audit needs two layouts or two methods to compare, or measures of each map');
  const pairs: PairRow[] = [];
  const maps: MapRow[] = [];
  const total = items.length * methods.length * variants.length;
  const skipped: AuditReport['skipped'] = [];
  const explained: AuditItem[] = [];
  let done = 0;
  for (const [i, item] of items.entries()) {
    const made = new Map<string, SaliencyResult>();
    const rows: MapRow[] = [];
    try {
      for (const m of methods) {
        for (const v of variants) {
          if (input.signal?.aborted) throw new Error('cancelled');
          const r = await input.explain(item, m, v);
          input.onMap?.(item, r);
          made.set(`${m}|${v}`, r);
          const empty = !r.map.some((x) => x !== 0);
          const measures: MapMeasures = empty ? { empty: true } : input.measure ? await input.measure(item, m, v, r) : {};
          rows.push({
            recordId: item.recordId,
            recordName: item.recordName,
            method: m,
            variant: v,
            targetClass: r.provenance.targetClass,
            layer: r.provenance.layer,
            leadShares: leadShares(r),
            measures,
          });
          input.onProgress?.(++done, total);
        }
      }
    } catch (e) {
      if (!(e instanceof SkipRecord)) throw e;
      skipped.push({ recordId: item.recordId, recordName: item.recordName, reason: e.message });
      done = (i + 1) * methods.length * variants.length;
      input.onProgress?.(done, total);
      continue;
    }
    explained.push(item);
    maps.push(...rows);
    for (const c of comparisons(made, methods, variants)) {
      pairs.push({
        recordId: item.recordId,
        recordName: item.recordName,
        method: c.method,
        a: c.a,
        b: c.b,
        metrics: compareAttributions(c.ra, c.rb),
      });
    }
  }
  const spearmanByMethod: AuditReport['spearmanByMethod'] = {};
  for (const m of new Set(pairs.map((p) => p.method))) {
    const v = pairs.filter((p) => p.method === m).map((p) => p.metrics.leadSpearman);
    spearmanByMethod[m] = { median: median(v), mean: finiteMean(v), n: v.length };
  }
  const mapSummary: AuditReport['mapSummary'] = {};
  for (const m of methods)
    for (const v of variants) mapSummary[mapLabel(m, v)] = summariseMaps(maps.filter((r) => r.method === m && r.variant === v));
  if (pairs.length === 0)
    return {
      methods,
      variants,
      records: explained.length,
      maps,
      mapSummary,
      pairs,
      spearmanByMethod,
      recordRanking: [],
      classRanking: [],
      skipped,
    };
  const recordRanking = explained
    .map((item) => ({
      recordId: item.recordId,
      recordName: item.recordName,
      classes: item.classes,
      inconsistency: finiteMean(pairs.filter((p) => p.recordId === item.recordId).map((p) => 1 - p.metrics.leadSpearman)),
    }))
    .sort((a, b) => (b.inconsistency || 0) - (a.inconsistency || 0));
  const byClass = new Map<string, number[]>();
  for (const r of recordRanking) for (const c of r.classes) byClass.set(c, [...(byClass.get(c) ?? []), r.inconsistency]);
  const classRanking = [...byClass]
    .map(([className, v]) => ({ className, inconsistency: finiteMean(v), records: v.length }))
    .sort((a, b) => (b.inconsistency || 0) - (a.inconsistency || 0));
  return { methods, variants, records: explained.length, maps, mapSummary, pairs, spearmanByMethod, recordRanking, classRanking, skipped };
}

/** Mean of equally long curves, point by point. */
function meanCurve(curves: number[][]): number[] {
  return curves[0].map((_, i) => finiteMean(curves.map((c) => c[i])));
}

export function summariseMaps(rows: readonly MapRow[]): MapSummary {
  const fid = rows.map((r) => r.measures.fidelity).filter((f): f is FidelityResult => f !== undefined);
  const san = rows.map((r) => r.measures.sanity).filter((s): s is SanityResult => s !== undefined);
  const loc = rows.map((r) => r.measures.localisation).filter((l): l is Localisation => l !== undefined);
  const perWave = (f: (l: Localisation, w: Wave) => number): Record<Wave, number> =>
    Object.fromEntries(WAVES.map((w) => [w, median(loc.map((l) => f(l, w)))])) as Record<Wave, number>;
  return {
    maps: rows.length,
    empty: rows.filter((r) => r.measures.empty).length,
    fidelity: fid.length
      ? {
          n: fid.length,
          deletionAuc: median(fid.map((f) => f.deletionAuc)),
          insertionAuc: median(fid.map((f) => f.insertionAuc)),
          fractions: fid[0].fractions,
          meanDeletion: meanCurve(fid.map((f) => f.deletion)),
          meanInsertion: meanCurve(fid.map((f) => f.insertion)),
        }
      : null,
    sanity: san.length
      ? {
          n: san.length,
          flagged: san.filter((s) => s.flagged).length,
          spearman: median(san.map((s) => s.spearman)),
          ssim: median(san.map((s) => s.ssim)),
        }
      : null,
    localisation: loc.length
      ? {
          n: loc.length,
          share: perWave((l, w) => l[w].share),
          coverage: perWave((l, w) => l[w].coverage),
          enrichment: perWave((l, w) => l[w].enrichment),
        }
      : null,
  };
}
