// Saved selections and tags: every field of a selection query resolves to the right records in SQL, a saved selection
// is resolved again when used (a tag added later brings a record in), and shared patients are found.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedPatients } from '../../src-main/ml/splits.ts';
import { selectExportRecords } from '../../src-main/store/export-store.ts';
import { setAnnotatorLabel, setReviewState } from '../../src-main/store/label-store.ts';
import { storeRecord } from '../../src-main/store/record-store.ts';
import {
  addTag,
  getSelection,
  listSelections,
  listTags,
  recordTags,
  removeTag,
  resolveSelection,
  saveSelection,
  selectRecordIds,
  unmatchedRecordRefs,
} from '../../src-main/store/selection-store.ts';
import { openWorkspace, type Workspace } from '../../src-main/store/workspace.ts';
import { normaliseSelectionQuery } from '../../src-shared/selection-query.ts';
import { syntheticRecord } from '../helpers/synthetic-record.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-selections-'));
let ws: Workspace;
const ids: Record<string, number> = {};

// name, source format, source path, patient, SNOMED codes, day of ingest
const RECORDS: [string, string, string, string | undefined, string[], string][] = [
  ['A1', 'cinc', '/data/chapman/A1.hea', 'p1', ['426783006'], '2026-01-10'],
  ['A2', 'cinc', '/data/chapman/sub/A2.hea', 'p2', ['426177001'], '2026-01-11'],
  ['B1', 'ptbxl', '/data/ptbxl/records500/B1.hea', 'p1', ['426783006', '164889003'], '2026-02-01'],
  ['B2', 'ptbxl', '/data/ptbxl/records500/B2.hea', 'p3', [], '2026-02-02'],
  ['C1', 'ludb', '/data/chapman-extra/C1.hea', undefined, ['426177001'], '2026-03-05'],
  ['C2', 'ludb', '/data/ludb/C2.hea', 'p4', ['164889003'], '2026-03-06'],
];

beforeAll(() => {
  ws = openWorkspace(path.join(tmp, 'ws'));
  RECORDS.forEach(([name, format, file, patient, codes, day], k) => {
    const r = syntheticRecord({ seed: k + 1, length: 500, name });
    r.labels = codes.map((code) => ({ vocabulary: 'SNOMED', code }));
    if (patient) r.patientId = patient;
    const stored = ws.db.transaction(() => storeRecord(ws.db, r, { path: file, format }, `${day}T12:00:00.000Z`)).immediate();
    ids[name] = stored.recordId;
  });
});
afterAll(() => {
  ws.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const names = (recordIds: number[]): string[] => recordIds.map((id) => Object.keys(ids).find((n) => ids[n] === id)!).sort();

describe('selection queries resolve in SQL', () => {
  it('by source, folder (the folder or below, not a sibling prefix), patient, record name or id', () => {
    expect(names(selectRecordIds(ws.db, { sources: ['cinc'] }))).toEqual(['A1', 'A2']);
    expect(names(selectRecordIds(ws.db, { sources: ['ptbxl', 'ludb'] }))).toEqual(['B1', 'B2', 'C1', 'C2']);
    // /data/chapman-extra starts with '/data/chapman' but is not inside it.
    expect(names(selectRecordIds(ws.db, { folders: ['/data/chapman'] }))).toEqual(['A1', 'A2']);
    expect(names(selectRecordIds(ws.db, { folders: ['/data/chapman/'] }))).toEqual(['A1', 'A2']);
    expect(names(selectRecordIds(ws.db, { folders: ['/data/chapman/sub'] }))).toEqual(['A2']);
    expect(names(selectRecordIds(ws.db, { patientIds: ['p1'] }))).toEqual(['A1', 'B1']);
    expect(names(selectRecordIds(ws.db, { records: ['C2', String(ids.A1)] }))).toEqual(['A1', 'C2']);
    expect(unmatchedRecordRefs(ws.db, ['C2', 'nope', '99999'])).toEqual(['nope', '99999']);
  });

  it('by label, where an annotator removing a code takes the record out', () => {
    expect(names(selectRecordIds(ws.db, { labels: ['164889003'] }))).toEqual(['B1', 'C2']);
    setAnnotatorLabel(ws.db, { recordId: ids.C2, vocabulary: 'SNOMED', code: '164889003', present: false, author: 'dr.a' });
    expect(names(selectRecordIds(ws.db, { labels: ['164889003'] }))).toEqual(['B1']);
    setAnnotatorLabel(ws.db, { recordId: ids.C2, vocabulary: 'SNOMED', code: '164889003', present: true, author: 'dr.a' });
    expect(names(selectRecordIds(ws.db, { labels: ['164889003'] }))).toEqual(['B1', 'C2']);
  });

  it('by date of ingest (date-only bounds take the whole day), review state and reviewer', () => {
    expect(names(selectRecordIds(ws.db, { ingestedFrom: '2026-01-11', ingestedTo: '2026-02-01' }))).toEqual(['A2', 'B1']);
    expect(names(selectRecordIds(ws.db, { ingestedTo: '2026-01-10' }))).toEqual(['A1']);
    setReviewState(ws.db, { recordId: ids.A2, state: 'accepted', author: 'dr.b' });
    expect(names(selectRecordIds(ws.db, { reviewStates: ['accepted'] }))).toEqual(['A2']);
    expect(names(selectRecordIds(ws.db, { reviewer: 'dr.b' }))).toEqual(['A2']);
    expect(names(selectRecordIds(ws.db, { reviewer: 'dr.a' }))).toEqual(['C2']);
  });

  it('combines fields (all must hold) and several queries', () => {
    expect(names(selectRecordIds(ws.db, { sources: ['cinc', 'ptbxl'], labels: ['426783006'] }))).toEqual(['A1', 'B1']);
    expect(names(selectRecordIds(ws.db, { sources: ['cinc', 'ptbxl'] }, { patientIds: ['p1', 'p2'] }, { labels: ['426177001'] }))).toEqual([
      'A2',
    ]);
    expect(names(selectRecordIds(ws.db, {}))).toHaveLength(6);
  });

  it('export reads its filters through the same resolver, narrowed by a saved selection', () => {
    const sel = { tags: ['never-used'] };
    expect(selectExportRecords(ws.db, { formats: ['cinc'] }).ids).toEqual([ids.A1, ids.A2]);
    expect(selectExportRecords(ws.db, { formats: ['cinc'] }, { patientIds: ['p2'] }).ids).toEqual([ids.A2]);
    expect(selectExportRecords(ws.db, {}, sel).ids).toEqual([]);
    expect(selectExportRecords(ws.db, { records: ['A1', 'missing'] }).unmatched).toEqual(['missing']);
  });
});

describe('saved selections and tags', () => {
  it('a saved selection is resolved when used: a tag put on later brings its record in', () => {
    saveSelection(ws.db, { name: 'held-out', query: { tags: ['external'] }, author: 'dr.a' });
    expect(resolveSelection(ws.db, 'held-out').recordIds).toEqual([]);
    expect(addTag(ws.db, [ids.B2, ids.C1], 'external', 'dr.a')).toBe(2);
    expect(addTag(ws.db, [ids.B2], 'external', 'dr.a')).toBe(0);
    expect(names(resolveSelection(ws.db, 'held-out').recordIds)).toEqual(['B2', 'C1']);
    expect(recordTags(ws.db, ids.B2)).toEqual(['external']);
    expect(listTags(ws.db)).toEqual([{ tag: 'external', records: 2 }]);
    expect(removeTag(ws.db, [ids.C1, ids.A1], 'external', 'dr.a')).toBe(1);
    expect(names(resolveSelection(ws.db, 'held-out').recordIds)).toEqual(['B2']);
    const audit = ws.db.prepare("SELECT action, record_id FROM audit_log WHERE action LIKE 'tag.%' ORDER BY id").all();
    expect(audit).toEqual([
      { action: 'tag.add', record_id: ids.B2 },
      { action: 'tag.add', record_id: ids.C1 },
      { action: 'tag.remove', record_id: ids.C1 },
    ]);
  });

  it('refuses a second selection of the same name unless replaced, and keeps its id when replaced', () => {
    const first = saveSelection(ws.db, { name: 'dev', query: { sources: ['cinc'] }, author: 'dr.a' });
    expect(() => saveSelection(ws.db, { name: 'dev', query: { sources: ['ludb'] }, author: 'dr.a' })).toThrow(/exists already/);
    expect(getSelection(ws.db, 'dev').query).toEqual({ sources: ['cinc'] });
    const second = saveSelection(ws.db, {
      name: 'dev',
      query: { sources: ['ludb'], labels: [' ', '426177001'] },
      author: 'dr.b',
      replace: true,
    });
    expect(second).toMatchObject({ id: first.id, query: { sources: ['ludb'], labels: ['426177001'] }, author: 'dr.b' });
    expect(names(resolveSelection(ws.db, 'dev').recordIds)).toEqual(['C1']);
    expect(listSelections(ws.db).map((s) => s.name)).toEqual(['dev', 'held-out']);
    expect(() => getSelection(ws.db, 'nope')).toThrow("no saved selection named 'nope'");
  });

  it('refuses malformed queries with one line', () => {
    expect(() => normaliseSelectionQuery({ ingestedFrom: 'last week' })).toThrow(/not a date/);
    expect(() => normaliseSelectionQuery({ tags: ['bad tag'] })).toThrow(/tag 'bad tag'/);
    expect(() => normaliseSelectionQuery({ labels: 'x' as unknown as string[] })).toThrow(/list of strings/);
  });
});

describe('patient overlap', () => {
  it('finds the patients two sets share; records without a patient id share none', () => {
    const a = [{ id: '1', patientId: 'p1' }, { id: '2', patientId: 'p2' }, { id: '3' }];
    const b = [{ id: '4', patientId: 'p2' }, { id: '5', patientId: 'p9' }, { id: '3' }, { id: '6', patientId: 'p1' }];
    expect(sharedPatients(a, b)).toEqual(['p1', 'p2']);
    expect(sharedPatients(a, [{ id: '7', patientId: 'p3' }])).toEqual([]);
  });
});
