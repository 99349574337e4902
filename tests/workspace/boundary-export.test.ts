// The dataset export carries boundary corrections: each current correction with the automatic boundary beside it,
// author and time, and the intervals measured on the automatic and on the corrected boundaries.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsvRecords } from '../../src-main/formats/csv.ts';
import { READERS } from '../../src-main/formats/readers.ts';
import { ingestPaths } from '../../src-main/ingest/ingest-files.ts';
import { correctBoundary } from '../../src-main/store/boundary-store.ts';
import { setReviewSettings } from '../../src-main/store/review-store.ts';
import { openWorkspace, type Workspace } from '../../src-main/store/workspace.ts';
import { exportDataset } from '../../src-main/workspace/export-dataset.ts';
import { recordMedianBeats } from '../../src-main/workspace/median-beats.ts';
import { NEAR_QTC_LIMIT_AECG, samePatientMuseFiles } from '../helpers/same-patient-muse.ts';

let ws: Workspace;
let tmp: string;
let aecg: number;
const csv = (file: string) => parseCsvRecords(fs.readFileSync(file, 'utf8'), file).rows;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-boundary-export-'));
  ws = openWorkspace(path.join(tmp, 'ws'));
  const [cur] = samePatientMuseFiles(tmp);
  for (const f of [NEAR_QTC_LIMIT_AECG, cur]) expect((await ingestPaths(ws, [f], { readers: READERS })).recordIds).toHaveLength(1);
  aecg = ws.db.prepare('SELECT MIN(id) FROM record').pluck().get() as number;
}, 60_000);

describe('boundary corrections in the dataset export', () => {
  it('lists the current corrections and the measurements on both sets of boundaries; uncorrected records are absent', () => {
    const m = recordMedianBeats(ws.db, aecg);
    const { tOffset, qrsOnset } = m.automatic;
    correctBoundary(ws.db, { recordId: aecg, boundary: 'tOffset', offset: tOffset! + 4, author: 'dr first' }, '2026-01-01T10:00:00.000Z');
    correctBoundary(ws.db, { recordId: aecg, boundary: 'tOffset', offset: tOffset! + 10, author: 'dr e' }, '2026-01-02T10:00:00.000Z');
    correctBoundary(ws.db, { recordId: aecg, boundary: 'qrsOnset', offset: qrsOnset! - 3, author: 'dr e' }, '2026-01-02T11:00:00.000Z');
    // Put back: a reverted boundary is not a current correction.
    correctBoundary(ws.db, { recordId: aecg, boundary: 'qrsOnset', offset: null, author: 'dr e' }, '2026-01-02T12:00:00.000Z');
    setReviewSettings(ws.db, { qtcFormula: 'fridericia', author: 'dr e' });
    const out = path.join(tmp, 'out');
    const r = exportDataset(ws, { outDir: out });
    expect(r.records).toBe(2);
    expect(r.skipped).toEqual([]);
    const name = fs.readFileSync(path.join(out, 'RECORDS'), 'utf8').split('\n')[0];

    const ms = (samples: number) => String(Math.round((samples / m.samplingRate) * 10_000) / 10);
    expect(csv(path.join(out, 'boundary-corrections.csv'))).toEqual([
      {
        record: name,
        record_id: String(aecg),
        boundary: 'tOffset',
        automatic_ms_from_r: ms(tOffset!),
        corrected_ms_from_r: ms(tOffset! + 10),
        author: 'dr e',
        corrected_at: '2026-01-02T10:00:00.000Z',
      },
    ]);

    const rows = csv(path.join(out, 'corrected-measurements.csv'));
    expect(rows.map((x) => [x.record, x.boundaries])).toEqual([
      [name, 'automatic'],
      [name, 'corrected'],
    ]);
    const [auto, corrected] = rows;
    // The export measures as the median-beat view does: 10 samples at 500 Hz make QT 20 ms longer, nothing else moves.
    expect(Number(auto.qt_ms)).toBeCloseTo(m.automaticMeasurements.qtMs!, 0);
    expect(Number(corrected.qt_ms) - Number(auto.qt_ms)).toBeCloseTo(20, 6);
    expect(corrected.qrs_ms).toBe(auto.qrs_ms);
    expect(corrected.pr_ms).toBe(auto.pr_ms);
    expect(corrected.heart_rate_bpm).toBe(auto.heart_rate_bpm);
    expect(Number(corrected.qtc_bazett_ms)).toBeCloseTo(recordMedianBeats(ws.db, aecg).measurements.qtcBazettMs!, 0);
    // QTc by the workspace's formula, named; Fridericia is below Bazett above 60 bpm.
    expect(corrected.qtc_formula).toBe('fridericia');
    expect(Number(corrected.qtc_ms)).toBeLessThan(Number(corrected.qtc_bazett_ms));
  });
});
