// Saliency maps stored by the explainability engine, for the viewer's overlays and the comparison view.
import type { Database } from 'better-sqlite3';
import type { SaliencyComparison, SaliencyMapInfo, SaliencyMapData } from '../../src-shared/api.ts';
import { compareAttributions, leadImportance } from '../explain/consistency.ts';
import { loadSaliency } from '../store/saliency-store.ts';
import { hasTable } from './analyse-record.ts';

export function listRecordSaliency(db: Database, recordId: number): SaliencyMapInfo[] {
  if (!hasTable(db, 'saliency_map')) return [];
  return (db.prepare(`SELECT m.id, m.model_id, m.method, m.baseline, m.target_class, m.layout, m.samples, m.leads, m.created_at, mm.name AS model_name, mm.classes
    FROM saliency_map m JOIN ml_model mm ON mm.id = m.model_id WHERE m.record_id = ? ORDER BY m.id`).all(recordId) as {
      id: number; model_id: number; method: string; baseline: string; target_class: number; layout: string; samples: number; leads: string;
      created_at: string; model_name: string; classes: string;
    }[]).map((r) => ({
    id: r.id, modelId: r.model_id, modelName: r.model_name, method: r.method, baseline: r.baseline || null,
    targetClass: JSON.parse(r.classes)[r.target_class] ?? String(r.target_class), layout: r.layout || null,
    leads: JSON.parse(r.leads), samples: r.samples, createdAt: r.created_at,
  }));
}

/** One map with its per-lead importance; the map itself as base64 float32 (leads x samples). */
export function saliencyMap(db: Database, id: number): SaliencyMapData {
  const s = loadSaliency(db, id);
  const imp = Array.from(leadImportance(s));
  const total = imp.reduce((a, b) => a + b, 0);
  return {
    id, leads: s.leads, samples: s.samples, provenance: { ...s.provenance },
    importance: imp.map((v) => (total > 0 ? v / total : 0)), map: Buffer.from(s.map.buffer, s.map.byteOffset, s.map.byteLength).toString('base64'),
  };
}

/** The consistency figures between two maps of the same record (different layouts, methods or models). */
export function compareSaliency(db: Database, a: number, b: number): SaliencyComparison {
  const ma = loadSaliency(db, a);
  const mb = loadSaliency(db, b);
  return { a, b, ...compareAttributions(ma, mb) };
}
