// The audit report on disk: report.json (everything), CSV tables (maps, pairs, records, classes) and SVG
// plots where a picture beats a table (fidelity curves, sanity-check spread, localisation shares).
import fs from 'node:fs';
import path from 'node:path';
import { mapLabel, WAVES, type AuditReport, type MapSummary } from './audit.ts';
import { agreementHistogramSvg, barChartSvg, lineChartSvg, stackedBarSvg, stripPlotSvg } from './audit-plots.ts';
import { auditFindings, LOW_AGREEMENT, type PairFinding } from './audit-finding.ts';
import { vocabularyEntry } from '../../src-shared/vocabulary-search.ts';
import { SANITY_THRESHOLDS } from './sanity-check.ts';

const csvCell = (v: unknown): string => {
  const s =
    typeof v === 'number' ? (Number.isFinite(v) ? String(Math.round(v * 1e6) / 1e6) : '') : v === undefined || v === null ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const csv = (header: string[], rows: unknown[][]): string => [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';

const WAVE_NAMES: Record<(typeof WAVES)[number], string> = { qrs: 'QRS', p: 'P', stT: 'ST-T', pacing: 'pacing' };

function mapsCsv(report: AuditReport): string {
  const header = [
    'record_id',
    'record',
    'method',
    'layout',
    'target_class',
    'target_class_name',
    'layer',
    'empty',
    'deletion_auc',
    'insertion_auc',
    'sanity_spearman',
    'sanity_ssim',
    'sanity_flagged',
    ...WAVES.flatMap((w) => [`${w}_share`, `${w}_enrichment`]),
  ];
  return csv(
    header,
    report.maps.map((m) => {
      const { fidelity: f, sanity: s, localisation: l } = m.measures;
      // The SNOMED code and name of the explained output, not its index (index when the classes are unknown).
      const code = report.classes?.[m.targetClass];
      const entry = code === undefined ? undefined : vocabularyEntry(code);
      return [
        m.recordId,
        m.recordName,
        m.method,
        m.variant,
        code ?? m.targetClass,
        entry ? `${entry.abbreviation} ${entry.name}` : '',
        m.layer,
        m.measures.empty ? 'EMPTY' : '',
        f?.deletionAuc,
        f?.insertionAuc,
        s?.spearman,
        s?.ssim,
        s ? (s.flagged ? 'FLAGGED' : 'ok') : '',
        ...WAVES.flatMap((w) => [l?.[w].share, l?.[w].enrichment]),
      ];
    }),
  );
}

function summaryCsv(summary: Record<string, MapSummary>): string {
  const header = [
    'map',
    'maps',
    'empty',
    'fidelity_n',
    'median_deletion_auc',
    'median_insertion_auc',
    'sanity_n',
    'sanity_flagged',
    'median_sanity_spearman',
    'median_sanity_ssim',
    'localisation_n',
    ...WAVES.flatMap((w) => [`median_${w}_share`, `median_${w}_coverage`]),
  ];
  return csv(
    header,
    Object.entries(summary).map(([label, s]) => [
      label,
      s.maps,
      s.empty,
      s.fidelity?.n ?? 0,
      s.fidelity?.deletionAuc,
      s.fidelity?.insertionAuc,
      s.sanity?.n ?? 0,
      s.sanity?.flagged,
      s.sanity?.spearman,
      s.sanity?.ssim,
      s.localisation?.n ?? 0,
      ...WAVES.flatMap((w) => [s.localisation?.share[w], s.localisation?.coverage[w]]),
    ]),
  );
}

function plots(report: AuditReport, findings: PairFinding[]): Record<string, string> {
  const out: Record<string, string> = {};
  const summary = Object.entries(report.mapSummary);
  if (findings.length) {
    out['agreement.svg'] = agreementHistogramSvg(
      'Per-record agreement between the maps of each pair (per-lead Spearman)',
      findings.map((f) => ({ label: f.label, values: f.values, median: f.all.median, level: LOW_AGREEMENT })),
    );
  }
  if (report.pairs.length) {
    out['spearman-by-method.svg'] = barChartSvg(
      'Median per-lead Spearman between variants',
      Object.entries(report.spearmanByMethod).map(([label, s]) => ({ label, value: s.median })),
      -1,
      1,
    );
    out['class-inconsistency.svg'] = barChartSvg(
      'Mean inconsistency (1 - Spearman) by class',
      report.classRanking.slice(0, 25).map((c) => ({ label: `${c.className} (n=${c.records})`, value: c.inconsistency })),
      0,
      2,
    );
  }
  const fid = summary.filter(([, s]) => s.fidelity);
  if (fid.length) {
    out['fidelity.svg'] = lineChartSvg(
      'Deletion (solid) and insertion (dashed): mean target score',
      'fraction of lead x time patches removed / restored',
      'score',
      fid.flatMap(([label, s], i) => [
        {
          label: `${label} deletion (AUC ${s.fidelity!.deletionAuc.toFixed(3)})`,
          x: s.fidelity!.fractions,
          y: s.fidelity!.meanDeletion,
          colour: i,
        },
        {
          label: `${label} insertion (AUC ${s.fidelity!.insertionAuc.toFixed(3)})`,
          x: s.fidelity!.fractions,
          y: s.fidelity!.meanInsertion,
          colour: i,
          dashed: true,
        },
      ]),
    );
  }
  const labels = new Set(summary.filter(([, s]) => s.sanity).map(([l]) => l));
  if (labels.size) {
    out['sanity.svg'] = stripPlotSvg(
      'Sanity check: original vs randomised-weights map (red = above threshold, flagged)',
      [...labels].flatMap((label) => {
        const rows = report.maps.filter((m) => m.measures.sanity && mapLabel(m.method, m.variant) === label);
        return [
          { label: `${label} Spearman`, values: rows.map((m) => m.measures.sanity!.spearman), threshold: SANITY_THRESHOLDS.spearman },
          { label: `${label} SSIM`, values: rows.map((m) => m.measures.sanity!.ssim), threshold: SANITY_THRESHOLDS.ssim },
        ];
      }),
      -1,
      1,
    );
  }
  const loc = summary.filter(([, s]) => s.localisation);
  if (loc.length) {
    out['localisation.svg'] = stackedBarSvg(
      'Median share of saliency per wave (first row: share of time the waves cover)',
      WAVES.map((w) => WAVE_NAMES[w]),
      [
        { label: 'time covered', values: WAVES.map((w) => loc[0][1].localisation!.coverage[w]) },
        ...loc.map(([label, s]) => ({ label, values: WAVES.map((w) => s.localisation!.share[w]) })),
      ],
    );
  }
  return out;
}

/** The findings as the report states them: one paragraph per pair, then how they were computed. */
export function findingsText(findings: PairFinding[]): string {
  if (findings.length === 0) return 'No pair of layouts or methods to compare: no agreement finding.\n';
  const f0 = findings[0].all.median;
  return (
    findings.map((f) => f.sentence).join('\n\n') +
    `\n\nAgreement is the per-lead Spearman correlation of the two maps of a record (lead shares ranked). A rhythm strip ` +
    `(II in 3x4+II) has its own share in lead-shares.csv; where only one of the two layouts has it, it is added back into ` +
    `its lead before ranking, since the other layout draws that lead once. Intervals: ` +
    `${Math.round(f0.level * 100)} % percentile bootstrap of the median, ${f0.rounds} rounds, seed ${f0.seed}. ` +
    `The randomisation check runs on a subset of records (see maps.csv, sanity_flagged); distributions in agreement.svg.\n`
  );
}

/** Writes the report files into `dir`; returns their paths (report.json first). */
export function writeAuditReport(report: AuditReport, dir: string, findings: PairFinding[] = auditFindings(report)): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const files: Record<string, string> = {
    'report.json': JSON.stringify({ ...report, findings: findings.map(({ values: _values, ...f }) => f) }, null, 1) + '\n',
    'findings.txt': findingsText(findings),
    'maps.csv': mapsCsv(report),
    'summary.csv': summaryCsv(report.mapSummary),
    // A rhythm strip is its own row ('II (rhythm strip)'), so lead II's share is the grid panel's alone.
    'lead-shares.csv': csv(
      ['record_id', 'record', 'method', 'layout', 'lead', 'share'],
      report.maps.flatMap((m) =>
        Object.entries(m.leadShares).map(([lead, share]) => [m.recordId, m.recordName, m.method, m.variant, lead, share]),
      ),
    ),
  };
  if (report.pairs.length) {
    files['pairs.csv'] = csv(
      ['record_id', 'record', 'method', 'a', 'b', 'lead_spearman', 'top_k_overlap', 'k', 'time_profile_corr', 'ssim'],
      report.pairs.map((p) => [
        p.recordId,
        p.recordName,
        p.method,
        p.a,
        p.b,
        p.metrics.leadSpearman,
        p.metrics.topKOverlap,
        p.metrics.k,
        p.metrics.meanTimeProfileCorrelation,
        p.metrics.ssim,
      ]),
    );
    files['records.csv'] = csv(
      ['rank', 'record_id', 'record', 'inconsistency', 'classes'],
      report.recordRanking.map((r, i) => [i + 1, r.recordId, r.recordName, r.inconsistency, r.classes.join(' ')]),
    );
    files['classes.csv'] = csv(
      ['rank', 'class', 'inconsistency', 'records'],
      report.classRanking.map((c, i) => [i + 1, c.className, c.inconsistency, c.records]),
    );
  }
  if (report.skipped.length) {
    files['skipped.csv'] = csv(
      ['record_id', 'record', 'reason'],
      report.skipped.map((k) => [k.recordId, k.recordName, k.reason]),
    );
  }
  Object.assign(files, plots(report, findings));
  return Object.entries(files).map(([name, text]) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  });
}
