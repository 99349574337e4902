// `leadlens eval --on SELECTION...` and the model review page: a stored model scored on one or more saved selections,
// each with its metrics and 95 % bootstrap intervals (records resampled, seeded), side by side, and stored with the
// model version and the selection they came from. A record that shares a patient with the model's training or
// validation records is dropped (or the evaluation refused); records without labels, or that the model cannot read,
// are left out with the reason. Nothing is left out in silence.
import { createHash } from 'node:crypto';
import type { EcgRecord } from '../../src-shared/record.ts';
import type { LeftOutRecord, SelectionEvalResult, SelectionEvaluation } from '../../src-shared/selection-evaluation.ts';
import { describeSelectionQuery } from '../../src-shared/selection-query.ts';
import { targetsFor } from '../ml/input-pipeline.ts';
import { metricIntervals } from '../ml/metrics/bootstrap.ts';
import { challengeWeightsTable, type ChallengeWeights } from '../ml/metrics/challenge-metric.ts';
import { scoredSetMetrics } from '../ml/metrics/test-metrics.ts';
import { modelScorer, openModel, recordMismatch, type OpenedModel } from '../ml/open-model.ts';
import { sharedPatients } from '../ml/splits.ts';
import { saveEvaluation } from '../store/evaluation-store.ts';
import { effectiveLabels } from '../store/label-store.ts';
import { modelLineage } from '../store/model-store.ts';
import { getRecordSignal, recordName } from '../store/record-store.ts';
import { recordPatients, resolveSelection } from '../store/selection-store.ts';
import type { Workspace } from '../store/workspace.ts';

export type { SelectionEvalResult } from '../../src-shared/selection-evaluation.ts';

export type OverlapPolicy = 'drop' | 'refuse';

export interface SelectionEvalRequest {
  modelId: number;
  /** Saved selection names, evaluated side by side. */
  selections: string[];
  weightsCsv?: string;
  /** Records of a patient the model trained or validated on: dropped from the evaluation (default) or refused. */
  overlap?: OverlapPolicy;
  rounds?: number;
  seed?: number;
  onProgress?: (done: number, total: number, label: string) => void;
}

const BATCH = 64;
const firstLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0];

/** The model's version: its id and a hash of its weights (a model row never changes, this says so checkably). */
export function modelVersion(m: OpenedModel): string {
  return `${m.info.id}:sha256-${createHash('sha256').update(m.weights).digest('hex').slice(0, 16)}`;
}

/** Each code of a challenge equivalence class counts as the model's class in it (RBBB 59118001 = CRBBB 713427006). */
function equivalentCodes(classes: string[], weights: ChallengeWeights): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of classes)
    for (const group of weights.classes) if (group.includes(c)) for (const code of group) if (!classes.includes(code)) out[code] = c;
  return out;
}

/** Metrics shown in the side-by-side table, in order; per-class ROC-AUC rows follow. */
const TABLE_METRICS = ['challenge', 'macro-f1', 'macroF1', 'microF1', 'macroRocAuc', 'macroPrAuc', 'calibrationError'];

export async function evaluateOnSelections(ws: Workspace, req: SelectionEvalRequest): Promise<SelectionEvalResult> {
  const db = ws.db;
  if (req.selections.length === 0) throw new Error('eval --on needs at least one saved selection');
  const resolved = req.selections.map((name) => resolveSelection(db, name));
  const model = await openModel(db, req.modelId);
  const version = modelVersion(model);
  const scorer = await modelScorer(model);
  const classes = scorer.classes;
  const weights = challengeWeightsTable(req.weightsCsv);
  const equivalent = equivalentCodes(classes, weights);
  const rounds = req.rounds ?? 1000;
  const seed = req.seed ?? 1;
  const trained = modelLineage(db, req.modelId).records.filter((r) => r.split !== 'test');
  const trainedIds = new Set(trained.map((r) => r.recordId));
  const trainedPatients = recordPatients(
    db,
    trained.map((r) => r.recordId),
  ).map((r) => ({ id: String(r.recordId), ...(r.patientId ? { patientId: r.patientId } : {}) }));
  const out: SelectionEvaluation[] = [];
  const total = resolved.reduce((a, r) => a + r.recordIds.length, 0);
  let done = 0;
  for (const { selection, recordIds } of resolved) {
    const patients = recordPatients(db, recordIds);
    const shared = new Set(
      sharedPatients(
        trainedPatients,
        patients.map((r) => ({ id: String(r.recordId), ...(r.patientId ? { patientId: r.patientId } : {}) })),
      ),
    );
    const leaking = patients.filter((r) => trainedIds.has(r.recordId) || (r.patientId !== null && shared.has(r.patientId)));
    if (leaking.length && req.overlap === 'refuse') {
      throw new Error(
        `selection '${selection.name}' shares ${shared.size} patient(s) and ${leaking.length} record(s) with model ${req.modelId}'s training/validation records; drop them or choose another selection`,
      );
    }
    const leak = new Set(leaking.map((r) => r.recordId));
    const leftOut: LeftOutRecord[] = [];
    const name = (id: number): string => recordName(db, id) ?? '?';
    const scored: { id: number; codes: string[] }[] = [];
    const probs: number[][] = [];
    const candidates = recordIds.filter((id) => !leak.has(id));
    for (let i = 0; i < candidates.length; i += BATCH) {
      const batch: { id: number; codes: string[]; record: EcgRecord }[] = [];
      for (const id of candidates.slice(i, i + BATCH)) {
        const codes = effectiveLabels(db, id)
          .filter((l) => l.vocabulary === 'SNOMED')
          .map((l) => l.code);
        if (codes.length === 0) {
          leftOut.push({ recordId: id, recordName: name(id), reason: 'no SNOMED label: nothing to score against' });
          continue;
        }
        const record = getRecordSignal(db, id);
        const reason = record ? recordMismatch(record, model.input) : `no record with id ${id} in this workspace`;
        if (reason || !record) leftOut.push({ recordId: id, recordName: name(id), reason: reason! });
        else batch.push({ id, codes, record });
      }
      const take = (part: typeof batch, p: Float32Array): void =>
        part.forEach((b, k) => {
          scored.push({ id: b.id, codes: b.codes });
          probs.push(Array.from(p.subarray(k * classes.length, (k + 1) * classes.length)));
        });
      if (batch.length) {
        try {
          take(batch, await scorer.predict(batch.map((b) => b.record)));
        } catch {
          for (const one of batch) {
            try {
              take([one], await scorer.predict([one.record]));
            } catch (e) {
              leftOut.push({ recordId: one.id, recordName: one.record.recordName, reason: firstLine(e) });
            }
          }
        }
      }
      done += Math.min(BATCH, candidates.length - i);
      req.onProgress?.(done, total, selection.name);
    }
    done += leak.size;
    const n = scored.length;
    if (n === 0)
      throw new Error(`selection '${selection.name}': none of its ${recordIds.length} records can be scored by model ${req.modelId}`);
    const p = Float32Array.from(probs.flat());
    const y = new Uint8Array(n * classes.length);
    scored.forEach((s, i) => y.set(targetsFor(s.codes, classes, equivalent), i * classes.length));
    const metrics = { ...scoredSetMetrics(p, y, n, classes, weights), runtime: scorer.runtime };
    const intervals = metricIntervals(p, y, n, classes, weights, { rounds, seed });
    const positives = Object.fromEntries(classes.map((c, k) => [c, scored.filter((_, i) => y[i * classes.length + k]).length]));
    const summary = {
      ...metrics,
      intervals,
      positives,
      bootstrap: { rounds, seed, level: 0.95 },
      leftOut: leftOut.length,
      droppedSharedPatients: leak.size,
    };
    const evaluationId = saveEvaluation(db, {
      modelId: req.modelId,
      modelVersion: version,
      selectionId: selection.id,
      selectionName: selection.name,
      selectionQuery: selection.query,
      predictions: scored.map((s, i) => ({ recordId: s.id, probabilities: probs[i] })),
      metrics: summary,
    });
    out.push({
      selection: selection.name,
      description: describeSelectionQuery(selection.query),
      evaluationId,
      selected: recordIds.length,
      records: n,
      leftOut: [
        ...leaking.map((r) => ({
          recordId: r.recordId,
          recordName: name(r.recordId),
          reason: 'shares a patient with the training/validation records',
        })),
        ...leftOut,
      ],
      sharedWithTraining: { patients: [...shared], records: leak.size },
      positives,
      metrics,
      intervals,
    });
  }
  const overlaps: SelectionEvalResult['overlaps'] = [];
  for (let i = 0; i < resolved.length; i++)
    for (let j = i + 1; j < resolved.length; j++) {
      const items = (ids: number[]) =>
        recordPatients(db, ids).map((r) => ({ id: String(r.recordId), ...(r.patientId ? { patientId: r.patientId } : {}) }));
      const both = sharedPatients(items(resolved[i].recordIds), items(resolved[j].recordIds));
      if (both.length) overlaps.push({ a: resolved[i].selection.name, b: resolved[j].selection.name, patients: both.length });
    }
  const metricsInTable = [...TABLE_METRICS, ...classes.map((c) => `${c}.rocAuc`)].filter((m) => out.some((s) => s.intervals[m]));
  const table = metricsInTable.map((metric) => ({
    metric,
    values: Object.fromEntries(out.map((s) => [s.selection, s.intervals[metric] ?? null])),
  }));
  return {
    modelId: req.modelId,
    modelVersion: version,
    classes,
    runtime: scorer.runtime,
    bootstrap: { rounds, seed, level: 0.95 },
    selections: out,
    overlaps,
    table,
  };
}
