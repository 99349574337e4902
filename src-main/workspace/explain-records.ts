// `leadlens explain` as a service: explains stored models on stored records, keeps every map with its
// provenance, and runs the audit: consistency between layouts (image models) or methods, localisation
// of every map on the record's waves, and fidelity and the sanity check on an evenly spread subset of
// records (they cost one batch of predictions / one more map each). Writes the report.
import fs from 'node:fs';
import path from 'node:path';
import type { Workspace } from '../store/workspace.ts';
import { allRecordIds, getRecordSignal, recordName } from '../store/record-store.ts';
import { effectiveLabels } from '../store/label-store.ts';
import { openModel, recordMismatch } from '../ml/open-model.ts';
import { recordToInput, type InputSpec } from '../ml/input-pipeline.ts';
import { runOnnx } from '../ml/onnx-model.ts';
import { leadMillivolts, type EcgRecord } from '../../src-shared/record.ts';
import type { ParamStore } from '../ml/layers.ts';
import { runAudit, SkipRecord, type AuditItem, type AuditReport, type MapMeasures } from '../explain/audit.ts';
import { writeAuditReport } from '../explain/audit-report.ts';
import { auditFindings } from '../explain/audit-finding.ts';
import { cardRenderOptions } from '../chart/chart-input.ts';
import { fidelityCurves } from '../explain/fidelity.ts';
import { localiseAttribution, rescaleIntervals, type WaveIntervals } from '../explain/localisation.ts';
import { recordWaveIntervals } from '../explain/record-waves.ts';
import { saveAudit, saveMetric, saveSaliency, setAuditReportDir } from '../store/saliency-store.ts';
import { randomisationCheck } from '../explain/sanity-check.ts';
import { ecgClassifier, type TfClassifier } from '../explain/saliency/classifier.ts';
import { chartTarget, signalImageTarget, signalTarget } from '../explain/saliency/explain-target.ts';
import { parseMethod, runMethod, type MethodContext } from '../explain/saliency/methods.ts';
import { tfChartPredict, tfSignalImagePredict, tfSignalPredict, type PredictBatch } from '../explain/saliency/occlusion.ts';
import { signalImageLeads, signalImageSpec } from '../ml/signal-image-dataset.ts';
import { foldRhythmStrips, type SaliencyResult } from '../../src-shared/saliency-result.ts';
import { writeTransaction } from '../store/write-transaction.ts';
import { getModelInfo, type StoredModelInfo } from '../store/model-store.ts';
import { missingLeads } from '../../src-shared/lead-sets.ts';
import { reducedLeadStandIn } from './lead-set-models.ts';
import type { SkippedRecord } from '../../src-shared/api.ts';

export interface ExplainRequest {
  modelId: number;
  /** Undefined = every record. */
  recordIds?: number[];
  methods: string[];
  /** Chart layouts (image models only). */
  layouts?: string[];
  /** Where the audit report goes; default <workspace>/explain/audit-<id>. */
  reportDir?: string;
  /** Records (evenly spread) whose maps get deletion/insertion fidelity; default DEFAULT_SUBSET. */
  fidelity?: number | 'all';
  /** Records (evenly spread) whose maps get the weight-randomisation sanity check; default DEFAULT_SUBSET. */
  sanity?: number | 'all';
  onProgress?: (done: number, total: number) => void;
  /** Stops the run between maps (the maps made so far stay stored; no report is written). */
  signal?: AbortSignal;
}

export interface ExplainSummary {
  modelId: number;
  /** Records explained (their maps stored and in the report). */
  records: number;
  maps: number;
  /** Records left out, with the reason (e.g. the leads they lack); listed in the report's skipped.csv too. */
  skipped: SkippedRecord[];
  auditId?: number;
  reportFiles?: string[];
  spearmanByMethod?: AuditReport['spearmanByMethod'];
  mapSummary: AuditReport['mapSummary'];
  /** Maps whose sanity check failed (barely changed under weight randomisation). */
  sanityFlagged: { recordName: string; method: string; variant: string; spearman: number; ssim: number }[];
  /** Why a measure was skipped (e.g. no weights to randomise in an ONNX model). */
  notes: string[];
  mostInconsistentClasses?: AuditReport['classRanking'];
  mostInconsistentRecords?: AuditReport['recordRanking'];
  /** One sentence per pair of layouts or methods: median agreement with its 95 % interval, share below the level, sanity. */
  findings: string[];
  /** Records explained by a reduced-lead stand-in model (they lack leads the model needs), with its audit and report. */
  standIns: {
    recordId: number;
    recordName: string;
    modelId: number;
    leads: string[];
    auditId: number | null;
    reportDir: string | null;
  }[];
  /** Per-record agreement of each pair (as the histogram in agreement.svg), labelled as in its finding. */
  agreement: { pair: string; values: number[] }[];
}

/** Records per audit that get fidelity and the sanity check unless asked otherwise. */
export const DEFAULT_SUBSET = 20;
/** Seed of the randomised weights in the sanity check (one randomised model for the whole audit). */
export const SANITY_SEED = 1234;

const deinterleave = (x: Float32Array, samples: number, leads: number): Float32Array[] =>
  Array.from({ length: leads }, (_, l) => Float32Array.from({ length: samples }, (_, t) => x[t * leads + l]));

export interface ModelContexts {
  classes: string[];
  image: boolean;
  /** Why a record cannot feed this model (leads it lacks, too short), or undefined. */
  mismatch(record: EcgRecord): string | undefined;
  /** Image models: the layouts they were trained on, explained when no layouts are asked for. */
  trainedLayouts?: string[];
  context(record: EcgRecord, layout: string | null): MethodContext;
  /** Record sample s is map sample s * scale - offset (resampling and cropping of the model input). */
  timeBase(record: EcgRecord): { scale: number; offset: number };
  /** Weights the sanity check randomises; absent for ONNX models. */
  store?: ParamStore;
}

/** Record → model-input time base for a signal model's input spec. */
function specTimeBase(record: EcgRecord, spec: InputSpec): { scale: number; offset: number } {
  const scale = spec.samplingRate / record.samplingRate;
  const resampled = Math.round(record.length * scale);
  const centre = spec.crop === 'center';
  const offset = !centre
    ? 0
    : resampled >= spec.samples
      ? Math.floor((resampled - spec.samples) / 2)
      : -Math.floor((spec.samples - resampled) / 2);
  return { scale, offset };
}

/** The ML engine's models give logits; its classes are independent (sigmoid), as ONNX models report them. */
const probabilities =
  (logits: PredictBatch): PredictBatch =>
  async (batch) =>
    (await logits(batch)).map((s) => s.map((z) => 1 / (1 + Math.exp(-z))));

/** Builds the per-record method context for a stored model. Predictions are class probabilities (as for ONNX models). */
export async function modelContexts(ws: Workspace, modelId: number): Promise<ModelContexts> {
  const m = await openModel(ws.db, modelId);
  const id = `${modelId}:${m.info.name}`;
  if (m.kind === 'onnx') {
    const { onnx } = m;
    const spec = m.input.spec;
    const predict: PredictBatch = async (batch) => {
      const inputs = batch.map((leads) => {
        const x = new Float32Array(spec.samples * leads.length);
        leads.forEach((s, l) => s.forEach((v, t) => (x[t * leads.length + l] = v)));
        return x;
      });
      const p = await runOnnx(onnx, inputs);
      const k = m.classes.length;
      return inputs.map((_, b) => p.slice(b * k, (b + 1) * k));
    };
    return {
      classes: m.classes,
      image: false,
      timeBase: (record) => specTimeBase(record, spec),
      mismatch: (record) => recordMismatch(record, m.input),
      context: (record) => ({
        predict,
        signals: deinterleave(recordToInput(record, spec), spec.samples, spec.leads.length),
        leads: spec.leads,
        modelId: id,
        preprocessing: describe(spec),
        layout: null,
        samplingRate: spec.samplingRate,
      }),
    };
  }
  const { model, input } = m;
  const classifier: TfClassifier = ecgClassifier(model, id);
  if (input.kind === 'chart') {
    if (model.spec.channels !== 1)
      throw new Error(`model ${modelId}: explain renders gray charts; this image model reads ${model.spec.channels} channels`);
    const card = input.card;
    return {
      classes: m.classes,
      image: true,
      trainedLayouts: card.layouts,
      store: model.store,
      timeBase: () => ({ scale: 1, offset: 0 }),
      mismatch: (record) => recordMismatch(record, input),
      context: (record, layout) => {
        if (!layout) throw new Error('image models need a chart layout');
        const mv = record.leads.map(leadMillivolts);
        const leads = record.leads.map((l) => l.name);
        const { chart, raster, canvas } = cardRenderOptions(card, layout);
        return {
          target: chartTarget({ model: classifier, millivolts: mv, leads, samplingRate: record.samplingRate, chart, raster, canvas }),
          predict: probabilities(tfChartPredict(classifier, leads, record.samplingRate, { chart, raster, canvas })),
          signals: mv,
          leads,
          modelId: id,
          preprocessing: `chart ${card.pxPerMm}px/mm ink`,
          layout,
          samplingRate: record.samplingRate,
        };
      },
    };
  }
  if (input.kind === 'signal-image') {
    // The map is in the time base of the leads the images are made from (the signal pipeline's rate and length).
    const card = input.card;
    const spec = signalImageSpec(card);
    const preprocessing = `${describe(spec)}, ${card.transform} ${card.size}x${card.size}, one lead per channel`;
    const predict = probabilities(tfSignalImagePredict(classifier, card));
    return {
      classes: m.classes,
      image: false,
      store: model.store,
      timeBase: (record) => specTimeBase(record, spec),
      mismatch: (record) => recordMismatch(record, input),
      context: (record) => {
        const signals = signalImageLeads(record, spec);
        return {
          target: signalImageTarget({ model: classifier, signals, card, preprocessing }),
          predict,
          signals,
          leads: card.leads,
          modelId: id,
          preprocessing,
          layout: null,
          samplingRate: spec.samplingRate,
        };
      },
    };
  }
  const spec = input.spec;
  const predict = probabilities(tfSignalPredict(classifier));
  return {
    classes: m.classes,
    image: false,
    store: model.store,
    timeBase: (record) => specTimeBase(record, spec),
    mismatch: (record) => recordMismatch(record, input),
    context: (record) => {
      const signals = deinterleave(recordToInput(record, spec), spec.samples, spec.leads.length);
      return {
        target: signalTarget({ model: classifier, signals, leads: spec.leads, preprocessing: describe(spec) }),
        predict,
        signals,
        leads: spec.leads,
        modelId: id,
        preprocessing: describe(spec),
        layout: null,
        samplingRate: spec.samplingRate,
      };
    },
  };
}

const describe = (s: InputSpec): string =>
  `${s.samplingRate} Hz x ${s.samples}${s.bandpass ? `, band-pass ${s.bandpass.lowHz}-${s.bandpass.highHz} Hz` : ''}${s.zscore === false ? '' : ', z-score'}`;

/** `k` of `n` indices spread evenly (all when k >= n): a subset not biased to the first records ingested. */
export function spreadSubset(n: number, k: number | 'all'): Set<number> {
  if (k === 'all' || k >= n) return new Set(Array.from({ length: n }, (_, i) => i));
  return new Set(Array.from({ length: Math.max(0, k) }, (_, i) => Math.floor(((i + 0.5) * n) / k)));
}

/**
 * Explains the records with the model; a record lacking leads the model needs is explained by a reduced-lead stand-in
 * model of the same family when one exists (as predict scores it), in an audit of its own (a stand-in's maps compare
 * only with each other), listed in the model's report (stand-ins.csv) and in `standIns`; without one it is skipped
 * with the leads it lacks.
 */
export async function explainInWorkspace(ws: Workspace, req: ExplainRequest): Promise<ExplainSummary> {
  req.methods.forEach(parseMethod);
  const ids = req.recordIds ?? allRecordIds(ws.db);
  if (ids.length === 0) throw new Error('no records to explain');
  const primary = getModelInfo(ws.db, req.modelId);
  const own: number[] = [];
  const deferred = new Map<number, { info: StoredModelInfo; ids: number[] }>();
  for (const rid of ids) {
    const record = getRecordSignal(ws.db, rid);
    const standIn = record && missingLeads(record, primary.leadSet).length > 0 ? reducedLeadStandIn(ws.db, primary, record) : undefined;
    if (!standIn) own.push(rid);
    else if (deferred.has(standIn.id)) deferred.get(standIn.id)!.ids.push(rid);
    else deferred.set(standIn.id, { info: standIn, ids: [rid] });
  }
  if (deferred.size === 0) return explainWithModel(ws, req, ids);
  // Progress over the whole request: each run's maps after those of the runs before it.
  const perRecord = req.methods.length * Math.max(1, req.layouts?.length ?? 1);
  let before = 0;
  let pending = ids.length * perRecord;
  const progress = (runRecords: number) => {
    pending -= runRecords * perRecord;
    const base = before;
    const rest = pending;
    return (done: number, total: number) => {
      before = base + done;
      req.onProgress?.(base + done, base + total + rest);
    };
  };
  const standIns: ExplainSummary['standIns'] = [];
  const runs: ExplainSummary[] = [];
  const failed: SkippedRecord[] = [];
  for (const { info, ids: standInIds } of deferred.values()) {
    let s: ExplainSummary;
    try {
      // The stand-in draws the layouts it was trained on (a 2-lead chart is not a 12-lead one).
      s = await explainWithModel(
        ws,
        { ...req, modelId: info.id, layouts: undefined, reportDir: undefined, onProgress: progress(standInIds.length) },
        standInIds,
      );
    } catch (e) {
      if (req.signal?.aborted) throw e;
      const reason = `reduced-lead model ${info.id}: ${(e as Error).message.split('\n')[0]}`;
      for (const rid of standInIds) failed.push({ recordId: rid, recordName: recordName(ws.db, rid) ?? String(rid), reason });
      continue;
    }
    runs.push(s);
    const dir = s.reportFiles?.[0] ? path.dirname(s.reportFiles[0]) : null;
    for (const rid of standInIds.filter((r) => !s.skipped.some((k) => k.recordId === r)))
      standIns.push({
        recordId: rid,
        recordName: recordName(ws.db, rid) ?? String(rid),
        modelId: info.id,
        leads: info.leadSet,
        auditId: s.auditId ?? null,
        reportDir: dir,
      });
  }
  const main = own.length > 0 ? await explainWithModel(ws, { ...req, onProgress: progress(own.length) }, own) : undefined;
  const skipped = [...(main?.skipped ?? []), ...runs.flatMap((r) => r.skipped), ...failed];
  if (!main && runs.length === 0)
    throw new Error(`none of the ${ids.length} records could be explained (e.g. ${failed[0].recordName}: ${failed[0].reason})`);
  const reportFiles = main?.reportFiles?.slice() ?? runs.flatMap((r) => r.reportFiles ?? []);
  if (main?.reportFiles?.[0]) {
    const file = path.join(path.dirname(main.reportFiles[0]), 'stand-ins.csv');
    const rows = standIns.map((k) => [k.recordId, k.recordName, k.modelId, k.leads.join(' '), k.auditId ?? '', k.reportDir ?? '']);
    fs.writeFileSync(
      file,
      [['record_id', 'record', 'stand_in_model', 'leads', 'audit_id', 'report_dir'], ...rows]
        .map((r) => r.map(csvField).join(','))
        .join('\n') + '\n',
    );
    reportFiles.push(file);
  }
  const first = main ?? runs[0];
  const byStandIn = (r: ExplainSummary, text: string) => `Reduced-lead model ${r.modelId}: ${text}`;
  return {
    ...first,
    findings: [...(main?.findings ?? []), ...runs.flatMap((r) => r.findings.map((f) => byStandIn(r, f)))],
    agreement: [...(main?.agreement ?? []), ...runs.flatMap((r) => r.agreement.map((a) => ({ ...a, pair: byStandIn(r, a.pair) })))],
    sanityFlagged: [...(main?.sanityFlagged ?? []), ...runs.flatMap((r) => r.sanityFlagged)],
    modelId: req.modelId,
    records: (main?.records ?? 0) + standIns.length,
    maps: (main?.maps ?? 0) + runs.reduce((n, r) => n + r.maps, 0),
    skipped,
    reportFiles,
    notes: [...(main?.notes ?? []), ...runs.flatMap((r) => r.notes.map((n) => `reduced-lead model ${r.modelId}: ${n}`))],
    standIns,
  };
}

const csvField = (v: unknown): string => {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

async function explainWithModel(ws: Workspace, req: ExplainRequest, ids: number[]): Promise<ExplainSummary> {
  const models = await modelContexts(ws, req.modelId);
  const layouts = req.layouts ?? models.trainedLayouts ?? [];
  if (models.image && layouts.length === 0) throw new Error('image models need --layouts (e.g. 3x4+II,6x2,12x1)');
  if (!models.image && layouts.length > 0)
    throw new Error(`model ${req.modelId} reads signals, not charts; --layouts applies to image models`);
  const variants = models.image ? layouts : [''];
  const notes: string[] = [];
  // One record (and its contexts and wave intervals) at a time keeps memory flat over a dataset.
  let current: { id: number; record: EcgRecord; contexts: Map<string, MethodContext>; waves?: WaveIntervals | null } | undefined;
  const recordOf = (rid: number): NonNullable<typeof current> => {
    if (current?.id !== rid) {
      const record = getRecordSignal(ws.db, rid);
      if (!record) throw new SkipRecord(`no record with id ${rid} in this workspace`);
      const mismatch = models.mismatch(record);
      if (mismatch) throw new SkipRecord(mismatch);
      current = { id: rid, record, contexts: new Map() };
    }
    return current;
  };
  const contextOf = (rid: number, variant: string): MethodContext => {
    const r = recordOf(rid);
    let c = r.contexts.get(variant);
    if (!c) {
      try {
        c = models.context(r.record, variant || null);
      } catch (e) {
        // The record cannot be drawn or fed in this variant (e.g. a chart larger than the model's canvas).
        throw new SkipRecord((e as Error).message.split('\n')[0]);
      }
      r.contexts.set(variant, c);
    }
    return c;
  };
  const targetClasses = new Map<number, number>();
  const mapIds = new Map<string, number>();
  let maps = 0;
  const explain = async (item: AuditItem, method: string, variant: string): Promise<SaliencyResult> => {
    const ctx = contextOf(item.recordId, variant);
    if (!targetClasses.has(item.recordId)) {
      // One target class per record (predicted on the first variant), so variants explain the same output.
      const [p] = await ctx.predict([ctx.signals.slice()]);
      targetClasses.set(item.recordId, p.indexOf(Math.max(...p)));
    }
    const r = await runMethod(method, ctx, targetClasses.get(item.recordId)!);
    r.provenance.params = { ...r.provenance.params, spec: method };
    mapIds.set(`${item.recordId}|${method}|${variant}`, saveSaliency(ws.db, item.recordId, req.modelId, r));
    maps++;
    return r;
  };
  const fidelityOn = spreadSubset(ids.length, req.fidelity ?? DEFAULT_SUBSET);
  const sanityOn = models.store ? spreadSubset(ids.length, req.sanity ?? DEFAULT_SUBSET) : new Set<number>();
  if (!models.store && req.sanity !== 0) notes.push('sanity check skipped: an ONNX model has no weights LeadLens can randomise');
  const index = new Map(ids.map((rid, i) => [rid, i]));
  const measure = async (item: AuditItem, method: string, variant: string, r: SaliencyResult): Promise<MapMeasures> => {
    const out: MapMeasures = {};
    const rec = recordOf(item.recordId);
    if (rec.waves === undefined) {
      const w = recordWaveIntervals(rec.record);
      const { scale, offset } = models.timeBase(rec.record);
      rec.waves = w && rescaleIntervals(w, scale, offset, r.samples);
    }
    const ctx = contextOf(item.recordId, variant);
    // A pacing spike counts with 10 ms either side, in the map's own time base.
    if (rec.waves) out.localisation = localiseAttribution(r, rec.waves, Math.max(1, Math.round(0.01 * ctx.samplingRate)));
    const i = index.get(item.recordId)!;
    const targetClass = r.provenance.targetClass;
    if (fidelityOn.has(i)) {
      // Deleting a lead's samples removes both its drawings, so fidelity scores the per-lead map.
      out.fidelity = await fidelityCurves(ctx.predict, ctx.signals, foldRhythmStrips(r), {
        targetClass,
        patch: Math.max(1, Math.round(0.1 * ctx.samplingRate)),
        steps: 20,
        baseline: 'zeros',
      });
    }
    if (sanityOn.has(i) && models.store)
      out.sanity = await randomisationCheck(models.store, SANITY_SEED, r, () => runMethod(method, ctx, targetClass));
    return out;
  };
  const items: AuditItem[] = ids.map((rid) => ({
    recordId: rid,
    recordName: recordName(ws.db, rid) ?? String(rid),
    classes: effectiveLabels(ws.db, rid)
      .map((l) => l.code)
      .filter((c) => models.classes.includes(c)),
  }));
  const report = await runAudit({
    items,
    methods: req.methods,
    variants,
    explain,
    measure,
    onProgress: req.onProgress,
    signal: req.signal,
  });
  if (report.maps.length === 0) {
    const first = report.skipped[0];
    throw new Error(`none of the ${ids.length} records could be explained${first ? ` (e.g. ${first.recordName}: ${first.reason})` : ''}`);
  }
  const auditId = saveAudit(ws.db, {
    modelId: req.modelId,
    methods: req.methods,
    layouts,
    recordCount: report.records,
    reportDir: null,
    summary: {
      spearmanByMethod: report.spearmanByMethod,
      mapSummary: report.mapSummary,
      sanitySeed: SANITY_SEED,
      skipped: report.skipped.length,
    },
  });
  const keyOf = (recordId: number, method: string, variant: string): number => mapIds.get(`${recordId}|${method}|${variant}`)!;
  writeTransaction(ws.db, () => {
    for (const p of report.pairs) {
      const [a, b] =
        variants.length > 1
          ? [keyOf(p.recordId, p.method, p.a), keyOf(p.recordId, p.method, p.b)]
          : [keyOf(p.recordId, p.a, ''), keyOf(p.recordId, p.b, '')];
      saveMetric(ws.db, 'consistency', a, b, p.metrics, auditId);
    }
    for (const m of report.maps) {
      const id = keyOf(m.recordId, m.method, m.variant);
      const { fidelity, sanity, localisation } = m.measures;
      if (fidelity) saveMetric(ws.db, 'fidelity', id, null, { ...fidelity, baseline: 'zeros', score: 'probability' }, auditId);
      if (sanity) saveMetric(ws.db, 'sanity', id, null, { ...sanity, seed: SANITY_SEED, randomised: 'all trainable weights' }, auditId);
      if (localisation) saveMetric(ws.db, 'localisation', id, null, localisation, auditId);
    }
  });
  const dir = req.reportDir ?? path.join(ws.dir, 'explain', `audit-${auditId}`);
  report.classes = models.classes;
  const findings = auditFindings(report);
  const reportFiles = writeAuditReport(report, dir, findings);
  setAuditReportDir(ws.db, auditId, dir);
  const sanityFlagged = report.maps
    .filter((m) => m.measures.sanity?.flagged)
    .map((m) => ({
      recordName: m.recordName,
      method: m.method,
      variant: m.variant,
      spearman: m.measures.sanity!.spearman,
      ssim: m.measures.sanity!.ssim,
    }));
  const undelineated = new Set(report.maps.filter((m) => !m.measures.empty && !m.measures.localisation).map((m) => m.recordName));
  if (undelineated.size) notes.push(`localisation skipped for ${undelineated.size} records without a delineated beat`);
  return {
    modelId: req.modelId,
    records: report.records,
    skipped: report.skipped,
    maps,
    auditId,
    reportFiles,
    spearmanByMethod: report.spearmanByMethod,
    mapSummary: report.mapSummary,
    sanityFlagged,
    notes,
    mostInconsistentClasses: report.classRanking.slice(0, 5),
    mostInconsistentRecords: report.recordRanking.slice(0, 5),
    findings: findings.map((f) => f.sentence),
    agreement: findings.map((f) => ({ pair: f.label, values: f.values })),
    standIns: [],
  };
}
