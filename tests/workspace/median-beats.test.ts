import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { READERS } from '../../src-main/formats/readers.ts';
import { ingestPaths } from '../../src-main/ingest/ingest-files.ts';
import { correctBoundary } from '../../src-main/store/boundary-store.ts';
import { ruleResultsForRecord } from '../../src-main/store/rule-store.ts';
import { openWorkspace, type Workspace } from '../../src-main/store/workspace.ts';
import { analyseRecord, loadSpan, recordRules } from '../../src-main/workspace/analyse-record.ts';
import { canonicalLeadName, leadMillivolts } from '../../src-shared/record.ts';
import { medianBeat } from '../../src-main/dsp/delineation.ts';
import { ecgClean } from '../../src-main/dsp/ecg-clean.ts';
import { measureRecord } from '../../src-main/dsp/measurements.ts';
import { recordMedianBeats } from '../../src-main/workspace/median-beats.ts';
import { patientRecords } from '../../src-main/workspace/patient-records.ts';
import { listWorklist } from '../../src-main/store/worklist.ts';
import { runStoredRules } from '../../src-main/workspace/run-rules.ts';
import { NEAR_QTC_LIMIT_AECG, samePatientMuseFiles } from '../helpers/same-patient-muse.ts';

let ws: Workspace;
let aecg: number, current: number, prior: number;

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-median-'));
  ws = openWorkspace(dir);
  const [cur, pri] = samePatientMuseFiles(dir);
  for (const f of [NEAR_QTC_LIMIT_AECG, cur, pri]) {
    const r = await ingestPaths(ws, [f], { readers: READERS });
    expect(r.recordIds, f).toHaveLength(1);
  }
  [aecg, current, prior] = ws.db.prepare('SELECT id FROM record ORDER BY id').pluck().all() as number[];
}, 60_000);

const qtc = (id: number) => recordRules(ws.db, id, 12).find((r) => r.detectorId === 'prolonged-qtc')!;

describe('median beats and corrected boundaries', () => {
  it("gives each lead's median beat with the automatic boundaries and their measurements", () => {
    const m = recordMedianBeats(ws.db, aecg);
    expect(m.leads.map((l) => l.name)).toEqual(['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
    for (const l of m.leads) expect(l.values).toHaveLength(m.length);
    expect(m.pre).toBeGreaterThan(0);
    expect(m.beatsUsed).toBeGreaterThan(5);
    // R sits at `pre`, boundaries count from it: lead II's median beat peaks inside the QRS.
    const ii = m.leads[1].values;
    const peak = ii.indexOf(Math.max(...ii));
    expect(peak).toBeGreaterThan(m.pre + m.automatic.qrsOnset!);
    expect(peak).toBeLessThan(m.pre + m.automatic.qrsOffset!);
    expect(m.corrected).toEqual({});
    expect(m.boundaries).toEqual(m.automatic);
    expect(m.automatic.qrsOnset).toBeLessThan(0);
    expect(m.automatic.tOffset).toBeGreaterThan(m.automatic.qrsOffset!);
    expect(m.measurements).toEqual(m.automaticMeasurements);
    // The automatic QTc lies just over the rule's 460 ms limit (the device states 443 ms).
    expect(m.measurements.qtcBazettMs).toBeGreaterThan(460);
    expect(m.measurements.qtcBazettMs).toBeLessThan(480);
    expect(qtc(aecg).decision).toBe(true);
  });

  it('its templates are the beat measureRecord delineated: the median of the filtered leads over its window around R', () => {
    const m = recordMedianBeats(ws.db, aecg);
    const record = loadSpan(ws.db, aecg).record;
    const fs = record.samplingRate;
    const leads = Object.fromEntries(record.leads.map((l) => [canonicalLeadName(l.name), leadMillivolts(l)]));
    // Rebuilt here as median-beats.ts did before measureRecord returned its median beat.
    const auto = measureRecord(leads, fs);
    const rrSamples = (auto.rr!.medianMs / 1000) * fs;
    const pre = Math.round(Math.min(0.35 * fs, 0.45 * rrSamples));
    const post = Math.round(Math.min(0.65 * fs, 0.8 * rrSamples));
    const names = m.leads.map((l) => l.name);
    const beat = medianBeat(
      names.map((n) => ecgClean(leads[n], fs, 'measurement')),
      auto.beats,
      pre,
      post,
    )!;
    expect([m.pre, m.length, m.beatsUsed]).toEqual([beat.pre, beat.length, beat.beatsUsed.length]);
    m.leads.forEach((l, k) => expect(l.values).toEqual(beat.templates[k]));
  });

  it('a T end moved earlier shortens QT and QTc and clears the prolonged-QTc decision; putting it back restores both', () => {
    const before = recordMedianBeats(ws.db, aecg);
    const tEnd = before.automatic.tOffset!;
    correctBoundary(ws.db, { recordId: aecg, boundary: 'tOffset', offset: tEnd - 10, author: 'dr q' });
    const after = recordMedianBeats(ws.db, aecg);
    expect(after.automatic).toEqual(before.automatic);
    expect(after.corrected).toEqual({ tOffset: tEnd - 10 });
    expect(after.boundaries.tOffset).toBe(tEnd - 10);
    // 10 samples at 500 Hz: QT 20 ms shorter, the other intervals as they were.
    expect(before.measurements.qtMs! - after.measurements.qtMs!).toBeCloseTo(20, 6);
    expect(after.measurements.prMs).toBe(before.measurements.prMs);
    expect(after.measurements.qrsMs).toBe(before.measurements.qrsMs);
    expect(after.measurements.qtcBazettMs).toBeLessThan(460);
    expect(after.history.map((h) => [h.boundary, h.offset, h.author])).toEqual([['tOffset', tEnd - 10, 'dr q']]);
    expect(qtc(aecg).decision).toBe(false);
    expect(qtc(aecg).evidence.measurements.qtcBazettMs).toBeLessThan(460);
    // The viewer's measurement panel and the batch rules run read the correction too.
    expect(analyseRecord(ws.db, aecg).qtcBazettMs).toBeCloseTo(after.measurements.qtcBazettMs!, 6);
    const batch = runStoredRules(ws.db, [aecg], 12)[0].results.find((r) => r.detectorId === 'prolonged-qtc')!;
    expect(batch.decision).toBe(false);

    correctBoundary(ws.db, { recordId: aecg, boundary: 'tOffset', offset: null, author: 'dr q' });
    expect(ruleResultsForRecord(ws.db, aecg)).toEqual([]);
    expect(recordMedianBeats(ws.db, aecg).measurements).toEqual(before.measurements);
    expect(qtc(aecg).decision).toBe(true);
  });
});

describe('records of one patient', () => {
  it('lists the patient records oldest first, and a record without a patient id alone', () => {
    const r = patientRecords(ws.db, current);
    expect(r.patientId).toBe('JAX01234');
    expect(r.records.map((x) => x.id)).toEqual([prior, current]);
    expect(r.records[0].startTime).toMatch(/^2020-05-10/);
    const none = ws.db.prepare('UPDATE record SET patient_id = NULL WHERE id = ? RETURNING id').pluck().get(aecg) as number;
    expect(patientRecords(ws.db, none)).toEqual({ patientId: null, records: [expect.objectContaining({ id: aecg })] });
    expect(() => patientRecords(ws.db, 999)).toThrow('no record with id 999');
    // The worklist's "same patient" filter lists the same records.
    expect(listWorklist(ws.db, { patientId: 'JAX01234' }).records.map((x) => x.id)).toEqual([current, prior].sort((a, b) => a - b));
    expect(listWorklist(ws.db, { patientId: 'JAX', queue: 'all' }).total).toBe(0);
  });
});
