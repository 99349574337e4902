import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READERS } from '../../src-main/formats/readers.ts';
import { ingestPaths } from '../../src-main/ingest/ingest-files.ts';
import { listAudit } from '../../src-main/store/audit-log.ts';
import { setAnnotatorLabel, setReviewState } from '../../src-main/store/label-store.ts';
import {
  addInterval,
  addNote,
  deleteInterval,
  deleteNote,
  getReviewSettings,
  listIntervals,
  listNotes,
  setReviewSettings,
} from '../../src-main/store/review-store.ts';
import { listWorklist, worklistQueues } from '../../src-main/store/worklist.ts';
import { openWorkspace, type Workspace } from '../../src-main/store/workspace.ts';
import { analyseRecord, filteredSignalWindow, recordRules } from '../../src-main/workspace/analyse-record.ts';
import { readSignalWindow } from '../../src-main/store/record-store.ts';
import { searchVocabulary } from '../../src-shared/vocabulary-search.ts';
import { SNOMED_VOCABULARY } from '../../src-shared/snomed-vocabulary.ts';
import { REPO_ROOT, dataPath } from '../helpers/shared-data.ts';

let ws: Workspace;
const ids: Record<string, number> = {};

beforeAll(async () => {
  ws = openWorkspace(fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-review-store-')));
  await ingestPaths(ws, [path.join(REPO_ROOT, 'resources', 'samples'), dataPath('mitdb', '100.hea')], { readers: READERS });
  for (const r of ws.db.prepare('SELECT id, record_name FROM record').all() as { id: number; record_name: string }[])
    ids[r.record_name] = r.id;
}, 60_000);
afterAll(() => ws?.close());

describe('review store', () => {
  it('adds and deletes notes and interval annotations, each with its audit entry', () => {
    const id = ids.JS00004;
    const note = addNote(ws.db, { recordId: id, text: '  check lead V1 placement ', author: 'ann' });
    expect(note.text).toBe('check lead V1 placement');
    expect(listNotes(ws.db, id).map((n) => n.id)).toEqual([note.id]);
    deleteNote(ws.db, { id: note.id, author: 'ann' });
    expect(listNotes(ws.db, id)).toEqual([]);
    expect(() => deleteNote(ws.db, { id: note.id, author: 'ann' })).toThrow(/no note/);
    expect(() => addNote(ws.db, { recordId: id, text: '   ', author: 'ann' })).toThrow(/needs some text/);

    const iv = addInterval(ws.db, {
      recordId: id,
      start: 500,
      end: 1500,
      lead: 'V1',
      vocabulary: 'SNOMED',
      code: '164889003',
      author: 'ann',
    });
    expect(listIntervals(ws.db, id)).toMatchObject([{ id: iv.id, start: 500, end: 1500, lead: 'V1', code: '164889003' }]);
    expect(() => addInterval(ws.db, { recordId: id, start: 4000, end: 6000, vocabulary: 'SNOMED', code: '1', author: 'ann' })).toThrow(
      /not inside record .*0\.\.5000/,
    );
    expect(() =>
      addInterval(ws.db, { recordId: id, start: 0, end: 10, lead: 'MLII', vocabulary: 'SNOMED', code: '1', author: 'ann' }),
    ).toThrow(/has no lead MLII/);
    deleteInterval(ws.db, { id: iv.id, author: 'ann' });
    expect(listIntervals(ws.db, id)).toEqual([]);
    expect(
      listAudit(ws.db, { recordId: id })
        .map((a) => a.action)
        .slice(0, 4),
    ).toEqual(['interval.delete', 'interval.add', 'note.delete', 'note.add']);
  });

  it('keeps reviewer settings (screen calibration, shortcut keys) and refuses absurd ones', () => {
    expect(getReviewSettings(ws.db).pxPerMm).toBeCloseTo(96 / 25.4, 6);
    setReviewSettings(ws.db, { pxPerMm: 4.2, author: 'ann' });
    setReviewSettings(ws.db, { shortcuts: ['164889003'], author: 'ann' });
    expect(getReviewSettings(ws.db)).toEqual({
      pxPerMm: 4.2,
      shortcuts: ['164889003'],
      qtcFormula: 'bazett',
      blind: false,
      autoAdvance: false,
    });
    expect(() => setReviewSettings(ws.db, { pxPerMm: 0.1, author: 'ann' })).toThrow(/outside 1\.\.40/);
  });

  it('answers worklist queues and filters from review states and labels', () => {
    setReviewState(ws.db, { recordId: ids.JS00008, state: 'second-opinion', author: 'ann' });
    const counts = Object.fromEntries(worklistQueues(ws.db).queues.map((q) => [q.id, q.count]));
    expect(counts.all).toBe(6);
    expect(counts['second-opinion']).toBe(1);
    expect(counts.new).toBe(5);
    expect(listWorklist(ws.db, { queue: 'second-opinion' }).records.map((r) => r.recordName)).toEqual(['JS00008']);
    // SB (426177001) is labelled on JS00004 and JS00049; an annotator removing it from JS00049 takes it off the filter.
    expect(listWorklist(ws.db, { label: '426177001' }).records.map((r) => r.recordName)).toEqual(['JS00004', 'JS00049']);
    setAnnotatorLabel(ws.db, { recordId: ids.JS00049, vocabulary: 'SNOMED', code: '426177001', present: false, author: 'ann' });
    expect(listWorklist(ws.db, { label: '426177001' }).records.map((r) => r.recordName)).toEqual(['JS00004']);
    expect(listWorklist(ws.db, { leadCount: 2 }).records.map((r) => r.recordName)).toEqual(['100']);
    expect(listWorklist(ws.db, { sort: 'duration', descending: true, limit: 1 }).records[0].recordName).toBe('100');
    expect(() => listWorklist(ws.db, { queue: 'nope' })).toThrow(/unknown worklist queue 'nope'/);
  });

  it('measures a span of a real record and runs the rules on it (JS00004: sinus bradycardia)', () => {
    const a = analyseRecord(ws.db, ids.JS00004);
    expect(a.heartRateBpm).toBeGreaterThan(45);
    expect(a.heartRateBpm).toBeLessThan(60);
    expect(a.beats.length).toBeGreaterThanOrEqual(8);
    // Each of the 12 leads has its own QRS boundaries (ms from R); the global QRS spans at least three leads' onsets/offsets.
    expect(a.leadBoundaries!.map((l) => l.lead)).toHaveLength(12);
    for (const l of a.leadBoundaries!) expect(l.qrsOffsetMs - l.qrsOnsetMs).toBeGreaterThan(30);
    const counted = a.leadBoundaries!.filter((l) => l.qrsCounted);
    expect(counted.length).toBeGreaterThanOrEqual(3);
    const thirdOnset = counted.map((l) => l.qrsOnsetMs).sort((x, y) => x - y)[2];
    const thirdOffset = counted.map((l) => l.qrsOffsetMs).sort((x, y) => y - x)[2];
    expect(a.qrsMs!).toBeGreaterThanOrEqual(thirdOffset - thirdOnset - 0.01);
    // A later span of MIT-BIH 100 (normal sinus rhythm, ~75 bpm): beats come back in record samples.
    const b = analyseRecord(ws.db, ids['100'], 360 * 600, 360 * 630);
    expect(b.beats.every((x) => x >= 360 * 600 && x < 360 * 630)).toBe(true);
    expect(b.heartRateBpm).toBeGreaterThan(60);
    expect(b.heartRateBpm).toBeLessThan(90);
    const rules = recordRules(ws.db, ids.JS00004, 12);
    expect(rules.find((r) => r.detectorId === 'sinus-bradycardia')?.decision).toBe(true);
    // A 2-lead MIT-BIH record on the 2-lead set: every rule 'not applicable' with the leads it lacks (was a throw, a 500).
    const mit = recordRules(ws.db, ids['100'], 2);
    expect(mit.every((r) => r.decision === 'not-applicable' && /lacks I, II of the 2-lead set/.test(r.evidence.note))).toBe(true);
  });

  it('applies display filters to raw windows only, as float32 millivolts', () => {
    const id = ids['100'];
    const raw = readSignalWindow(ws.db, id, 3600, 7200, 20_000)!;
    const filtered = filteredSignalWindow(ws.db, id, 3600, 7200, 20_000, ['baseline', 'bandpass'])!;
    expect(filtered.filters).toEqual(['baseline', 'bandpass']);
    expect([filtered.start, filtered.end, filtered.bucketSize]).toEqual([raw.start, raw.end, 1]);
    const lead = filtered.leads[0];
    expect(lead).toMatchObject({ name: raw.leads[0].name, sampleType: 'float32', units: 'mV', gain: 1, baseline: 0 });
    expect(lead.values).toBeInstanceOf(Float32Array);
    expect(lead.values.length).toBe(raw.end - raw.start);
    const mean = (v: ArrayLike<number>) => Array.from(v).reduce((s, x) => s + x, 0) / v.length;
    // MIT-BIH 100 MLII sits about -0.3 mV below zero; the band-pass removes that offset.
    expect(Math.abs(mean(lead.values))).toBeLessThan(0.05);
    expect(Math.abs(mean(raw.leads[0].values) - raw.leads[0].baseline) / raw.leads[0].gain).toBeGreaterThan(0.15);
    // Filtering changes the trace's shape only a little: it stays close to the raw millivolts minus their offset.
    const rawMv = Array.from(raw.leads[0].values, (v) => (v - raw.leads[0].baseline) / raw.leads[0].gain);
    const offset = mean(rawMv);
    const rms = Math.sqrt(mean(rawMv.map((v, i) => (v - offset - lead.values[i]) ** 2)));
    expect(rms).toBeLessThan(0.1);
    const zoomedOut = filteredSignalWindow(ws.db, id, 0, 650_000, 2000, ['bandpass'])!;
    expect(zoomedOut.bucketSize).toBeGreaterThan(1);
    expect(zoomedOut.filters).toEqual([]);
    expect(() => filteredSignalWindow(ws.db, id, 0, 100, 200, ['smooth'])).toThrow(/unknown display filter 'smooth'/);
  });

  it('finds vocabulary entries by abbreviation, code and words, scored classes first', () => {
    expect(SNOMED_VOCABULARY.length).toBeGreaterThan(120);
    expect(SNOMED_VOCABULARY.slice(0, 25).every((e) => e.scored)).toBe(true);
    expect(searchVocabulary('AF')[0]).toMatchObject({ code: '164889003', name: 'atrial fibrillation' });
    expect(searchVocabulary('164890007')[0].abbreviation).toBe('AFL');
    expect(searchVocabulary('sinus brady')[0].abbreviation).toBe('SB');
    expect(searchVocabulary('zzzz')).toEqual([]);
  });
});
