// `leadlens explain` service end to end: stored small CNN, stored Chapman records, maps and audit kept.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWfdbRecord } from '../../src-main/formats/wfdb-record.ts';
import { openWorkspace, type Workspace } from '../../src-main/store/workspace.ts';
import { storeRecord } from '../../src-main/store/record-store.ts';
import { initBackend } from '../../src-main/ml/backend.ts';
import { explainInWorkspace } from '../../src-main/workspace/explain-records.ts';
import { loadSaliency } from '../../src-main/store/saliency-store.ts';
import { migration } from '../../src-main/store/migrations/004-explain.ts';
import { saveUntrainedModel } from '../helpers/chapman-workspace.ts';
import { dataPath } from '../helpers/shared-data.ts';

let tmp: string;
let ws: Workspace;
let modelId: number;
const recordIds: number[] = [];

beforeAll(async () => {
  await initBackend('cpu');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-explain-ws-'));
  ws = openWorkspace(tmp);
  if (!ws.db.prepare("SELECT name FROM sqlite_master WHERE name = 'saliency_map'").get()) ws.db.exec(migration.sql);
  for (const n of ['JS00001', 'JS00002', 'JS00004']) {
    const h = dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01', '010', `${n}.hea`);
    recordIds.push(storeRecord(ws.db, await readWfdbRecord(h), { path: h, format: 'cinc' }).recordId);
  }
  modelId = saveUntrainedModel(ws.db, { name: 'untrained' });
});
afterAll(() => {
  ws.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const count = (sql: string): number => ws.db.prepare(sql).pluck().get() as number;

describe('explainInWorkspace', () => {
  it('explains one record with one method, keeps the map with its provenance and measures it', async () => {
    const s = await explainInWorkspace(ws, {
      modelId,
      recordIds: [recordIds[0]],
      methods: ['integrated-gradients:blurred'],
      reportDir: path.join(tmp, 'one'),
    });
    expect(s).toMatchObject({ records: 1, maps: 1 });
    const id = ws.db.prepare('SELECT id FROM saliency_map').pluck().get() as number;
    const r = loadSaliency(ws.db, id);
    expect([r.leads.length, r.samples]).toEqual([12, 1000]);
    expect(r.provenance).toMatchObject({
      method: 'integrated-gradients',
      baseline: 'blurred',
      preprocessing: '100 Hz x 1000, band-pass 0.5-40 Hz, z-score',
      layout: null,
    });
    expect(r.map.some((v) => v > 0)).toBe(true);
    // One record is within the default fidelity/sanity subset: all three measures, stored against the map.
    const m = s.mapSummary['integrated-gradients:blurred'];
    expect(m).toMatchObject({ maps: 1, fidelity: { n: 1 }, sanity: { n: 1 }, localisation: { n: 1 } });
    // JS00001 at 100 Hz: QRS complexes cover a tenth or so of the 10 s, P and ST-T more; shares are fractions of one map.
    expect(m.localisation!.coverage.qrs).toBeGreaterThan(0.05);
    expect(m.localisation!.coverage.qrs).toBeLessThan(0.3);
    const shares = m.localisation!.share;
    expect(shares.qrs + shares.p + shares.stT).toBeLessThanOrEqual(1 + 1e-9);
    for (const kind of ['fidelity', 'sanity', 'localisation'])
      expect(count(`SELECT COUNT(*) FROM saliency_metric WHERE kind = '${kind}' AND map_id = ${id}`)).toBe(1);
    expect(JSON.parse(ws.db.prepare("SELECT value FROM saliency_metric WHERE kind = 'sanity'").pluck().get() as string)).toMatchObject({
      seed: 1234,
      flagged: expect.any(Boolean),
    });
    expect(fs.readdirSync(path.join(tmp, 'one')).sort()).toEqual([
      'fidelity.svg',
      'findings.txt',
      'lead-shares.csv',
      'localisation.svg',
      'maps.csv',
      'report.json',
      'sanity.svg',
      'summary.csv',
    ]);
  });
  it('audits methods over several records, fidelity on an evenly spread subset, and writes the report', async () => {
    const s = await explainInWorkspace(ws, {
      modelId,
      methods: ['vanilla-gradient', 'gradient-x-input'],
      reportDir: path.join(tmp, 'report'),
      fidelity: 1,
      sanity: 0,
    });
    expect(s.maps).toBe(6);
    expect(s.spearmanByMethod?.methods.n).toBe(3);
    expect(s.mostInconsistentRecords?.map((r) => r.recordName).sort()).toEqual(['JS00001', 'JS00002', 'JS00004']);
    expect(s.mapSummary['vanilla-gradient']).toMatchObject({ maps: 3, fidelity: { n: 1 }, sanity: null, localisation: { n: 3 } });
    const maps = fs
      .readFileSync(path.join(tmp, 'report', 'maps.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    // The one fidelity record is the middle one (evenly spread), for both methods (deletion_auc follows target_class_name).
    expect(maps.filter((c) => c[8] !== '').map((c) => c[1])).toEqual(['JS00002', 'JS00002']);
    // The methods pair's finding is stated in one sentence.
    expect(s.findings).toHaveLength(1);
    expect(s.findings[0]).toMatch(/^Vanilla gradient vs Gradient x input: median per-lead Spearman -?\d\.\d\d \[.*\] over 3 records/);
    expect(fs.existsSync(path.join(tmp, 'report', 'records.csv'))).toBe(true);
    const auditId = ws.db.prepare('SELECT MAX(id) FROM explain_audit').pluck().get();
    expect(count(`SELECT COUNT(*) FROM saliency_metric WHERE kind = 'consistency' AND audit_id = ${auditId}`)).toBe(3);
    expect(count(`SELECT COUNT(*) FROM saliency_metric WHERE kind = 'fidelity' AND audit_id = ${auditId}`)).toBe(2);
    expect(count(`SELECT COUNT(*) FROM saliency_metric WHERE kind = 'sanity' AND audit_id = ${auditId}`)).toBe(0);
    expect(ws.db.prepare(`SELECT report_dir FROM explain_audit WHERE id = ${auditId}`).pluck().get()).toBe(path.join(tmp, 'report'));
  });
  it('runs Grad-CAM and guided Grad-CAM on the stored small CNN on a named layer, reproducibly from the provenance', async () => {
    const s = await explainInWorkspace(ws, {
      modelId,
      recordIds: [recordIds[1]],
      methods: ['grad-cam', 'grad-cam@block0', 'guided-grad-cam@block1'],
      fidelity: 0,
      sanity: 0,
    });
    expect(s.maps).toBe(3);
    const rows = ws.db
      .prepare(`SELECT id, layer, params FROM saliency_map WHERE record_id = ${recordIds[1]} AND method LIKE '%grad-cam' ORDER BY id`)
      .all() as { id: number; layer: string; params: string }[];
    expect(rows.map((r) => [r.layer, JSON.parse(r.params).spec])).toEqual([
      ['block2', 'grad-cam'],
      ['block0', 'grad-cam@block0'],
      ['block1', 'guided-grad-cam@block1'],
    ]);
    const first = loadSaliency(ws.db, rows[0].id);
    expect(first.map.some((v) => v > 0)).toBe(true);
    // Grad-CAM on a 1D stage has no lead axis: every lead carries the same time profile.
    expect(Array.from(first.map.subarray(0, 1000))).toEqual(Array.from(first.map.subarray(7000, 8000)));
    // Again from the stored spec: the same map, bit for bit (replaces the stored one, same provenance).
    await explainInWorkspace(ws, {
      modelId,
      recordIds: [recordIds[1]],
      methods: [String(first.provenance.params.spec)],
      fidelity: 0,
      sanity: 0,
    });
    const again = ws.db
      .prepare(`SELECT id FROM saliency_map WHERE record_id = ${recordIds[1]} AND method = 'grad-cam' AND layer = 'block2'`)
      .pluck()
      .get() as number;
    expect(Buffer.from(loadSaliency(ws.db, again).map.buffer).equals(Buffer.from(first.map.buffer))).toBe(true);
  });
  it('refuses bad requests with one clear line', async () => {
    await expect(explainInWorkspace(ws, { modelId, methods: ['lime'] })).rejects.toThrow(/unknown saliency method 'lime'/);
    await expect(explainInWorkspace(ws, { modelId, methods: ['vanilla-gradient'], layouts: ['6x2'] })).rejects.toThrow(
      /reads signals, not charts/,
    );
    await expect(explainInWorkspace(ws, { modelId, methods: ['grad-cam@conv9'], recordIds: [recordIds[0]] })).rejects.toThrow(
      /has no layer 'conv9' \(layers: block2, block1, block0\)/,
    );
    await expect(explainInWorkspace(ws, { modelId, methods: ['smoothgrad@block1'], recordIds: [recordIds[0]] })).rejects.toThrow(
      /smoothgrad takes no layer/,
    );
    await expect(explainInWorkspace(ws, { modelId: 99, methods: ['vanilla-gradient'] })).rejects.toThrow(/no model with id 99/);
  });
});
