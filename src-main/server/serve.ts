import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiEventMessage } from '../../src-shared/api.ts';
import { isApiMethod } from '../../src-shared/api.ts';
import { ApiError, createServices } from '../api/services.ts';
import { sendApiResult } from './api-result-response.ts';
import type { Workspace } from '../store/workspace.ts';

export interface ServeOptions {
  workspace: Workspace;
  /** Folder of the built renderer (index.html + assets). */
  rendererDir: string;
  host?: string;
  port?: number;
  /** Per-launch secret; random when not given. */
  token?: string;
}

export interface RunningServer {
  url: string;
  /** Pushes an event to every connected page. */
  emit(message: ApiEventMessage): void;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MAX_BODY = 1 << 20;
const COOKIE = 'leadlens_token';
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.woff2': 'font/woff2', '.ico': 'image/x-icon', '.wasm': 'application/wasm',
};

function sameToken(a: string | undefined, b: string): boolean {
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

/** Content-Security-Policy for the served renderer: only our own scripts, our own API and event socket. */
export function contentSecurityPolicy(origin: string): string {
  const ws = origin.replace(/^http/, 'ws');
  return [`default-src 'self'`, `script-src 'self' 'wasm-unsafe-eval'`, `style-src 'self' 'unsafe-inline'`, `img-src 'self' data: blob:`, `connect-src 'self' ${ws}`, `object-src 'none'`, `base-uri 'none'`, `frame-ancestors 'none'`, `form-action 'none'`].join('; ');
}

/**
 * `leadlens serve`: the renderer and the API over HTTP + WebSocket, bound to loopback unless told otherwise,
 * every request checked for the per-launch token (query on first load, then an HttpOnly cookie or a Bearer header).
 */
export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const clients = new Set<WebSocket>();
  const emit = (m: ApiEventMessage) => {
    const text = JSON.stringify(m);
    for (const c of clients) if (c.readyState === c.OPEN) c.send(text);
  };
  const services = createServices(opts.workspace, emit, 'http');
  const rendererDir = path.resolve(opts.rendererDir);
  let origin = '';
  let allowedHosts = new Set<string>();

  const authorised = (req: http.IncomingMessage, url: URL): boolean =>
    sameToken(url.searchParams.get('token') ?? undefined, token) || sameToken(bearerToken(req), token) || sameToken(cookieToken(req), token);

  // DNS-rebinding guard: a loopback server answers only to loopback names. Bound elsewhere (--host), the token alone guards it.
  const loopback = /^(127\.|::1$|localhost$)/.test(host);
  const hostOk = (req: http.IncomingMessage): boolean => !loopback || allowedHosts.has((req.headers.host ?? '').toLowerCase());
  const originOk = (req: http.IncomingMessage): boolean => !req.headers.origin || req.headers.origin === origin || allowedHosts.has(req.headers.origin.replace(/^https?:\/\//, '').toLowerCase());

  const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
    res.end(JSON.stringify(body));
  };

  const server = http.createServer((req, res) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    const url = new URL(req.url ?? '/', origin);
    if (!hostOk(req)) return send(res, 421, { error: 'unexpected Host header' });
    if (!authorised(req, url)) return send(res, 401, { error: 'missing or wrong token: open the URL that `leadlens serve` printed' });

    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return send(res, 405, { error: 'use POST' }, { Allow: 'POST' });
      if (!originOk(req)) return send(res, 403, { error: 'cross-origin request refused' });
      if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) return send(res, 415, { error: 'body must be application/json' });
      const method = decodeURIComponent(url.pathname.slice(5));
      if (!isApiMethod(method)) return send(res, 404, { error: `unknown API method '${method.slice(0, 60)}'` });
      const chunks: Buffer[] = [];
      let size = 0;
      let tooBig = false;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) {
          tooBig = true;
          req.destroy();
        } else chunks.push(c);
      });
      req.on('end', async () => {
        if (tooBig) return;
        let params: unknown;
        try {
          const text = Buffer.concat(chunks).toString('utf8');
          params = text ? JSON.parse(text) : {};
        } catch {
          return send(res, 400, { error: 'body is not valid JSON' });
        }
        try {
          sendApiResult(res, method, await services.call(method, params));
        } catch (e) {
          const status = e instanceof ApiError ? e.status : 500;
          send(res, status, { error: (e as Error).message.split('\n')[0] });
        }
      });
      req.on('close', () => {
        if (tooBig && !res.headersSent) send(res, 413, { error: `body larger than ${MAX_BODY} bytes` });
      });
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: 'method not allowed' });
    const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const file = path.resolve(rendererDir, rel);
    if (!file.startsWith(rendererDir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return send(res, 404, { error: 'not found' });
    const headers: Record<string, string> = {
      'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': contentSecurityPolicy(origin),
      'Cache-Control': 'no-cache',
    };
    if (url.searchParams.has('token')) headers['Set-Cookie'] = `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    res.writeHead(200, headers);
    if (req.method === 'HEAD') return res.end();
    fs.createReadStream(file).pipe(res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname !== '/events' || !hostOk(req) || !originOk(req) || !authorised(req, url)) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      ws.on('message', () => undefined); // events flow one way; requests go through POST /api
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(new Error(e.code === 'EADDRINUSE' ? `port ${opts.port} is already in use on ${host}` : `cannot listen on ${host}:${opts.port}: ${e.message}`)));
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  origin = `http://${shownHost}:${port}`;
  allowedHosts = new Set([`${shownHost}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`].map((h) => h.toLowerCase()));
  return {
    url: `${origin}/?token=${token}`,
    port,
    token,
    emit,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of clients) c.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
