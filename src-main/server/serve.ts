import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import path from 'node:path';
import { pipeline } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiEventMessage } from '../../src-shared/api.ts';
import { isApiMethod } from '../../src-shared/api.ts';
import { ApiError } from '../api/services.ts';
import type { AppSession } from '../api/app-session.ts';
import { contentSecurityPolicy } from '../api/content-security-policy.ts';
import { rendererMimeType } from '../api/renderer-mime-types.ts';
import { hostPolicy, isLoopbackAddress } from './host-policy.ts';
import { sendApiResult } from './api-result-response.ts';
import { parseRequestTarget, type RequestTarget } from './request-target.ts';

export interface ServeOptions {
  /** The started app (workspace, services, events): see startAppSession. */
  session: Pick<AppSession, 'services' | 'onEvent'>;
  /** Folder of the built renderer (index.html + assets). */
  rendererDir: string;
  host?: string;
  port?: number;
  /** Host names (beside the loopback names) a browser may use to reach the server; required for a non-loopback --host. */
  allowHosts?: string[];
  /** Per-launch secret; random when not given. */
  token?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** Largest API request body; more is answered 413 (the body is drained, so the client reads the answer). */
export const MAX_BODY = 1 << 20;
/** Beyond this much drained body the connection is dropped: a client streaming forever gets no more of our time. */
const MAX_DRAIN = 256 << 20;
/** Largest WebSocket message a page may send; more closes the socket (1009). */
export const MAX_WS_MESSAGE = 64 * 1024;
const COOKIE = 'leadlens_token';
function sameToken(a: string | undefined | null, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(req: http.IncomingMessage): string | undefined {
  const m = /(?:^|;\s*)leadlens_token=([A-Za-z0-9_-]+)/.exec(req.headers.cookie ?? '');
  return m?.[1];
}

function bearerToken(req: http.IncomingMessage): string | undefined {
  const m = /^Bearer ([A-Za-z0-9_-]+)$/.exec(req.headers.authorization ?? '');
  return m?.[1];
}

/** A JSON answer; never throws, whatever state the response is in (a 413 may already have gone out). */
function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  let text: string;
  try {
    text = JSON.stringify(body);
  } catch {
    status = 500;
    text = JSON.stringify({ error: 'the answer could not be encoded as JSON' });
  }
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(text);
}

/** Answers a refused upgrade or a malformed request on a raw socket, then closes it. */
function refuseSocket(socket: Duplex, status: number, reason: string): void {
  if (!socket.writable) return void socket.destroy();
  const body = JSON.stringify({ error: reason });
  const head = `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`;
  socket.end(head + body, () => socket.destroy());
}

/**
 * Sends 413 for a body over MAX_BODY and reads the rest away, so the client gets the answer instead of a reset.
 * (Closing at once would reset the connection under a client still sending, and it would never read the 413.)
 */
function refuseBody(req: http.IncomingMessage, res: http.ServerResponse, seen = 0): void {
  send(res, 413, { error: `request body larger than ${MAX_BODY} bytes` });
  let drained = seen;
  req.on('data', (c: Buffer) => {
    drained += c.length;
    if (drained > MAX_DRAIN) req.socket.destroy();
  });
  req.resume();
}

/**
 * `leadlens serve`: the renderer and the API over HTTP + WebSocket, bound to loopback unless told otherwise,
 * every request checked for the per-launch token (query on first load, then an HttpOnly cookie or a Bearer header).
 * Order for every request: parse the target (400) -> Host (421) -> token (401) -> route.
 */
export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const allowHosts = opts.allowHosts ?? [];
  if (!isLoopbackAddress(host) && allowHosts.length === 0) {
    throw new Error(`--host ${host} is not a loopback address: list the names browsers will use to reach it with --allow-host NAME[,NAME]`);
  }
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const clients = new Set<WebSocket>();
  const unsubscribe = opts.session.onEvent((m: ApiEventMessage) => {
    const text = JSON.stringify(m);
    for (const c of clients) if (c.readyState === c.OPEN) c.send(text);
  });
  const services = opts.session.services;
  const rendererDir = path.resolve(opts.rendererDir);
  let policy = hostPolicy(0);

  const authorised = (req: http.IncomingMessage, target: RequestTarget): boolean =>
    sameToken(target.query.get('token'), token) || sameToken(bearerToken(req), token) || sameToken(cookieToken(req), token);

  /** Parse, Host and token checks shared by HTTP requests and WebSocket upgrades: the refusal, or the parsed target. */
  const admit = (req: http.IncomingMessage): RequestTarget | { status: number; error: string } => {
    const target = parseRequestTarget(req.url);
    if ('error' in target) return { status: 400, error: target.error };
    if (!policy.hostOk(req.headers.host)) return { status: 421, error: 'unexpected Host header' };
    if (!authorised(req, target)) return { status: 401, error: 'missing or wrong token: open the URL that `leadlens serve` printed' };
    return target;
  };

  const callApi = (req: http.IncomingMessage, res: http.ServerResponse, target: RequestTarget): void => {
    if (req.method !== 'POST') return send(res, 405, { error: 'use POST' }, { Allow: 'POST' });
    if (!policy.originOk(req.headers.origin)) return send(res, 403, { error: 'cross-origin request refused' });
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) return send(res, 415, { error: 'body must be application/json' });
    const method = target.path.slice(5);
    if (!isApiMethod(method)) return send(res, 404, { error: `unknown API method '${method.slice(0, 60)}'` });
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY) return refuseBody(req, res);
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) return void chunks.push(c);
      tooBig = true;
      req.off('data', onData);
      chunks.length = 0;
      refuseBody(req, res, size);
    };
    req.on('data', onData);
    req.on('end', () => {
      if (tooBig) return;
      let params: unknown;
      try {
        const text = Buffer.concat(chunks).toString('utf8');
        params = text ? JSON.parse(text) : {};
      } catch {
        return send(res, 400, { error: 'body is not valid JSON' });
      }
      services.call(method, params).then(
        (result) => {
          try {
            sendApiResult(res, method, result);
          } catch (e) {
            // An answer that cannot be encoded costs this request only (a rejection here would end the process).
            if (res.headersSent) res.destroy();
            else send(res, 500, { error: `the answer could not be encoded: ${((e as Error).message ?? String(e)).split('\n')[0]}` });
          }
        },
        (e: unknown) => send(res, e instanceof ApiError ? e.status : 500, { error: ((e as Error).message ?? String(e)).split('\n')[0] }),
      );
    });
  };

  const serveFile = (req: http.IncomingMessage, res: http.ServerResponse, target: RequestTarget): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: 'method not allowed' });
    const rel = target.path === '/' ? 'index.html' : target.path.replace(/^\/+/, '');
    const file = path.resolve(rendererDir, rel);
    if (!file.startsWith(rendererDir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile())
      return send(res, 404, { error: 'not found' });
    const headers: Record<string, string> = {
      'Content-Type': rendererMimeType(file),
      // The page's event socket: exactly the origin it was served from (the Host header passed the check above).
      'Content-Security-Policy': contentSecurityPolicy(`ws://${req.headers.host}`),
      'Cache-Control': 'no-cache',
    };
    if (target.query.has('token')) headers['Set-Cookie'] = `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    res.writeHead(200, headers);
    if (req.method === 'HEAD') return void res.end();
    pipeline(fs.createReadStream(file), res, () => undefined);
  };

  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    req.on('error', () => res.destroy());
    try {
      const target = admit(req);
      if ('error' in target) return send(res, target.status, { error: target.error });
      if (target.path.startsWith('/api/')) return callApi(req, res, target);
      serveFile(req, res, target);
    } catch (e) {
      // A bug of ours must cost this request, never the process.
      send(res, 500, { error: `internal error: ${((e as Error).message ?? String(e)).split('\n')[0]}` });
    }
  };

  const server = http.createServer({ maxHeaderSize: 16 * 1024 }, onRequest);
  // `Expect: 100-continue`: refuse an unauthorised request or a declared oversize body before the client sends it.
  server.on('checkContinue', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const target = admit(req);
    if ('error' in target) return send(res, target.status, { error: target.error }, { Connection: 'close' });
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY)
      return send(res, 413, { error: `request body larger than ${MAX_BODY} bytes` }, { Connection: 'close' });
    res.writeContinue();
    onRequest(req, res);
  });
  // What Node's parser cannot read (bad request line, header, chunk size, Content-Length) gets 400 (431 for huge headers).
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    refuseSocket(socket, err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400, 'malformed request');
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_MESSAGE, perMessageDeflate: false });
  wss.on('error', () => undefined);
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      const target = admit(req);
      if ('error' in target) return refuseSocket(socket, target.status, target.error);
      if (target.path !== '/events') return refuseSocket(socket, 404, 'no such socket');
      if (!policy.originOk(req.headers.origin)) return refuseSocket(socket, 403, 'cross-origin socket refused');
      wss.handleUpgrade(req, socket, head, (ws) => {
        clients.add(ws);
        // Protocol errors (RSV1 set, oversize message, bad opcode) come here; ws then closes with 1002/1009.
        ws.on('error', () => ws.terminate());
        ws.on('close', () => clients.delete(ws));
        ws.on('message', () => undefined); // events flow one way; requests go through POST /api
      });
    } catch {
      refuseSocket(socket, 400, 'malformed upgrade request');
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new Error(
          e.code === 'EADDRINUSE'
            ? `port ${opts.port} is already in use on ${host}`
            : `cannot listen on ${host}:${opts.port}: ${e.message}`,
        ),
      ),
    );
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  server.on('error', () => undefined);
  const port = (server.address() as { port: number }).port;
  const shownHost = isLoopbackAddress(host) ? (host.includes(':') ? `[${host}]` : host) : allowHosts[0];
  policy = hostPolicy(port, [...(isLoopbackAddress(host) ? [shownHost] : []), ...allowHosts]);
  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        for (const c of clients) c.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
