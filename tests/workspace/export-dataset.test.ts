// `leadlens export` as a use case: a selection written as a WFDB dataset, then ingested into a new workspace, gives
// bit-identical signals and the same (corrected) labels of every vocabulary; labels.csv, splits.csv, annotations and history.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsvRecords } from '../../src-main/formats/csv.ts';
import { READERS } from '../../src-main/formats/readers.ts';
import { encodeWfdbAnnotations, parseWfdbAnnotations } from '../../src-main/formats/wfdb-annotation.ts';
import { ingestPaths } from '../../src-main/ingest/ingest-files.ts';
import { storedAnnotationSets } from '../../src-main/store/export-store.ts';
import { effectiveLabels, setAnnotatorLabel, setReviewState } from '../../src-main/store/label-store.ts';
import { getRecordSignal, storeRecord } from '../../src-main/store/record-store.ts';
import { addInterval } from '../../src-main/store/review-store.ts';
import { openWorkspace, type Workspace } from '../../src-main/store/workspace.ts';
import { samplesDir } from '../../src-main/resources.ts';
import { exportDataset } from '../../src-main/workspace/export-dataset.ts';
import { ApiError, createServices } from '../../src-main/api/services.ts';
import type { ApiEventMessage } from '../../src-shared/api.ts';
import { dataPath } from '../helpers/shared-data.ts';
import { syntheticRecord } from '../helpers/synthetic-record.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-export-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let ws: Workspace;
const idOf = (w: Workspace, name: string): number =>
  w.db.prepare('SELECT id FROM record WHERE record_name = ?').pluck().get(name) as number;
const snomed = (w: Workspace, id: number): string[] =>
  effectiveLabels(w.db, id)
    .filter((l) => l.vocabulary === 'SNOMED')
    .map((l) => l.code)
    .sort();
const everyLabel = (w: Workspace, id: number): string[] =>
  effectiveLabels(w.db, id)
    .map((l) => `${l.vocabulary}:${l.code}`)
    .sort();
const csv = (file: string) => parseCsvRecords(fs.readFileSync(file, 'utf8'), file).rows;

beforeAll(async () => {
  ws = openWorkspace(path.join(tmp, 'ws-a'));
  const mit = ['hea', 'dat', 'atr'].map((e) => dataPath('mitdb', `100.${e}`));
  const r = await ingestPaths(ws, [samplesDir(), ...mit], { readers: READERS });
  expect(r).toMatchObject({ newRecords: 6, quarantined: [] });
  // A record with 32-bit leads (beyond int16) and a patient id shared with no one.
  const wide = syntheticRecord({ seed: 7, length: 3000, name: 'WIDE32' });
  wide.leads = wide.leads.slice(0, 3).map((l, k) => ({ ...l, digital: Int32Array.from(l.digital, (v) => v * 100 + k * 40_000) }));
  wide.patientId = 'P7';
  wide.startTime = '2021-03-04T05:06:07.250';
  ws.db.transaction(() => storeRecord(ws.db, wide, { path: '/synthetic/WIDE32', format: 'test' })).immediate();
  // Corrections: an added and a removed label, a review state, an interval.
  // JS00049 has 426177001 and 39732003: one is removed, 270492004 (IAVB, on no sample record) added.
  const js49 = idOf(ws, 'JS00049');
  setAnnotatorLabel(ws.db, { recordId: js49, vocabulary: 'SNOMED', code: '270492004', present: true, author: 'dr.a' });
  setAnnotatorLabel(ws.db, { recordId: js49, vocabulary: 'SNOMED', code: '39732003', present: false, author: 'dr.a' });
  setReviewState(ws.db, { recordId: js49, state: 'corrected', author: 'dr.a' });
  // Labels outside SNOMED CT, with the characters a header line could mangle.
  setAnnotatorLabel(ws.db, { recordId: js49, vocabulary: 'LUDB', code: 'Sinus rhythm, irregular: 1%', present: true, author: 'dr.a' });
  setAnnotatorLabel(ws.db, { recordId: idOf(ws, '100'), vocabulary: 'SCP', code: 'NORM', present: true, author: 'dr.a' });
  setReviewState(ws.db, { recordId: idOf(ws, 'JS00008'), state: 'accepted', author: 'dr.b' });
  addInterval(ws.db, {
    recordId: idOf(ws, 'JS00008'),
    start: 100,
    end: 900,
    lead: 'II',
    vocabulary: 'SNOMED',
    code: '164889003',
    text: 'AF run, "short"',
    author: 'dr.b',
  });
});

describe('WFDB annotation encoding', () => {
  it('MIT-BIH 100.atr (2274 annotations, aux rhythm strings, long gaps) encodes back to the same annotations', () => {
    const atr = new Uint8Array(fs.readFileSync(dataPath('mitdb', '100.atr')));
    const ann = parseWfdbAnnotations(atr, '100.atr');
    expect(parseWfdbAnnotations(encodeWfdbAnnotations(ann), 'x')).toEqual(ann);
    const odd = [
      { sample: 5, symbol: 'N', subtype: -3, channel: 2, num: 5 },
      { sample: 200_000, symbol: '(', aux: 'SNOMED:1 II' },
      { sample: 200_001, symbol: 'Q?' },
    ];
    expect(parseWfdbAnnotations(encodeWfdbAnnotations(odd), 'x')).toEqual([
      { sample: 5, symbol: 'N', subtype: -3, channel: 2, num: 5 },
      { sample: 200_000, symbol: '(', aux: 'SNOMED:1 II' },
      { sample: 200_001, symbol: '"', aux: 'Q?' },
    ]);
  });
});

describe('exportDataset', () => {
  it('round trip: a new workspace ingests the export with bit-identical signals, the corrected labels of every vocabulary and the beats', async () => {
    const out = path.join(tmp, 'all');
    const r = exportDataset(ws, { outDir: out });
    expect(r).toMatchObject({ records: 7, skipped: [] });
    expect(fs.readFileSync(path.join(out, 'RECORDS'), 'utf8').trim().split('\n')).toEqual([
      'JS00004',
      'JS00008',
      'JS00012',
      'JS00036',
      'JS00049',
      '100',
      'WIDE32',
    ]);
    expect(fs.readFileSync(path.join(out, 'JS00004.hea'), 'latin1')).toMatch(
      /^JS00004 12 500 5000\nJS00004\.dat 16 1000\(0\)\/mV 16 0 -?\d+ -?\d+ 0 I\n/,
    );
    expect(fs.readFileSync(path.join(out, 'WIDE32.hea'), 'latin1')).toMatch(
      /^WIDE32 3 500 3000 05:06:07\.250 04\/03\/2021\nWIDE32_32\.dat 32 /,
    );
    const b = openWorkspace(path.join(tmp, 'ws-b'));
    const again = await ingestPaths(b, [out], { readers: READERS });
    expect(again).toMatchObject({ newRecords: 7, duplicates: 0, quarantined: [] });
    for (const name of ['JS00004', 'JS00008', 'JS00012', 'JS00036', 'JS00049', '100', 'WIDE32']) {
      const [x, y] = [getRecordSignal(ws.db, idOf(ws, name))!, getRecordSignal(b.db, idOf(b, name))!];
      expect({ fs: y.samplingRate, n: y.length, age: y.age, sex: y.sex, start: y.startTime }).toEqual({
        fs: x.samplingRate,
        n: x.length,
        age: x.age,
        sex: x.sex,
        start: x.startTime,
      });
      expect(y.leads.map((l) => [l.name, l.units, l.gain, l.baseline, l.digital.constructor.name])).toEqual(
        x.leads.map((l) => [l.name, l.units, l.gain, l.baseline, l.digital.constructor.name]),
      );
      x.leads.forEach((l, k) => expect(Buffer.from(y.leads[k].digital.buffer).equals(Buffer.from(l.digital.buffer))).toBe(true));
      expect(snomed(b, idOf(b, name))).toEqual(snomed(ws, idOf(ws, name)));
      expect(everyLabel(b, idOf(b, name))).toEqual(everyLabel(ws, idOf(ws, name)));
    }
    expect(everyLabel(b, idOf(b, 'JS00049'))).toContain('LUDB:Sinus rhythm, irregular: 1%');
    expect(everyLabel(b, idOf(b, '100'))).toEqual(['SCP:NORM']);
    expect(snomed(b, idOf(b, 'JS00049'))).toEqual(['270492004', '426177001']);
    expect(storedAnnotationSets(b.db, idOf(b, '100'))).toEqual(storedAnnotationSets(ws.db, idOf(ws, '100')));
    b.close();
  });

  it('labels.csv, splits.csv, intervals (CSV and WFDB), annotations.csv and label history', () => {
    const out = path.join(tmp, 'tables');
    exportDataset(ws, { outDir: out, folds: 3, seed: 5 });
    const labels = csv(path.join(out, 'labels.csv'));
    const js49 = labels.find((l) => l.record === 'JS00049')!;
    expect(js49).toMatchObject({
      record_id: String(idOf(ws, 'JS00049')),
      label_source: 'annotator+dataset',
      reviewer: 'dr.a',
      review_state: 'corrected',
    });
    expect(js49.snomed_codes.split(' ').sort()).toEqual(['270492004', '426177001']);
    expect(labels.find((l) => l.record === 'JS00012')).toMatchObject({ label_source: 'dataset', reviewer: '', review_state: 'new' });
    const splits = csv(path.join(out, 'splits.csv'));
    expect(splits.map((s) => s.record).sort()).toEqual(labels.map((l) => l.record).sort());
    expect(new Set(splits.map((s) => s.fold))).toEqual(new Set(['1', '2', '3']));
    const byPatient = new Map<string, Set<string>>();
    for (const s of splits.filter((x) => x.patient_id !== ''))
      byPatient.set(s.patient_id, (byPatient.get(s.patient_id) ?? new Set()).add(s.fold));
    for (const folds of byPatient.values()) expect(folds.size).toBe(1);
    // Seeded: the same selection and seed give the same folds.
    exportDataset(ws, { outDir: path.join(tmp, 'tables-again'), folds: 3, seed: 5 });
    expect(fs.readFileSync(path.join(tmp, 'tables-again', 'splits.csv'), 'utf8')).toBe(
      fs.readFileSync(path.join(out, 'splits.csv'), 'utf8'),
    );
    expect(csv(path.join(out, 'intervals.csv'))).toEqual([
      expect.objectContaining({
        record: 'JS00008',
        start_sample: '100',
        end_sample: '900',
        lead: 'II',
        code: '164889003',
        text: 'AF run, "short"',
        author: 'dr.b',
      }),
    ]);
    expect(parseWfdbAnnotations(new Uint8Array(fs.readFileSync(path.join(out, 'JS00008.intervals'))), 'x')).toEqual([
      { sample: 100, symbol: '(', aux: 'SNOMED:164889003 II' },
      { sample: 900, symbol: ')', aux: 'SNOMED:164889003 II' },
    ]);
    const beats = csv(path.join(out, 'annotations.csv'));
    expect(beats.filter((a) => a.record === '100')).toHaveLength(2274);
    expect(beats.find((a) => a.record === '100' && a.aux !== '')).toMatchObject({ annotator: 'atr', aux: '(N' });
    const history = JSON.parse(fs.readFileSync(path.join(out, 'label-history', 'JS00049.json'), 'utf8'));
    expect(
      history.labels
        .filter((l: { sourceKind: string }) => l.sourceKind === 'annotator')
        .map((l: { code: string; present: boolean; author: string }) => [l.code, l.present, l.author]),
    ).toEqual([
      ['270492004', true, 'dr.a'],
      ['39732003', false, 'dr.a'],
      ['Sinus rhythm, irregular: 1%', true, 'dr.a'],
    ]);
  });

  it('selects by label, format, review state, reviewer, record name or id and queue; the filters combine', () => {
    const names = (q: Parameters<typeof exportDataset>[1]) =>
      fs
        .readFileSync(path.join(exportDataset(ws, q).outDir, 'RECORDS'), 'utf8')
        .trim()
        .split('\n');
    let n = 0;
    const dir = () => path.join(tmp, `sel-${n++}`);
    expect(names({ outDir: dir(), labels: ['270492004'] })).toEqual(['JS00049']);
    // A label the annotator removed no longer selects the record; one on two records selects both.
    expect(names({ outDir: dir(), labels: ['39732003', '164889003'] })).toEqual(['JS00036']);
    expect(names({ outDir: dir(), formats: ['wfdb'] })).toEqual(['100']);
    expect(names({ outDir: dir(), reviewStates: ['corrected', 'accepted'] })).toEqual(['JS00008', 'JS00049']);
    expect(names({ outDir: dir(), reviewer: 'dr.b' })).toEqual(['JS00008']);
    expect(names({ outDir: dir(), records: ['JS00049', String(idOf(ws, '100'))] })).toEqual(['JS00049', '100']);
    expect(names({ outDir: dir(), formats: ['cinc'], reviewStates: ['new'] })).toEqual(['JS00004', 'JS00012', 'JS00036']);
    expect(names({ outDir: dir(), queue: 'reviewed' })).toEqual(['JS00008', 'JS00049']);
    expect(() => exportDataset(ws, { outDir: dir(), queue: 'nope' })).toThrow(/^unknown worklist queue 'nope'/);
  });

  it('refuses in one line: a reference that matches nothing, an empty selection, a folder with files in it', () => {
    expect(() => exportDataset(ws, { outDir: path.join(tmp, 'x1'), records: ['NOPE'] })).toThrow(
      /^no stored record with id or name 'NOPE'$/,
    );
    expect(() => exportDataset(ws, { outDir: path.join(tmp, 'x2'), labels: ['1'] })).toThrow(/^no stored record matches the selection$/);
    const full = path.join(tmp, 'full');
    fs.mkdirSync(full);
    fs.writeFileSync(path.join(full, 'keep.txt'), 'mine');
    expect(() => exportDataset(ws, { outDir: full })).toThrow(/is not empty; name a new or empty folder$/);
    expect(fs.readdirSync(full)).toEqual(['keep.txt']);
  });

  // Last: it adds the export's files as sources of the records in the source workspace.
  it('ingesting an export into its own workspace finds every record already there', async () => {
    const out = exportDataset(ws, { outDir: path.join(tmp, 'self') }).outDir;
    expect(await ingestPaths(ws, [out], { readers: READERS })).toMatchObject({ newRecords: 0, duplicates: 7, quarantined: [] });
  });

  it("the API's export.dataset writes the selection, reports progress, and answers 400 for what the request gets wrong", async () => {
    const events: ApiEventMessage[] = [];
    const services = createServices(ws, (m) => events.push(m), 'http');
    const out = path.join(tmp, 'api');
    const r = await services.call('export.dataset', { outDir: out, reviewStates: ['corrected'], reviewer: 'dr.a' });
    expect(r).toMatchObject({ outDir: out, records: 1, skipped: [] });
    expect(fs.readFileSync(path.join(out, 'RECORDS'), 'utf8')).toBe('JS00049\n');
    expect(events.some((m) => m.event === 'progress' && (m.payload as { task: string }).task === 'export')).toBe(true);
    const refusals: [unknown, RegExp][] = [
      [{ outDir: 'relative/dir' }, /outDir must be an absolute folder path/],
      [{ outDir: out }, /is not empty/],
      [{ outDir: path.join(tmp, 'api-2'), reviewStates: ['done'] }, /unknown review state 'done'/],
      [{ outDir: path.join(tmp, 'api-3'), records: ['NOPE'] }, /no stored record with id or name 'NOPE'/],
      [{ outDir: path.join(tmp, 'api-4'), folds: 1 }, /folds/],
    ];
    for (const [params, re] of refusals) {
      const err = await services.call('export.dataset', params).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).status).toBe(400);
      expect((err as Error).message).toMatch(re);
    }
  });
});
