// A researcher's way out: the selected records as a WFDB dataset with their current (corrected) labels, in the
// layout CinC/PhysioNet loaders (wfdb, torch_ecg) and PTB-XL-style pipelines read unchanged:
//   RECORDS                      record names, one a line
//   NAME.hea, NAME.dat           format 16 (int16 leads; int32 leads go to NAME_32.dat as format 32);
//                                '#Age/#Sex/#Dx' comments in the CinC layout, #Dx = current SNOMED CT codes,
//                                #Labels = the other vocabularies' codes
//   NAME.ANNOTATOR               stored beat annotations (WFDB MIT format), NAME.intervals for interval annotations
//   labels.csv                   record, SNOMED codes, other labels, label source, reviewer, review state, time
//   splits.csv                   patient-level folds (seeded): one patient's records share a fold
//   annotations.csv, intervals.csv  the same annotations as CSV
//   label-history/NAME.json      every label assertion of the record, in order
//   boundary-corrections.csv     each current reviewer correction of a global wave boundary: the automatic and the
//                                corrected boundary (ms from R), author, time (workspace/boundary-export.ts)
//   corrected-measurements.csv   for each record with a correction, the intervals on the automatic boundaries and on
//                                the corrected ones (HR, PR, P, QRS, QT, QTc by the workspace formula and Bazett, axis)
// Ingesting the folder again gives bit-identical signals and the same SNOMED labels.
import fs from 'node:fs';
import path from 'node:path';
import type { ExportSummary, LabelRef } from '../../src-shared/api.ts';
import type { BeatAnnotation, EcgRecord } from '../../src-shared/record.ts';
import { encodeWfdbAnnotations } from '../formats/wfdb-annotation.ts';
import { formatWfdbHeader, interleaveFrames, wfdbRecordName, type WfdbSignalOut } from '../formats/wfdb-writer.ts';
import { patientKFold } from '../ml/splits.ts';
import {
  currentLabelSources,
  recordReviewFacts,
  recordShape,
  selectExportRecords,
  storedAnnotationSets,
  type ExportQuery,
} from '../store/export-store.ts';
import { isReviewState, REVIEW_STATES } from '../../src-shared/review-vocabulary.ts';
import { effectiveLabels, labelHistory } from '../store/label-store.ts';
import { getRecordSignal } from '../store/record-store.ts';
import { getSelection } from '../store/selection-store.ts';
import { listIntervals } from '../store/review-store.ts';
import { consensusCodes } from './annotator-agreement.ts';
import { BOUNDARY_CORRECTION_COLUMNS, CORRECTED_MEASUREMENT_COLUMNS, recordBoundaryExport } from './boundary-export.ts';
import type { Workspace } from '../store/workspace.ts';

export type { ExportQuery } from '../store/export-store.ts';

export interface ExportRequest extends ExportQuery {
  /** A folder that does not exist yet or is empty: an export never overwrites files. */
  outDir: string;
  /** A saved selection's name: its query narrows the filters above. */
  selection?: string;
  /** Folds in splits.csv (default 10, as PTB-XL's strat_fold). */
  folds?: number;
  seed?: number;
  /** 'consensus': the reviewers' consensus SNOMED codes on the records they reviewed (others keep their current labels). */
  labelSource?: 'current' | 'consensus';
}

export type ExportResult = ExportSummary;

/** Samples per lead read from the store at a time, so a 24 h Holter is written in pieces. */
const WINDOW = 1 << 20;
const SEX_WORD: Record<string, string> = { M: 'Male', F: 'Female' };

const csvCell = (v: string | number | null | undefined): string => {
  const s = v == null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};
const csvLine = (cells: (string | number | null | undefined)[]): string => `${cells.map(csvCell).join(',')}\n`;

function prepareOutDir(outDir: string): void {
  if (fs.existsSync(outDir)) {
    if (!fs.statSync(outDir).isDirectory()) throw new Error(`export folder ${outDir} is a file`);
    if (fs.readdirSync(outDir).length > 0) throw new Error(`export folder ${outDir} is not empty; name a new or empty folder`);
  }
  fs.mkdirSync(path.join(outDir, 'label-history'), { recursive: true });
}

/** Unique WFDB-safe names: the record's own name, or name_ID when two selected records share it. */
function exportNames(db: Workspace['db'], ids: number[]): Map<number, string> {
  const base = new Map(ids.map((id) => [id, wfdbRecordName(getRecordSignal(db, id, 0, 0)!.recordName)]));
  const count = new Map<string, number>();
  for (const n of base.values()) count.set(n.toLowerCase(), (count.get(n.toLowerCase()) ?? 0) + 1);
  return new Map(
    ids.map((id) => {
      const n = base.get(id)!;
      return [id, count.get(n.toLowerCase())! > 1 ? `${n}_${id}` : n];
    }),
  );
}

/** Writes one lead group's samples to `file` window by window; returns each lead's checksum. */
function writeSamples(
  db: Workspace['db'],
  recordId: number,
  length: number,
  leadIndexes: number[],
  format: 16 | 32,
  file: string,
): number[] {
  const fd = fs.openSync(file, 'wx');
  const sums = leadIndexes.map(() => 0);
  try {
    for (let from = 0; from < length; from += WINDOW) {
      const to = Math.min(length, from + WINDOW);
      const window = getRecordSignal(db, recordId, from, to)!;
      const leads = leadIndexes.map((i) => window.leads[i].digital);
      leads.forEach((d, k) => {
        let s = sums[k];
        for (let i = 0; i < d.length; i++) s = (s + d[i]) | 0;
        sums[k] = s;
      });
      fs.writeSync(fd, interleaveFrames(leads, format, 0, to - from));
    }
  } finally {
    fs.closeSync(fd);
  }
  return sums.map((s) => s & 0xffff);
}

/** One record's files; returns the names written (relative to the export folder). */
function writeRecord(
  ws: Workspace,
  recordId: number,
  name: string,
  outDir: string,
  labels: LabelRef[],
  /** The Dx line: the current SNOMED labels, or the reviewers' consensus. */
  snomed: string[],
): { files: string[]; record: EcgRecord; length: number } {
  const db = ws.db;
  const { length } = recordShape(db, recordId);
  const head = getRecordSignal(db, recordId, 0, Math.min(length, 1))!;
  const files: string[] = [];
  const signals: WfdbSignalOut[] = new Array(head.leads.length);
  const groups: [16 | 32, number[], string][] = [
    [16, head.leads.flatMap((l, i) => (l.digital instanceof Int16Array ? [i] : [])), `${name}.dat`],
    [32, head.leads.flatMap((l, i) => (l.digital instanceof Int32Array ? [i] : [])), `${name}_32.dat`],
  ];
  for (const [format, indexes, fileName] of groups) {
    if (indexes.length === 0) continue;
    files.push(fileName);
    const sums = writeSamples(db, recordId, length, indexes, format, path.join(outDir, fileName));
    indexes.forEach((i, k) => {
      const lead = head.leads[i];
      signals[i] = {
        fileName,
        format,
        gain: lead.gain,
        baseline: lead.baseline,
        units: lead.units,
        initialValue: lead.digital[0] ?? 0,
        checksum: sums[k],
        description: lead.name,
      };
    });
  }
  const comments = [
    `Age: ${head.age ?? 'NaN'}`,
    `Sex: ${SEX_WORD[head.sex ?? ''] ?? 'Unknown'}`,
    `Dx: ${snomed.join(',')}`,
    'Rx: Unknown',
    'Hx: Unknown',
    'Sx: Unknown',
  ];
  // Labels of other vocabularies (LUDB, PTB-XL's SCP, Chapman's abbreviations) in a line CinC readers ignore,
  // percent-encoded so codes with commas or colons survive: `#Labels: LUDB:Sinus%20rhythm,SCP:NORM`.
  const others = labels.filter((l) => l.vocabulary !== 'SNOMED');
  if (others.length > 0)
    comments.push(`Labels: ${others.map((l) => `${encodeURIComponent(l.vocabulary)}:${encodeURIComponent(l.code)}`).join(',')}`);
  fs.writeFileSync(
    path.join(outDir, `${name}.hea`),
    formatWfdbHeader({ recordName: name, samplingRate: head.samplingRate, length, startTime: head.startTime, signals, comments }),
    { flag: 'wx' },
  );
  files.push(`${name}.hea`);
  return { files, record: head, length };
}

/**
 * Writes the records `req` selects into `req.outDir` (see the layout above). A record that cannot be written is left
 * out with its reason and its partial files removed; the others are written whole. Throws (one line) when nothing
 * matches, a --record reference matches nothing, or the folder is not new or empty.
 */
export function exportDataset(
  ws: Workspace,
  req: ExportRequest,
  onProgress?: (done: number, total: number, name: string) => void,
): ExportResult {
  const db = ws.db;
  for (const s of req.reviewStates ?? []) {
    if (!isReviewState(s)) throw new Error(`unknown review state '${s}' (one of ${REVIEW_STATES.join(', ')})`);
  }
  const { ids, unmatched } = selectExportRecords(db, req, req.selection === undefined ? undefined : getSelection(db, req.selection).query);
  if (unmatched.length > 0) throw new Error(`no stored record with id or name ${unmatched.map((r) => `'${r}'`).join(', ')}`);
  if (ids.length === 0) throw new Error('no stored record matches the selection');
  const outDir = path.resolve(req.outDir);
  prepareOutDir(outDir);
  const names = exportNames(db, ids);
  const result: ExportResult = { outDir, records: 0, skipped: [], files: 0 };
  const labelsCsv = [csvLine(['record', 'record_id', 'snomed_codes', 'other_labels', 'label_source', 'reviewer', 'review_state', 'time'])];
  const annotationsCsv = [csvLine(['record', 'annotator', 'sample', 'symbol', 'subtype', 'channel', 'num', 'aux'])];
  const intervalsCsv = [csvLine(['record', 'start_sample', 'end_sample', 'lead', 'vocabulary', 'code', 'text', 'author', 'time'])];
  const correctionsCsv = [csvLine([...BOUNDARY_CORRECTION_COLUMNS])];
  const correctedMeasurementsCsv = [csvLine([...CORRECTED_MEASUREMENT_COLUMNS])];
  const written: { id: number; name: string; patientId: string | null }[] = [];
  const consensus = req.labelSource === 'consensus' ? consensusCodes(db) : undefined;
  ids.forEach((id, k) => {
    const name = names.get(id)!;
    onProgress?.(k, ids.length, name);
    const files: string[] = [];
    try {
      const labels = effectiveLabels(db, id);
      const agreed = consensus?.get(id);
      const snomed = agreed ?? labels.filter((l) => l.vocabulary === 'SNOMED').map((l) => l.code);
      const rec = writeRecord(ws, id, name, outDir, labels, snomed);
      files.push(...rec.files);
      const sets = storedAnnotationSets(db, id);
      const beatRows: string[] = [];
      for (const set of sets) {
        const ext = set.annotator.replace(/[^A-Za-z0-9_]/g, '_') || 'ann';
        fs.writeFileSync(path.join(outDir, `${name}.${ext}`), encodeWfdbAnnotations(set.annotations), { flag: 'wx' });
        files.push(`${name}.${ext}`);
        for (const a of set.annotations)
          beatRows.push(csvLine([name, set.annotator, a.sample, a.symbol, a.subtype, a.channel, a.num, a.aux]));
      }
      const intervals = listIntervals(db, id);
      if (intervals.length > 0) {
        // WFDB waveform-style onset '(' and offset ')' marks, the label in the aux text.
        const marks: BeatAnnotation[] = intervals.flatMap((iv) => {
          const aux = `${iv.vocabulary}:${iv.code}${iv.lead ? ` ${iv.lead}` : ''}`;
          return [
            { sample: iv.start, symbol: '(', aux },
            { sample: iv.end, symbol: ')', aux },
          ];
        });
        fs.writeFileSync(path.join(outDir, `${name}.intervals`), encodeWfdbAnnotations(marks), { flag: 'wx' });
        files.push(`${name}.intervals`);
      }
      const boundaries = recordBoundaryExport(db, id);
      const history = labelHistory(db, id);
      fs.writeFileSync(
        path.join(outDir, 'label-history', `${name}.json`),
        `${JSON.stringify({ record: name, recordId: id, labels: history }, null, 1)}\n`,
        { flag: 'wx' },
      );
      files.push(path.join('label-history', `${name}.json`));
      const sources = currentLabelSources(db, id);
      const kinds = agreed ? new Set(['consensus']) : new Set(labels.map((l) => sources.get(`${l.vocabulary}\0${l.code}`) ?? 'dataset'));
      const facts = recordReviewFacts(db, id);
      labelsCsv.push(
        csvLine([
          name,
          id,
          snomed.join(' '),
          labels
            .filter((l) => l.vocabulary !== 'SNOMED')
            .map((l) => `${l.vocabulary}:${l.code}`)
            .join(' '),
          [...kinds].sort().join('+'),
          facts.reviewer,
          facts.reviewState,
          facts.reviewedAt,
        ]),
      );
      annotationsCsv.push(...beatRows);
      for (const iv of intervals)
        intervalsCsv.push(csvLine([name, iv.start, iv.end, iv.lead, iv.vocabulary, iv.code, iv.text, iv.author, iv.createdAt]));
      for (const row of boundaries?.corrections ?? []) correctionsCsv.push(csvLine([name, ...row]));
      for (const row of boundaries?.measurements ?? []) correctedMeasurementsCsv.push(csvLine([name, ...row]));
      written.push({ id, name, patientId: rec.record.patientId ?? null });
      result.files += files.length;
    } catch (e) {
      for (const f of files) fs.rmSync(path.join(outDir, f), { force: true });
      for (const f of [`${name}.hea`, `${name}.dat`, `${name}_32.dat`]) fs.rmSync(path.join(outDir, f), { force: true });
      result.skipped.push({ recordId: id, reason: `${name}: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}` });
    }
  });
  // Folds never outnumber the patients (a record without a patient id is its own patient).
  const patients = new Set(written.map((w) => (w.patientId ? `p:${w.patientId}` : `r:${w.name}`))).size;
  const folds = Math.min(req.folds ?? 10, patients);
  const foldOf = new Map<string, number>();
  if (folds >= 2) {
    patientKFold(
      written.map((w) => ({ id: w.name, ...(w.patientId ? { patientId: w.patientId } : {}) })),
      folds,
      req.seed ?? 1,
    ).forEach((names, f) => names.forEach((n) => foldOf.set(n, f + 1)));
  }
  const splitsCsv = [csvLine(['record', 'patient_id', 'fold'])];
  for (const w of written) splitsCsv.push(csvLine([w.name, w.patientId, foldOf.get(w.name) ?? 1]));
  const tables: [string, string[]][] = [
    ['RECORDS', written.map((w) => `${w.name}\n`)],
    ['labels.csv', labelsCsv],
    ['splits.csv', splitsCsv],
    ['annotations.csv', annotationsCsv],
    ['intervals.csv', intervalsCsv],
    ['boundary-corrections.csv', correctionsCsv],
    ['corrected-measurements.csv', correctedMeasurementsCsv],
  ];
  for (const [file, lines] of tables) fs.writeFileSync(path.join(outDir, file), lines.join(''), { flag: 'wx' });
  result.files += tables.length;
  result.records = written.length;
  onProgress?.(ids.length, ids.length, 'done');
  return result;
}
