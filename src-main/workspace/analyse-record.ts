// What the viewer asks of a stored record beyond its samples: beats and measurements, rule decisions,
// and display-filtered windows. Long records are analysed over a bounded span (the viewer's window).
import type { Database } from 'better-sqlite3';
import type { RecordAnalysis, RecordPredictions, SignalWindow } from '../../src-shared/api.ts';
import { canonicalLeadName, leadMillivolts, type EcgRecord } from '../../src-shared/record.ts';
import { isLeadSetSize } from '../../src-shared/lead-sets.ts';
import { DISPLAY_FILTERS, isDisplayFilter } from '../../src-shared/review-vocabulary.ts';
import type { RuleResult } from '../../src-shared/rules.ts';
import { ecgClean } from '../dsp/ecg-clean.ts';
import { intervalMeasurements, measureWithCorrections } from '../dsp/corrected-measurements.ts';
import { leadBoundariesMs } from '../dsp/measurements.ts';
import { currentBoundaries } from '../store/boundary-store.ts';
import { RULE_DETECTORS } from '../rules/detectors.ts';
import type { RuleDetector } from '../rules/rule-detector.ts';
import { ruleResultsForRecord } from '../store/rule-store.ts';
import { runRules } from '../rules/run-rules.ts';
import { listModels } from '../store/model-store.ts';
import { getReviewSettings } from '../store/review-store.ts';
import { predictionsFor } from '../store/prediction-store.ts';
import { getRecordSignal, getRecordSummary, readSignalWindow, signalWindowSpan } from '../store/record-store.ts';
import { measureAndStoreRules } from './run-rules.ts';

/** Longest span analysed at once (a 24 h Holter is measured window by window). */
export const MAX_ANALYSIS_SECONDS = 60;

/**
 * The record over [start, end), at most MAX_ANALYSIS_SECONDS: only that span is read, as loading a 24 h Holter
 * whole took seconds, during which the server answered nothing else (the viewer's signal windows included).
 */
export function loadSpan(db: Database, recordId: number, start = 0, end?: number): { record: EcgRecord; start: number } {
  const summary = getRecordSummary(db, recordId);
  if (!summary) throw new Error(`no record with id ${recordId}`);
  const fs = summary.samplingRate;
  const length = Math.round(summary.durationSeconds * fs);
  const s = Math.max(0, Math.min(length - 1, Math.floor(start)));
  const e = Math.min(length, Math.ceil(end ?? length), s + Math.round(MAX_ANALYSIS_SECONDS * fs));
  return { record: getRecordSignal(db, recordId, s, e)!, start: s };
}

/** R fiducials (record sample indices) and the measurements panel for a span of the record (on corrected boundaries). */
export function analyseRecord(db: Database, recordId: number, start?: number, end?: number): RecordAnalysis {
  const { record, start: s } = loadSpan(db, recordId, start, end);
  const leads: Record<string, Float32Array> = {};
  for (const l of record.leads) leads[canonicalLeadName(l.name)] = leadMillivolts(l);
  const both = measureWithCorrections(leads, record.samplingRate, currentBoundaries(db, recordId));
  const m = both.corrected;
  const { qtcFormula } = getReviewSettings(db);
  return {
    samplingRate: record.samplingRate,
    start: s,
    end: s + record.length,
    beats: m.beats.map((b) => b + s),
    ...intervalMeasurements(m),
    qtcMs: m.qtc[qtcFormula],
    qtcFormula,
    pDurationMs: m.pDurationMs,
    notMeasurable: m.notMeasurable,
    leadBoundaries: leadBoundariesMs(both.automatic),
  };
}

/**
 * Every rule detector's decision on the record's first span, for one reduced lead set: the stored results when
 * every detector's current version has one, else computed now and stored (so the worklist queues see them).
 */
export function recordRules(db: Database, recordId: number, leadSet: number): RuleResult[] {
  if (!isLeadSetSize(leadSet)) throw new Error(`lead set ${leadSet} does not exist (use 12, 6, 4, 3 or 2)`);
  const stored = ruleResultsForRecord(db, recordId, leadSet);
  const { qtcFormula } = getReviewSettings(db);
  // A result taken with another QTc formula than the setting's is stale too (the recompute batch may not be there yet).
  const current = (d: RuleDetector, r: RuleResult) =>
    r.detectorId === d.id && r.detectorVersion === d.version && (!d.usesQtcFormula || r.evidence.qtcFormula === qtcFormula);
  if (RULE_DETECTORS.every((d) => stored.some((r) => current(d, r)))) return stored;
  // Results taken on corrections that changed meanwhile are not stored as current.
  const { record } = loadSpan(db, recordId);
  return measureAndStoreRules(db, recordId, (corrections, formula) =>
    runRules(record, leadSet, RULE_DETECTORS, corrections, { qtcFormula: formula }),
  );
}

/** Every model's predictions on the record (none before the ML engine has predicted). */
export function recordPredictions(db: Database, recordId: number): RecordPredictions {
  const models = listModels(db);
  return {
    models: models.map((m) => ({ id: m.id, name: m.name, classes: m.classes, leadSet: m.leadSet })),
    predictions: models.flatMap((m) =>
      predictionsFor(db, m.id, recordId).map((p) => ({
        modelId: m.id,
        classCode: p.classCode,
        probability: p.probability,
        predicted: p.predicted,
      })),
    ),
  };
}

/**
 * A signal window with display filters applied to raw samples, as float32 millivolts: the span and a margin on
 * each side (keeping filter edges out of view) are read once and filtered, nothing re-quantised. Pyramid (min/max)
 * windows are returned unfiltered.
 */
export function filteredSignalWindow(
  db: Database,
  recordId: number,
  start: number,
  end: number,
  maxPoints: number,
  filters: readonly string[],
): SignalWindow | undefined {
  const chosen = filters.map((f) => {
    if (!isDisplayFilter(f)) throw new Error(`unknown display filter '${f}' (one of ${DISPLAY_FILTERS.join(', ')})`);
    return f;
  });
  const span = chosen.length ? signalWindowSpan(db, recordId, start, end, maxPoints) : undefined;
  if (!span || span.level > 0) {
    const plain = readSignalWindow(db, recordId, start, end, maxPoints);
    return plain && { ...plain, filters: [] };
  }
  const fs = span.samplingRate;
  const margin = Math.round(2 * fs);
  const from = Math.max(0, span.start - margin);
  const padded = getRecordSignal(db, recordId, from, span.end + margin)!;
  const offset = span.start - from;
  const n = span.end - span.start;
  return {
    samplingRate: fs,
    start: span.start,
    end: span.end,
    bucketSize: 1,
    filters: chosen,
    leads: padded.leads.map((lead) => {
      const mv = ecgClean(leadMillivolts(lead), fs, 'display', { filters: chosen });
      return {
        name: lead.name,
        units: 'mV',
        gain: 1,
        baseline: 0,
        derived: !!lead.derived,
        sampleType: 'float32' as const,
        values: mv.slice(offset, offset + n),
      };
    }),
  };
}
