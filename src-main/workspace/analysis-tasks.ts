// The long record work the API hands to the analysis pool: measurements, rule decisions, a model's predictions.
// One table, run either in a worker thread (each with its own connection to the workspace) or inline.
import type { RecordAnalysis } from '../../src-shared/api.ts';
import type { RuleResult } from '../../src-shared/rules.ts';
import { analyseRecord, recordRules } from './analyse-record.ts';
import { predictInWorkspace, type PredictSummary } from './predict-records.ts';
import type { Workspace } from '../store/workspace.ts';
import type { MedianBeats } from '../../src-shared/median-beats.ts';
import { recordMedianBeats } from './median-beats.ts';
import type { LeadSetSize } from '../../src-shared/lead-sets.ts';
import { refreshRecordRules } from './boundary-rules.ts';
import { recomputeQtcRules } from './qtc-recompute.ts';
import { runStoredRules, type StoredRunOutcome } from './run-rules.ts';
import type { InputSpec } from '../ml/input-pipeline.ts';
import { prepareModelInputs, type PreparedInput } from './record-model-inputs.ts';
import { explainInWorkspace, type ExplainRequest, type ExplainSummary } from './explain-records.ts';
import { signalCodecWarmupSteps } from '../store/signal-codec-warmup.ts';
import { warmUpRules } from '../rules/rules-warmup.ts';

/** What a long task may report and obey: progress (done of total) and a cancel it checks between its steps. */
export interface TaskControl {
  onProgress?(done: number, total: number): void;
  signal?: AbortSignal;
}

/** An explain request as it crosses to a worker thread (no callbacks; TaskControl carries those). */
export type ExplainTaskParams = Omit<ExplainRequest, 'onProgress' | 'signal'>;

export interface AnalysisTasks {
  analysis: { params: { id: number; start?: number; end?: number }; result: RecordAnalysis };
  rules: { params: { id: number; leadSet: number }; result: RuleResult[] };
  predict: { params: { modelId: number }; result: PredictSummary };
  medianBeats: { params: { id: number }; result: MedianBeats };
  refreshRules: { params: { id: number; leadSets: LeadSetSize[] }; result: StoredRunOutcome[] };
  qtcRules: { params: { id: number; leadSet: LeadSetSize }; result: RuleResult[] };
  /** Saliency maps and their audit for a list of records (a UI saliency run). */
  explain: { params: ExplainTaskParams; result: ExplainSummary };
  storedRules: { params: { ids: number[]; leadSet: LeadSetSize }; result: StoredRunOutcome[] };
  modelInputs: { params: { ids: number[]; spec: InputSpec }; result: PreparedInput[] };
  /** A worker's first run of the signal decoder and the rules, on synthetic data (AnalysisPool.warm): result count. */
  warmUp: { params: Record<string, never>; result: number };
}
export type AnalysisTaskName = keyof AnalysisTasks;

export const ANALYSIS_TASKS: {
  [K in AnalysisTaskName]: (
    ws: Workspace,
    p: AnalysisTasks[K]['params'],
    control: TaskControl,
  ) => AnalysisTasks[K]['result'] | Promise<AnalysisTasks[K]['result']>;
} = {
  analysis: (ws, p) => analyseRecord(ws.db, p.id, p.start, p.end),
  rules: (ws, p) => recordRules(ws.db, p.id, p.leadSet),
  predict: (ws, p) => predictInWorkspace(ws, p.modelId),
  medianBeats: (ws, p) => recordMedianBeats(ws.db, p.id),
  refreshRules: (ws, p) => refreshRecordRules(ws.db, p.id, p.leadSets),
  qtcRules: (ws, p) => recomputeQtcRules(ws.db, p.id, p.leadSet),
  explain: (ws, p, control) => explainInWorkspace(ws, { ...p, onProgress: control.onProgress, signal: control.signal }),
  storedRules: (ws, p) => runStoredRules(ws.db, p.ids, p.leadSet),
  modelInputs: (ws, p) => prepareModelInputs(ws.db, p.ids, p.spec),
  warmUp: () => {
    for (const step of signalCodecWarmupSteps()) step();
    return warmUpRules();
  },
};

/** Tasks that run for minutes: they take the pool's long-task slot, so record analysis never waits behind them. */
export const LONG_TASKS: ReadonlySet<AnalysisTaskName> = new Set(['explain']);
