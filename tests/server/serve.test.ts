import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startAppSession, type AppSession } from '../../src-main/api/app-session.ts';
import { rendererDir } from '../../src-main/resources.ts';
import { startServer, type RunningServer } from '../../src-main/server/serve.ts';
import { analyseRecord } from '../../src-main/workspace/analyse-record.ts';
import { storeRecord } from '../../src-main/store/record-store.ts';
import type { Workspace } from '../../src-main/store/workspace.ts';
import { syntheticRecord } from '../helpers/synthetic-record.ts';

let ws: Workspace;
let session: AppSession;
let server: RunningServer;
let recordId: number;

function request(opts: {
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  port?: number;
}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: opts.port ?? server.port, path: opts.path, method: opts.method ?? 'GET', headers: opts.headers },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}
const api = (method: string, params: unknown, headers: Record<string, string> = { Authorization: `Bearer ${server.token}` }) =>
  request({
    path: `/api/${method}`,
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(params),
  });

beforeAll(async () => {
  session = await startAppSession({
    workspaceDir: fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-serve-')),
    transport: 'http',
    seed: false,
    analysisWorkers: 1,
  });
  ws = session.workspace;
  recordId = ws.db.transaction(() => storeRecord(ws.db, syntheticRecord(), { path: '/x.hea', format: 'test' }))().recordId;
  server = await startServer({ session, rendererDir: rendererDir() });
});
afterAll(async () => {
  await server.close();
  await session.close();
});

describe('leadlens serve', () => {
  it('listens on loopback only, with a long random token in the URL', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
    const other = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (other) {
      const refused = await new Promise<boolean>((resolve) => {
        const s = net.connect({ host: other.address, port: server.port });
        s.once('connect', () => {
          s.destroy();
          resolve(false);
        });
        s.once('error', () => resolve(true));
      });
      expect(refused).toBe(true);
    }
  });

  it('refuses every request without the token (401)', async () => {
    expect((await request({ path: '/' })).status).toBe(401);
    expect((await request({ path: '/?token=wrong' })).status).toBe(401);
    expect((await api('records.list', {}, {})).status).toBe(401);
    expect((await api('records.list', {}, { Authorization: 'Bearer nope' })).status).toBe(401);
  });

  it('serves the renderer with the token, sets the cookie and a strict CSP', async () => {
    const r = await request({ path: `/?token=${server.token}` });
    expect(r.status).toBe(200);
    expect(r.body).toMatch(/<div id="app">/);
    expect(r.headers['content-security-policy']).toMatch(/default-src 'self'/);
    // The event socket of exactly this origin, no other ws: host.
    expect(r.headers['content-security-policy']).toMatch(new RegExp(`connect-src 'self' ws://127\\.0\\.0\\.1:${server.port};`));
    expect(r.headers['content-security-policy']).not.toMatch(/ 'unsafe-eval'/);
    expect(String(r.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    const cookie = `leadlens_token=${server.token}`;
    expect((await request({ path: '/index.html', headers: { Cookie: cookie } })).status).toBe(200);
    expect((await request({ path: '/../../etc/passwd', headers: { Cookie: cookie } })).status).toBe(404);
  });

  it('answers API calls from the real store', async () => {
    const r = await api('records.list', { limit: 10 });
    expect(r.status).toBe(200);
    const body = JSON.parse(r.body);
    expect(body.result.total).toBe(1);
    expect(body.result.records[0]).toMatchObject({ id: recordId, recordName: 'SYN1', leadCount: 12 });
  });

  it('refuses malicious or malformed payloads with one-line errors and stores nothing', async () => {
    const cases: [string, unknown, number, RegExp][] = [
      ['records.get', { id: 'DROP TABLE record' }, 400, /id must be an integer/],
      ['records.get', { id: 1, extra: 1 }, 400, /unknown parameter 'extra'/],
      ['records.get', { id: 424242 }, 404, /no record with id 424242/],
      ['labels.set', { recordId, vocabulary: 'SNOMED', code: 'x'.repeat(100_000), present: true, author: 'a' }, 400, /longer than/],
      ['labels.set', { recordId, vocabulary: 'SNOMED', code: '1', present: 'yes', author: 'a' }, 400, /present must be true or false/],
      ['no.such.method', {}, 404, /unknown API method/],
      ['__proto__', {}, 404, /unknown API method/],
      ['records.list', [1, 2], 400, /params must be an object/],
      ['models.review', { id: 1, scope: 'everything' }, 400, /scope must be one of test, all/],
      [
        'training.start',
        { arch: 'image-cnn', leads: 12, layouts: ['x'.repeat(40)] },
        400,
        /layouts must be a list of at most 1000 strings/,
      ],
    ];
    for (const [method, params, status, msg] of cases) {
      const r = await api(method, params);
      expect(r.status, method).toBe(status);
      const err = JSON.parse(r.body).error as string;
      expect(err).toMatch(msg);
      expect(err.includes('\n')).toBe(false);
    }
    const notJson = await request({
      path: '/api/records.list',
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.token}` },
      body: '{"x":',
    });
    expect(notJson.status).toBe(400);
    const huge = await request({
      path: '/api/records.list',
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.token}` },
      body: Buffer.alloc(2 << 20, 32),
    }).catch(() => ({ status: 413 }));
    expect(huge.status).toBe(413);
    expect(
      (
        await request({
          path: '/api/records.list',
          method: 'POST',
          headers: { 'Content-Type': 'text/plain', Authorization: `Bearer ${server.token}` },
          body: '{}',
        })
      ).status,
    ).toBe(415);
    expect((await api('records.list', {}, { Authorization: `Bearer ${server.token}`, Origin: 'http://evil.example' })).status).toBe(403);
    expect((await api('records.list', {}, { Authorization: `Bearer ${server.token}`, Host: 'evil.example' })).status).toBe(421);
    expect(ws.db.prepare("SELECT COUNT(*) AS n FROM label WHERE source_kind = 'annotator'").get()).toEqual({ n: 0 });
    expect(ws.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('pushes events over the WebSocket only with the token', async () => {
    const bad = new WebSocket(`ws://127.0.0.1:${server.port}/events`);
    const badResult = await new Promise<string>((resolve) => {
      bad.once('open', () => resolve('open'));
      bad.once('error', () => resolve('refused'));
    });
    expect(badResult).toBe('refused');
    const good = new WebSocket(`ws://127.0.0.1:${server.port}/events?token=${server.token}`);
    await new Promise((resolve) => good.once('open', resolve));
    const event = new Promise<unknown>((resolve) => good.once('message', (d) => resolve(JSON.parse(String(d)))));
    const r = await api('labels.set', { recordId, vocabulary: 'SNOMED', code: '164889003', present: true, author: 'dr.test' });
    expect(r.status).toBe(200);
    expect(await event).toEqual({ event: 'records.changed', payload: { recordIds: [recordId], changes: ['labels'] } });
    good.close();
  });

  it('issue 12.7: bad parameters answer 400 or 404, never 500; empty label codes and authors are refused', async () => {
    const cases: [string, unknown, number][] = [
      ['records.analysis', { id: recordId, start: 1e12 }, 400],
      ['records.analysis', { id: recordId, start: 4000, end: 10 }, 400],
      ['records.analysis', { id: 424242 }, 404],
      ['rules.forRecord', { id: recordId, leadSet: 5 }, 400],
      ['rules.forRecord', { id: 424242, leadSet: 12 }, 404],
      ['predictions.forRecord', { id: 424242 }, 404],
      ['saliency.list', { recordId: 424242 }, 404],
      ['saliency.get', { id: 424242 }, 404],
      ['saliency.compare', { a: 424242, b: 424243 }, 404],
      ['models.review', { id: 424242 }, 404],
      ['training.cancel', { id: 424242 }, 404],
      ['training.start', { arch: 'no-such-arch', leads: 12 }, 400],
      ['training.start', { arch: 'small-cnn', leads: 5 }, 400],
      ['training.start', { arch: 'small-cnn', leads: 12, layouts: ['3x4'] }, 400],
      ['notes.list', { recordId: 424242 }, 404],
      ['notes.add', { recordId, text: '', author: 'a' }, 400],
      ['notes.add', { recordId, text: 'x', author: '  ' }, 400],
      ['notes.delete', { id: 424242, author: 'a' }, 404],
      ['intervals.list', { recordId: 424242 }, 404],
      ['intervals.add', { recordId, start: 50, end: 10, vocabulary: 'SNOMED', code: '1', author: 'a' }, 400],
      ['intervals.add', { recordId, start: 0, end: 1e12, vocabulary: 'SNOMED', code: '1', author: 'a' }, 400],
      ['intervals.add', { recordId, start: 0, end: 10, lead: 'ZZ', vocabulary: 'SNOMED', code: '1', author: 'a' }, 400],
      ['intervals.delete', { id: 424242, author: 'a' }, 404],
      ['settings.set', { author: '' }, 400],
      ['labels.set', { recordId, vocabulary: 'SNOMED', code: '', present: true, author: 'dr.a' }, 400],
      ['labels.set', { recordId, vocabulary: 'SNOMED', code: '164889003', present: true, author: '' }, 400],
      ['labels.set', { recordId, vocabulary: '', code: '164889003', present: true, author: 'dr.a' }, 400],
      ['records.setReviewState', { recordId, state: '', author: 'a' }, 400],
      ['records.list', { offset: 1e308 }, 400],
    ];
    for (const [method, params, status] of cases) {
      const r = await api(method, params);
      expect(r.status, `${method} ${JSON.stringify(params)}: ${r.body}`).toBe(status);
      expect((JSON.parse(r.body).error as string).includes('\n')).toBe(false);
    }
    expect(ws.db.prepare("SELECT COUNT(*) AS n FROM label WHERE source_kind = 'annotator' AND (code = '' OR author = '')").get()).toEqual({
      n: 0,
    });
  });

  it('checks Host against the --allow-host names too (never off), keeps the token, and refuses a non-loopback bind without them', async () => {
    await expect(startServer({ session, rendererDir: rendererDir(), host: '0.0.0.0' })).rejects.toThrow(/--allow-host/);
    const named = await startServer({ session, rendererDir: rendererDir(), allowHosts: ['leadlens.test'] });
    try {
      const at = (hostHeader: string, headers: Record<string, string> = {}) =>
        request({
          port: named.port,
          path: '/api/workspace.info',
          method: 'POST',
          body: '{}',
          headers: { 'Content-Type': 'application/json', Host: hostHeader, ...headers },
        });
      const bearer = { Authorization: `Bearer ${named.token}` };
      expect((await at(`leadlens.test:${named.port}`, bearer)).status).toBe(200);
      expect((await at(`LEADLENS.test:${named.port}`, bearer)).status).toBe(200);
      expect((await at(`leadlens.test:${named.port}`)).status).toBe(401);
      expect((await at('leadlens.test', bearer)).status).toBe(421);
      expect((await at(`evil.example:${named.port}`, bearer)).status).toBe(421);
      expect((await at(`leadlens.test:${named.port}`, { ...bearer, Origin: `http://leadlens.test:${named.port}` })).status).toBe(200);
      expect((await at(`leadlens.test:${named.port}`, { ...bearer, Origin: `http://evil.example:${named.port}` })).status).toBe(403);
      const page = await request({ port: named.port, path: `/?token=${named.token}`, headers: { Host: `leadlens.test:${named.port}` } });
      expect(page.headers['content-security-policy']).toMatch(new RegExp(`connect-src 'self' ws://leadlens\\.test:${named.port};`));
    } finally {
      await named.close();
    }
  });

  it('issue 12.6: answers a trivial call while analyses are in flight on the worker pool, with the same results', async () => {
    const long = ws.db.transaction(() =>
      storeRecord(ws.db, syntheticRecord({ seed: 7, length: 30 * 500, name: 'LONG' }), { path: '/long.hea', format: 'test' }),
    )().recordId;
    let pending = 0;
    const analyses = Array.from({ length: 3 }, () => {
      pending++;
      return api('records.analysis', { id: long }).then((r) => {
        pending--;
        return r;
      });
    });
    const info = await api('workspace.info', {});
    const stillPending = pending;
    expect(info.status).toBe(200);
    const results = await Promise.all(analyses);
    expect(stillPending).toBeGreaterThan(0);
    const inline = analyseRecord(ws.db, long);
    for (const r of results) {
      expect(r.status).toBe(200);
      expect(JSON.parse(r.body).result).toEqual(JSON.parse(JSON.stringify(inline)));
    }
    const rules = await api('rules.forRecord', { id: long, leadSet: 12 });
    expect(rules.status).toBe(200);
    expect(JSON.parse(rules.body).result.length).toBeGreaterThan(0);
  });
});
