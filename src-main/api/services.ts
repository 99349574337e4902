import path from 'node:path';
import type {
  ApiEventMessage,
  ApiMethod,
  ApiParams,
  ApiResult,
  ApiEvents,
  ApiEventName,
  QtcRecomputeRun,
  RecordChange,
  RecordDetail,
  RecordSummary,
  WorklistQuery,
} from '../../src-shared/api.ts';
import type { SelectionInfo } from '../../src-shared/selection-evaluation.ts';
import { validateParams } from '../../src-shared/api.ts';
import { isLeadSetSize } from '../../src-shared/lead-sets.ts';
import { ingestPaths, ingestSummary } from '../ingest/ingest-files.ts';
import { chosenRoots, firstUnchosenPath } from './chosen-paths.ts';
import { READERS } from '../formats/readers.ts';
import { listAudit } from '../store/audit-log.ts';
import { beatAnnotations } from '../store/beat-annotation-store.ts';
import { inboxFolders } from '../store/inbox-store.ts';
import { effectiveLabels, labelHistory, setAnnotatorLabel, setReviewState } from '../store/label-store.ts';
import { hasSubmitted, reviewerReviews, submittedAmong } from '../store/annotator-store.ts';
import { agreementReport } from '../workspace/annotator-agreement.ts';
import { SCHEMA_VERSION } from '../store/migrate.ts';
import { getDeviceReading, getRecordDetailFields, getRecordSummary, recordCount } from '../store/record-store.ts';
import { decodeRepresentativeBeats } from '../formats/representative-beats.ts';
import {
  addInterval,
  addNote,
  deleteInterval,
  deleteNote,
  getReviewSettings,
  listIntervals,
  listNotes,
  setReviewSettings,
} from '../store/review-store.ts';
import { listWorklist, worklistQueues } from '../store/worklist.ts';
import { setTriageSettings, triageSettings } from '../store/triage-store.ts';
import { filteredSignalWindow, recordPredictions } from '../workspace/analyse-record.ts';
import { cancelTrainingRun, listTrainingRuns, startTrainingRun } from '../workspace/training-runs.ts';
import { cancelLabelErrorRun, listLabelErrorRuns, startLabelErrorRun } from '../workspace/label-error-runs.ts';
import { cancelExplainRun, listExplainRuns, readExplainReportFile, startExplainRun } from '../workspace/explain-runs.ts';
import { compareLeadSets, leadSetView, parseLeadSets } from '../workspace/compare-lead-sets.ts';
import { parseMethod } from '../explain/saliency/methods.ts';
import { modelReview } from '../workspace/review-model.ts';
import { getModelInfo, listModels } from '../store/model-store.ts';
import { ARCHITECTURES } from '../ml/models/model.ts';
import { compareSaliency, saliencyMap } from '../workspace/read-saliency.ts';
import { listRecordSaliency } from '../store/saliency-store.ts';
import type { Workspace } from '../store/workspace.ts';
import { createAnalysisPool, type AnalysisPool } from '../workspace/analysis-pool.ts';
import { trainInWorkspace } from '../workspace/train-model.ts';
import { trainInWorker } from '../workspace/train-model-in-worker.ts';
import { exportDataset } from '../workspace/export-dataset.ts';
import { checkSelectionName, checkTag } from '../../src-shared/selection-query.ts';
import {
  addTag,
  getSelection,
  listSelections,
  listTags,
  recordTags,
  removeTag,
  saveSelection,
  selectRecordIds,
} from '../store/selection-store.ts';
import { evaluateOnSelections } from '../workspace/evaluate-on-selections.ts';
import { LEADLENS_VERSION } from '../version.ts';
import { correctBoundary } from '../store/boundary-store.ts';
import { leadSetsToRefresh } from '../workspace/boundary-rules.ts';
import { recomputeQtcBatch } from '../workspace/qtc-recompute.ts';
import { patientRecords } from '../workspace/patient-records.ts';

export type EventSink = (message: ApiEventMessage) => void;

type Handlers = { [M in ApiMethod]: (params: ApiParams<M>) => ApiResult<M> | Promise<ApiResult<M>> };

/** A request the services refuse: bad params or a missing record. Transports turn it into a client error. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * Errors the stores and use cases throw about the request itself (a missing row, a value out of range): the status
 * each earns. Anything else is a failure of ours (500). Matched on the first line, as errors from the analysis
 * workers arrive as text.
 */
const REQUEST_ERRORS: [RegExp, 400 | 404][] = [
  [/^no (record|note|interval annotation|saliency map|model|training run|saliency run|label-error run) (with id )?\d+/, 404],
  [/^record \d+ has no median beat/, 400],
  [
    /^(unknown|no such|lead set \d+ does not exist|interval \d+\.\.\d+ is not inside|record \d+ has no lead|a note needs|too many label shortcuts|label shortcut|screen calibration)/,
    400,
  ],
  [/^no saved selection named/, 404],
  [/^(a selection named .* exists already|selection '[^']*': |selection \w+ |tag ')/, 400],
];

export function requestErrorStatus(message: string): 400 | 404 | undefined {
  return REQUEST_ERRORS.find(([re]) => re.test(message))?.[1];
}

export interface Services {
  /** Validates the params, then runs the method. Throws ApiError for bad requests. */
  call(method: ApiMethod, params: unknown): Promise<unknown>;
}

function selectionInfos(ws: Workspace): SelectionInfo[] {
  return listSelections(ws.db).map((s) => ({
    id: s.id,
    name: s.name,
    description: s.description,
    records: selectRecordIds(ws.db, s.query).length,
    author: s.author,
    updatedAt: s.updatedAt,
  }));
}

/** Blind mode hides the record's other reviewers' labels from `reviewer` until they have submitted it. */
function blindFor(ws: Workspace, recordId: number, reviewer: string | undefined): boolean {
  return reviewer !== undefined && getReviewSettings(ws.db).blind && !hasSubmitted(ws.db, recordId, reviewer);
}

function recordDetail(ws: Workspace, id: number, reviewer?: string): RecordDetail {
  const summary = getRecordSummary(ws.db, id);
  const fields = getRecordDetailFields(ws.db, id);
  if (!summary || !fields) throw new ApiError(`no record with id ${id}`, 404);
  const reviewers = reviewerReviews(ws.db, id);
  if (!blindFor(ws, id, reviewer)) return { ...summary, ...fields, labelHistory: labelHistory(ws.db, id), reviewers };
  return {
    ...summary,
    ...fields,
    labels: effectiveLabels(ws.db, id, reviewer),
    labelHistory: labelHistory(ws.db, id).filter((l) => l.sourceKind !== 'annotator' || l.author === reviewer),
    reviewers,
    blind: true,
  };
}

/** A worklist page as `reviewer` may see it: in blind mode, unsubmitted records carry only their own and the dataset's labels. */
function worklistFor(ws: Workspace, q: WorklistQuery): { total: number; records: RecordSummary[] } {
  const { reviewer, ...query } = q;
  const blind = reviewer !== undefined && getReviewSettings(ws.db).blind;
  const page = listWorklist(ws.db, query, blind ? reviewer : undefined);
  if (!blind) return page;
  const seen = submittedAmong(
    ws.db,
    page.records.map((r) => r.id),
    reviewer,
  );
  return { ...page, records: page.records.map((r) => (seen.has(r.id) ? r : { ...r, labels: effectiveLabels(ws.db, r.id, reviewer) })) };
}

/** Every record id of a worklist query (its queue, filters, selection), in the worklist's order. */
function worklistRecordIds(ws: Workspace, q: WorklistQuery): number[] {
  const { reviewer: _reviewer, offset: _offset, limit: _limit, ...query } = q;
  const ids: number[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = listWorklist(ws.db, { ...query, offset, limit: 1000 }).records.map((r) => r.id);
    ids.push(...page);
    if (page.length < 1000) return ids;
  }
}

/** An analysed span needs enough samples for the filters: at least a second (or the whole of a shorter record). */
function checkAnalysisSpan(ws: Workspace, p: { id: number; start?: number; end?: number }): void {
  const r = getRecordSummary(ws.db, p.id);
  if (!r) throw new ApiError(`no record with id ${p.id}`, 404);
  const length = Math.round(r.durationSeconds * r.samplingRate);
  const start = Math.floor(p.start ?? 0);
  const end = Math.min(length, Math.ceil(p.end ?? length));
  if (start >= length) throw new ApiError(`start ${start} is beyond the record's ${length} samples`);
  if (end - start < Math.min(length, Math.round(r.samplingRate)))
    throw new ApiError(`span ${start}..${end} is shorter than one second; analysis needs at least one`);
}

/**
 * The service objects behind both transports. `transport` only answers workspace.info. Long record work (analysis,
 * rules, predictions after training) goes to `pool`; without one it runs inline.
 */
export function createServices(
  ws: Workspace,
  emit: EventSink,
  transport: 'electron' | 'http',
  pool: AnalysisPool = createAnalysisPool(ws, { size: 0 }),
): Services {
  const requireRecord = (id: number) => {
    if (!getRecordSummary(ws.db, id)) throw new ApiError(`no record with id ${id}`, 404);
  };
  const send = <E extends ApiEventName>(event: E, payload: ApiEvents[E]) => emit({ event, payload } as ApiEventMessage);
  const changed = <T>(recordIds: number[], changes: RecordChange[], result: T): T => {
    send('records.changed', { recordIds, changes });
    return result;
  };
  // The QTc formula's recompute: one at a time, a new formula change cancels the running one and starts again.
  let qtcRecompute: { run: QtcRecomputeRun; abort: AbortController } | undefined;
  const startQtcRecompute = (): void => {
    qtcRecompute?.abort.abort();
    const abort = new AbortController();
    const id = (qtcRecompute?.run.id ?? 0) + 1;
    const entry = {
      run: {
        id,
        formula: getReviewSettings(ws.db).qtcFormula,
        state: 'running',
        startedAt: new Date().toISOString(),
        done: 0,
        total: 0,
        skipped: [],
      } as QtcRecomputeRun,
      abort,
    };
    qtcRecompute = entry;
    void recomputeQtcBatch(ws.db, {
      id,
      signal: abort.signal,
      concurrency: Math.max(1, pool.size),
      recompute: (recordId, leadSet) => pool.run('qtcRules', { id: recordId, leadSet }),
      onProgress: (run) => {
        entry.run = run;
        send('rules.qtcRecompute', run);
      },
    }).then(
      (run) => {
        if (run.done > 0) send('records.changed', { recordIds: [], changes: ['rules'] });
      },
      (e: Error) => {
        entry.run = { ...entry.run, state: 'failed', error: e.message.split('\n')[0] };
        send('rules.qtcRecompute', entry.run);
      },
    );
  };
  const handlers: Handlers = {
    'workspace.info': () => ({
      dir: ws.dir,
      recordCount: recordCount(ws.db),
      schemaVersion: SCHEMA_VERSION,
      version: LEADLENS_VERSION,
      transport,
    }),
    'records.list': (p) => worklistFor(ws, p),
    'worklist.queues': () => worklistQueues(ws.db),
    'records.get': (p) => recordDetail(ws, p.id, p.reviewer),
    'records.signal': (p) => {
      const w = filteredSignalWindow(ws.db, p.id, p.start ?? 0, p.end ?? Number.MAX_SAFE_INTEGER, p.maxPoints ?? 20_000, p.filters ?? []);
      if (!w) throw new ApiError(`no record with id ${p.id}`, 404);
      return w;
    },
    'records.analysis': (p) => {
      checkAnalysisSpan(ws, p);
      return pool.run('analysis', p);
    },
    'rules.forRecord': (p) => {
      if (!isLeadSetSize(p.leadSet)) throw new ApiError(`lead set ${p.leadSet} does not exist (use 12, 6, 4, 3 or 2)`);
      requireRecord(p.id);
      return pool.run('rules', { id: p.id, leadSet: p.leadSet });
    },
    'predictions.forRecord': (p) => {
      requireRecord(p.id);
      return recordPredictions(ws.db, p.id);
    },
    'saliency.list': (p) => {
      requireRecord(p.recordId);
      return listRecordSaliency(ws.db, p.recordId);
    },
    'saliency.get': (p) => saliencyMap(ws.db, p.id),
    'saliency.compare': (p) => compareSaliency(ws.db, p.a, p.b),
    'models.list': () =>
      listModels(ws.db).map((m) => ({ id: m.id, name: m.name, architecture: m.architecture, classes: m.classes, createdAt: m.createdAt })),
    'models.review': (p) => modelReview(ws.db, p.id, p.scope),
    'training.list': () => listTrainingRuns(),
    'training.start': (p) => {
      if (!(ARCHITECTURES as readonly string[]).includes(p.arch))
        throw new ApiError(`unknown architecture '${p.arch}' (one of ${ARCHITECTURES.join(', ')})`);
      if (!isLeadSetSize(p.leads)) throw new ApiError(`lead set ${p.leads} does not exist (use 12, 6, 4, 3 or 2)`);
      if ((p.arch === 'image-cnn') !== (p.layouts !== undefined))
        throw new ApiError(p.arch === 'image-cnn' ? 'image-cnn needs layouts' : 'layouts apply to image-cnn only');
      if (p.validateOn !== undefined && p.trainOn === undefined) throw new ApiError('training.start: validateOn needs trainOn');
      for (const name of [p.trainOn, p.validateOn]) if (name !== undefined) getSelection(ws.db, name);
      return startTrainingRun(ws, p, (run) => send('training.progress', run), {
        train: (req) => (pool.size === 0 ? trainInWorkspace(ws, req) : trainInWorker(ws, req, pool.sqliteBinding)),
        predict: (modelId) => pool.run('predict', { modelId }),
      });
    },
    'training.cancel': (p) => cancelTrainingRun(p.id),
    'labelErrors.list': () => listLabelErrorRuns(),
    'labelErrors.start': (p) => {
      if (!(ARCHITECTURES as readonly string[]).includes(p.arch))
        throw new ApiError(`unknown architecture '${p.arch}' (one of ${ARCHITECTURES.join(', ')})`);
      if (p.selection !== undefined) getSelection(ws.db, p.selection);
      return startLabelErrorRun(ws, p, (run) => send('labelErrors.progress', run));
    },
    'labelErrors.cancel': (p) => cancelLabelErrorRun(p.id),
    'explain.start': (p) => {
      if (p.records && p.queue) throw new ApiError('explain.start: give records or a queue, not both');
      // A queue or a selection: every record of the worklist query, not one page of it.
      const recordIds = p.queue
        ? worklistRecordIds(ws, p.queue)
        : (p.records ?? []).map((r) => {
            if (!/^\d+$/.test(r)) throw new ApiError(`explain.start: records are record ids, got '${r.slice(0, 40)}'`);
            requireRecord(Number(r));
            return Number(r);
          });
      if (recordIds.length === 0) throw new ApiError(`explain.start: no records ${p.queue ? 'in that queue' : 'given'}`);
      if (p.methods.length === 0) throw new ApiError('explain.start: no saliency method given');
      for (const m of p.methods) {
        try {
          parseMethod(m);
        } catch (e) {
          throw new ApiError((e as Error).message);
        }
      }
      getModelInfo(ws.db, p.modelId);
      const { records: _records, queue: _queue, ...req } = p;
      // In the pool's long-task worker, not on this thread: the API keeps answering while maps are made.
      return startExplainRun(
        ws,
        { ...req, recordIds },
        (run) => send('explain.progress', run),
        (_ws, { onProgress, signal, ...params }) => pool.run('explain', params, { onProgress, signal }),
      );
    },
    'explain.cancel': (p) => cancelExplainRun(p.id),
    'explain.list': () => listExplainRuns(),
    'explain.leadSets': async (p) => {
      requireRecord(p.recordId);
      let leadSets;
      try {
        leadSets = parseLeadSets(p.leadSets);
      } catch (e) {
        throw new ApiError((e as Error).message);
      }
      try {
        return leadSetView(await compareLeadSets(ws, { arch: p.arch, leadSets, recordIds: [p.recordId], method: p.method }));
      } catch (e) {
        // No model for the architecture, or a method that does not exist: the request was wrong, not the server.
        const msg = (e as Error).message.split('\n')[0];
        if (/^(no stored|unknown saliency method|unknown baseline)/.test(msg)) throw new ApiError(msg);
        throw e;
      }
    },
    'notes.list': (p) => {
      requireRecord(p.recordId);
      return listNotes(ws.db, p.recordId);
    },
    'notes.add': (p) => changed([p.recordId], ['notes'], addNote(ws.db, p)),
    'notes.delete': (p) => changed([deleteNote(ws.db, p)], ['notes'], { deleted: true as const }),
    'intervals.list': (p) => {
      requireRecord(p.recordId);
      return listIntervals(ws.db, p.recordId);
    },
    'intervals.add': (p) => changed([p.recordId], ['intervals'], addInterval(ws.db, p)),
    'intervals.delete': (p) => changed([deleteInterval(ws.db, p)], ['intervals'], { deleted: true as const }),
    'settings.get': () => getReviewSettings(ws.db),
    'settings.set': (p) => {
      const before = getReviewSettings(ws.db).qtcFormula;
      const next = setReviewSettings(ws.db, p);
      if (next.qtcFormula !== before) startQtcRecompute();
      return next;
    },
    'rules.qtcRecompute': () => qtcRecompute?.run ?? null,
    'rules.qtcRecomputeCancel': (p) => {
      if (!qtcRecompute || qtcRecompute.run.id !== p.id) throw new ApiError(`no QTc recompute run ${p.id}`, 404);
      qtcRecompute.abort.abort();
      return qtcRecompute.run;
    },
    'labels.set': (p) => changed([p.recordId], ['labels'], setAnnotatorLabel(ws.db, p)),
    'records.setReviewState': (p) => changed([p.recordId], ['review-state'], { reviewState: setReviewState(ws.db, p) }),
    'audit.list': ({ reviewer, ...p }) => {
      const entries = listAudit(ws.db, p);
      // Blind mode: the history must not tell what the others labelled on a record this reviewer has not submitted.
      if (reviewer === undefined || !getReviewSettings(ws.db).blind) return entries;
      const hidden = new Map<number, boolean>();
      const hides = (recordId: number) => {
        if (!hidden.has(recordId)) hidden.set(recordId, blindFor(ws, recordId, reviewer));
        return hidden.get(recordId)!;
      };
      return entries.filter((e) => !(e.action.startsWith('label.') && e.actor !== reviewer && e.recordId !== null && hides(e.recordId)));
    },
    'agreement.get': (p) => agreementReport(ws.db, p),
    'explain.reportFile': (p) => readExplainReportFile(p.id, p.name),
    'ingest.paths': async (p) => {
      const inbox = inboxFolders(ws.db);
      const refused = firstUnchosenPath(p.paths, inbox);
      if (refused !== undefined)
        throw new ApiError(`ingest.paths: ${refused} is not an inbox folder or a path chosen in the open dialog`, 403);
      const r = await ingestPaths(ws, p.paths, {
        readers: READERS,
        redactFileText: true,
        confineTo: chosenRoots(inbox),
        onProgress: (done, total, label) => send('progress', { task: 'ingest', done, total, label }),
        onQuarantine: (path, reason) => send('ingest.quarantined', { path, reason }),
      });
      if (r.recordIds.length) send('records.changed', { recordIds: r.recordIds, changes: ['records'] });
      const summary = ingestSummary(r);
      send('ingest.result', { task: 'ingest', ...summary });
      return summary;
    },
    'export.dataset': (p) => {
      if (p.outDir.trim() === '' || !path.isAbsolute(p.outDir))
        throw new ApiError('export.dataset: outDir must be an absolute folder path');
      try {
        return exportDataset(ws, p, (done, total, label) => send('progress', { task: 'export', done, total, label }));
      } catch (e) {
        // What the selection or the folder refuses is the request's fault; anything else stays a server error.
        const msg = (e as Error).message.split('\n')[0];
        if (/^(no stored record|export folder|unknown review state|unknown worklist queue|worklist queue)/.test(msg))
          throw new ApiError(`export.dataset: ${msg}`);
        throw e;
      }
    },
    'records.medianBeats': (p) => {
      requireRecord(p.id);
      return pool.run('medianBeats', { id: p.id });
    },
    'records.deviceBeats': (p) => {
      requireRecord(p.id);
      const beats = getDeviceReading(ws.db, p.id)?.representativeBeats;
      if (!beats) throw new ApiError(`record ${p.id} has no representative beats from its device`, 404);
      return decodeRepresentativeBeats(beats);
    },
    'boundaries.correct': async (p) => {
      // The rule decisions on the old boundaries are dropped with the correction and taken again at once (in the pool).
      const leadSets = leadSetsToRefresh(ws.db, p.recordId);
      const correction = correctBoundary(ws.db, { ...p, offset: p.offset ?? null });
      await pool.run('refreshRules', { id: p.recordId, leadSets });
      return changed([p.recordId], ['boundaries', 'rules'], correction);
    },
    'records.ofPatient': (p) => {
      requireRecord(p.id);
      return patientRecords(ws.db, p.id);
    },
    'selections.list': () => selectionInfos(ws),
    'selections.save': (p) => {
      const { name, author, replace, ...query } = p;
      const bad = checkSelectionName(name);
      if (bad) throw new ApiError(`selections.save: ${bad}`);
      const saved = saveSelection(ws.db, { name, author, replace, query });
      return selectionInfos(ws).find((s) => s.id === saved.id)!;
    },
    'tags.list': () => listTags(ws.db),
    'tags.forRecord': (p) => {
      requireRecord(p.recordId);
      return recordTags(ws.db, p.recordId);
    },
    'tags.add': (p) => {
      requireRecord(p.recordId);
      const bad = checkTag(p.tag);
      if (bad) throw new ApiError(`tags.add: ${bad}`);
      addTag(ws.db, [p.recordId], p.tag, p.author);
      return recordTags(ws.db, p.recordId);
    },
    'tags.remove': (p) => {
      requireRecord(p.recordId);
      removeTag(ws.db, [p.recordId], p.tag, p.author);
      return recordTags(ws.db, p.recordId);
    },
    'models.evaluate': (p) => {
      if (p.selections.length === 0) throw new ApiError('models.evaluate: choose at least one selection');
      return evaluateOnSelections(ws, {
        modelId: p.id,
        selections: p.selections,
        ...(p.rounds ? { rounds: p.rounds } : {}),
        onProgress: (done, total, label) => send('progress', { task: 'evaluate', done, total, label }),
      });
    },
    'records.beatAnnotations': (p) => {
      requireRecord(p.id);
      return beatAnnotations(ws.db, p.id, p.start ?? 0, p.end ?? Number.MAX_SAFE_INTEGER, p.limit ?? 20_000);
    },
    'triage.settings.get': () => triageSettings(ws.db),
    'triage.settings.set': (p) => {
      const classWeights: Record<string, number> = {};
      for (const entry of p.classWeights ?? []) {
        const m = /^\s*([0-9A-Za-z.-]+)\s*=\s*([0-9.]+)\s*$/.exec(entry);
        if (!m || !Number.isFinite(Number(m[2]))) throw new ApiError(`triage.settings.set: '${entry.slice(0, 60)}' is not CODE=WEIGHT`);
        classWeights[m[1]] = Number(m[2]);
      }
      const { author: _author, ...rest } = p;
      try {
        const next = setTriageSettings(ws.db, { ...rest, classWeights });
        send('records.changed', { recordIds: [], changes: ['records'] });
        return next;
      } catch (e) {
        throw new ApiError(`triage.settings.set: ${(e as Error).message.split('\n')[0]}`);
      }
    },
  };
  return {
    async call(method, params) {
      let valid;
      try {
        valid = validateParams(method, params);
      } catch (e) {
        throw new ApiError((e as Error).message);
      }
      try {
        return await (handlers[method] as (p: unknown) => unknown)(valid);
      } catch (e) {
        if (e instanceof ApiError) throw e;
        const msg = ((e as Error).message ?? String(e)).split('\n')[0];
        const status = requestErrorStatus(msg);
        throw new ApiError(status === 404 ? msg : `${method}: ${msg}`, status ?? 500);
      }
    },
  };
}
