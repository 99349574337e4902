// Signal windows and saliency maps over `leadlens serve` travel as bytes (application/octet-stream), behind the
// same token, Host/Origin checks and parameter validation as every JSON call.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordDetail, SaliencyMapData, SignalWindow } from '../../src-shared/api.ts';
import type { DeviceBeats } from '../../src-shared/record.ts';
import { representativeBeats } from '../../src-main/formats/representative-beats.ts';
import { decodeBinaryResult } from '../../src-shared/binary-result.ts';
import { saveSaliency } from '../../src-main/store/saliency-store.ts';
import { saveModel } from '../../src-main/store/model-store.ts';
import { createServices } from '../../src-main/api/services.ts';
import { rendererDir } from '../../src-main/resources.ts';
import { startServer, type RunningServer } from '../../src-main/server/serve.ts';
import { storeRecord } from '../../src-main/store/record-store.ts';
import { openWorkspace, type Workspace } from '../../src-main/store/workspace.ts';
import { syntheticRecord } from '../helpers/synthetic-record.ts';
import { postApi } from '../helpers/api-post.ts';

let ws: Workspace;
let server: RunningServer;
let recordId: number;
let deviceRecordId: number;
let mapId: number;
const record = syntheticRecord({ seed: 5, length: 100_000 });
// A cart's record: its reading carries a 600-sample representative beat per lead (GE's median, stored as base64).
const beatLeads = syntheticRecord({ seed: 6, length: 600 }).leads.map((l, i) => ({ ...l, units: 'uV', gain: 1 + i, baseline: 2 * i }));
const cart = {
  ...syntheticRecord({ seed: 7, length: 5000, name: 'CART' }),
  device: {
    model: 'GE MAC55',
    measurements: { heartRate: { value: 71, unit: 'bpm' } },
    statements: ['Sinus rhythm'],
    representativeBeats: representativeBeats(beatLeads, 500, 'median'),
  },
};
const saliency = Float32Array.from({ length: 2 * 500 }, (_, i) => Math.sin(i / 10));

function post(
  method: string,
  params: unknown,
  headers: Record<string, string> = { Authorization: `Bearer ${server.token}` },
): Promise<{ status: number; type: string; body: Buffer }> {
  return postApi(server.port, method, params, headers);
}
const decoded = <T>(body: Buffer): T =>
  decodeBinaryResult<T>(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer);

beforeAll(async () => {
  ws = openWorkspace(fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-binary-')));
  recordId = ws.db.transaction(() => storeRecord(ws.db, record, { path: '/x.hea', format: 'test' }))().recordId;
  deviceRecordId = ws.db.transaction(() => storeRecord(ws.db, cart, { path: '/cart.xml', format: 'test' }))().recordId;
  const modelId = saveModel(ws.db, {
    name: 'm',
    kind: 'tfjs',
    architecture: 'cnn1d',
    hyperparameters: {},
    classes: ['426177001'],
    leadSet: ['I', 'II'],
    inputSpec: {},
    metrics: {},
    runtime: 'test',
    weights: new Uint8Array(4),
    records: [],
    labelIds: [],
  });
  mapId = saveSaliency(ws.db, recordId, modelId, {
    map: saliency,
    leads: ['I', 'II'],
    samples: 500,
    provenance: {
      model: String(modelId),
      method: 'grad-cam',
      baseline: null,
      targetClass: 0,
      layer: null,
      preprocessing: 'none',
      layout: null,
      seed: null,
      params: {},
    },
  });
  // No events in these tests: the services alone, without the app session's seeding and inbox.
  server = await startServer({
    session: { services: createServices(ws, () => undefined, 'http'), onEvent: () => () => undefined },
    rendererDir: rendererDir(),
  });
});
afterAll(async () => {
  await server.close();
  ws.close();
});

describe('binary signal transport over serve', () => {
  it('sends a raw window as octet-stream bytes that read back as the stored samples', async () => {
    const r = await post('records.signal', { id: recordId, start: 1000, end: 3000, maxPoints: 5000 });
    expect(r.status).toBe(200);
    expect(r.type).toBe('application/octet-stream');
    // No base64 or JSON number lists: the body is the samples plus a small header.
    expect(r.body.byteLength).toBeLessThan(12 * 2000 * 2 + 4096);
    const w = decoded<SignalWindow>(r.body);
    expect([w.start, w.end, w.bucketSize, w.samplingRate]).toEqual([1000, 3000, 1, 500]);
    expect(w.leads.map((l) => l.name)).toEqual(record.leads.map((l) => l.name));
    w.leads.forEach((l, i) => {
      expect(l.sampleType).toBe('int16');
      expect(l.values).toBeInstanceOf(Int16Array);
      expect(Array.from(l.values)).toEqual(Array.from(record.leads[i].digital.subarray(1000, 3000)));
    });
  });

  it('sends min/max windows and display-filtered windows (float32 millivolts) the same way', async () => {
    const zoomed = decoded<SignalWindow>((await post('records.signal', { id: recordId, maxPoints: 1000 })).body);
    expect(zoomed.bucketSize).toBeGreaterThan(1);
    const lead0 = record.leads[0].digital;
    const b = 3;
    const seg = lead0.subarray(b * zoomed.bucketSize, (b + 1) * zoomed.bucketSize);
    expect([zoomed.leads[0].values[2 * b], zoomed.leads[0].values[2 * b + 1]]).toEqual([Math.min(...seg), Math.max(...seg)]);
    const filtered = decoded<SignalWindow>(
      (await post('records.signal', { id: recordId, start: 5000, end: 10_000, filters: ['bandpass'] })).body,
    );
    expect(filtered.filters).toEqual(['bandpass']);
    expect(filtered.leads[0]).toMatchObject({ sampleType: 'float32', units: 'mV', gain: 1, baseline: 0 });
    expect(filtered.leads[0].values).toBeInstanceOf(Float32Array);
    expect(filtered.leads[0].values.length).toBe(5000);
    // The synthetic trace is a 1.25 Hz sine of 0.8 mV: the band-pass keeps it.
    const peak = Math.max(...Array.from(filtered.leads[0].values.subarray(1000, 4000)));
    expect(peak).toBeGreaterThan(0.6);
    expect(peak).toBeLessThan(1);
  });

  it('sends a saliency map as float32 bytes', async () => {
    const r = await post('saliency.get', { id: mapId });
    expect(r.type).toBe('application/octet-stream');
    const m = decoded<SaliencyMapData>(r.body);
    expect(m.leads).toEqual(['I', 'II']);
    expect(m.map).toBeInstanceOf(Float32Array);
    expect(Array.from(m.map)).toEqual(Array.from(saliency));
  });

  it("sends the device's representative beats as int16 bytes, and records.get names them without their samples", async () => {
    const detail = await post('records.get', { id: deviceRecordId });
    expect(detail.type).toMatch(/^application\/json/);
    const device = (JSON.parse(detail.body.toString('utf8')) as { result: RecordDetail }).result.device!;
    expect(device).toEqual({
      model: 'GE MAC55',
      measurements: { heartRate: { value: 71, unit: 'bpm' } },
      statements: ['Sinus rhythm'],
      representativeBeats: { samplingRate: 500, length: 600, method: 'median', leads: beatLeads.map((l) => l.name) },
    });
    expect(detail.body.byteLength).toBeLessThan(4096);
    const r = await post('records.deviceBeats', { id: deviceRecordId });
    expect(r.status).toBe(200);
    expect(r.type).toBe('application/octet-stream');
    expect(r.body.byteLength).toBeLessThan(12 * 600 * 2 + 4096);
    const beats = decoded<DeviceBeats>(r.body);
    expect([beats.samplingRate, beats.length, beats.method]).toEqual([500, 600, 'median']);
    expect(beats.leads.map(({ name, units, gain, baseline }) => ({ name, units, gain, baseline }))).toEqual(
      beatLeads.map(({ name, units, gain, baseline }) => ({ name, units, gain, baseline })),
    );
    beats.leads.forEach((l, i) => {
      expect(l.digital).toBeInstanceOf(Int16Array);
      expect(Array.from(l.digital)).toEqual(Array.from(beatLeads[i].digital));
    });
    // A record whose file carried no device beats, and no record: one-line JSON errors.
    for (const [id, msg] of [
      [recordId, `record ${recordId} has no representative beats from its device`],
      [424242, 'no record with id 424242'],
    ] as const) {
      const none = await post('records.deviceBeats', { id });
      expect(none.status).toBe(404);
      expect(JSON.parse(none.body.toString('utf8')).error).toBe(msg);
    }
  });

  it('keeps the token, Host/Origin checks and parameter validation, answering errors as JSON', async () => {
    const params = { id: recordId, start: 0, end: 100 };
    expect((await post('records.signal', params, {})).status).toBe(401);
    expect((await post('records.signal', params, { Authorization: 'Bearer nope' })).status).toBe(401);
    expect((await post('records.signal', params, { Authorization: `Bearer ${server.token}`, Origin: 'http://evil.example' })).status).toBe(
      403,
    );
    expect((await post('records.signal', params, { Authorization: `Bearer ${server.token}`, Host: 'evil.example' })).status).toBe(421);
    const cases: [unknown, number, RegExp][] = [
      [{ id: 'x' }, 400, /id must be an integer/],
      [{ id: recordId, maxPoints: 3 }, 400, /maxPoints must be >= 16/],
      [{ id: recordId, filters: ['smooth'] }, 400, /unknown display filter 'smooth'/],
      [{ id: recordId, extra: 1 }, 400, /unknown parameter 'extra'/],
      [{ id: 424242 }, 404, /no record with id 424242/],
    ];
    for (const [p, status, msg] of cases) {
      const r = await post('records.signal', p);
      expect(r.status, JSON.stringify(p)).toBe(status);
      expect(r.type).toMatch(/^application\/json/);
      expect(JSON.parse(r.body.toString('utf8')).error).toMatch(msg);
    }
    const missingMap = await post('saliency.get', { id: 999 });
    expect(missingMap.status).not.toBe(200);
    expect(missingMap.type).toMatch(/^application\/json/);
  });
});
