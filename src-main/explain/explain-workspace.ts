// `leadlens explain` as a service: explains stored models on stored records, keeps every map with its
// provenance, and over several records runs the consistency audit (layouts for image models, methods
// otherwise) and writes its report.
import path from 'node:path';
import type { Workspace } from '../store/workspace.ts';
import { getRecordSignal } from '../store/record-store.ts';
import { effectiveLabels } from '../store/label-store.ts';
import { initBackend } from '../ml/backend.ts';
import { deserializeWeights, getModel } from '../ml/model-store.ts';
import { recordToInput, type InputSpec } from '../ml/input-pipeline.ts';
import { loadOnnxModel, onnxInputSpec, runOnnx, type ModelCard } from '../ml/onnx-model.ts';
import { leadMillivolts, type EcgRecord } from '../../src-shared/record.ts';
import { runAudit, writeAuditReport, type AuditItem, type AuditReport } from './audit.ts';
import { saveAudit, saveMetric, saveSaliency } from './saliency-store.ts';
import { ecgClassifier, type TfClassifier } from './saliency/classifier.ts';
import { chartTarget, signalTarget } from './saliency/explain-target.ts';
import { parseMethod, runMethod, type MethodContext } from './saliency/methods.ts';
import { tfChartPredict, tfSignalPredict, type PredictBatch } from './saliency/occlusion.ts';
import type { SaliencyResult } from './saliency/saliency-result.ts';

export interface ExplainRequest {
  modelId: number;
  /** Undefined = every record. */
  recordIds?: number[];
  methods: string[];
  /** Chart layouts (image models only). */
  layouts?: string[];
  /** Where the audit report goes (several records); default <workspace>/explain/audit-<id>. */
  reportDir?: string;
  onProgress?: (done: number, total: number) => void;
}

export interface ExplainSummary {
  modelId: number;
  records: number;
  maps: number;
  auditId?: number;
  reportFiles?: string[];
  spearmanByMethod?: AuditReport['spearmanByMethod'];
  mostInconsistentClasses?: AuditReport['classRanking'];
  mostInconsistentRecords?: AuditReport['recordRanking'];
}

const deinterleave = (x: Float32Array, samples: number, leads: number): Float32Array[] =>
  Array.from({ length: leads }, (_, l) => Float32Array.from({ length: samples }, (_, t) => x[t * leads + l]));

/** Builds the per-record method context for a stored model. */
async function modelContexts(ws: Workspace, modelId: number): Promise<{
  classes: string[]; image: boolean; context(record: EcgRecord, layout: string | null): MethodContext;
}> {
  const m = getModel(ws.db, modelId);
  const id = `${modelId}:${m.name}`;
  if (m.kind === 'onnx') {
    const om = await loadOnnxModel(m.weights, m.inputSpec as unknown as ModelCard);
    const spec = onnxInputSpec(om.card);
    const predict: PredictBatch = async (batch) => {
      const inputs = batch.map((leads) => {
        const x = new Float32Array(spec.samples * leads.length);
        leads.forEach((s, l) => s.forEach((v, t) => (x[t * leads.length + l] = v)));
        return x;
      });
      const p = await runOnnx(om, inputs);
      const k = m.classes.length;
      return inputs.map((_, b) => p.slice(b * k, (b + 1) * k));
    };
    return {
      classes: m.classes, image: false,
      context: (record) => ({
        predict, signals: deinterleave(recordToInput(record, spec), spec.samples, spec.leads.length), leads: spec.leads,
        modelId: id, preprocessing: describe(spec), layout: null, samplingRate: spec.samplingRate,
      }),
    };
  }
  await initBackend();
  const model = deserializeWeights(m.weights, `model ${modelId}`);
  const classifier: TfClassifier = ecgClassifier(model, id);
  if (model.spec.arch === 'image-cnn') {
    if (model.spec.channels !== 1) throw new Error(`model ${modelId}: explain renders gray charts; this image model reads ${model.spec.channels} channels`);
    const pxPerMm = Number((m.inputSpec as { pxPerMm?: number }).pxPerMm ?? 2);
    return {
      classes: m.classes, image: true,
      context: (record, layout) => {
        if (!layout) throw new Error('image models need --layouts');
        const mv = record.leads.map(leadMillivolts);
        const leads = record.leads.map((l) => l.name);
        const chart = { layout, pxPerMm };
        return {
          target: chartTarget({ model: classifier, millivolts: mv, leads, samplingRate: record.samplingRate, chart }),
          predict: tfChartPredict(classifier, leads, record.samplingRate, chart), signals: mv, leads,
          modelId: id, preprocessing: `chart ${pxPerMm}px/mm ink`, layout, samplingRate: record.samplingRate,
        };
      },
    };
  }
  const spec = m.inputSpec as unknown as InputSpec;
  return {
    classes: m.classes, image: false,
    context: (record) => {
      const signals = deinterleave(recordToInput(record, spec), spec.samples, spec.leads.length);
      return {
        target: signalTarget({ model: classifier, signals, leads: spec.leads, preprocessing: describe(spec) }),
        predict: tfSignalPredict(classifier), signals, leads: spec.leads, modelId: id, preprocessing: describe(spec), layout: null,
        samplingRate: spec.samplingRate,
      };
    },
  };
}

const describe = (s: InputSpec): string =>
  `${s.samplingRate} Hz x ${s.samples}${s.bandpass ? `, band-pass ${s.bandpass.lowHz}-${s.bandpass.highHz} Hz` : ''}${s.zscore === false ? '' : ', z-score'}`;

export async function explainInWorkspace(ws: Workspace, req: ExplainRequest): Promise<ExplainSummary> {
  req.methods.forEach(parseMethod);
  const ids = req.recordIds ?? (ws.db.prepare('SELECT id FROM record ORDER BY id').pluck().all() as number[]);
  if (ids.length === 0) throw new Error('no records to explain');
  const models = await modelContexts(ws, req.modelId);
  const layouts = req.layouts ?? [];
  if (models.image && layouts.length === 0) throw new Error('image models need --layouts (e.g. 3x4+II,6x2,12x1)');
  if (!models.image && layouts.length > 0) throw new Error(`model ${req.modelId} reads signals, not charts; --layouts applies to image models`);
  const variants = models.image ? layouts : [''];
  const records = new Map<number, EcgRecord>();
  const recordOf = (rid: number): EcgRecord => {
    let r = records.get(rid);
    if (!r) {
      r = getRecordSignal(ws.db, rid);
      if (!r) throw new Error(`no record with id ${rid} in this workspace`);
      records.clear(); // one record at a time keeps memory flat over a dataset
      records.set(rid, r);
    }
    return r;
  };
  const targetClasses = new Map<number, number>();
  const mapIds = new Map<string, number>();
  let maps = 0;
  const explain = async (item: AuditItem, method: string, variant: string): Promise<SaliencyResult> => {
    const ctx = models.context(recordOf(item.recordId), variant || null);
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
  const nameOf = ws.db.prepare('SELECT record_name FROM record WHERE id = ?').pluck();
  const items: AuditItem[] = ids.map((rid) => ({
    recordId: rid, recordName: String(nameOf.get(rid) ?? rid),
    classes: effectiveLabels(ws.db, rid).map((l) => l.code).filter((c) => models.classes.includes(c)),
  }));
  if (ids.length === 1 && variants.length * req.methods.length === 1) {
    await explain(items[0], req.methods[0], variants[0]);
    req.onProgress?.(1, 1);
    return { modelId: req.modelId, records: 1, maps };
  }
  const report = await runAudit({ items, methods: req.methods, variants, explain, onProgress: req.onProgress });
  const auditId = saveAudit(ws.db, { modelId: req.modelId, methods: req.methods, layouts, recordCount: ids.length, reportDir: null, summary: report.spearmanByMethod });
  ws.db.transaction(() => {
    for (const p of report.pairs) {
      const key = (v: string): string => (variants.length > 1 ? `${p.recordId}|${p.method}|${v}` : `${p.recordId}|${v}|`);
      saveMetric(ws.db, 'consistency', mapIds.get(key(p.a))!, mapIds.get(key(p.b))!, p.metrics, auditId);
    }
  })();
  const dir = req.reportDir ?? path.join(ws.dir, 'explain', `audit-${auditId}`);
  const reportFiles = writeAuditReport(report, dir);
  ws.db.prepare('UPDATE explain_audit SET report_dir = ? WHERE id = ?').run(dir, auditId);
  return {
    modelId: req.modelId, records: ids.length, maps, auditId, reportFiles, spearmanByMethod: report.spearmanByMethod,
    mostInconsistentClasses: report.classRanking.slice(0, 5), mostInconsistentRecords: report.recordRanking.slice(0, 5),
  };
}
