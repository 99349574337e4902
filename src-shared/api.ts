// The one API contract. Both transports (Electron IPC and `leadlens serve`) carry exactly these
// requests, responses and pushed events, validated by `validateParams` in main before any service runs.
import type { SelectionEvalResult, SelectionInfo } from './selection-evaluation.ts';
import type { SelectionQuery } from './selection-query.ts';
import type { RuleResult } from './rules.ts';
import type { DeviceBeats, DeviceReadingView } from './record.ts';
import type { DisplayFilter, ReviewState } from './review-vocabulary.ts';
import { IMAGE_INPUT_KINDS, type ImageInputKind } from './image-inputs.ts';
import { BOUNDARY_NAMES, type BoundaryCorrection, type MedianBeats } from './median-beats.ts';
import { QTC_FORMULAS, type QtcFormula } from './qtc.ts';

/** A training run started from the UI. */
export interface TrainingStart {
  arch: string;
  leads: number;
  epochs?: number;
  layouts?: string[];
  input?: ImageInputKind;
  workers?: number;
  /** Saved selections to train and validate on (train --train-on / --validate-on). */
  trainOn?: string;
  validateOn?: string;
  /** 'consensus': train on the reviewers' consensus where they reviewed a record (default: the current labels). */
  labelSource?: 'current' | 'consensus';
  /** Leave out the newest label-error run's suspects: its `suspectedTop` most suspect, else every flagged record. */
  excludeSuspected?: boolean;
  suspectedTop?: number;
}

/** A label-error run started from the UI (leadlens label-errors): out-of-fold training over a selection or every record. */
export interface LabelErrorStart {
  arch: string;
  folds?: number;
  epochs?: number;
  /** A saved selection to rank (default: every labelled record). */
  selection?: string;
}

/** A label-error run of this process, streamed as 'labelErrors.progress'; `runId` is the stored run once finished. */
export interface LabelErrorRunProgress {
  id: number;
  arch: string;
  folds: number;
  epochs: number;
  selection: string | null;
  state: 'running' | 'finished' | 'failed' | 'cancelled';
  startedAt: string;
  /** The phase ('fold 2/5 epoch 3/10', 'rules') and its progress. */
  phase: string;
  done: number;
  total: number;
  runId?: number;
  flagged?: number;
  records?: number;
  error?: string;
}

export interface LabelRef {
  vocabulary: string;
  code: string;
}

export interface RecordSummary {
  id: number;
  recordName: string;
  format: string;
  samplingRate: number;
  durationSeconds: number;
  leadCount: number;
  reviewState: ReviewState;
  sourceCount: number;
  age?: number;
  sex?: string;
  labels: LabelRef[];
  /** In worklist rows: the models' view of the record (triage, suspected label error), when there is one. */
  model?: RecordModelView;
}

/** A worklist row's model columns: the most urgent model triage and the latest label-error run's finding. */
export interface RecordModelView {
  triage?: {
    modelId: number;
    /** null: no weighted class above its threshold. */
    score: number | null;
    classCode: string;
    probability: number;
    threshold: number;
    lowConfidence: boolean;
  };
  labelError?: { runId: number; score: number; reason: string };
}

export interface LabelAssertion {
  id: number;
  vocabulary: string;
  code: string;
  present: boolean;
  sourceKind: 'dataset' | 'annotator' | 'model' | 'rule';
  sourceName: string;
  author: string | null;
  likelihood: number | null;
  isCurrent: boolean;
  supersedes: number | null;
  assertedAt: string;
}

export interface RecordDetail extends RecordSummary {
  patientId?: string;
  startTime?: string;
  attributes: Record<string, string | number>;
  /** The device's own measurements and statements, when the file carried them (its beats: records.deviceBeats). */
  device?: DeviceReadingView;
  /** What the reader worked around when it took the file in. */
  warnings?: string[];
  leads: { name: string; units: string; derived: boolean }[];
  sources: { path: string; format: string; sourceRecordName: string; ingestedAt: string }[];
  /** Every label assertion ever made on the record, newest last. */
  labelHistory: LabelAssertion[];
  /** Each reviewer's own review state. */
  reviewers?: ReviewerReview[];
  /** Blind mode: other reviewers' labels are hidden from the asking reviewer until they submit the record. */
  blind?: boolean;
}

/** One lead of a signal window: what turns its values into millivolts, and the values themselves. */
export type SignalWindowLead = { name: string; units: string; gain: number; baseline: number; derived: boolean } & (
  | { sampleType: 'int16'; values: Int16Array }
  | { sampleType: 'int32'; values: Int32Array }
  /** Display-filtered samples, already millivolts (units 'mV', gain 1, baseline 0). */
  | { sampleType: 'float32'; values: Float32Array }
);

/** A window of every lead, carried as bytes (see BINARY_RESULT_METHODS). `values` are the stored digital values:
 *  raw samples when bucketSize is 1, else interleaved (min, max) per bucket of `bucketSize` samples;
 *  mV = (v - baseline) / gain * unit scale. */
export interface SignalWindow {
  samplingRate: number;
  start: number;
  end: number;
  bucketSize: number;
  leads: SignalWindowLead[];
  /** Display filters applied (raw windows only; a min/max window is never filtered). */
  filters?: DisplayFilter[];
}

export interface WorkspaceInfo {
  dir: string;
  recordCount: number;
  schemaVersion: number;
  version: string;
  transport: 'electron' | 'http';
}

/**
 * What an ingest did with one file it looked at. Stored: 'stored' (new records), 'duplicate' (the same signal is
 * already stored), 'unchanged' (taken in before, size and mtime the same). Not stored: 'companion' (read with its
 * entry file), 'not-ecg', 'quarantined', 'unreadable', 'hidden', 'busy' (database busy or full: the next ingest
 * retries it), 'waiting' (an inbox entry whose companion files have not arrived yet).
 */
export type IngestOutcome =
  'stored' | 'duplicate' | 'unchanged' | 'companion' | 'not-ecg' | 'quarantined' | 'unreadable' | 'hidden' | 'busy' | 'waiting';

export interface IngestFileOutcome {
  path: string;
  outcome: IngestOutcome;
  /** One line: 'stored as record 12', 'companion of JS00001.hea', 'not an ECG format LeadLens reads (first bytes: 89 50 4e 47)'. */
  reason: string;
  recordIds?: number[];
}

export interface IngestSummary {
  files: number;
  newRecords: number;
  duplicates: number;
  quarantined: { path: string; reason: string }[];
  skipped: number;
  /** Entry files not stored because the database stayed busy (or full); the next ingest retries them. */
  failed: number;
  /** Every file looked at, in path order, with its outcome. */
  outcomes: IngestFileOutcome[];
  /** What was taken in only in part, one line each (e.g. 'ptbxl_database.csv: 21484 of 21837 rows have no record files'). */
  warnings: string[];
}

/** What `export.dataset` (and `leadlens export`) wrote. */
export interface ExportSummary {
  outDir: string;
  records: number;
  /** Records that could not be written, with why; the rest of the export is complete. */
  skipped: { recordId: number; reason: string }[];
  files: number;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  recordId: number | null;
  detail: Record<string, unknown>;
}

export interface RecordNote {
  id: number;
  recordId: number;
  author: string;
  text: string;
  createdAt: string;
}

/** A stored annotation at one sample: a beat symbol (N, V, A, ...) or a rhythm/comment mark, from a WFDB annotator. */
export interface BeatAnnotation {
  sample: number;
  symbol: string;
  /** The annotation file's extension (atr for MIT-BIH reference beats). */
  annotator: string;
  /** Rhythm or comment text of a '+' or '"' mark, e.g. "(N". */
  aux?: string;
}

/** A labelled sample range [start, end) on one lead, or on all leads when `lead` is null. */
export interface IntervalAnnotation {
  id: number;
  recordId: number;
  start: number;
  end: number;
  lead: string | null;
  vocabulary: string;
  code: string;
  text: string;
  author: string;
  createdAt: string;
}

export interface ReviewSettings {
  /** Screen calibration: CSS pixels per millimetre on this monitor. */
  pxPerMm: number;
  /** SNOMED codes on label keys in order: 1..9, then two-key chords (src-shared/label-shortcuts.ts). */
  shortcuts: string[];
  /** Heart-rate correction of QT used for QTc and by the prolonged-QTc rule. */
  qtcFormula: QtcFormula;
  /** Blind mode: a reviewer sees the others' labels on a record only after submitting their own. */
  blind: boolean;
  /** After accept, corrected or second opinion, open the next record of the queue. */
  autoAdvance: boolean;
}

export interface WorklistQuery {
  offset?: number;
  limit?: number;
  search?: string;
  /** 'all' | 'new' | 'second-opinion' | 'reviewed' */
  queue?: string;
  /** Records whose current labels include this code. */
  label?: string;
  /** Records with a source of this format (dataset). */
  format?: string;
  leadCount?: number;
  /** One of REVIEW_STATES (src-shared/review-vocabulary.ts); any other value matches no record. */
  reviewState?: string;
  /** The records of one patient (patient id, or the one-way key read from name and birth date). */
  patientId?: string;
  /** 'id' | 'name' | 'duration' | 'leads' | 'age' | 'state' */
  sort?: string;
  descending?: boolean;
  /** A saved selection's name: only the records it selects. */
  selection?: string;
  /** The reviewer asking: in blind mode, records they have not submitted show only their own and the dataset's labels. */
  reviewer?: string;
  /** Only records this reviewer has not submitted yet (their own queue when several reviewers share a workspace). */
  unreviewedBy?: string;
}

export interface WorklistQueue {
  id: string;
  label: string;
  count: number;
  /** Shown instead of the count when the queue has no source yet (e.g. 'no run': label-errors was never run). */
  none?: string;
}

/** Beats and the measurements panel over a span of a record. */
export interface RecordAnalysis {
  samplingRate: number;
  start: number;
  end: number;
  /** R fiducials, record sample indices. */
  beats: number[];
  heartRateBpm: number | null;
  prMs: number | null;
  qrsMs: number | null;
  qtMs: number | null;
  qtcBazettMs: number | null;
  axisDegrees: number | null;
  /** QTc by the workspace's formula (named in qtcFormula). */
  qtcMs?: number | null;
  qtcFormula?: QtcFormula;
  pDurationMs?: number | null;
  /** Why an interval is not measured (AF: no P; flat T in all leads), shown instead of a dash. */
  notMeasurable?: Partial<Record<'pDuration' | 'pr' | 'qrs' | 'qt', string>>;
  /** Each lead's own boundaries on the automatic median beat (the global ones are derived from them). */
  leadBoundaries?: LeadBoundariesMs[];
}

/** One lead's boundaries in ms from R, with a 0-1 confidence per QRS boundary. */
export interface LeadBoundariesMs {
  lead: string;
  qrsOnsetMs: number;
  qrsOffsetMs: number;
  qrsOnsetConfidence: number;
  qrsOffsetConfidence: number;
  /** Whether the lead's QRS was steep enough to take part in the global QRS boundaries. */
  qrsCounted: boolean;
  /** 0-1: how alike its beats are over the QRS (median over beats of the correlation with a quarter of the others). */
  qrsConsistency: number;
  /** Left out of every global boundary: its QRS does not repeat from beat to beat (noise, or an electrode off). */
  leftOut?: boolean;
  /** Absent where the lead's T wave is too flat to delineate. */
  tOffsetMs?: number;
  tAmplitudeMv?: number;
}

/** Each model's probabilities for one record; `predicted` is the probability against the model's threshold. */
export interface RecordPredictions {
  models: { id: number; name: string; classes: string[]; leadSet: string[] }[];
  predictions: { modelId: number; classCode: string; probability: number; predicted: boolean }[];
}

export interface ModelClassReview {
  code: string;
  records: number;
  positives: number;
  f1: number;
  rocAuc: number | null;
  prAuc: number | null;
  /** Record ids behind each confusion cell. */
  cells: { tp: number[]; fp: number[]; fn: number[]; tn: number[] };
  /** (false positive rate, true positive rate) and (recall, precision) by falling threshold. */
  roc: [number, number][];
  pr: [number, number][];
  reliability: { lower: number; upper: number; count: number; meanPredicted: number | null; fractionPositive: number | null }[];
}

/** Which records a model review scores: the model's held-out test split, or every record it has predictions for. */
export type ModelReviewScope = 'test' | 'all';

export interface ModelReview {
  model: { id: number; name: string; architecture: string; createdAt: string; metrics: Record<string, unknown> };
  /** The scope actually used ('all' when the model has no test split, e.g. an imported model). */
  scope: ModelReviewScope;
  classes: ModelClassReview[];
  /** The model's predict runs, newest first: which selection (or all records, or named records) each scored. */
  predictionRuns?: {
    id: number;
    scope: 'selection' | 'all' | 'records';
    selection: string | null;
    records: number;
    stored: number;
    createdAt: string;
  }[];
}

/** A record a batch (predict, explain, rules) could not process, and why (e.g. the leads it lacks). */
export interface SkippedRecord {
  recordId: number;
  recordName: string;
  reason: string;
}

export interface TrainingRun {
  id: number;
  arch: string;
  leads: number;
  state: 'running' | 'finished' | 'failed' | 'cancelled';
  startedAt: string;
  modelId?: number;
  error?: string;
  /** After training: records the new model scored and stored, and those it skipped with the reason. */
  predictions?: { stored: number; skipped: SkippedRecord[] };
  points: { epoch: number; epochs: number; step: number; steps: number; loss: number; validationScore?: number }[];
}

export interface SaliencyMapInfo {
  id: number;
  modelId: number;
  modelName: string;
  method: string;
  baseline: string | null;
  /** Class code the map explains. */
  targetClass: string;
  /** Chart layout for image models, null for signal models. */
  layout: string | null;
  leads: string[];
  samples: number;
  createdAt: string;
}

export interface SaliencyMapData {
  id: number;
  leads: string[];
  samples: number;
  provenance: Record<string, unknown>;
  /** Share of the total attribution per lead. */
  importance: number[];
  /** Leads x samples, row-major; carried as bytes (see BINARY_RESULT_METHODS). */
  map: Float32Array;
}

export interface SaliencyComparison {
  a: number;
  b: number;
  leads: string[];
  leadSpearman: number;
  topKOverlap: number;
  k: number;
  timeProfileCorrelation: Record<string, number>;
  meanTimeProfileCorrelation: number;
  ssim: number;
}

/** A record of the patient, for serial comparison: when it was acquired, when the file says. */
export type PatientRecord = RecordSummary & { startTime?: string };
/** One reviewer's own review state of a record. */
export interface ReviewerReview {
  reviewer: string;
  state: ReviewState;
  updatedAt: string;
}

/** Agreement of the reviewers on one class, over the records at least two of them submitted. */
export interface ClassAgreement {
  code: string;
  /** Records with at least two reviewers' answers. */
  n: number;
  reviewers: number;
  /** Raw agreement: Cohen's observed agreement for two reviewers, Fleiss' mean pair agreement for more. */
  agreement: number;
  kappa: number | null;
  kappaKind: 'cohen' | 'fleiss';
  /** How the consensus was reached: reviewers alone (Dawid-Skene) or with a model's probabilities (CROWDLAB-style). */
  method: 'dawid-skene' | 'crowdlab';
  /** Records the consensus calls present. */
  consensusPositives: number;
}

export interface ReviewerAgreement {
  reviewer: string;
  /** Records this reviewer submitted. */
  records: number;
  /** Over every (record, class) they answered: share equal to the consensus, and Cohen's kappa against it. */
  agreement: number;
  kappa: number | null;
  /** Estimated quality: the consensus model's accuracy of this reviewer, averaged over classes by answers. */
  estimatedAccuracy: number;
}

/** The consensus on one record and class, with its confidence (posterior probability of the consensus answer). */
export interface ConsensusLabel {
  recordId: number;
  code: string;
  present: boolean;
  confidence: number;
}

export interface AgreementReport {
  reviewers: string[];
  /** The model whose probabilities weighted the consensus, if any. */
  modelId: number | null;
  records: number;
  classes: ClassAgreement[];
  reviewerAgreement: ReviewerAgreement[];
  /** Records where submitted reviewers answer a class differently, with those classes. */
  disagreements: { recordId: number; recordName: string; codes: string[] }[];
  consensus: ConsensusLabel[];
}

/**
 * A saliency run from the UI: `records` are record ids (decimal strings), or `queue` a worklist query (a queue, a saved
 * selection) whose every record is explained; layouts default to those the model was trained on.
 */
export interface ExplainStart {
  modelId: number;
  records?: string[];
  queue?: WorklistQuery;
  methods: string[];
  layouts?: string[];
}

/** A file of a saliency run's report (report.json, findings.txt, agreement.svg, ...) and its bytes. */
export interface ExplainReportFile {
  name: string;
  bytes: Uint8Array;
}

/** A saliency run started from the UI, streamed as 'explain.progress' (done/total maps). */
export interface ExplainRun {
  id: number;
  modelId: number;
  methods: string[];
  layouts: string[] | null;
  records: number;
  state: 'running' | 'finished' | 'failed' | 'cancelled';
  startedAt: string;
  done: number;
  total: number;
  maps?: number;
  skipped?: SkippedRecord[];
  /** The audit's finding sentences (one per pair of layouts or methods). */
  findings?: string[];
  /** Maps that failed the randomisation check. */
  sanityFlagged?: number;
  reportDir?: string;
  /** The report's files (report.json first), to open from the UI. */
  reportFiles?: string[];
  /** Agreement per record of each pair of layouts or methods, for the histogram beside the finding. */
  agreement?: { pair: string; values: number[] }[];
  error?: string;
}

/**
 * The stored decisions of the rules that follow the QTc formula, taken again after the setting changed (one record
 * and lead set at a time; each stored result names the formula it used, so a cancelled run leaves nothing stale unnamed).
 */
export interface QtcRecomputeRun {
  id: number;
  formula: QtcFormula;
  state: 'running' | 'finished' | 'cancelled' | 'failed';
  startedAt: string;
  /** Why a failed run stopped (the workspace could not be read); the records done before stay stored. */
  error?: string;
  /** Record and lead set pairs done, of total. */
  done: number;
  total: number;
  /** Of those done: re-decided from the stored evidence (all four QTc values kept there), and measured again. */
  redecided?: number;
  remeasured?: number;
  skipped: SkippedRecord[];
  /** Pairs still on another formula when the run ended (a cancelled run leaves them; a later change restarts). */
  remaining?: number;
}

/** One record scored and explained by the models of one architecture trained on several lead sets. */
export interface LeadSetView {
  arch: string;
  method: string;
  reference: number;
  models: { leadSet: number; modelId: number; name: string; leads: string[] }[];
  /** Lead sets asked for with no stored model. */
  missing: number[];
  classes: string[];
  rows: {
    leadSet: number;
    probabilities: Record<string, number>;
    explainedClass: string | null;
    leadShares: Record<string, number>;
    waveShares: Record<'qrs' | 'p' | 'stT', number> | null;
  }[];
  skipped: (SkippedRecord & { leadSet: number })[];
  findings: string[];
}

/** Every request: its params and its result. */
export interface ApiMethods {
  'workspace.info': { params: Record<string, never>; result: WorkspaceInfo };
  'records.list': { params: WorklistQuery; result: { total: number; records: RecordSummary[] } };
  'worklist.queues': { params: Record<string, never>; result: { queues: WorklistQueue[]; formats: string[]; leadCounts: number[] } };
  /** `reviewer`: who asks (blind mode hides the other reviewers' labels until they submit). */
  'records.get': { params: { id: number; reviewer?: string }; result: RecordDetail };
  'records.signal': { params: { id: number; start?: number; end?: number; maxPoints?: number; filters?: string[] }; result: SignalWindow };
  'records.analysis': { params: { id: number; start?: number; end?: number }; result: RecordAnalysis };
  'rules.forRecord': { params: { id: number; leadSet: number }; result: RuleResult[] };
  'predictions.forRecord': { params: { id: number }; result: RecordPredictions };
  'saliency.list': { params: { recordId: number }; result: SaliencyMapInfo[] };
  'saliency.get': { params: { id: number }; result: SaliencyMapData };
  'saliency.compare': { params: { a: number; b: number }; result: SaliencyComparison };
  'models.list': {
    params: Record<string, never>;
    result: { id: number; name: string; architecture: string; classes: string[]; createdAt: string }[];
  };
  'models.review': { params: { id: number; scope?: ModelReviewScope }; result: ModelReview };
  'training.list': { params: Record<string, never>; result: TrainingRun[] };
  /**
   * `input`: what an image-cnn reads (default chart); `layouts`: the chart layouts it trains on (input chart only);
   * `workers`: gradient worker threads (data-parallel training, default 1).
   */
  'training.start': { params: TrainingStart; result: TrainingRun };
  'training.cancel': { params: { id: number }; result: TrainingRun };
  'labelErrors.start': { params: LabelErrorStart; result: LabelErrorRunProgress };
  'labelErrors.cancel': { params: { id: number }; result: LabelErrorRunProgress };
  'labelErrors.list': { params: Record<string, never>; result: LabelErrorRunProgress[] };
  'explain.start': { params: ExplainStart; result: ExplainRun };
  'explain.cancel': { params: { id: number }; result: ExplainRun };
  'explain.list': { params: Record<string, never>; result: ExplainRun[] };
  /** The latest QTc recompute (started by settings.set changing the formula), null before any. */
  'rules.qtcRecompute': { params: Record<string, never>; result: QtcRecomputeRun | null };
  'rules.qtcRecomputeCancel': { params: { id: number }; result: QtcRecomputeRun };
  /** `leadSets`: sizes separated by commas, the first the reference (e.g. '12,6,4,3,2'). */
  'explain.leadSets': { params: { recordId: number; arch: string; leadSets: string; method?: string }; result: LeadSetView };
  'notes.list': { params: { recordId: number }; result: RecordNote[] };
  'notes.add': { params: { recordId: number; text: string; author: string }; result: RecordNote };
  'notes.delete': { params: { id: number; author: string }; result: { deleted: true } };
  'intervals.list': { params: { recordId: number }; result: IntervalAnnotation[] };
  'intervals.add': {
    params: {
      recordId: number;
      start: number;
      end: number;
      lead?: string;
      vocabulary: string;
      code: string;
      text?: string;
      author: string;
    };
    result: IntervalAnnotation;
  };
  'intervals.delete': { params: { id: number; author: string }; result: { deleted: true } };
  'settings.get': { params: Record<string, never>; result: ReviewSettings };
  'settings.set': {
    params: { pxPerMm?: number; shortcuts?: string[]; qtcFormula?: QtcFormula; blind?: boolean; autoAdvance?: boolean; author: string };
    result: ReviewSettings;
  };
  'labels.set': {
    params: { recordId: number; vocabulary: string; code: string; present: boolean; author: string };
    result: LabelAssertion;
  };
  'records.setReviewState': { params: { recordId: number; state: string; author: string }; result: { reviewState: ReviewState } };
  /** `reviewer`: who asks (blind mode hides the other reviewers' label changes on records they have not submitted). */
  'audit.list': { params: { recordId?: number; limit?: number; reviewer?: string }; result: AuditEntry[] };
  'ingest.paths': { params: { paths: string[] }; result: IngestSummary };
  /** Writes the records the filters select (all must hold) as a WFDB dataset into outDir, a new or empty folder. */
  'export.dataset': {
    params: {
      outDir: string;
      labels?: string[];
      formats?: string[];
      reviewStates?: string[];
      reviewer?: string;
      records?: string[];
      queue?: string;
      folds?: number;
      seed?: number;
      /** labels.csv and the headers' Dx: the current labels (default) or the reviewers' consensus where they reviewed. */
      labelSource?: 'current' | 'consensus';
    };
    result: ExportSummary;
  };
  /** Each lead's median beat with the automatic and corrected global boundaries and the measurements on both. */
  'records.medianBeats': { params: { id: number }; result: MedianBeats };
  /** The device's own representative beat per lead (GE median, Philips repbeat); 404 when the file carried none. */
  'records.deviceBeats': { params: { id: number }; result: DeviceBeats };
  /** Moves one global boundary to `offset` samples from R; without `offset`, puts the automatic boundary back. */
  'boundaries.correct': {
    params: { recordId: number; boundary: string; offset?: number; author: string };
    result: BoundaryCorrection;
  };
  /** The records sharing this record's patient id (itself included), oldest first; only itself when it has none. */
  'records.ofPatient': { params: { id: number }; result: { patientId: string | null; records: PatientRecord[] } };
  'selections.list': { params: Record<string, never>; result: SelectionInfo[] };
  /** Saves a named record query (every field narrows it); `replace` overwrites a selection of that name. */
  'selections.save': {
    params: SelectionQuery & { name: string; author: string; replace?: boolean };
    result: SelectionInfo;
  };
  'tags.list': { params: Record<string, never>; result: { tag: string; records: number }[] };
  'tags.forRecord': { params: { recordId: number }; result: string[] };
  'tags.add': { params: { recordId: number; tag: string; author: string }; result: string[] };
  'tags.remove': { params: { recordId: number; tag: string; author: string }; result: string[] };
  /** A model on saved selections side by side, with 95 % bootstrap intervals; stored with the model version. */
  'models.evaluate': { params: { id: number; selections: string[]; rounds?: number }; result: SelectionEvalResult };
  /** Stored beat annotations with start <= sample < end (default the whole record), at most `limit` (default 20,000). */
  'records.beatAnnotations': { params: { id: number; start?: number; end?: number; limit?: number }; result: BeatAnnotation[] };
  /** The triage queue's class weights (0 = never flags) and low-confidence margin. */
  'triage.settings.get': { params: Record<string, never>; result: TriageSettingsView };
  /** classWeights: 'CODE=WEIGHT' entries, merged into the current weights; every model's predictions are re-triaged. */
  'triage.settings.set': {
    params: { classWeights?: string[]; defaultWeight?: number; lowConfidenceMargin?: number; author: string };
    result: TriageSettingsView;
  };
  /** Reviewer agreement per class and reviewer, the disagreements and the consensus (weighted by `modelId`'s probabilities). */
  'agreement.get': { params: { modelId?: number }; result: AgreementReport };
  /**
   * One file of a finished saliency run's report, by its name as the run lists it (reportFiles): the page opens it
   * through the API, as a page served by `leadlens serve` cannot open file:// links. Carried as bytes.
   */
  'explain.reportFile': { params: { id: number; name: string }; result: ExplainReportFile };
}
export type ApiMethod = keyof ApiMethods;

export interface TriageSettingsView {
  classWeights: Record<string, number>;
  defaultWeight: number;
  lowConfidenceMargin: number;
}

/**
 * Methods whose results carry samples as typed arrays. Both transports send them as bytes (`encodeBinaryResult`
 * in binary-result.ts): an ArrayBuffer over Electron IPC, an `application/octet-stream` response over `serve`.
 * Every other result is JSON.
 */
export const BINARY_RESULT_METHODS = [
  'records.signal',
  'saliency.get',
  'records.medianBeats',
  'records.deviceBeats',
  'explain.reportFile',
] as const satisfies readonly ApiMethod[];
export type BinaryResultMethod = (typeof BINARY_RESULT_METHODS)[number];
export function hasBinaryResult(method: ApiMethod): method is BinaryResultMethod {
  return (BINARY_RESULT_METHODS as readonly string[]).includes(method);
}
export type ApiParams<M extends ApiMethod> = ApiMethods[M]['params'];
export type ApiResult<M extends ApiMethod> = ApiMethods[M]['result'];

/** What a change to records touched, so each view reloads only that: 'records' is records added or given a new source. */
export type RecordChange = 'labels' | 'review-state' | 'notes' | 'intervals' | 'records' | 'boundaries' | 'rules';

/** Events pushed from main to every connected renderer. */
export interface ApiEvents {
  progress: { task: string; done: number; total: number; label?: string };
  /** After every write to records, from any window or the inbox watcher: the one signal views reload on. */
  'records.changed': { recordIds: number[]; changes: RecordChange[] };
  'ingest.quarantined': { path: string; reason: string };
  /** A finished ingest (ingest.paths or a batch of the watched inbox), every file with its outcome. */
  'ingest.result': IngestSummary & { task: 'ingest' | 'inbox' };
  'training.progress': TrainingRun;
  'labelErrors.progress': LabelErrorRunProgress;
  'explain.progress': ExplainRun;
  'rules.qtcRecompute': QtcRecomputeRun;
}
export type ApiEventName = keyof ApiEvents;
export interface ApiEventMessage<E extends ApiEventName = ApiEventName> {
  event: E;
  payload: ApiEvents[E];
}

/** What the renderer talks to; implemented by the preload bridge and by the HTTP/WebSocket client. */
export interface ApiClient {
  call<M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResult<M>>;
  onEvent(listener: (message: ApiEventMessage) => void): () => void;
}

// --- validation -------------------------------------------------------------------------------

type FieldType = 'int' | 'number' | 'string' | 'boolean' | 'string[]' | 'object';
interface FieldSpec {
  type: FieldType;
  /** An object's own fields (type 'object'), checked like params. */
  fields?: Record<string, FieldSpec>;
  optional?: boolean;
  min?: number;
  max?: number;
  maxLength?: number;
  /** A string with fewer non-blank characters is refused (an empty label code or author). */
  minLength?: number;
  /** A string that must be one of these. */
  oneOf?: readonly string[];
}

const id: FieldSpec = { type: 'int', min: 1 };
const author: FieldSpec = { type: 'string', minLength: 1, maxLength: 200 };
const code: FieldSpec = { type: 'string', minLength: 1, maxLength: 64 };

/** A worklist query's fields (records.list; a queue or selection to explain). */
const worklistQueryFields: Record<keyof WorklistQuery, FieldSpec> = {
  offset: { type: 'int', optional: true, min: 0 },
  limit: { type: 'int', optional: true, min: 1, max: 10_000 },
  search: { type: 'string', optional: true, maxLength: 200 },
  queue: { type: 'string', optional: true, maxLength: 32 },
  label: { ...code, optional: true },
  format: { type: 'string', optional: true, maxLength: 64 },
  leadCount: { type: 'int', optional: true, min: 1, max: 64 },
  reviewState: { type: 'string', optional: true, maxLength: 32 },
  patientId: { type: 'string', optional: true, maxLength: 128 },
  sort: { type: 'string', optional: true, maxLength: 16 },
  descending: { type: 'boolean', optional: true },
  selection: { type: 'string', optional: true, maxLength: 64 },
  reviewer: { ...author, optional: true },
  unreviewedBy: { ...author, optional: true },
};

/** Shape of every method's params; anything else (extra fields, wrong types, huge strings) is refused. */
export const API_PARAM_SPECS: { [M in ApiMethod]: Record<keyof ApiParams<M> & string, FieldSpec> } = {
  'workspace.info': {},
  'records.list': worklistQueryFields,
  'worklist.queues': {},
  'records.get': { id, reviewer: { ...author, optional: true } },
  'records.signal': {
    id,
    start: { type: 'number', optional: true, min: 0 },
    end: { type: 'number', optional: true, min: 0 },
    maxPoints: { type: 'int', optional: true, min: 16, max: 1_000_000 },
    filters: { type: 'string[]', optional: true, maxLength: 16 },
  },
  'records.analysis': { id, start: { type: 'number', optional: true, min: 0 }, end: { type: 'number', optional: true, min: 0 } },
  'rules.forRecord': { id, leadSet: { type: 'int', min: 2, max: 12 } },
  'predictions.forRecord': { id },
  'saliency.list': { recordId: id },
  'saliency.get': { id },
  'saliency.compare': { a: id, b: id },
  'models.list': {},
  'models.review': { id, scope: { type: 'string', optional: true, oneOf: ['test', 'all'] } },
  'training.list': {},
  'training.start': {
    arch: { type: 'string', minLength: 1, maxLength: 32 },
    leads: { type: 'int', min: 2, max: 12 },
    epochs: { type: 'int', optional: true, min: 1, max: 500 },
    layouts: { type: 'string[]', optional: true, maxLength: 32 },
    input: { type: 'string', optional: true, oneOf: IMAGE_INPUT_KINDS },
    workers: { type: 'int', optional: true, min: 1, max: 8 },
    trainOn: { type: 'string', optional: true, minLength: 1, maxLength: 64 },
    validateOn: { type: 'string', optional: true, minLength: 1, maxLength: 64 },
    labelSource: { type: 'string', optional: true, oneOf: ['current', 'consensus'] },
    excludeSuspected: { type: 'boolean', optional: true },
    suspectedTop: { type: 'int', optional: true, min: 1, max: 1_000_000 },
  },
  'training.cancel': { id },
  'labelErrors.start': {
    arch: { type: 'string', minLength: 1, maxLength: 32 },
    folds: { type: 'int', optional: true, min: 3, max: 20 },
    epochs: { type: 'int', optional: true, min: 1, max: 500 },
    selection: { type: 'string', optional: true, minLength: 1, maxLength: 64 },
  },
  'labelErrors.cancel': { id },
  'labelErrors.list': {},
  'explain.start': {
    modelId: id,
    records: { type: 'string[]', optional: true, maxLength: 20 },
    queue: { type: 'object', optional: true, fields: worklistQueryFields },
    methods: { type: 'string[]', maxLength: 64 },
    layouts: { type: 'string[]', optional: true, maxLength: 32 },
  },
  'explain.cancel': { id },
  'explain.list': {},
  'rules.qtcRecompute': {},
  'rules.qtcRecomputeCancel': { id },
  'explain.leadSets': {
    recordId: id,
    arch: { type: 'string', minLength: 1, maxLength: 32 },
    leadSets: { type: 'string', minLength: 1, maxLength: 32 },
    method: { type: 'string', optional: true, maxLength: 64 },
  },
  'notes.list': { recordId: id },
  'notes.add': { recordId: id, text: { type: 'string', minLength: 1, maxLength: 10_000 }, author },
  'notes.delete': { id, author },
  'intervals.list': { recordId: id },
  'intervals.add': {
    recordId: id,
    start: { type: 'int', min: 0 },
    end: { type: 'int', min: 1 },
    lead: { type: 'string', optional: true, maxLength: 16 },
    vocabulary: code,
    code,
    text: { type: 'string', optional: true, maxLength: 2000 },
    author,
  },
  'intervals.delete': { id, author },
  'settings.get': {},
  'settings.set': {
    pxPerMm: { type: 'number', optional: true, min: 1, max: 40 },
    shortcuts: { type: 'string[]', optional: true, maxLength: 64 },
    qtcFormula: { type: 'string', optional: true, oneOf: QTC_FORMULAS },
    blind: { type: 'boolean', optional: true },
    autoAdvance: { type: 'boolean', optional: true },
    author,
  },
  'labels.set': { recordId: id, vocabulary: code, code, present: { type: 'boolean' }, author },
  'records.setReviewState': { recordId: id, state: { type: 'string', minLength: 1, maxLength: 32 }, author },
  'audit.list': {
    recordId: { type: 'int', optional: true, min: 1 },
    limit: { type: 'int', optional: true, min: 1, max: 10_000 },
    reviewer: { ...author, optional: true },
  },
  'ingest.paths': { paths: { type: 'string[]', maxLength: 4096 } },
  'export.dataset': {
    outDir: { type: 'string', maxLength: 4096 },
    labels: { type: 'string[]', optional: true, maxLength: 64 },
    formats: { type: 'string[]', optional: true, maxLength: 64 },
    reviewStates: { type: 'string[]', optional: true, maxLength: 32 },
    reviewer: { ...author, optional: true },
    records: { type: 'string[]', optional: true, maxLength: 200 },
    queue: { type: 'string', optional: true, maxLength: 32 },
    folds: { type: 'int', optional: true, min: 2, max: 100 },
    seed: { type: 'int', optional: true, min: 1 },
    labelSource: { type: 'string', optional: true, oneOf: ['current', 'consensus'] },
  },
  'records.medianBeats': { id },
  'records.deviceBeats': { id },
  'boundaries.correct': {
    recordId: id,
    boundary: { type: 'string', oneOf: BOUNDARY_NAMES },
    offset: { type: 'int', optional: true, min: -100_000, max: 100_000 },
    author,
  },
  'records.ofPatient': { id },
  'selections.list': {},
  'selections.save': {
    name: { type: 'string', minLength: 1, maxLength: 64 },
    author,
    replace: { type: 'boolean', optional: true },
    sources: { type: 'string[]', optional: true, maxLength: 64 },
    folders: { type: 'string[]', optional: true, maxLength: 4096 },
    labels: { type: 'string[]', optional: true, maxLength: 64 },
    reviewStates: { type: 'string[]', optional: true, maxLength: 32 },
    reviewer: { ...author, optional: true },
    ingestedFrom: { type: 'string', optional: true, maxLength: 40 },
    ingestedTo: { type: 'string', optional: true, maxLength: 40 },
    tags: { type: 'string[]', optional: true, maxLength: 64 },
    patientIds: { type: 'string[]', optional: true, maxLength: 200 },
    records: { type: 'string[]', optional: true, maxLength: 200 },
  },
  'tags.list': {},
  'tags.forRecord': { recordId: id },
  'tags.add': { recordId: id, tag: { type: 'string', minLength: 1, maxLength: 64 }, author },
  'tags.remove': { recordId: id, tag: { type: 'string', minLength: 1, maxLength: 64 }, author },
  'models.evaluate': {
    id,
    selections: { type: 'string[]', maxLength: 64 },
    rounds: { type: 'int', optional: true, min: 10, max: 10_000 },
  },
  'records.beatAnnotations': {
    id,
    start: { type: 'number', optional: true, min: 0 },
    end: { type: 'number', optional: true, min: 0 },
    limit: { type: 'int', optional: true, min: 1, max: 100_000 },
  },
  'triage.settings.get': {},
  'triage.settings.set': {
    classWeights: { type: 'string[]', optional: true, maxLength: 80 },
    defaultWeight: { type: 'number', optional: true, min: 0, max: 100 },
    lowConfidenceMargin: { type: 'number', optional: true, min: 0, max: 0.49 },
    author,
  },
  'agreement.get': { modelId: { ...id, optional: true } },
  'explain.reportFile': { id, name: { type: 'string', minLength: 1, maxLength: 255 } },
};

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(API_PARAM_SPECS, name);
}

function checkField(name: string, spec: FieldSpec, v: unknown): string | undefined {
  switch (spec.type) {
    case 'int':
    case 'number':
      // Integers past 2^53 are not exact and SQLite refuses some of them: they are no integers here either.
      if (typeof v !== 'number' || !Number.isFinite(v) || (spec.type === 'int' && !Number.isSafeInteger(v)))
        return `${name} must be ${spec.type === 'int' ? 'an integer' : 'a number'}`;
      if (spec.min !== undefined && v < spec.min) return `${name} must be >= ${spec.min}`;
      if (spec.max !== undefined && v > spec.max) return `${name} must be <= ${spec.max}`;
      return undefined;
    case 'string':
      if (typeof v !== 'string') return `${name} must be a string`;
      if (spec.maxLength !== undefined && v.length > spec.maxLength) return `${name} is longer than ${spec.maxLength} characters`;
      if (spec.minLength !== undefined && v.trim().length < spec.minLength) return `${name} must not be empty`;
      if (spec.oneOf && !spec.oneOf.includes(v)) return `${name} must be one of ${spec.oneOf.join(', ')}`;
      return undefined;
    case 'boolean':
      return typeof v === 'boolean' ? undefined : `${name} must be true or false`;
    case 'string[]':
      if (!Array.isArray(v) || v.length > 1000 || !v.every((s) => typeof s === 'string' && s.length <= (spec.maxLength ?? 4096)))
        return `${name} must be a list of at most 1000 strings`;
      return undefined;
    case 'object': {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${name} must be an object`;
      const fields = spec.fields ?? {};
      for (const key of Object.keys(v))
        if (!Object.prototype.hasOwnProperty.call(fields, key)) return `${name}: unknown field '${key.slice(0, 40)}'`;
      for (const [field, f] of Object.entries(fields)) {
        const fv = (v as Record<string, unknown>)[field];
        const err =
          fv === undefined ? (f.optional ? undefined : `${name}: missing field '${field}'`) : checkField(`${name}.${field}`, f, fv);
        if (err) return err;
      }
      return undefined;
    }
  }
}

/** Checks params against the method's spec; returns them typed, or throws one line saying what is wrong. */
export function validateParams<M extends ApiMethod>(method: M, params: unknown): ApiParams<M> {
  const spec = API_PARAM_SPECS[method] as Record<string, FieldSpec>;
  const p = params ?? {};
  if (typeof p !== 'object' || Array.isArray(p)) throw new Error(`${method}: params must be an object`);
  for (const key of Object.keys(p)) {
    if (!Object.prototype.hasOwnProperty.call(spec, key)) throw new Error(`${method}: unknown parameter '${key.slice(0, 40)}'`);
  }
  for (const [name, f] of Object.entries(spec)) {
    const v = (p as Record<string, unknown>)[name];
    if (v === undefined) {
      if (!f.optional) throw new Error(`${method}: missing parameter '${name}'`);
      continue;
    }
    const err = checkField(name, f, v);
    if (err) throw new Error(`${method}: ${err}`);
  }
  return p as ApiParams<M>;
}
