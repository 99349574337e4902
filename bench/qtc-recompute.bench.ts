// QTc formula change on a workspace of Chapman records (12-lead, 500 Hz, 10 s) with stored rule results: the stored
// prolonged-QTc decisions taken again, once re-decided from their evidence (the fast path: no signal read or measured)
// and once each record measured again (inline, one core). BENCH_QTC_RECORDS=N sets the record count (default 100).
// Runs alone: `node bench/run.mjs qtc-recompute`. Prints one JSON object as the last stdout line.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { READERS } from '../src-main/formats/readers.ts';
import { ingestPaths } from '../src-main/ingest/ingest-files.ts';
import { setReviewSettings } from '../src-main/store/review-store.ts';
import { openWorkspace } from '../src-main/store/workspace.ts';
import { recomputeQtcBatch } from '../src-main/workspace/qtc-recompute.ts';
import { runStoredRules } from '../src-main/workspace/run-rules.ts';
import { SHARED_DATA } from './shared-data-path.ts';

const count = Number(process.env.BENCH_QTC_RECORDS ?? 100);
const folder = path.join(SHARED_DATA, 'cinc', 'chapman-ningbo', 'WFDBRecords', '01', '010');
const names = fs
  .readdirSync(folder)
  .filter((f) => f.endsWith('.hea'))
  .sort()
  .slice(0, count)
  .map((f) => f.slice(0, -4));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-bench-qtc-'));
const ws = openWorkspace(dir);
try {
  const files = names.flatMap((n) => [path.join(folder, `${n}.hea`), path.join(folder, `${n}.mat`)]);
  const { recordIds } = await ingestPaths(ws, files, { readers: READERS });
  runStoredRules(ws.db, recordIds, 12);
  const loadAtStart = os.loadavg();
  const timed = async (formula: 'fridericia' | 'hodges', redecide: boolean) => {
    setReviewSettings(ws.db, { qtcFormula: formula, author: 'bench' });
    const t0 = performance.now();
    const run = await recomputeQtcBatch(ws.db, redecide ? {} : { redecide: () => false });
    const seconds = (performance.now() - t0) / 1000;
    return {
      pairs: run.total,
      redecided: run.redecided,
      remeasured: run.remeasured,
      recordsPerSecond: Math.round((run.total / seconds) * 10) / 10,
    };
  };
  const fast = await timed('fridericia', true);
  const full = await timed('hodges', false);
  process.stderr.write(`fast path ${JSON.stringify(fast)}\nre-measure ${JSON.stringify(full)}\n`);
  console.log(
    JSON.stringify({
      dataset: `cinc/chapman-ningbo WFDBRecords/01/010, first ${recordIds.length} records (12-lead set)`,
      fastPath: fast,
      remeasureAll: full,
      speedup: Math.round((fast.recordsPerSecond / full.recordsPerSecond) * 10) / 10,
      timingNote: `provisional: measured under load (load average at start ${loadAtStart.map((x) => x.toFixed(2)).join(' ')})`,
      notes: [
        'Fast path: re-decided from the stored evidence (all four QTc values), records whose evidence cannot decide measured again.',
        'Re-measure: every record read and measured again, inline on one core (the app hands these to the analysis pool).',
      ],
    }),
  );
} finally {
  ws.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
