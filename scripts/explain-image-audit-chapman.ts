// Trains the ML engine's image CNN on Chapman-Ningbo records rendered as charts in three layouts
// (1 px/mm, gray ink, padded to one canvas) and runs the cross-layout explain audit over the records.
// Usage: node --import tsx scripts/explain-image-audit-chapman.ts WORKSPACE_DIR [records=120] [epochs=6] [methods]
import fs from 'node:fs';
import path from 'node:path';
import { readWfdbRecord } from '../src-main/formats/wfdb-record.ts';
import { openWorkspace } from '../src-main/store/workspace.ts';
import { storeRecord } from '../src-main/store/record-store.ts';
import { saveModel, serializeWeights } from '../src-main/ml/model-store.ts';
import { initBackend } from '../src-main/ml/backend.ts';
import { trainModel } from '../src-main/ml/train.ts';
import { frequentCodes } from '../src-main/ml/dataset.ts';
import { targetsFor } from '../src-main/ml/input-pipeline.ts';
import { layoutChart } from '../src-shared/chart/chart-layout.ts';
import { inkIntensity, rasteriseChart } from '../src-main/explain/chart-raster.ts';
import { explainInWorkspace } from '../src-main/explain/explain-workspace.ts';
import { migration } from '../src-main/store/migrations/004-explain.ts';
import { leadMillivolts, STANDARD_LEADS, type EcgRecord } from '../src-shared/record.ts';
import { dataPath } from '../tests/helpers/shared-data.ts';

const [dir, nArg, epochArg, methodArg] = process.argv.slice(2);
if (!dir) throw new Error('usage: explain-image-audit-chapman.ts WORKSPACE_DIR [records] [epochs] [methods]');
const n = Number(nArg ?? 120);
const LAYOUTS = ['3x4+II', '6x2', '12x1'];
const PX = 1;
await initBackend();
const ws = openWorkspace(dir);
if (!ws.db.prepare("SELECT name FROM sqlite_master WHERE name = 'saliency_map'").get()) ws.db.exec(migration.sql);
const root = dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01');
const headers = fs.readdirSync(root).sort().flatMap((d) => fs.readdirSync(path.join(root, d)).filter((f) => f.endsWith('.hea')).sort().map((f) => path.join(root, d, f)));
const records: { id: number; record: EcgRecord; codes: string[] }[] = [];
for (const h of headers) {
  if (records.length >= n) break;
  const record = await readWfdbRecord(h);
  if (record.length < 5000 || record.leads.length !== 12) continue;
  records.push({ id: storeRecord(ws.db, record, { path: h, format: 'cinc' }).recordId, record, codes: record.labels.map((l) => l.code) });
}
const classes = frequentCodes(records.map((r) => ({ id: String(r.id), codes: r.codes, record: r.record })), 15).map((c) => c.code).slice(0, 6);
const charts = LAYOUTS.map((layout) => layoutChart(records[0].record, { layout, pxPerMm: PX }));
const H = Math.max(...charts.map((c) => c.height));
const W = Math.max(...charts.map((c) => c.width));
const size = H * W;
function dataset(rs: typeof records): { x: Float32Array; y: Uint8Array; n: number } {
  const x = new Float32Array(rs.length * LAYOUTS.length * size);
  const y = new Uint8Array(rs.length * LAYOUTS.length * classes.length);
  rs.forEach((r, i) => {
    const mv = r.record.leads.map(leadMillivolts);
    LAYOUTS.forEach((layout, k) => {
      const c = layoutChart(r.record, { layout, pxPerMm: PX });
      const ink = inkIntensity(rasteriseChart(c, mv).image);
      const b = i * LAYOUTS.length + k;
      for (let row = 0; row < c.height; row++) x.set(ink.subarray(row * c.width, (row + 1) * c.width), b * size + row * W);
      y.set(targetsFor(r.codes, classes), b * classes.length);
    });
  });
  return { x, y, n: rs.length * LAYOUTS.length };
}
const cut = Math.round(records.length * 0.75);
const spec = { arch: 'image-cnn' as const, channels: 1, inputShape: [H, W], classes: classes.length, seed: 1 };
const t = await trainModel(dataset(records.slice(0, cut)), dataset(records.slice(cut)), {
  spec, classes, epochs: Number(epochArg ?? 6), batchSize: 16, onProgress: (e) => e.step === e.steps && process.stderr.write(`epoch ${e.epoch}: ${JSON.stringify(e)}\n`),
});
process.stderr.write(`image-cnn ${H}x${W}: ${t.metricName} ${t.validationScore} (epoch ${t.bestEpoch})\n`);
const modelId = saveModel(ws.db, {
  name: 'image-cnn-charts', kind: 'tfjs', architecture: 'image-cnn', hyperparameters: { epochs: epochArg ?? 6, layouts: LAYOUTS }, classes,
  leadSet: [...STANDARD_LEADS], inputSpec: { pxPerMm: PX, canvas: [H, W], layouts: LAYOUTS }, metrics: { [t.metricName]: t.validationScore },
  runtime: 'tfjs', weights: serializeWeights(t.model), records: records.map((r, i) => ({ recordId: r.id, split: i < cut ? 'train' : 'validation' })), labelIds: [],
});
const methods = (methodArg ?? 'vanilla-gradient,gradient-x-input,guided-backprop').split(',');
const s = await explainInWorkspace(ws, { modelId, methods, layouts: LAYOUTS, onProgress: (d, tot) => d % 60 === 0 && process.stderr.write(`explain ${d}/${tot}\n`) });
console.log(JSON.stringify({ classes, validation: { [t.metricName]: t.validationScore }, ...s }, null, 1));
ws.close();
