// The reduced lead sets models and rules run on (CinC 2021: 12, 6, 4, 3 and 2 leads).
import { STANDARD_LEADS, canonicalLeadName } from './record.ts';
import type { EcgRecord, LeadSignal } from './record.ts';

export const LEAD_SETS = {
  12: [...STANDARD_LEADS],
  6: ['I', 'II', 'III', 'aVR', 'aVL', 'aVF'],
  4: ['I', 'II', 'III', 'V2'],
  3: ['I', 'II', 'V2'],
  2: ['I', 'II'],
} as const satisfies Record<number, readonly string[]>;

export type LeadSetSize = keyof typeof LEAD_SETS;
export const LEAD_SET_SIZES: readonly LeadSetSize[] = [12, 6, 4, 3, 2];

export function isLeadSetSize(n: number): n is LeadSetSize {
  return (LEAD_SET_SIZES as readonly number[]).includes(n);
}

/** The record's lead with this canonical name, if any. */
export function findLead(record: EcgRecord, name: string): LeadSignal | undefined {
  return record.leads.find((l) => canonicalLeadName(l.name) === name);
}

/** Names in `leads` that `record` lacks. */
export function missingLeads(record: EcgRecord, leads: readonly string[]): string[] {
  return leads.filter((n) => findLead(record, n) === undefined);
}

/** True when every lead of the set is present in the record. */
export function hasLeadSet(record: EcgRecord, size: LeadSetSize): boolean {
  return missingLeads(record, LEAD_SETS[size]).length === 0;
}

/** The same record keeping only the set's leads, in the set's order. Throws when any is missing. */
export function restrictToLeadSet(record: EcgRecord, size: LeadSetSize): EcgRecord {
  const wanted = LEAD_SETS[size];
  if (!wanted) throw new Error(`lead set ${size} does not exist (use 12, 6, 4, 3 or 2)`);
  const missing = missingLeads(record, wanted);
  if (missing.length > 0)
    throw new Error(`record ${record.recordName}: the ${size}-lead set needs ${missing.join(', ')}, which the record lacks`);
  return { ...record, leads: wanted.map((n) => findLead(record, n) as LeadSignal) };
}
