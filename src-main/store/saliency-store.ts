// Saliency maps, their metrics and audit runs in the workspace database (migration 004-explain).
import type { Database } from 'better-sqlite3';
import type { SaliencyMapInfo } from '../../src-shared/api.ts';
import type { SaliencyResult } from '../../src-shared/saliency-result.ts';
import { writeTransaction } from './write-transaction.ts';

/** Stores (or replaces, for the same provenance) one map; returns its id. */
export function saveSaliency(db: Database, recordId: number, modelId: number, r: SaliencyResult, now = new Date().toISOString()): number {
  const p = r.provenance;
  return writeTransaction(db, () => {
    const key = [recordId, modelId, p.method, p.baseline ?? '', p.targetClass, p.layer ?? '', p.layout ?? '', JSON.stringify(p.params)];
    db.prepare(
      `DELETE FROM saliency_map WHERE record_id = ? AND model_id = ? AND method = ? AND baseline = ? AND target_class = ?
      AND layer = ? AND layout = ? AND params = ?`,
    ).run(...key);
    const info = db
      .prepare(
        `INSERT INTO saliency_map (record_id, model_id, method, baseline, target_class, layer, preprocessing, layout, seed,
      params, leads, samples, map, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        recordId,
        modelId,
        p.method,
        p.baseline ?? '',
        p.targetClass,
        p.layer ?? '',
        p.preprocessing,
        p.layout ?? '',
        p.seed,
        JSON.stringify(p.params),
        JSON.stringify(r.leads),
        r.samples,
        Buffer.from(r.map.buffer, r.map.byteOffset, r.map.byteLength),
        now,
      );
    return Number(info.lastInsertRowid);
  });
}

interface MapRow {
  model_id: number;
  method: string;
  baseline: string;
  target_class: number;
  layer: string;
  preprocessing: string;
  layout: string;
  seed: number | null;
  params: string;
  leads: string;
  samples: number;
  map: Buffer;
}

export function loadSaliency(db: Database, id: number): SaliencyResult & { modelId: number } {
  const r = db.prepare('SELECT * FROM saliency_map WHERE id = ?').get(id) as MapRow | undefined;
  if (!r) throw new Error(`no saliency map with id ${id}`);
  const map = new Float32Array(r.map.byteLength / 4);
  new Uint8Array(map.buffer).set(r.map);
  return {
    modelId: r.model_id,
    map,
    leads: JSON.parse(r.leads),
    samples: r.samples,
    provenance: {
      model: String(r.model_id),
      method: r.method,
      baseline: r.baseline || null,
      targetClass: r.target_class,
      layer: r.layer || null,
      preprocessing: r.preprocessing,
      layout: r.layout || null,
      seed: r.seed,
      params: JSON.parse(r.params),
    },
  };
}

export type MetricKind = 'consistency' | 'fidelity' | 'sanity' | 'localisation';

export function saveMetric(
  db: Database,
  kind: MetricKind,
  mapId: number,
  otherMapId: number | null,
  value: unknown,
  auditId: number | null = null,
): number {
  const info = db
    .prepare('INSERT INTO saliency_metric (kind, map_id, other_map_id, audit_id, value, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(kind, mapId, otherMapId, auditId, JSON.stringify(value), new Date().toISOString());
  return Number(info.lastInsertRowid);
}

export function saveAudit(
  db: Database,
  a: { modelId: number; methods: string[]; layouts: string[]; recordCount: number; reportDir: string | null; summary: unknown },
): number {
  const info = db
    .prepare(
      'INSERT INTO explain_audit (model_id, methods, layouts, record_count, report_dir, summary, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    .run(
      a.modelId,
      JSON.stringify(a.methods),
      JSON.stringify(a.layouts),
      a.recordCount,
      a.reportDir,
      JSON.stringify(a.summary),
      new Date().toISOString(),
    );
  return Number(info.lastInsertRowid);
}

export function setAuditReportDir(db: Database, auditId: number, dir: string): void {
  db.prepare('UPDATE explain_audit SET report_dir = ? WHERE id = ?').run(dir, auditId);
}

/** The record's stored maps, newest last, with the model they explain. */
export function listRecordSaliency(db: Database, recordId: number): SaliencyMapInfo[] {
  return (
    db
      .prepare(
        `SELECT m.id, m.model_id, m.method, m.baseline, m.target_class, m.layout, m.samples, m.leads, m.created_at, mm.name AS model_name, mm.classes
    FROM saliency_map m JOIN ml_model mm ON mm.id = m.model_id WHERE m.record_id = ? ORDER BY m.id`,
      )
      .all(recordId) as {
      id: number;
      model_id: number;
      method: string;
      baseline: string;
      target_class: number;
      layout: string;
      samples: number;
      leads: string;
      created_at: string;
      model_name: string;
      classes: string;
    }[]
  ).map((r) => ({
    id: r.id,
    modelId: r.model_id,
    modelName: r.model_name,
    method: r.method,
    baseline: r.baseline || null,
    targetClass: JSON.parse(r.classes)[r.target_class] ?? String(r.target_class),
    layout: r.layout || null,
    leads: JSON.parse(r.leads),
    samples: r.samples,
    createdAt: r.created_at,
  }));
}
