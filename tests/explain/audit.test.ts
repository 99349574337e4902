// Dataset audit report and saliency storage, on real Chapman-Ningbo records.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWfdbRecord } from '../../src-main/formats/wfdb-record.ts';
import { leadMillivolts, type EcgRecord } from '../../src-shared/record.ts';
import { layoutChart } from '../../src-shared/chart/chart-layout.ts';
import { rasteriseChart } from '../../src-main/chart/chart-raster.ts';
import { inkValues } from '../../src-main/chart/chart-input.ts';
import { pixelsToLeadTime } from '../../src-main/chart/pixel-to-lead-time.ts';
import { runAudit, type AuditItem, type MapMeasures } from '../../src-main/explain/audit.ts';
import { writeAuditReport } from '../../src-main/explain/audit-report.ts';
import { loadSaliency, saveAudit, saveMetric, saveSaliency } from '../../src-main/store/saliency-store.ts';
import type { SaliencyResult } from '../../src-shared/saliency-result.ts';
import { migration } from '../../src-main/store/migrations/004-explain.ts';
import { openWorkspace, type Workspace } from '../../src-main/store/workspace.ts';
import { storeRecord } from '../../src-main/store/record-store.ts';
import { saveModel } from '../../src-main/store/model-store.ts';
import { dataPath } from '../helpers/shared-data.ts';

const NAMES = ['JS00001', 'JS00002', 'JS00004', 'JS00005'];
const records: EcgRecord[] = [];
let tmp: string;

beforeAll(async () => {
  for (const n of NAMES) records.push(await readWfdbRecord(dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01', '010', `${n}.hea`)));
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-explain-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** "Saliency" = the ink of the chart mapped back; for one record the 6x2 map is given with leads reversed. */
function inkMap(record: EcgRecord, layout: string, scramble: boolean): SaliencyResult {
  const mv = record.leads.map(leadMillivolts);
  const c = layoutChart(record, { layout, pxPerMm: 1 });
  const { image, pixels } = rasteriseChart(c, mv, { grid: false });
  const m = pixelsToLeadTime(c, pixels, inkValues(Uint8Array.from(image.data, (v) => 255 - v)));
  const map = new Float32Array(m.map.length);
  for (let l = 0; l < 12; l++)
    map.set(m.map.subarray((scramble ? 11 - l : l) * m.samples, ((scramble ? 11 - l : l) + 1) * m.samples), l * m.samples);
  return {
    map,
    leads: m.leads,
    samples: m.samples,
    provenance: {
      model: 'ink',
      method: 'ink',
      baseline: null,
      targetClass: 0,
      layer: null,
      preprocessing: 'none',
      layout,
      seed: null,
      params: {},
    },
  };
}

describe('runAudit + writeAuditReport', () => {
  it('ranks the record with an inconsistent layout first and writes JSON, CSV and SVG', async () => {
    const items: AuditItem[] = records.map((r, i) => ({ recordId: i + 1, recordName: r.recordName, classes: r.labels.map((l) => l.code) }));
    const report = await runAudit({
      items,
      methods: ['ink'],
      variants: ['12x1', '6x2'],
      explain: async (item, _m, layout) => inkMap(records[item.recordId - 1], layout, item.recordName === 'JS00004' && layout === '6x2'),
    });
    expect(report.pairs.length).toBe(4);
    expect(report.recordRanking[0].recordName).toBe('JS00004');
    expect(report.recordRanking[0].inconsistency).toBeGreaterThan(0.5);
    // Full-length 12x1 vs 6x2 (half of each lead charted): still the same leads dominate.
    const others = report.pairs.filter((p) => p.recordName !== 'JS00004');
    for (const p of others) expect(p.metrics.leadSpearman).toBeGreaterThan(0.5);
    expect(report.spearmanByMethod.ink.n).toBe(4);
    expect(records[2].labels.map((l) => l.code)).toContain(report.classRanking[0].className); // a class of JS00004 tops the classes
    const files = writeAuditReport(report, path.join(tmp, 'report'));
    expect(files.map((f) => path.basename(f))).toEqual([
      'report.json',
      'findings.txt',
      'maps.csv',
      'summary.csv',
      'lead-shares.csv',
      'pairs.csv',
      'records.csv',
      'classes.csv',
      'agreement.svg',
      'spearman-by-method.svg',
      'class-inconsistency.svg',
    ]);
    // The finding is stated: one sentence for the pair with the median, its interval and the share below 0.5.
    expect(fs.readFileSync(files[1], 'utf8')).toMatch(
      /^ink, 12x1 vs 6x2: median per-lead Spearman -?\d\.\d\d \[-?\d\.\d\d, -?\d\.\d\d\] over 4 records, 25 % of records below 0\.5;/,
    );
    expect(
      fs.readFileSync(
        files.find((f) => f.endsWith('agreement.svg'))!,
        'utf8',
      ),
    ).toMatch(/^<svg [^>]*>.*ink, 12x1 vs 6x2 \(n=4.*<\/svg>\n$/s);
    const recordsCsv = fs.readFileSync(path.join(tmp, 'report', 'records.csv'), 'utf8').split('\n');
    expect(recordsCsv[0]).toBe('rank,record_id,record,inconsistency,classes');
    expect(recordsCsv[1]).toMatch(/^1,3,JS00004,/);
    expect(fs.readFileSync(files[8], 'utf8')).toMatch(/^<svg [^>]*>.*<\/svg>\n$/s);
    expect(JSON.parse(fs.readFileSync(files[0], 'utf8')).records).toBe(4);
  });
  it('refuses an audit with nothing to compare or measure', async () => {
    await expect(
      runAudit({
        items: [],
        methods: ['ink'],
        variants: ['12x1'],
        explain: async () => {
          throw new Error('unused');
        },
      }),
    ).rejects.toThrow(/two layouts or two methods/);
  });
  it('summarises per-map fidelity, sanity and localisation by median, flags failed sanity checks, sets empty maps apart and plots them', async () => {
    const items: AuditItem[] = records.map((r, i) => ({ recordId: i + 1, recordName: r.recordName, classes: [] }));
    // Record i: deletion AUC 0.1 * (i + 1); sanity Spearman 0.3 * i (records 3 and 4 above 0.5: flagged); QRS share 0.5 + 0.1 i.
    const measure = async (item: AuditItem): Promise<MapMeasures> => {
      const i = item.recordId - 1;
      const curve = [1, 0.5, 0];
      const wave = (share: number) => ({ share, coverage: 0.2, enrichment: share / 0.2 });
      return {
        fidelity: {
          fractions: [0, 0.5, 1],
          deletion: curve,
          insertion: curve.slice().reverse(),
          deletionAuc: 0.1 * (i + 1),
          insertionAuc: 0.9 - 0.1 * i,
        },
        sanity: { spearman: 0.3 * i, ssim: 0.1, flagged: 0.3 * i > 0.5 },
        localisation: { qrs: wave(0.5 + 0.1 * i), p: wave(0.1), stT: wave(0.2), pacing: wave(0) },
      };
    };
    // JS00002's map is all zero (as Grad-CAM is when no channel has positive evidence): not measured.
    const explain = async (item: AuditItem, _m: string, layout: string) => {
      const r = inkMap(records[item.recordId - 1], layout, false);
      if (item.recordName === 'JS00002') r.map.fill(0);
      return r;
    };
    const report = await runAudit({ items, methods: ['ink'], variants: ['12x1'], explain, measure });
    expect(report.pairs).toEqual([]);
    expect(report.maps.length).toBe(4);
    expect(Object.keys(report.mapSummary)).toEqual(['ink @ 12x1']);
    const m = report.mapSummary['ink @ 12x1'];
    expect(m).toMatchObject({ maps: 4, empty: 1 });
    expect(m.fidelity?.deletionAuc).toBeCloseTo(0.3, 10);
    expect(m.fidelity?.meanInsertion).toEqual([0, 0.5, 1]);
    expect(m.sanity).toMatchObject({ n: 3, flagged: 2 });
    expect(m.sanity?.spearman).toBeCloseTo(0.6, 10);
    expect(m.localisation?.share.qrs).toBeCloseTo(0.7, 10);
    const dir = path.join(tmp, 'report-measures');
    // target_class is written as the model's SNOMED code with its name, not as an index.
    const files = writeAuditReport({ ...report, classes: ['164889003'] }, dir).map((f) => path.basename(f));
    expect(files).toEqual([
      'report.json',
      'findings.txt',
      'maps.csv',
      'summary.csv',
      'lead-shares.csv',
      'fidelity.svg',
      'sanity.svg',
      'localisation.svg',
    ]);
    const maps = fs.readFileSync(path.join(dir, 'maps.csv'), 'utf8').split('\n');
    expect(maps[0]).toMatch(
      /^record_id,record,method,layout,target_class,target_class_name,layer,empty,deletion_auc,insertion_auc,sanity_spearman,sanity_ssim,sanity_flagged,qrs_share,/,
    );
    expect(maps.filter((l) => l.includes(',FLAGGED,')).length).toBe(2);
    expect(maps[2]).toBe('2,JS00002,ink,12x1,164889003,AF atrial fibrillation,,EMPTY,,,,,,,,,,,,,');
    expect(maps[4]).toMatch(/^4,JS00005,ink,12x1,164889003,AF atrial fibrillation,,,0.4,0.6,0.9,0.1,FLAGGED,0.8,4,/);
    // Sanity strip plot: the two Spearman values above 0.5 are red dots.
    const sanity = fs.readFileSync(path.join(dir, 'sanity.svg'), 'utf8');
    expect(sanity.match(/fill="#c0392b"/g)?.length).toBe(2);
    expect(sanity).toContain('ink @ 12x1 Spearman (2/3 above)');
    expect(fs.readFileSync(path.join(dir, 'fidelity.svg'), 'utf8')).toContain('ink @ 12x1 deletion (AUC 0.300)');
    expect(fs.readFileSync(path.join(dir, 'localisation.svg'), 'utf8')).toMatch(
      /<text[^>]*>time covered<\/text>.*<text[^>]*>ink @ 12x1<\/text>/s,
    );
  });
});

describe('saliency store (migration 004)', () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = openWorkspace(path.join(tmp, 'ws'));
    const has = ws.db.prepare("SELECT name FROM sqlite_master WHERE name = 'saliency_map'").get();
    if (!has) ws.db.exec(migration.sql); // until the lead lists 004 in migrations/index.ts
  });
  afterAll(() => ws.close());
  it('stores a map with its provenance and reads it back bit-exact; same provenance replaces', () => {
    const { recordId } = storeRecord(ws.db, records[0], { path: '/data/JS00001.hea', format: 'cinc' });
    const modelId = saveModel(ws.db, {
      name: 'ink',
      kind: 'tfjs',
      architecture: 'small-cnn',
      hyperparameters: {},
      classes: ['a'],
      leadSet: ['I'],
      inputSpec: {},
      metrics: {},
      runtime: 'test',
      weights: new Uint8Array(4),
      records: [],
      labelIds: [],
    });
    const r = inkMap(records[0], '3x4+II', false);
    const id = saveSaliency(ws.db, recordId, modelId, r);
    const back = loadSaliency(ws.db, id);
    expect(Buffer.from(back.map.buffer).equals(Buffer.from(r.map.buffer))).toBe(true);
    expect(back.provenance).toMatchObject({ method: 'ink', layout: '3x4+II', baseline: null, layer: null, targetClass: 0 });
    expect(back.leads).toEqual(r.leads);
    const id2 = saveSaliency(ws.db, recordId, modelId, r);
    expect(ws.db.prepare('SELECT COUNT(*) FROM saliency_map').pluck().get()).toBe(1);
    const auditId = saveAudit(ws.db, { modelId, methods: ['ink'], layouts: ['3x4+II'], recordCount: 1, reportDir: null, summary: {} });
    saveMetric(ws.db, 'sanity', id2, null, { spearman: 0.1, flagged: false }, auditId);
    expect(ws.db.prepare('SELECT value FROM saliency_metric').pluck().get()).toBe('{"spearman":0.1,"flagged":false}');
    expect(() => loadSaliency(ws.db, 999)).toThrow(/no saliency map with id 999/);
  });
});
