// Saliency maps stored by the explainability engine, for the viewer's overlays and the comparison view.
import type { Database } from 'better-sqlite3';
import type { SaliencyComparison, SaliencyMapData } from '../../src-shared/api.ts';
import { compareAttributions, leadImportance } from '../explain/consistency.ts';
import { loadSaliency } from '../store/saliency-store.ts';

/** One map with its per-lead importance; the map itself as float32 (leads x samples), sent as bytes. */
export function saliencyMap(db: Database, id: number): SaliencyMapData {
  const s = loadSaliency(db, id);
  const imp = Array.from(leadImportance(s));
  const total = imp.reduce((a, b) => a + b, 0);
  return {
    id,
    leads: s.leads,
    samples: s.samples,
    provenance: { ...s.provenance },
    importance: imp.map((v) => (total > 0 ? v / total : 0)),
    map: s.map,
  };
}

/** The consistency figures between two maps of the same record (different layouts, methods or models). */
export function compareSaliency(db: Database, a: number, b: number): SaliencyComparison {
  const ma = loadSaliency(db, a);
  const mb = loadSaliency(db, b);
  return { a, b, ...compareAttributions(ma, mb) };
}
