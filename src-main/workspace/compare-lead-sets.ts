// `leadlens explain --lead-sets 12,6,2 --arch ARCH`: the models of one architecture trained on several lead sets,
// found in the model store, score and explain the same records; per class, what the reduced lead sets lose against
// the first (largest) one and whether their saliency falls on the same waves. Writes a report and keeps the maps.
import fs from 'node:fs';
import path from 'node:path';
import type { Workspace } from '../store/workspace.ts';
import { allRecordIds, getRecordSignal, recordName } from '../store/record-store.ts';
import { effectiveLabels } from '../store/label-store.ts';
import { saveSaliency } from '../store/saliency-store.ts';
import { isLeadSetSize, type LeadSetSize } from '../../src-shared/lead-sets.ts';
import type { EcgRecord } from '../../src-shared/record.ts';
import { parseMethod, runMethod } from '../explain/saliency/methods.ts';
import { localiseAttribution, rescaleIntervals } from '../explain/localisation.ts';
import { recordWaveIntervals } from '../explain/record-waves.ts';
import {
  LEAD_SET_WAVES,
  leadSetFindings,
  leadShares,
  type ClassLeadSetFinding,
  type LeadSetOutcome,
} from '../explain/lead-set-findings.ts';
import { leadSetModels } from './lead-set-models.ts';
import { modelContexts, type ModelContexts } from './explain-records.ts';
import type { LeadSetView, SkippedRecord } from '../../src-shared/api.ts';

export const DEFAULT_LEAD_SET_METHOD = 'integrated-gradients';

export interface LeadSetRequest {
  arch: string;
  /** Lead-set sizes; the first is the reference the others are compared with. */
  leadSets: number[];
  /** Undefined = every record. */
  recordIds?: number[];
  /** Saliency method (default integrated gradients). */
  method?: string;
  reportDir?: string;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface LeadSetComparison {
  arch: string;
  method: string;
  reference: number;
  /** Lead sets compared and the model used for each. */
  models: { leadSet: number; modelId: number; name: string; leads: string[] }[];
  /** Lead sets asked for with no stored model of this architecture. */
  missing: number[];
  records: number;
  outcomes: LeadSetOutcome[];
  /** Records a lead set's model could not read (per lead set), with the reason. */
  skipped: (SkippedRecord & { leadSet: number })[];
  classes: string[];
  findings: ClassLeadSetFinding[];
  reportFiles: string[];
}

const csvCell = (v: unknown): string => {
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(Math.round(v * 1e6) / 1e6) : '') : v == null ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const csv = (rows: unknown[][]): string => rows.map((r) => r.map(csvCell).join(',')).join('\n') + '\n';

/** Parses '12,6,2' into lead-set sizes; throws one line naming the bad value. */
export function parseLeadSets(text: string): LeadSetSize[] {
  const sizes = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  const bad = sizes.find((n) => !isLeadSetSize(n));
  if (bad !== undefined || sizes.length < 2)
    throw new Error(`--lead-sets needs two or more of 12, 6, 4, 3, 2 (e.g. 12,6,2), got '${text}'`);
  return [...new Set(sizes)] as LeadSetSize[];
}

export async function compareLeadSets(ws: Workspace, req: LeadSetRequest): Promise<LeadSetComparison> {
  const method = req.method ?? DEFAULT_LEAD_SET_METHOD;
  parseMethod(method);
  const sizes = req.leadSets.filter(isLeadSetSize);
  const { found, missing } = leadSetModels(ws.db, req.arch, sizes);
  if (found.size === 0)
    throw new Error(
      `no stored ${req.arch} model for the lead sets ${sizes.join(', ')} (train them with leadlens train --arch ${req.arch} --leads N)`,
    );
  const present = sizes.filter((s) => found.has(s));
  const reference = present[0];
  const contexts = new Map<number, ModelContexts>();
  for (const s of present) contexts.set(s, await modelContexts(ws, found.get(s)!.id));
  const classes = contexts.get(reference)!.classes;
  const ids = req.recordIds ?? allRecordIds(ws.db);
  const outcomes: LeadSetOutcome[] = [];
  const skipped: LeadSetComparison['skipped'] = [];
  const total = ids.length * present.length;
  let done = 0;
  for (const rid of ids) {
    if (req.signal?.aborted) throw new Error('cancelled');
    const record: EcgRecord | undefined = getRecordSignal(ws.db, rid);
    const name = record?.recordName ?? recordName(ws.db, rid) ?? String(rid);
    const labels = effectiveLabels(ws.db, rid).map((l) => l.code);
    const waves = record ? recordWaveIntervals(record) : null;
    let explainedClass: string | null = null;
    for (const size of present) {
      const m = contexts.get(size)!;
      const info = found.get(size)!;
      const reason = !record ? `no record with id ${rid} in this workspace` : m.mismatch(record);
      if (reason || !record) {
        skipped.push({ recordId: rid, recordName: name, leadSet: size, reason: reason ?? 'no record' });
        req.onProgress?.(++done, total);
        continue;
      }
      const ctx = m.context(record, m.trainedLayouts?.[0] ?? null);
      const [p] = await ctx.predict([ctx.signals.slice()]);
      const probabilities = Object.fromEntries(m.classes.map((c, k) => [c, p[k]]));
      // Every lead set explains the class the reference model finds most probable, so the maps answer the same question.
      if (size === reference) explainedClass = m.classes[p.indexOf(Math.max(...p))];
      const target = explainedClass === null ? -1 : m.classes.indexOf(explainedClass);
      let shares: Record<string, number> = {};
      let waveShares: LeadSetOutcome['waveShares'] = null;
      if (target >= 0) {
        const r = await runMethod(method, ctx, target);
        r.provenance.params = { ...r.provenance.params, spec: method, leadSet: size };
        saveSaliency(ws.db, rid, info.id, r);
        shares = leadShares(r, info.leadSet);
        if (waves) {
          const { scale, offset } = m.timeBase(record);
          const l = localiseAttribution(
            r,
            rescaleIntervals(waves, scale, offset, r.samples),
            Math.max(1, Math.round(0.01 * ctx.samplingRate)),
          );
          waveShares = Object.fromEntries(LEAD_SET_WAVES.map((w) => [w, l[w].share])) as Record<(typeof LEAD_SET_WAVES)[number], number>;
        }
      }
      outcomes.push({
        recordId: rid,
        recordName: name,
        leadSet: size,
        modelId: info.id,
        probabilities,
        explainedClass: target >= 0 ? explainedClass : null,
        leadShares: shares,
        waveShares,
        labels,
      });
      req.onProgress?.(++done, total);
    }
  }
  const findings = leadSetFindings(outcomes, classes, reference);
  const models = present.map((s) => ({ leadSet: s, modelId: found.get(s)!.id, name: found.get(s)!.name, leads: found.get(s)!.leadSet }));
  const dir = req.reportDir ?? path.join(ws.dir, 'explain', `lead-sets-${req.arch}-${present.join('-')}-${Date.now()}`);
  fs.mkdirSync(dir, { recursive: true });
  const result = { arch: req.arch, method, reference, models, missing, records: ids.length, outcomes, skipped, classes, findings };
  const files: Record<string, string> = {
    'report.json': JSON.stringify(result, null, 1) + '\n',
    'findings.txt':
      [
        `${req.arch}, ${method}; lead sets ${present.join(', ')} (reference ${reference})` +
          (missing.length ? `; no stored model for ${missing.join(', ')} leads` : ''),
        ...findings.map((f) => f.sentence),
      ].join('\n') + '\n',
    'probabilities.csv': csv([
      ['record_id', 'record', 'lead_set', 'model_id', 'class', 'probability', 'change_vs_reference'],
      ...outcomes.flatMap((o) => {
        const ref = outcomes.find((r) => r.recordId === o.recordId && r.leadSet === reference);
        return classes.map((c) => [
          o.recordId,
          o.recordName,
          o.leadSet,
          o.modelId,
          c,
          o.probabilities[c],
          ref ? o.probabilities[c] - ref.probabilities[c] : '',
        ]);
      }),
    ]),
    'lead-shares.csv': csv([
      ['record_id', 'record', 'lead_set', 'explained_class', 'lead', 'share'],
      ...outcomes.flatMap((o) =>
        Object.entries(o.leadShares).map(([lead, s]) => [o.recordId, o.recordName, o.leadSet, o.explainedClass, lead, s]),
      ),
    ]),
  };
  if (skipped.length)
    files['skipped.csv'] = csv([
      ['record_id', 'record', 'lead_set', 'reason'],
      ...skipped.map((k) => [k.recordId, k.recordName, k.leadSet, k.reason]),
    ]);
  const reportFiles = Object.entries(files).map(([n, text]) => {
    fs.writeFileSync(path.join(dir, n), text);
    return path.join(dir, n);
  });
  return { ...result, reportFiles };
}

/** The API's view of a comparison over one record: a row per lead set, without the report's per-record bookkeeping. */
export function leadSetView(c: LeadSetComparison): LeadSetView {
  return {
    arch: c.arch,
    method: c.method,
    reference: c.reference,
    models: c.models,
    missing: c.missing,
    classes: c.classes,
    rows: c.outcomes.map((o) => ({
      leadSet: o.leadSet,
      probabilities: o.probabilities,
      explainedClass: o.explainedClass,
      leadShares: o.leadShares,
      waveShares: o.waveShares,
    })),
    skipped: c.skipped,
    findings: c.findings.map((f) => f.sentence),
  };
}
