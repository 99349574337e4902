// Models in the workspace database: weights with lineage (architecture, hyperparameters, lead set, records and
// label versions seen, metrics, runtime). Every write is one transaction.
import type { Database } from 'better-sqlite3';
import { writeTransaction } from './write-transaction.ts';

export interface StoredModelInfo {
  id: number;
  name: string;
  kind: 'tfjs' | 'onnx';
  architecture: string;
  hyperparameters: Record<string, unknown>;
  classes: string[];
  leadSet: string[];
  /** The model's input as stored (JSON): ml/open-model.ts reads it into a typed input. */
  inputSpec: Record<string, unknown>;
  metrics: Record<string, unknown>;
  runtime: string;
  parentId: number | null;
  createdAt: string;
}

export interface NewModel extends Omit<StoredModelInfo, 'id' | 'createdAt' | 'parentId' | 'inputSpec'> {
  /** A signal input spec, chart card or ONNX model card; stored as JSON. */
  inputSpec: object;
  parentId?: number;
  weights: Uint8Array;
  /** Record ids and the split each was on. */
  records: Array<{ recordId: number; split: 'train' | 'validation' | 'test' }>;
  /** Label row ids (versions) used as targets. */
  labelIds: number[];
}

/** Stores a model with its lineage in one transaction; returns its id. */
export function saveModel(db: Database, m: NewModel): number {
  return writeTransaction(db, () => {
    const info = db
      .prepare(
        `INSERT INTO ml_model (name, kind, architecture, hyperparameters, classes, lead_set, input_spec, metrics, runtime, parent_id, weights, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        m.name,
        m.kind,
        m.architecture,
        JSON.stringify(m.hyperparameters),
        JSON.stringify(m.classes),
        JSON.stringify(m.leadSet),
        JSON.stringify(m.inputSpec),
        JSON.stringify(m.metrics),
        m.runtime,
        m.parentId ?? null,
        Buffer.from(m.weights),
        new Date().toISOString(),
      );
    const id = Number(info.lastInsertRowid);
    const rec = db.prepare('INSERT INTO ml_model_record (model_id, record_id, split) VALUES (?, ?, ?)');
    for (const r of m.records) rec.run(id, r.recordId, r.split);
    const lab = db.prepare('INSERT OR IGNORE INTO ml_model_label (model_id, label_id) VALUES (?, ?)');
    for (const l of m.labelIds) lab.run(id, l);
    return id;
  });
}

interface ModelRow {
  id: number;
  name: string;
  kind: 'tfjs' | 'onnx';
  architecture: string;
  hyperparameters: string;
  classes: string;
  lead_set: string;
  input_spec: string;
  metrics: string;
  runtime: string;
  parent_id: number | null;
  created_at: string;
}

const toInfo = (r: ModelRow): StoredModelInfo => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  architecture: r.architecture,
  hyperparameters: JSON.parse(r.hyperparameters),
  classes: JSON.parse(r.classes),
  leadSet: JSON.parse(r.lead_set),
  inputSpec: JSON.parse(r.input_spec),
  metrics: JSON.parse(r.metrics),
  runtime: r.runtime,
  parentId: r.parent_id,
  createdAt: r.created_at,
});

const INFO_COLUMNS =
  'id, name, kind, architecture, hyperparameters, classes, lead_set, input_spec, metrics, runtime, parent_id, created_at';

export function listModels(db: Database): StoredModelInfo[] {
  return (db.prepare(`SELECT ${INFO_COLUMNS} FROM ml_model ORDER BY id`).all() as ModelRow[]).map(toInfo);
}

/** The model's description without its weights; throws one line when there is no such model. */
export function getModelInfo(db: Database, id: number): StoredModelInfo {
  const r = db.prepare(`SELECT ${INFO_COLUMNS} FROM ml_model WHERE id = ?`).get(id) as ModelRow | undefined;
  if (!r) throw new Error(`no model with id ${id} in this workspace`);
  return toInfo(r);
}

export function getModel(db: Database, id: number): StoredModelInfo & { weights: Uint8Array } {
  const r = db.prepare(`SELECT ${INFO_COLUMNS}, weights FROM ml_model WHERE id = ?`).get(id) as
    (ModelRow & { weights: Buffer }) | undefined;
  if (!r) throw new Error(`no model with id ${id} in this workspace`);
  return { ...toInfo(r), weights: new Uint8Array(r.weights) };
}

export function modelLineage(db: Database, id: number): { records: Array<{ recordId: number; split: string }>; labelIds: number[] } {
  return {
    records: db.prepare('SELECT record_id AS recordId, split FROM ml_model_record WHERE model_id = ? ORDER BY record_id').all(id) as Array<{
      recordId: number;
      split: string;
    }>,
    labelIds: db.prepare('SELECT label_id FROM ml_model_label WHERE model_id = ? ORDER BY label_id').pluck().all(id) as number[],
  };
}

export function updateMetrics(db: Database, id: number, metrics: Record<string, unknown>): void {
  writeTransaction(db, () => {
    const n = db.prepare('UPDATE ml_model SET metrics = ? WHERE id = ?').run(JSON.stringify(metrics), id).changes;
    if (n === 0) throw new Error(`no model with id ${id} in this workspace`);
  });
}
