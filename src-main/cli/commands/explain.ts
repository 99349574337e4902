import type { CliCommand } from '../command.ts';
import { UsageError } from '../command.ts';
import { listOption, modelIdOption } from '../parse-args.ts';
import { resolveRecordRef } from '../record-ref.ts';
import { resolveSelection } from '../../store/selection-store.ts';
import { DEFAULT_SUBSET, explainInWorkspace } from '../../workspace/explain-records.ts';
import { LAYERED, METHODS, parseMethod } from '../../explain/saliency/methods.ts';
import { SANITY_THRESHOLDS } from '../../explain/sanity-check.ts';
import type { CliContext, CliArgs } from '../command.ts';
import { compareLeadSets, DEFAULT_LEAD_SET_METHOD, parseLeadSets } from '../../workspace/compare-lead-sets.ts';

/** The records of --record, --records A,B,C (names or ids), --selection NAME or --all (undefined); exactly one of them. */
function recordSelection(args: CliArgs, ctx: CliContext): number[] | undefined {
  const { record, selection, all } = args.options;
  const records = listOption(args, 'records', 'record names or ids separated by commas');
  const given = [typeof record === 'string', records !== undefined, typeof selection === 'string', Boolean(all)].filter(Boolean).length;
  if (given !== 1) throw new UsageError('explain needs exactly one of --all, --record ID|NAME, --records A,B,C and --selection NAME');
  if (typeof record === 'string') return resolveRecordRef(ctx.workspace().db, record);
  if (typeof selection === 'string') {
    const ids = resolveSelection(ctx.workspace().db, selection).recordIds;
    if (ids.length === 0) throw new Error(`selection '${selection}' selects no record`);
    return ids;
  }
  if (records === undefined) return undefined;
  return [...new Set(records.flatMap((r) => resolveRecordRef(ctx.workspace().db, r)))];
}

async function runLeadSets(args: CliArgs, ctx: CliContext): Promise<unknown> {
  const arch = args.options.arch;
  if (typeof arch !== 'string') throw new UsageError('explain --lead-sets needs --arch NAME (the architecture the lead-set models share)');
  if (args.options.model !== undefined || args.options.layouts !== undefined)
    throw new UsageError('explain --lead-sets finds its models by --arch and lead set; drop --model and --layouts');
  let leadSets;
  try {
    leadSets = parseLeadSets(String(args.options['lead-sets']));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const method = typeof args.options.method === 'string' ? args.options.method : DEFAULT_LEAD_SET_METHOD;
  try {
    parseMethod(method);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const recordIds = recordSelection(args, ctx);
  const bar = ctx.progress('explain lead sets');
  let r;
  try {
    r = await compareLeadSets(ctx.workspace(), {
      arch,
      leadSets,
      recordIds,
      method,
      reportDir: typeof args.options.report === 'string' ? args.options.report : undefined,
      onProgress: (d, t) => bar.update(d, t),
      signal: ctx.signal,
    });
  } finally {
    bar.finish();
  }
  for (const m of r.models) ctx.log(`${m.leadSet} leads: model ${m.modelId} (${m.name})`);
  if (r.missing.length) ctx.log(`no stored ${arch} model for ${r.missing.join(', ')} leads (train one with --leads N)`);
  for (const k of r.skipped) ctx.log(`${k.recordName} (#${k.recordId}), ${k.leadSet} leads: skipped, ${k.reason}`);
  ctx.log(`${r.outcomes.length} record x lead-set results over ${r.records} records (reference ${r.reference} leads, ${r.method})`);
  for (const f of r.findings) ctx.log(`  ${f.sentence}`);
  ctx.log(`  report: ${r.reportFiles[0]}`);
  if (r.models.length < 2) ctx.fail(`only the ${r.reference}-lead model exists: nothing to compare`);
  return { ...r, outcomes: r.outcomes.length };
}

/** --fidelity / --sanity: a record count, 'all', or 0 for none. */
function subset(v: string | boolean | undefined, name: string): number | 'all' | undefined {
  if (v === undefined) return undefined;
  if (v === 'all') return 'all';
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} needs a number of records, 'all' or 0, got '${v}'`);
  return n;
}

const f3 = (v: number | undefined): string => (v !== undefined && Number.isFinite(v) ? v.toFixed(3) : 'n/a');

export const command: CliCommand = {
  name: ['explain'],
  summary:
    'saliency maps for a stored model (kept with provenance) and an audit: consistency across layouts/methods, fidelity, sanity check, ECG-wave localisation',
  usage: `leadlens explain --model ID (--record ID|NAME | --records A,B,C | --selection NAME | --all) --method M[,M...]
        [--layer NAME] [--layouts 3x4+II,6x2,12x1] [--fidelity N|all] [--sanity N|all] [--report DIR] [--json]
  leadlens explain --lead-sets 12,6,2 --arch ARCH (--record REF | --records A,B,C | --selection NAME | --all) [--method M] [--report DIR]
    the newest stored ARCH models of each lead set score and explain the same records (method default ${DEFAULT_LEAD_SET_METHOD},
    explaining the first lead set's top class); per class: the change in probability, detections among labelled records and
    the share of saliency per wave and lead against the first lead set, one sentence each; missing lead sets are named.
  --layouts: the chart layouts an image model is drawn in (default: the layouts it was trained on).
  methods: ${METHODS.join(', ')}
    integrated-gradients:zeros|mean|blurred (baseline); grad-cam@LAYER, guided-grad-cam@LAYER (layer by name;
    default the last backbone stage; --layer sets it for every Grad-CAM method given without one)
  every map is stored with its provenance; the report (JSON, CSV, SVG) goes to --report DIR or <workspace>/explain/audit-N.
  consistency: per-lead Spearman, top-k, time-profile correlation and SSIM between layouts (image models) or methods.
  localisation: share of each map in QRS, P, ST-T and around pacing spikes (every map).
  fidelity: deletion/insertion AUC of the target probability (0.1 s lead patches, zero fill), and
  sanity: the map again with all weights randomised (seed fixed), flagged when Spearman > ${SANITY_THRESHOLDS.spearman} or SSIM > ${SANITY_THRESHOLDS.ssim};
    both on N records spread evenly over the selection (default ${DEFAULT_SUBSET}; 'all'; 0 = off) as they cost a batch of
    42 predictions / one more map each (for chart models each prediction re-renders the chart: keep N small).
  all-zero maps (e.g. Grad-CAM without positive evidence at its layer) are counted, not measured.`,
  options: {
    model: 'string',
    record: 'string',
    selection: 'string',
    records: 'list',
    all: 'boolean',
    'lead-sets': 'string',
    arch: 'string',
    method: 'list',
    layer: 'string',
    layouts: 'list',
    report: 'string',
    fidelity: 'string',
    sanity: 'string',
  },
  async run(args, ctx) {
    if (args.options['lead-sets'] !== undefined) return runLeadSets(args, ctx);
    const modelId = modelIdOption(args, 'explain');
    if (args.options.method === undefined) throw new UsageError(`explain needs --method (one of ${METHODS.join(', ')})`);
    const layer = typeof args.options.layer === 'string' ? args.options.layer : undefined;
    const methods = listOption(args, 'method', `a method (one of ${METHODS.join(', ')})`)!.map((m) =>
      layer && LAYERED.has(m.split(/[:@]/)[0]) && !m.includes('@') ? `${m}@${layer}` : m,
    );
    try {
      methods.forEach(parseMethod);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    if (layer && !methods.some((m) => m.includes('@'))) throw new UsageError(`--layer applies to ${[...LAYERED].join(', ')} only`);
    const layouts = listOption(args, 'layouts', 'chart layouts separated by commas');
    const fidelity = subset(args.options.fidelity, 'fidelity');
    const sanity = subset(args.options.sanity, 'sanity');
    const recordIds = recordSelection(args, ctx);
    const bar = ctx.progress('explain');
    let summary;
    try {
      summary = await explainInWorkspace(ctx.workspace(), {
        modelId,
        recordIds,
        methods,
        layouts,
        reportDir: typeof args.options.report === 'string' ? args.options.report : undefined,
        fidelity,
        sanity,
        onProgress: (d, t) => bar.update(d, t),
        signal: ctx.signal,
      });
    } catch (e) {
      // Methods, layers and layouts that do not fit the model are a wrong command line; anything else is a failure.
      const msg = (e as Error).message.split('\n')[0];
      throw /--layouts|saliency method|no layer|takes no layer/.test(msg) ? new UsageError(msg) : e;
    } finally {
      bar.finish();
    }
    for (const k of summary.skipped) ctx.log(`${k.recordName} (#${k.recordId}): skipped, ${k.reason}`);
    const byStandIn = new Map<number, string[]>();
    for (const k of summary.standIns) byStandIn.set(k.modelId, [...(byStandIn.get(k.modelId) ?? []), k.recordName]);
    for (const [standIn, names] of byStandIn) {
      const k = summary.standIns.find((x) => x.modelId === standIn)!;
      ctx.log(
        `${names.length} records lacking leads explained by reduced-lead model ${standIn} (${k.leads.join(', ')}): ${names.join(', ')}`,
      );
    }
    ctx.log(
      `${summary.maps} saliency maps for ${summary.records} records with model ${modelId}` +
        `${summary.standIns.length ? ` (${summary.standIns.length} of them by a reduced-lead model)` : ''}, ${summary.skipped.length} records skipped`,
    );
    for (const [m, s] of Object.entries(summary.spearmanByMethod ?? {}))
      ctx.log(`  ${m}: median per-lead Spearman ${f3(s.median)} over ${s.n} pairs`);
    for (const [label, s] of Object.entries(summary.mapSummary)) {
      const parts: string[] = s.empty ? [`${s.empty}/${s.maps} maps all zero (not measured)`] : [];
      if (s.localisation)
        parts.push(
          `QRS share ${f3(s.localisation.share.qrs)} (time ${f3(s.localisation.coverage.qrs)}), ST-T ${f3(s.localisation.share.stT)}, P ${f3(s.localisation.share.p)}`,
        );
      if (s.fidelity)
        parts.push(`deletion AUC ${f3(s.fidelity.deletionAuc)}, insertion AUC ${f3(s.fidelity.insertionAuc)} (n=${s.fidelity.n})`);
      if (s.sanity)
        parts.push(
          `sanity ${s.sanity.flagged ? `FLAGGED ${s.sanity.flagged}/${s.sanity.n}` : `passed ${s.sanity.n}/${s.sanity.n}`} (median Spearman ${f3(s.sanity.spearman)}, SSIM ${f3(s.sanity.ssim)})`,
        );
      if (parts.length) ctx.log(`  ${label}: ${parts.join('; ')}`);
    }
    if (summary.sanityFlagged.length)
      ctx.log(
        `  ${summary.sanityFlagged.length} maps barely change when the weights are randomised: they do not explain this model (see maps.csv, sanity_flagged)`,
      );
    for (const n of summary.notes) ctx.log(`  note: ${n}`);
    if (summary.mostInconsistentClasses?.length)
      ctx.log(
        `  most inconsistent classes: ${summary.mostInconsistentClasses.map((c) => `${c.className} (${f3(c.inconsistency)})`).join(', ')}`,
      );
    for (const f of summary.findings) ctx.log(`  finding: ${f}`);
    if (summary.reportFiles) ctx.log(`  report: ${summary.reportFiles[0]}`);
    return summary;
  },
};
