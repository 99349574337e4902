// Dataset audit: for every record, attributions in several variants (chart layouts for an image model,
// or methods for a signal model) are compared pairwise; records and classes are ranked by inconsistency
// (1 - per-lead Spearman, averaged over variant pairs) and a report is written as JSON, CSV and SVG.
import fs from 'node:fs';
import path from 'node:path';
import { compareAttributions, type ConsistencyMetrics } from './consistency.ts';
import { finiteMean, median } from './rank-stats.ts';
import type { SaliencyResult } from './saliency/saliency-result.ts';

export interface AuditItem {
  recordId: number;
  recordName: string;
  /** Class labels of the record (e.g. SNOMED abbreviations), for the class ranking. */
  classes: string[];
}

export interface AuditInput {
  items: AuditItem[];
  /** Methods explained; each compared across variants. */
  methods: string[];
  /** Variants compared within a method: layouts (image models) or a single '' (then methods are compared instead). */
  variants: string[];
  explain(item: AuditItem, method: string, variant: string): Promise<SaliencyResult>;
  /** Called with each map as it is made (e.g. to store it). */
  onMap?(item: AuditItem, result: SaliencyResult): void;
  onProgress?(done: number, total: number): void;
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
  /** Per method (or 'methods' when methods are compared): median / mean Spearman between variants. */
  spearmanByMethod: Record<string, { median: number; mean: number; n: number }>;
  recordRanking: { recordId: number; recordName: string; inconsistency: number; classes: string[] }[];
  classRanking: { className: string; inconsistency: number; records: number }[];
}

/** Pairs of labelled attributions to compare: variants within each method, or methods when there is one variant. */
function comparisons(maps: Map<string, SaliencyResult>, methods: string[], variants: string[]): { method: string; a: string; b: string; ra: SaliencyResult; rb: SaliencyResult }[] {
  const out = [];
  if (variants.length > 1) {
    for (const m of methods) {
      for (let i = 0; i < variants.length; i++) {
        for (let j = i + 1; j < variants.length; j++) {
          out.push({ method: m, a: variants[i], b: variants[j], ra: maps.get(`${m}|${variants[i]}`)!, rb: maps.get(`${m}|${variants[j]}`)! });
        }
      }
    }
  } else {
    for (let i = 0; i < methods.length; i++) {
      for (let j = i + 1; j < methods.length; j++) {
        out.push({ method: 'methods', a: methods[i], b: methods[j], ra: maps.get(`${methods[i]}|${variants[0]}`)!, rb: maps.get(`${methods[j]}|${variants[0]}`)! });
      }
    }
  }
  return out;
}

export async function runAudit(input: AuditInput): Promise<AuditReport> {
  const { items, methods, variants } = input;
  if (variants.length < 2 && methods.length < 2) throw new Error('an audit needs two layouts or two methods to compare');
  const pairs: PairRow[] = [];
  const total = items.length * methods.length * variants.length;
  let done = 0;
  for (const item of items) {
    const maps = new Map<string, SaliencyResult>();
    for (const m of methods) {
      for (const v of variants) {
        const r = await input.explain(item, m, v);
        input.onMap?.(item, r);
        maps.set(`${m}|${v}`, r);
        input.onProgress?.(++done, total);
      }
    }
    for (const c of comparisons(maps, methods, variants)) {
      pairs.push({ recordId: item.recordId, recordName: item.recordName, method: c.method, a: c.a, b: c.b, metrics: compareAttributions(c.ra, c.rb) });
    }
  }
  const spearmanByMethod: AuditReport['spearmanByMethod'] = {};
  for (const m of new Set(pairs.map((p) => p.method))) {
    const v = pairs.filter((p) => p.method === m).map((p) => p.metrics.leadSpearman);
    spearmanByMethod[m] = { median: median(v), mean: finiteMean(v), n: v.length };
  }
  const recordRanking = items.map((item) => ({
    recordId: item.recordId, recordName: item.recordName, classes: item.classes,
    inconsistency: finiteMean(pairs.filter((p) => p.recordId === item.recordId).map((p) => 1 - p.metrics.leadSpearman)),
  })).sort((a, b) => (b.inconsistency || 0) - (a.inconsistency || 0));
  const byClass = new Map<string, number[]>();
  for (const r of recordRanking) for (const c of r.classes) byClass.set(c, [...(byClass.get(c) ?? []), r.inconsistency]);
  const classRanking = [...byClass].map(([className, v]) => ({ className, inconsistency: finiteMean(v), records: v.length }))
    .sort((a, b) => (b.inconsistency || 0) - (a.inconsistency || 0));
  return { methods, variants, records: items.length, pairs, spearmanByMethod, recordRanking, classRanking };
}

const csvCell = (v: unknown): string => {
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(Math.round(v * 1e6) / 1e6) : '') : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const csv = (header: string[], rows: unknown[][]): string => [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Horizontal bar chart as a standalone SVG (values in [lo, hi]). */
export function barChartSvg(title: string, bars: { label: string; value: number }[], lo: number, hi: number): string {
  const rowH = 18;
  const left = 160;
  const width = 560;
  const plotW = width - left - 60;
  const height = 40 + bars.length * rowH + 24;
  const x = (v: number): number => left + ((Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo)) * plotW;
  const rows = bars.map((b, i) => {
    const y = 32 + i * rowH;
    const v = Number.isFinite(b.value) ? b.value : lo;
    return `<text x="${left - 6}" y="${y + 12}" text-anchor="end">${esc(b.label)}</text>`
      + `<rect x="${Math.min(x(0 < lo ? lo : 0), x(v))}" y="${y + 2}" width="${Math.abs(x(v) - x(0 < lo ? lo : 0))}" height="${rowH - 5}" fill="#4a6fa5"/>`
      + `<text x="${x(v) + 4}" y="${y + 12}">${Number.isFinite(b.value) ? b.value.toFixed(3) : 'n/a'}</text>`;
  });
  const axisY = 32 + bars.length * rowH + 4;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`
    + `<text x="8" y="18" font-size="13" font-weight="bold">${esc(title)}</text>${rows.join('')}`
    + `<line x1="${left}" y1="${axisY}" x2="${left + plotW}" y2="${axisY}" stroke="#333"/>`
    + `<text x="${left}" y="${axisY + 14}">${lo}</text><text x="${left + plotW}" y="${axisY + 14}" text-anchor="end">${hi}</text></svg>\n`;
}

/** Writes report.json, pairs.csv, records.csv, classes.csv and two SVG plots into `dir`; returns the file paths. */
export function writeAuditReport(report: AuditReport, dir: string): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const files: Record<string, string> = {
    'report.json': JSON.stringify(report, null, 1) + '\n',
    'pairs.csv': csv(['record_id', 'record', 'method', 'a', 'b', 'lead_spearman', 'top_k_overlap', 'k', 'time_profile_corr', 'ssim'],
      report.pairs.map((p) => [p.recordId, p.recordName, p.method, p.a, p.b, p.metrics.leadSpearman, p.metrics.topKOverlap, p.metrics.k, p.metrics.meanTimeProfileCorrelation, p.metrics.ssim])),
    'records.csv': csv(['rank', 'record_id', 'record', 'inconsistency', 'classes'],
      report.recordRanking.map((r, i) => [i + 1, r.recordId, r.recordName, r.inconsistency, r.classes.join(' ')])),
    'classes.csv': csv(['rank', 'class', 'inconsistency', 'records'], report.classRanking.map((c, i) => [i + 1, c.className, c.inconsistency, c.records])),
    'spearman-by-method.svg': barChartSvg('Median per-lead Spearman between variants', Object.entries(report.spearmanByMethod).map(([label, s]) => ({ label, value: s.median })), -1, 1),
    'class-inconsistency.svg': barChartSvg('Mean inconsistency (1 - Spearman) by class', report.classRanking.slice(0, 25).map((c) => ({ label: `${c.className} (n=${c.records})`, value: c.inconsistency })), 0, 2),
  };
  return Object.entries(files).map(([name, text]) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  });
}
