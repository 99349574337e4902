// Models in the workspace database: weights with lineage (architecture, hyperparameters, lead set, records and
// label versions seen, metrics, runtime), and predictions per record x model x class. Every write is one transaction.
import type { Database } from 'better-sqlite3';
import * as tf from '@tensorflow/tfjs-core';
import { createModel } from './models/index.ts';
import type { EcgModel, ModelSpec } from './models/model.ts';

const MAGIC = 'LLW1';

/** LeadLens weights: 'LLW1', uint32 header length, JSON header {spec, tensors}, then float32 data. */
export function serializeWeights(model: EcgModel): Uint8Array {
  const tensors: Array<{ name: string; kind: 'param' | 'state'; shape: number[]; offset: number }> = [];
  const chunks: Float32Array[] = [];
  let offset = 0;
  for (const [kind, map] of [['param', model.store.params], ['state', model.store.state]] as const) {
    for (const [name, v] of map) {
      tensors.push({ name, kind, shape: v.shape, offset });
      const data = v.dataSync() as Float32Array;
      chunks.push(data);
      offset += data.length;
    }
  }
  const header = new TextEncoder().encode(JSON.stringify({ spec: model.spec, tensors }));
  const pad = (4 - ((8 + header.length) % 4)) % 4;
  const out = new Uint8Array(8 + header.length + pad + offset * 4);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(4, header.length + pad, true);
  out.set(header, 8);
  out.fill(0x20, 8 + header.length, 8 + header.length + pad);
  const floats = new Float32Array(out.buffer, 8 + header.length + pad, offset);
  chunks.reduce((at, c) => (floats.set(c, at), at + c.length), 0);
  return out;
}

export function deserializeWeights(bytes: Uint8Array, where = 'model weights'): EcgModel {
  if (bytes.length < 8 || new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC) throw new Error(`${where}: not LeadLens model weights`);
  const buf = bytes.slice().buffer;
  const headerLen = new DataView(buf).getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buf, 8, headerLen))) as {
    spec: ModelSpec;
    tensors: Array<{ name: string; kind: 'param' | 'state'; shape: number[]; offset: number }>;
  };
  const floats = new Float32Array(buf, 8 + headerLen);
  const model = createModel(header.spec);
  for (const t of header.tensors) {
    const v = (t.kind === 'param' ? model.store.params : model.store.state).get(t.name);
    if (!v) throw new Error(`${where}: weight ${t.name} does not belong to a ${header.spec.arch}`);
    if (v.shape.join('x') !== t.shape.join('x')) throw new Error(`${where}: weight ${t.name} has shape ${t.shape.join('x')}, the architecture needs ${v.shape.join('x')}`);
    v.assign(tf.tensor(floats.subarray(t.offset, t.offset + v.size), v.shape));
  }
  return model;
}

export interface StoredModelInfo {
  id: number;
  name: string;
  kind: 'tfjs' | 'onnx';
  architecture: string;
  hyperparameters: Record<string, unknown>;
  classes: string[];
  leadSet: string[];
  inputSpec: Record<string, unknown>;
  metrics: Record<string, unknown>;
  runtime: string;
  parentId: number | null;
  createdAt: string;
}

export interface NewModel extends Omit<StoredModelInfo, 'id' | 'createdAt' | 'parentId'> {
  parentId?: number;
  weights: Uint8Array;
  /** Record ids and the split each was on. */
  records: Array<{ recordId: number; split: 'train' | 'validation' | 'test' }>;
  /** Label row ids (versions) used as targets. */
  labelIds: number[];
}

/** Stores a model with its lineage in one transaction; returns its id. */
export function saveModel(db: Database, m: NewModel): number {
  return db.transaction(() => {
    const info = db.prepare(`INSERT INTO ml_model (name, kind, architecture, hyperparameters, classes, lead_set, input_spec, metrics, runtime, parent_id, weights, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      m.name, m.kind, m.architecture, JSON.stringify(m.hyperparameters), JSON.stringify(m.classes), JSON.stringify(m.leadSet),
      JSON.stringify(m.inputSpec), JSON.stringify(m.metrics), m.runtime, m.parentId ?? null, Buffer.from(m.weights), new Date().toISOString());
    const id = Number(info.lastInsertRowid);
    const rec = db.prepare('INSERT INTO ml_model_record (model_id, record_id, split) VALUES (?, ?, ?)');
    for (const r of m.records) rec.run(id, r.recordId, r.split);
    const lab = db.prepare('INSERT OR IGNORE INTO ml_model_label (model_id, label_id) VALUES (?, ?)');
    for (const l of m.labelIds) lab.run(id, l);
    return id;
  })();
}

interface ModelRow {
  id: number; name: string; kind: 'tfjs' | 'onnx'; architecture: string; hyperparameters: string; classes: string; lead_set: string;
  input_spec: string; metrics: string; runtime: string; parent_id: number | null; created_at: string;
}

const toInfo = (r: ModelRow): StoredModelInfo => ({
  id: r.id, name: r.name, kind: r.kind, architecture: r.architecture, hyperparameters: JSON.parse(r.hyperparameters),
  classes: JSON.parse(r.classes), leadSet: JSON.parse(r.lead_set), inputSpec: JSON.parse(r.input_spec), metrics: JSON.parse(r.metrics),
  runtime: r.runtime, parentId: r.parent_id, createdAt: r.created_at,
});

const INFO_COLUMNS = 'id, name, kind, architecture, hyperparameters, classes, lead_set, input_spec, metrics, runtime, parent_id, created_at';

export function listModels(db: Database): StoredModelInfo[] {
  return (db.prepare(`SELECT ${INFO_COLUMNS} FROM ml_model ORDER BY id`).all() as ModelRow[]).map(toInfo);
}

export function getModel(db: Database, id: number): StoredModelInfo & { weights: Uint8Array } {
  const r = db.prepare(`SELECT ${INFO_COLUMNS}, weights FROM ml_model WHERE id = ?`).get(id) as (ModelRow & { weights: Buffer }) | undefined;
  if (!r) throw new Error(`no model with id ${id} in this workspace`);
  return { ...toInfo(r), weights: new Uint8Array(r.weights) };
}

export function modelLineage(db: Database, id: number): { records: Array<{ recordId: number; split: string }>; labelIds: number[] } {
  return {
    records: (db.prepare('SELECT record_id AS recordId, split FROM ml_model_record WHERE model_id = ? ORDER BY record_id').all(id) as Array<{ recordId: number; split: string }>),
    labelIds: (db.prepare('SELECT label_id FROM ml_model_label WHERE model_id = ? ORDER BY label_id').pluck().all(id) as number[]),
  };
}

export function updateMetrics(db: Database, id: number, metrics: Record<string, unknown>): void {
  db.transaction(() => {
    const n = db.prepare('UPDATE ml_model SET metrics = ? WHERE id = ?').run(JSON.stringify(metrics), id).changes;
    if (n === 0) throw new Error(`no model with id ${id} in this workspace`);
  })();
}

export interface PredictionRow {
  recordId: number;
  classCode: string;
  probability: number;
  predicted: boolean;
}

/** Replaces the model's predictions for the given records, in one transaction. */
export function savePredictions(db: Database, modelId: number, rows: PredictionRow[]): void {
  const at = new Date().toISOString();
  db.transaction(() => {
    const del = db.prepare('DELETE FROM ml_prediction WHERE model_id = ? AND record_id = ?');
    for (const id of new Set(rows.map((r) => r.recordId))) del.run(modelId, id);
    const ins = db.prepare('INSERT INTO ml_prediction (model_id, record_id, class_code, probability, predicted, predicted_at) VALUES (?, ?, ?, ?, ?, ?)');
    for (const r of rows) ins.run(modelId, r.recordId, r.classCode, r.probability, r.predicted ? 1 : 0, at);
  })();
}

export function predictionsFor(db: Database, modelId: number, recordId?: number): PredictionRow[] {
  const sql = `SELECT record_id AS recordId, class_code AS classCode, probability, predicted FROM ml_prediction WHERE model_id = ?${recordId === undefined ? '' : ' AND record_id = ?'} ORDER BY record_id, class_code`;
  const args = recordId === undefined ? [modelId] : [modelId, recordId];
  const raw = db.prepare(sql).all(...args) as Array<{ recordId: number; classCode: string; probability: number; predicted: number }>;
  return raw.map((r) => ({ ...r, predicted: r.predicted === 1 }));
}
