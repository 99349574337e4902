// Models of one architecture trained on the CinC lead sets (12, 6, 4, 3, 2 leads), found in the model store:
// for comparing what a model loses with fewer leads, and for scoring a record that lacks leads with the
// reduced-lead model its leads still feed.
import type { Database } from 'better-sqlite3';
import { LEAD_SETS, missingLeads, type LeadSetSize } from '../../src-shared/lead-sets.ts';
import type { EcgRecord } from '../../src-shared/record.ts';
import { listModels, type StoredModelInfo } from '../store/model-store.ts';

/** The lead-set size a model was trained on, when its lead set is exactly one of the CinC sets. */
export function modelLeadSetSize(m: Pick<StoredModelInfo, 'leadSet'>): LeadSetSize | undefined {
  const key = [...m.leadSet].sort().join(',');
  const hit = Object.entries(LEAD_SETS).find(([, leads]) => [...leads].sort().join(',') === key);
  return hit ? (Number(hit[0]) as LeadSetSize) : undefined;
}

/** Charts, lead images (GAF/MTF/RP) or signals, from the stored input (a chart card has layouts, an image card a transform). */
const inputKind = (m: StoredModelInfo): string => ('layouts' in m.inputSpec ? 'chart' : 'transform' in m.inputSpec ? 'image' : 'signal');

/** The stored models that can stand in for each other: same architecture, same input kind and the same classes. */
const sameFamily = (a: StoredModelInfo, b: StoredModelInfo): boolean =>
  a.architecture === b.architecture &&
  a.kind === b.kind &&
  inputKind(a) === inputKind(b) &&
  [...a.classes].sort().join(',') === [...b.classes].sort().join(',');

/**
 * For each asked lead-set size, the newest model of `arch` trained on it (with the classes of the 12-lead one when
 * there is one), and the sizes with no such model.
 */
export function leadSetModels(
  db: Database,
  arch: string,
  sizes: readonly LeadSetSize[],
): { found: Map<LeadSetSize, StoredModelInfo>; missing: LeadSetSize[] } {
  const models = listModels(db).filter((m) => m.architecture === arch && m.kind === 'tfjs');
  const newest = new Map<LeadSetSize, StoredModelInfo>();
  for (const m of models) {
    const size = modelLeadSetSize(m);
    if (size !== undefined) newest.set(size, m); // listModels is in id order: the last one is the newest
  }
  const reference = newest.get(12) ?? newest.get(sizes[0]);
  const found = new Map<LeadSetSize, StoredModelInfo>();
  for (const s of sizes) {
    // Prefer the newest model of this size that shares the reference's classes, so probabilities compare.
    const same = reference ? models.filter((m) => modelLeadSetSize(m) === s && sameFamily(m, reference)).pop() : undefined;
    const m = same ?? newest.get(s);
    if (m) found.set(s, m);
  }
  return { found, missing: sizes.filter((s) => !found.has(s)) };
}

/**
 * The model to score `record` with in place of `primary` when the record lacks some of primary's leads: the newest
 * model of the same family with the largest lead set the record has, smaller than primary's; undefined when none.
 */
export function reducedLeadStandIn(db: Database, primary: StoredModelInfo, record: EcgRecord): StoredModelInfo | undefined {
  const candidates = listModels(db).filter(
    (m) =>
      m.id !== primary.id &&
      sameFamily(m, primary) &&
      m.leadSet.length < primary.leadSet.length &&
      m.leadSet.every((l) => primary.leadSet.includes(l)) &&
      missingLeads(record, m.leadSet).length === 0,
  );
  return candidates.sort((a, b) => b.leadSet.length - a.leadSet.length || b.id - a.id)[0];
}
