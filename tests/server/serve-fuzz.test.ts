// Fuzz of the real `leadlens serve` process over raw sockets: malformed request lines, headers, encodings, bodies,
// API params and WebSocket frames. After every case the process must be alive and answer a normal call.
// Issue 12 item 2's crashes (absolute URL with port 99999, broken %-escape, 64 KiB+ WebSocket message, RSV1 frame)
// and item 7's 50 MB body are among the cases, each with the answer it must now get.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { API_PARAM_SPECS, type ApiMethod } from '../../src-shared/api.ts';
import { startServe } from '../helpers/run-cli.ts';

let serve: Awaited<ReturnType<typeof startServe>>;
let port: number;
let token: string;
let host: string;

/** Writes raw bytes (in pieces, if given several) and collects whatever comes back until the server closes or goes quiet. */
function raw(pieces: (string | Buffer)[], quietMs = 400): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    let out = '';
    let timer: NodeJS.Timeout;
    const done = () => {
      clearTimeout(timer);
      s.destroy();
      resolve(out);
    };
    const idle = () => {
      clearTimeout(timer);
      timer = setTimeout(done, quietMs);
    };
    s.on('data', (d) => {
      out += d.toString('latin1');
      idle();
    });
    s.on('error', done);
    s.on('close', done);
    s.on('connect', () => {
      for (const p of pieces) if (!s.destroyed) s.write(p);
      idle();
    });
  });
}
const statusOf = (response: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);

async function api(method: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const r = await fetch(`http://${host}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, ...headers },
    body,
  });
  return { status: r.status, text: await r.text() };
}

/** The process is alive and a normal call still answers. */
async function expectAlive(what: string): Promise<void> {
  expect(serve.child.exitCode, `process died after: ${what}`).toBeNull();
  const r = await api('workspace.info', '{}');
  expect(r.status, `workspace.info after: ${what}`).toBe(200);
}

/** Opens the event socket over a raw TCP connection and returns it with the handshake done. */
function rawWebSocket(): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.on('error', reject);
    s.once('connect', () =>
      s.write(
        `GET /events?token=${token} HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      ),
    );
    let head = '';
    const onData = (d: Buffer) => {
      head += d.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      s.off('data', onData);
      if (!head.startsWith('HTTP/1.1 101')) return reject(new Error(`no upgrade: ${head.split('\r\n')[0]}`));
      resolve(s);
    };
    s.on('data', onData);
  });
}

/** A client frame: FIN + opcode (+ RSV bits), masked as clients must (unless told not to). */
function frame(
  opcode: number,
  payload: Buffer,
  o: { rsv?: number; fin?: boolean; masked?: boolean; declaredLength?: number } = {},
): Buffer {
  const len = o.declaredLength ?? payload.length;
  const first = ((o.fin ?? true) ? 0x80 : 0) | ((o.rsv ?? 0) << 4) | opcode;
  const maskBit = (o.masked ?? true) ? 0x80 : 0;
  const lenBytes =
    len < 126
      ? Buffer.from([maskBit | len])
      : len < 65536
        ? Buffer.from([maskBit | 126, len >> 8, len & 255])
        : Buffer.concat([
            Buffer.from([maskBit | 127]),
            (() => {
              const b = Buffer.alloc(8);
              b.writeBigUInt64BE(BigInt(len));
              return b;
            })(),
          ]);
  if (!(o.masked ?? true)) return Buffer.concat([Buffer.from([first]), lenBytes, payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]));
  return Buffer.concat([Buffer.from([first]), lenBytes, mask, body]);
}

/** Sends frames on a fresh event socket; resolves with the close code the server sent (or 'closed' without one). */
async function sendFrames(frames: Buffer[]): Promise<number | 'closed' | 'open'> {
  const s = await rawWebSocket();
  return new Promise((resolve) => {
    let got = Buffer.alloc(0);
    const timer = setTimeout(() => {
      s.destroy();
      resolve('open');
    }, 3000);
    s.on('data', (d) => {
      got = Buffer.concat([got, d]);
      // A close frame from the server: opcode 8, unmasked, code in the first two payload bytes.
      for (let i = 0; i + 4 <= got.length; i++) {
        if (got[i] === 0x88) {
          clearTimeout(timer);
          s.destroy();
          return resolve(got.readUInt16BE(i + 2));
        }
      }
    });
    s.on('close', () => {
      clearTimeout(timer);
      resolve('closed');
    });
    s.on('error', () => undefined);
    for (const f of frames) s.write(f);
  });
}

beforeAll(async () => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-fuzz-'));
  serve = await startServe(['--workspace', ws, '--port', '0']);
  port = serve.port;
  token = new URL(serve.url).searchParams.get('token')!;
  host = `127.0.0.1:${port}`;
}, 60_000);
afterAll(async () => {
  await serve?.stop();
});

describe('leadlens serve under malformed input', () => {
  it('issue 12.2: an absolute-form target with port 99999, without the token, gets 400 and the server lives', async () => {
    const r = await raw([`GET http://x:99999/ HTTP/1.1\r\nHost: ${host}\r\n\r\n`]);
    expect(statusOf(r)).toBe(400);
    await expectAlive('absolute URL with invalid port');
  });

  it('issue 12.2: a broken percent-encoding in the path, with the token, gets 400 and the server lives', async () => {
    for (const target of [`/%E0%A4%A?token=${token}`, `/api/%E0%A4%A`, `/%?token=${token}`, `/%ff%fe?token=${token}`]) {
      const r = await raw([`GET ${target} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${token}\r\n\r\n`]);
      expect(statusOf(r), target).toBe(400);
      await expectAlive(target);
    }
  });

  it('issue 12.2: a WebSocket message over 64 KiB closes that socket (1009), not the server', async () => {
    expect(await sendFrames([frame(1, Buffer.alloc(64 * 1024 + 1, 0x61))])).toBe(1009);
    await expectAlive('oversize WebSocket message');
    // The same through a real client library.
    const client = new WebSocket(`ws://${host}/events?token=${token}`);
    await new Promise((r) => client.once('open', r));
    const code = await new Promise<number>((resolve) => {
      client.once('close', (c) => resolve(c));
      client.send(Buffer.alloc(70_000));
    });
    expect(code).toBe(1009);
    await expectAlive('oversize message from ws');
  });

  it('issue 12.2: a WebSocket frame with RSV1 set closes that socket (1002), not the server', async () => {
    expect(await sendFrames([frame(1, Buffer.from('hello'), { rsv: 4 })])).toBe(1002);
    await expectAlive('RSV1 frame');
  });

  it('other protocol errors on the event socket close that socket only', async () => {
    const cases: [string, Buffer[]][] = [
      ['RSV2+RSV3', [frame(1, Buffer.from('x'), { rsv: 3 })]],
      ['unmasked client frame', [frame(1, Buffer.from('x'), { masked: false })]],
      ['reserved opcode 3', [frame(3, Buffer.from('x'))]],
      ['fragmented ping', [frame(9, Buffer.from('x'), { fin: false })]],
      ['ping over 125 bytes', [frame(9, Buffer.alloc(200))]],
      ['close with code 999', [frame(8, Buffer.from([0x03, 0xe7]))]],
      ['text that is not UTF-8', [frame(1, Buffer.from([0xc3, 0x28, 0xff]))]],
      ['declared 2^62 bytes', [frame(2, Buffer.alloc(0), { declaredLength: 2 ** 62 })]],
      ['continuation without start', [frame(0, Buffer.from('x'))]],
      ['garbage', [randomBytes(64)]],
    ];
    for (const [what, frames] of cases) {
      const result = await sendFrames(frames);
      expect(result, what).not.toBe('open');
      await expectAlive(what);
    }
  });

  it('malformed request lines and headers get a 4xx (or a closed connection), never a crash', async () => {
    const H = `Host: ${host}\r\n`;
    const cases: [string, string | Buffer, number[]][] = [
      ['asterisk target', `OPTIONS * HTTP/1.1\r\n${H}\r\n`, [400]],
      ['authority target', `CONNECT 127.0.0.1:${port} HTTP/1.1\r\n${H}\r\n`, [0, 400]],
      ['protocol-relative target', `GET //evil.example/ HTTP/1.1\r\n${H}\r\n`, [400]],
      ['absolute URL, valid', `GET http://127.0.0.1:${port}/?token=${token} HTTP/1.1\r\n${H}\r\n`, [400]],
      ['absolute URL, no host', `GET http:/// HTTP/1.1\r\n${H}\r\n`, [400]],
      ['binary request line', Buffer.from([0, 1, 2, 3, 0x0d, 0x0a, 0x0d, 0x0a]), [400]],
      ['HTTP/9.9', `GET / HTTP/9.9\r\n${H}\r\n`, [400, 505]],
      ['no version', `GET /\r\n\r\n`, [400, 421]],
      ['lowercase method', `get / HTTP/1.1\r\n${H}\r\n`, [400]],
      ['header without colon', `GET / HTTP/1.1\r\n${H}Broken header\r\n\r\n`, [400]],
      ['control character in header', `GET / HTTP/1.1\r\n${H}X-A: a\x01b\r\n\r\n`, [400]],
      ['obsolete line folding', `GET / HTTP/1.1\r\n${H}X-A: a\r\n b\r\n\r\n`, [400, 401]],
      ['two different Content-Lengths', `POST /api/workspace.info HTTP/1.1\r\n${H}Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}`, [400]],
      ['negative Content-Length', `POST /api/workspace.info HTTP/1.1\r\n${H}Content-Length: -1\r\n\r\n`, [400]],
      [
        'Content-Length and chunked',
        `POST /api/workspace.info HTTP/1.1\r\n${H}Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
        [400],
      ],
      [
        'bad chunk size',
        `POST /api/workspace.info HTTP/1.1\r\n${H}Authorization: Bearer ${token}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
        [0, 400],
      ],
      ['20 KB header', `GET / HTTP/1.1\r\n${H}X-Big: ${'a'.repeat(20_000)}\r\n\r\n`, [431]],
      ['no Host header', `GET /?token=${token} HTTP/1.1\r\n\r\n`, [400, 421]],
      ['broken Host header', `GET /?token=${token} HTTP/1.1\r\nHost: [::1\r\n\r\n`, [421]],
      ['Host with extra port', `GET /?token=${token} HTTP/1.1\r\nHost: ${host}:1\r\n\r\n`, [421]],
      [
        'non-ASCII cookie',
        Buffer.concat([
          Buffer.from(`GET / HTTP/1.1\r\n${H}Cookie: leadlens_token=`),
          Buffer.from([0xff, 0xfe, 0xc3]),
          Buffer.from('\r\n\r\n'),
        ]),
        [400, 401],
      ],
      ['huge bearer token', `GET / HTTP/1.1\r\n${H}Authorization: Bearer ${'A'.repeat(10_000)}\r\n\r\n`, [401]],
      ['NUL in path', `GET /%00?token=${token} HTTP/1.1\r\n${H}\r\n`, [400]],
      ['encoded traversal', `GET /..%2f..%2f..%2fetc%2fpasswd?token=${token} HTTP/1.1\r\n${H}\r\n`, [404]],
      [
        'empty API method',
        `POST /api/ HTTP/1.1\r\n${H}Authorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`,
        [404],
      ],
      [
        'upgrade to an unknown path',
        `GET /nope?token=${token} HTTP/1.1\r\n${H}Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: x\r\nSec-WebSocket-Version: 13\r\n\r\n`,
        [404],
      ],
      [
        'upgrade with a broken target',
        `GET /%E0%A4%A HTTP/1.1\r\n${H}Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: x\r\nSec-WebSocket-Version: 13\r\n\r\n`,
        [400],
      ],
      [
        'upgrade with a bad key',
        `GET /events?token=${token} HTTP/1.1\r\n${H}Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: x\r\nSec-WebSocket-Version: 13\r\n\r\n`,
        [400],
      ],
      [
        'upgrade with version 99',
        `GET /events?token=${token} HTTP/1.1\r\n${H}Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 99\r\n\r\n`,
        [400, 426],
      ],
      ['cut-off request', `GET /?token=${token} HTTP/1.1\r\nHo`, [0]],
    ];
    for (const [what, bytes, statuses] of cases) {
      const r = await raw([bytes]);
      expect(statuses, `${what}: ${r.split('\r\n')[0]}`).toContain(statusOf(r));
      await expectAlive(what);
    }
  });

  it('issue 12.7: a 50 MB body gets 413 (declared, chunked, or behind Expect: 100-continue), not a reset', async () => {
    const big = Buffer.alloc(50 << 20, 0x20);
    const declared = await fetch(`http://${host}/api/records.list`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: big,
    });
    expect(declared.status).toBe(413);
    expect((await declared.json()).error).toMatch(/larger than 1048576 bytes/);
    await expectAlive('50 MB declared body');
    const chunked = await fetch(`http://${host}/api/records.list`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      duplex: 'half',
      body: new ReadableStream({
        start(c) {
          for (let i = 0; i < 50; i++) c.enqueue(big.subarray(0, 1 << 20));
          c.close();
        },
      }),
    } as RequestInit);
    expect(chunked.status).toBe(413);
    await expectAlive('50 MB chunked body');
    const expect100 = await raw([
      `POST /api/records.list HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${50 << 20}\r\nExpect: 100-continue\r\n\r\n`,
    ]);
    expect(statusOf(expect100)).toBe(413);
    await expectAlive('Expect: 100-continue with 50 MB');
    // Without the token the answer is 401, and no 100 Continue invites the body first.
    const noToken = await raw([
      `POST /api/records.list HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n`,
    ]);
    expect(noToken).toMatch(/^HTTP\/1\.1 401 /);
    await expectAlive('Expect: 100-continue without token');
  });

  it('malformed bodies and params get 4xx with one line, never 500', async () => {
    const bodies = [
      '{"x":',
      '[]',
      '"str"',
      '1e999',
      '{"__proto__":{"polluted":1}}',
      '{"constructor":{"prototype":{}}}',
      '['.repeat(200_000),
      Buffer.from([0xff, 0xfe, 0x7b, 0x7d]).toString('latin1'),
    ];
    for (const body of bodies) {
      const r = await api('records.list', body);
      expect(r.status, body.slice(0, 30)).toBeGreaterThanOrEqual(400);
      expect(r.status, body.slice(0, 30)).toBeLessThan(500);
      await expectAlive(`body ${body.slice(0, 30)}`);
    }
    // Every method, from a valid call, with each field in turn set to values of every wrong type and edge size.
    const values: unknown[] = [
      null,
      -1,
      0,
      0.5,
      -0.5,
      1e15,
      1e308,
      2 ** 31,
      2 ** 53 + 2,
      Number.MAX_SAFE_INTEGER,
      '',
      ' ',
      'nope',
      'x'.repeat(5000),
      [],
      [1],
      ['nope'],
      ['x'.repeat(5000)],
      Array(1001).fill('a'),
      {},
      true,
      { $gt: 1 },
    ];
    const base: Partial<Record<ApiMethod, Record<string, unknown>>> = {
      'workspace.info': {},
      'records.list': {
        offset: 0,
        limit: 10,
        search: 'JS',
        queue: 'all',
        label: '426783006',
        format: 'wfdb',
        leadCount: 12,
        reviewState: 'new',
        sort: 'id',
        descending: true,
        selection: 'fuzz',
      },
      'worklist.queues': {},
      'records.get': { id: 1 },
      'records.signal': { id: 1, start: 0, end: 1000, maxPoints: 1000, filters: ['bandpass'] },
      'records.analysis': { id: 1, start: 0, end: 5000 },
      'rules.forRecord': { id: 1, leadSet: 12 },
      'predictions.forRecord': { id: 1 },
      'saliency.list': { recordId: 1 },
      'saliency.get': { id: 1 },
      'saliency.compare': { a: 1, b: 2 },
      'models.list': {},
      'models.review': { id: 1, scope: 'test' },
      'training.list': {},
      'training.cancel': { id: 1 },
      'explain.cancel': { id: 1 },
      'explain.list': {},
      'rules.qtcRecompute': {},
      'rules.qtcRecomputeCancel': { id: 1 },
      'explain.leadSets': { recordId: 1, arch: 'small-cnn', leadSets: '12,2' },
      'notes.list': { recordId: 1 },
      'notes.add': { recordId: 1, text: 'fuzz', author: 'fuzz' },
      'notes.delete': { id: 1, author: 'fuzz' },
      'intervals.list': { recordId: 1 },
      'records.beatAnnotations': { id: 1, start: 0, end: 5000, limit: 100 },
      'intervals.add': { recordId: 1, start: 0, end: 10, lead: 'II', vocabulary: 'SNOMED', code: '1', text: 'fuzz', author: 'fuzz' },
      'intervals.delete': { id: 1, author: 'fuzz' },
      'settings.get': {},
      'settings.set': { pxPerMm: 4, shortcuts: ['426783006'], author: 'fuzz' },
      'labels.set': { recordId: 1, vocabulary: 'SNOMED', code: '426783006', present: true, author: 'fuzz' },
      'records.setReviewState': { recordId: 1, state: 'reviewed', author: 'fuzz' },
      'audit.list': { recordId: 1, limit: 10 },
      // The first call writes the export; every later one meets a folder that is no longer empty (400).
      'export.dataset': {
        outDir: path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-fuzz-export-')), 'out'),
        labels: ['426783006'],
        formats: ['cinc'],
        reviewStates: ['new'],
        reviewer: 'fuzz',
        records: ['JS00008'],
        queue: 'all',
        folds: 2,
        seed: 1,
      },
      'records.medianBeats': { id: 1 },
      'records.deviceBeats': { id: 1 },
      'boundaries.correct': { recordId: 1, boundary: 'tOffset', offset: 200, author: 'fuzz' },
      'records.ofPatient': { id: 1 },
      'selections.list': {},
      'selections.save': {
        name: 'fuzz',
        author: 'fuzz',
        replace: true,
        sources: ['cinc'],
        folders: ['/tmp'],
        labels: ['426783006'],
        reviewStates: ['new'],
        reviewer: 'fuzz',
        ingestedFrom: '2020-01-01',
        ingestedTo: '2099-12-31',
        tags: ['fuzz'],
        patientIds: ['1'],
        records: ['JS00008'],
      },
      'tags.list': {},
      'tags.forRecord': { recordId: 1 },
      'tags.add': { recordId: 1, tag: 'fuzz', author: 'fuzz' },
      'tags.remove': { recordId: 1, tag: 'fuzz', author: 'fuzz' },
      'models.evaluate': { id: 1, selections: ['fuzz'], rounds: 10 },
      'triage.settings.get': {},
      'triage.settings.set': { classWeights: ['164889003=1'], defaultWeight: 0.5, lowConfidenceMargin: 0.05, author: 'fuzz' },
      'agreement.get': {},
      'labelErrors.cancel': { id: 1 },
      'labelErrors.list': {},
      'explain.reportFile': { id: 1, name: '../leadlens.db' },
    };
    const calls: [string, string][] = [];
    for (const [method, spec] of Object.entries(API_PARAM_SPECS) as [ApiMethod, Record<string, unknown>][]) {
      // Real work on disk or CPU: covered by their own tests.
      if (['ingest.paths', 'training.start', 'explain.start', 'labelErrors.start'].includes(method)) continue;
      const valid = base[method];
      expect(valid, `no base params for ${method}`).toBeDefined();
      expect((await api(method, JSON.stringify(valid))).status, `${method} valid`).toBeLessThan(500);
      for (const field of Object.keys(spec)) for (const v of values) calls.push([method, JSON.stringify({ ...valid, [field]: v })]);
      expect((await api(method, JSON.stringify({ ...valid, zz: 1 }))).status, method).toBe(400);
    }
    // Four at a time, as a busy page would.
    const failures: string[] = [];
    for (let i = 0; i < calls.length; i += 4) {
      await Promise.all(
        calls.slice(i, i + 4).map(async ([method, body]) => {
          const r = await api(method, body);
          if (r.status >= 500) failures.push(`${method} ${body.slice(0, 100)}: ${r.status} ${r.text.slice(0, 120)}`);
        }),
      );
    }
    expect(failures).toEqual([]);
    expect(calls.length).toBeGreaterThan(1000);
    await expectAlive('param fuzz');
  }, 600_000);
});
