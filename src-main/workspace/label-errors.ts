// `leadlens label-errors` and the worklist's "Suspected label error" queue: out-of-fold probabilities from k-fold
// training over the labelled records (patient-grouped folds), combined with the clinical rules' decisions as a
// calibrated second opinion (rule-second-opinion.ts; stored rule results, else the rules run on the record), then
// confident-learning scores per record and class (challenge-equivalent classes merged), each flagged record's reason in
// words with the rules that moved it; stored as one run. Records without labels or without the lead set are skipped with the reason.
import type { SkippedRecord } from '../../src-shared/api.ts';
import type { RuleResult } from '../../src-shared/rules.ts';
import { labelQuality, type LabelErrorRanking } from '../../src-shared/label-quality/confident-learning.ts';
import { labelErrorReason, type RuleFinding } from '../../src-shared/label-quality/label-error-reason.ts';
import { ruleSecondOpinion, type ClassSecondOpinion, type RuleScope } from '../../src-shared/label-quality/rule-second-opinion.ts';
import { LEAD_SETS, isLeadSetSize, missingLeads, type LeadSetSize } from '../../src-shared/lead-sets.ts';
import { STANDARD_LEADS } from '../../src-shared/record.ts';
import { frequentCodes } from '../ml/dataset.ts';
import { targetsFor } from '../ml/input-pipeline.ts';
import { challengeWeightsTable, equivalentCodes } from '../ml/metrics/challenge-metric.ts';
import { isArchitecture } from '../ml/models/index.ts';
import { ARCHITECTURES } from '../ml/models/model.ts';
import { readsImages } from '../ml/open-model.ts';
import { outOfFoldProbabilities } from '../ml/out-of-fold.ts';
import type { TrainProgress } from '../ml/train.ts';
import { flaggedLabelErrors, saveLabelErrorRun } from '../store/label-error-store.ts';
import { runRules } from '../rules/run-rules.ts';
import { ruleResultsForRecord } from '../store/rule-store.ts';
import { resolveSelection } from '../store/selection-store.ts';
import type { Workspace } from '../store/workspace.ts';
import { workspaceRecords } from './labelled-records.ts';
import { DEFAULT_INPUT } from './train-model.ts';

export interface LabelErrorRequest {
  arch: string;
  leads?: number;
  folds?: number;
  seed?: number;
  epochs?: number;
  classes?: string[];
  ranking?: LabelErrorRanking;
  /** A saved selection to rank (default: every record). */
  selection?: string;
  /** Rules phase progress (records whose rule decisions were read or computed). */
  onRules?: (done: number, total: number) => void;
  /** Which rule decisions second the model: every rule (default), only those covering the class, or none. */
  rules?: RuleScope | 'none';
  weightsCsv?: string;
  workers?: number;
  signal?: AbortSignal;
  onProgress?: (label: string, e: TrainProgress) => void;
}

export interface LabelErrorSummary {
  runId: number;
  records: number;
  flagged: number;
  classes: string[];
  thresholds: Record<string, number | null>;
  foldScores: number[];
  metricName: string;
  backend: string;
  skipped: SkippedRecord[];
  /** Per class, how far each rule was trusted (log-odds when positive / negative), fitted on this run's data. */
  ruleOpinion: ClassSecondOpinion[];
  /** Records whose rule decisions were computed for this run (no stored results for the lead set). */
  rulesRun: number;
  /** The most suspect records, first 20. */
  top: Array<{ recordId: number; recordName: string; score: number; reason: string }>;
}

export const LABEL_ERROR_DEFAULTS = { folds: 5, seed: 1, epochs: 10 };

export async function rankLabelErrors(ws: Workspace, req: LabelErrorRequest): Promise<LabelErrorSummary> {
  if (!isArchitecture(req.arch)) throw new Error(`unknown architecture '${req.arch}' (expected ${ARCHITECTURES.join(', ')})`);
  if (readsImages(req.arch)) throw new Error(`label-errors trains signal models; ${req.arch} reads images (use small-cnn, resnet-se, ...)`);
  const leads = req.leads ?? 12;
  if (!isLeadSetSize(leads)) throw new Error(`--leads must be 12, 6, 4, 3 or 2, got ${leads}`);
  const folds = req.folds ?? LABEL_ERROR_DEFAULTS.folds;
  const seed = req.seed ?? LABEL_ERROR_DEFAULTS.seed;
  const epochs = req.epochs ?? LABEL_ERROR_DEFAULTS.epochs;
  const weights = challengeWeightsTable(req.weightsCsv);
  const equivalent = equivalentCodes(weights);
  const canonical = (c: string): string => equivalent[c] ?? c;
  const leadSet = [...LEAD_SETS[leads]];
  const skipped: SkippedRecord[] = [];
  const chosen = req.selection === undefined ? undefined : resolveSelection(ws.db, req.selection);
  if (chosen && chosen.recordIds.length === 0) throw new Error(`selection '${req.selection}' selects no record`);
  const usable = workspaceRecords(ws.db, chosen?.recordIds).filter((r) => {
    const missing = missingLeads(r.item.record, leadSet);
    if (r.item.codes.length === 0) skipped.push({ recordId: r.recordId, recordName: r.item.record.recordName, reason: 'no SNOMED labels' });
    else if (missing.length)
      skipped.push({ recordId: r.recordId, recordName: r.item.record.recordName, reason: `lacks lead ${missing.join(', ')}` });
    else return true;
    return false;
  });
  const classes = req.classes
    ? [...new Set(req.classes.map(canonical))]
    : frequentCodes(
        usable.map((r) => r.item),
        20,
        equivalent,
      )
        .map((c) => c.code)
        .slice(0, 10);
  if (classes.length === 0) throw new Error('no class has 20 or more labelled records in this workspace; pass --classes');
  if (usable.length < folds * 4)
    throw new Error(`only ${usable.length} labelled records with the ${leads}-lead set: too few for ${folds} folds`);
  const oof = await outOfFoldProbabilities({
    records: usable.map((r) => r.item),
    classes,
    equivalent,
    arch: req.arch,
    spec: { ...DEFAULT_INPUT, leads: [...STANDARD_LEADS], activeLeads: leadSet, padShort: true },
    folds,
    seed,
    epochs,
    challengeWeights: weights,
    workers: req.workers,
    signal: req.signal,
    onProgress: req.onProgress,
  });
  const n = usable.length;
  const k = classes.length;
  const labels = new Uint8Array(n * k);
  usable.forEach((r, i) => labels.set(targetsFor(r.item.codes, classes, equivalent), i * k));
  const scope = req.rules ?? 'all';
  let rulesRun = 0;
  const leadSize: LeadSetSize = leads;
  const findings: RuleFinding[][] = [];
  for (const [i, r] of usable.entries()) {
    findings.push(scope === 'none' ? [] : await ruleFindingsOf(r));
    req.onRules?.(i + 1, usable.length);
    if (req.signal?.aborted) throw new Error('label-error run cancelled');
  }
  async function ruleFindingsOf(r: (typeof usable)[number]): Promise<RuleFinding[]> {
    // Yield between records: running the rules on hundreds of records must not stall the API's event loop.
    await new Promise((done) => setImmediate(done));
    let results: Array<Pick<RuleResult, 'detectorId' | 'decision' | 'codes' | 'evidence'>> = ruleResultsForRecord(
      ws.db,
      r.recordId,
      leadSize,
    );
    if (results.length === 0) {
      results = runRules(r.item.record, leadSize);
      rulesRun++;
    }
    return results.map((x) => ({
      detectorId: x.detectorId,
      decision: x.decision,
      codes: x.codes.map((c) => c.code),
      heartRateBpm: x.evidence.measurements?.heartRateBpm ?? null,
    }));
  }
  const opinion =
    scope === 'none'
      ? undefined
      : ruleSecondOpinion(oof.probabilities, labels, n, classes, (i) => findings[i], oof.foldOf, canonical, scope);
  const quality = labelQuality(opinion?.probabilities ?? oof.probabilities, labels, n, k, req.ranking);
  const thresholds = Array.from(quality.thresholds, (t) => (Number.isNaN(t) ? null : t));
  const runId = saveLabelErrorRun(
    ws.db,
    {
      architecture: req.arch,
      folds,
      seed,
      epochs,
      classes,
      thresholds,
      foldScores: oof.foldScores,
      skipped,
      ruleOpinion: opinion?.classes ?? null,
      rules: scope,
    },
    usable.map((r, i) => {
      const q = quality.records[i];
      return {
        recordId: r.recordId,
        fold: oof.foldOf[i],
        score: q.score,
        flagged: q.flagged,
        reason: labelErrorReason(
          q,
          classes,
          findings[i],
          canonical,
          opinion && { outOfFold: oof.probabilities.subarray(i * k, (i + 1) * k), classes: opinion.classes },
        ),
        classes: q.classes.map((c) => ({
          classCode: classes[c.classIndex],
          given: c.given,
          probability: c.probability,
          threshold: Number.isNaN(c.threshold) ? null : c.threshold,
          suspicion: c.suspicion,
        })),
      };
    }),
  );
  return {
    runId,
    records: n,
    flagged: quality.records.filter((q) => q.flagged).length,
    classes,
    thresholds: Object.fromEntries(classes.map((c, j) => [c, thresholds[j]])),
    foldScores: oof.foldScores,
    metricName: oof.metricName,
    backend: oof.backend,
    skipped,
    ruleOpinion: opinion?.classes ?? [],
    rulesRun,
    top: flaggedLabelErrors(ws.db, runId, 20),
  };
}
