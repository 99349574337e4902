// Confusion matrices of the rule detectors against dataset labels: CinC #Dx SNOMED codes
// (with the CinC 2021 equivalence classes) and LUDB's cardiologist diagnoses (ludb.csv).
import fs from 'node:fs/promises';
import path from 'node:path';
import type { EcgRecord } from '../src-shared/record.ts';
import { parseCsvRecords } from '../src-main/formats/csv.ts';
import type { LeadSetSize } from '../src-shared/lead-sets.ts';
import type { RuleResult } from '../src-shared/rules.ts';
import { runRules } from '../src-main/rules/run-rules.ts';
import { RULE_DETECTORS } from '../src-main/rules/detectors.ts';

export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  /** Records where the detector was not applicable (not counted above). */
  notApplicable: number;
  se: number | null;
  sp: number | null;
  ppv: number | null;
}

export function emptyConfusion(): Confusion {
  return { tp: 0, fp: 0, tn: 0, fn: 0, notApplicable: 0, se: null, sp: null, ppv: null };
}

export function addOutcome(c: Confusion, decision: RuleResult['decision'], truth: boolean): void {
  if (decision === 'not-applicable') {
    c.notApplicable++;
    return;
  }
  if (decision && truth) c.tp++;
  else if (decision) c.fp++;
  else if (truth) c.fn++;
  else c.tn++;
}

export function finishConfusion(c: Confusion): Confusion {
  const ratio = (a: number, b: number): number | null => (b > 0 ? Math.round((a / b) * 10000) / 10000 : null);
  return { ...c, se: ratio(c.tp, c.tp + c.fn), sp: ratio(c.tn, c.tn + c.fp), ppv: ratio(c.tp, c.tp + c.fp) };
}

/** CinC 2021 equivalence classes (scored codes that count as the same class). */
const CINC_EQUIVALENT: string[][] = [
  ['713427006', '59118001'],
  ['284470004', '63593006'],
  ['427172004', '17338001'],
  ['733534002', '164909002'],
];

/**
 * Dataset codes a detector is validated against when they differ from the codes it asserts:
 * a wide QRS is validated against the complete bundle branch blocks and the non-specific IVCD.
 */
export const VALIDATION_CODES: Record<string, string[]> = {
  'prolonged-qrs': ['6374002', '713427006', '59118001', '733534002', '164909002', '698252002'],
};

/** Whether a record's SNOMED labels contain any of `codes` (or a CinC-equivalent code). */
export function hasAnyCode(record: EcgRecord, codes: string[]): boolean {
  const wanted = new Set(codes);
  for (const cls of CINC_EQUIVALENT) if (cls.some((c) => wanted.has(c))) cls.forEach((c) => wanted.add(c));
  return record.labels.some((l) => l.vocabulary === 'SNOMED' && wanted.has(l.code.trim()));
}

/** LUDB diagnoses by record id, and which detector each diagnosis corresponds to. */
export interface LudbDiagnoses {
  [id: string]: Record<string, string>;
}

export async function readLudbDiagnoses(csvPath: string): Promise<LudbDiagnoses> {
  const { rows } = parseCsvRecords(await fs.readFile(csvPath, 'utf8'), csvPath);
  const out: LudbDiagnoses = {};
  for (const r of rows) out[r.ID.trim()] = r;
  return out;
}

/** LUDB truth for a detector; undefined when LUDB has no label for that finding. */
export function ludbTruth(detectorId: string, row: Record<string, string>): boolean | undefined {
  const rhythm = row.Rhythms ?? '';
  const axis = row['Electric axis of the heart'] ?? '';
  const conduction = row['Conduction abnormalities'] ?? '';
  switch (detectorId) {
    case 'sinus-bradycardia':
      return /sinus bradycardia/i.test(rhythm);
    case 'sinus-tachycardia':
      return /sinus tachycardia/i.test(rhythm);
    case 'atrial-fibrillation':
      return /atrial fibrillation/i.test(rhythm);
    case 'left-axis-deviation-2-lead':
    case 'left-axis-deviation-3-lead':
      return /left axis deviation/i.test(axis);
    case 'right-axis-deviation-2-lead':
    case 'right-axis-deviation-3-lead':
      return /right axis deviation/i.test(axis);
    case 'pacing':
      return (row['Cardiac pacing'] ?? '').trim() !== '';
    case 'prolonged-pr':
      return /i degree av block/i.test(conduction);
    case 'prolonged-qrs':
      return (
        /complete (left|right) bundle branch block/i.test(conduction) &&
        !/incomplete/i.test(conduction.split('\n').find((l) => /complete/i.test(l)) ?? '')
      );
    default:
      return undefined;
  }
}

export interface ValidationRow {
  detector: string;
  codes: string;
  confusion: Confusion;
}

/** Runs all detectors on `records` and tallies them against `truth(detectorId, record)`. */
export function validate(
  records: Iterable<EcgRecord>,
  leadSet: LeadSetSize,
  truth: (detectorId: string, codes: string[], r: EcgRecord) => boolean | undefined,
  onRecord?: (r: EcgRecord, results: RuleResult[]) => void,
): ValidationRow[] {
  const tallies = new Map(RULE_DETECTORS.map((d) => [d.id, emptyConfusion()]));
  for (const rec of records) {
    const results = runRules(rec, leadSet);
    for (const res of results) {
      const t = truth(res.detectorId, VALIDATION_CODES[res.detectorId] ?? res.codes.map((c) => c.code), rec);
      if (t !== undefined) addOutcome(tallies.get(res.detectorId)!, res.decision, t);
    }
    onRecord?.(rec, results);
  }
  return RULE_DETECTORS.map((d) => ({
    detector: d.id,
    codes: d.codes.map((c) => `${c.abbreviation} ${c.code}`).join(', '),
    confusion: finishConfusion(tallies.get(d.id)!),
  }));
}

/** Header paths of every record under `dir` (recursively), sorted. */
export async function headerPaths(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.endsWith('.hea')) out.push(path.join(e.parentPath, e.name));
  }
  return out.sort();
}
