// Trains a small CNN on Chapman-Ningbo records in a scratch workspace and runs the explain audit over them.
// Usage: node --import tsx scripts/explain-audit-chapman.ts WORKSPACE_DIR [records=120] [epochs=8] [methods]
import fs from 'node:fs';
import path from 'node:path';
import { readWfdbRecord } from '../src-main/formats/wfdb-record.ts';
import { openWorkspace } from '../src-main/store/workspace.ts';
import { storeRecord } from '../src-main/store/record-store.ts';
import { trainInWorkspace } from '../src-main/workspace/train-model.ts';
import { explainInWorkspace } from '../src-main/workspace/explain-records.ts';
import { migration } from '../src-main/store/migrations/004-explain.ts';
import { dataPath } from '../tests/helpers/shared-data.ts';

const [dir, nArg, epochArg, methodArg] = process.argv.slice(2);
if (!dir) throw new Error('usage: explain-audit-chapman.ts WORKSPACE_DIR [records] [epochs] [methods]');
const n = Number(nArg ?? 120);
const ws = openWorkspace(dir);
if (!ws.db.prepare("SELECT name FROM sqlite_master WHERE name = 'saliency_map'").get()) ws.db.exec(migration.sql);
const root = dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01');
const headers = fs.readdirSync(root).sort().flatMap((d) => fs.readdirSync(path.join(root, d)).filter((f) => f.endsWith('.hea')).sort().map((f) => path.join(root, d, f)));
let stored = ws.db.prepare('SELECT COUNT(*) FROM record').pluck().get() as number;
for (const h of headers) {
  if (stored >= n) break;
  try {
    storeRecord(ws.db, await readWfdbRecord(h), { path: h, format: 'cinc' });
    stored++;
  } catch (e) {
    process.stderr.write(`skip ${h}: ${(e as Error).message}\n`);
  }
}
process.stderr.write(`${stored} records\n`);
let modelId = ws.db.prepare('SELECT MAX(id) FROM ml_model').pluck().get() as number | null;
if (!modelId) {
  const t = await trainInWorkspace(ws, { arch: 'small-cnn', leads: 12, epochs: Number(epochArg ?? 8), seed: 1, onProgress: (l, e) => process.stderr.write(`${l} ${JSON.stringify(e)}\n`) });
  modelId = t.modelId;
  process.stderr.write(`trained model ${modelId}: ${t.metricName} ${t.validationScore}\n`);
}
const methods = (methodArg ?? 'vanilla-gradient,gradient-x-input,integrated-gradients,smoothgrad,guided-backprop,occlusion').split(',');
const s = await explainInWorkspace(ws, { modelId, methods, onProgress: (d, t) => d % 50 === 0 && process.stderr.write(`explain ${d}/${t}\n`) });
console.log(JSON.stringify(s, null, 1));
ws.close();
