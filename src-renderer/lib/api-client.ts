import {
  hasBinaryResult,
  type ApiClient,
  type ApiEventMessage,
  type ApiMethod,
  type ApiParams,
  type ApiResult,
} from '../../src-shared/api.ts';
import { decodeBinaryResult } from '../../src-shared/binary-result.ts';

declare global {
  interface Window {
    /** Present inside Electron (exposed by the preload). */
    leadlens?: {
      call(method: string, params: unknown): Promise<unknown>;
      onEvent(listener: (m: ApiEventMessage) => void): () => void;
      /** Print or save as PDF the one-page report (main process: hidden print view, printToPDF or the print dialog). */
      report?(request: { recordId: number; paper: string; action: 'pdf' | 'print' }): Promise<unknown>;
      /** The File menu's report items. */
      onMenuReport?(listener: (action: 'pdf' | 'print') => void): () => void;
    };
  }
}

/** `leadlens serve`: POST /api/<method> with the per-launch token, events over a WebSocket. */
function httpClient(token: string): ApiClient {
  const listeners = new Set<(m: ApiEventMessage) => void>();
  let socket: WebSocket | undefined;
  const connect = () => {
    const proto = location.protocol === 'https:' ? 'wss' : 'ws';
    socket = new WebSocket(`${proto}://${location.host}/events?token=${encodeURIComponent(token)}`);
    socket.onmessage = (e) => {
      const m = JSON.parse(String(e.data)) as ApiEventMessage;
      for (const l of listeners) l(m);
    };
    socket.onclose = () => setTimeout(connect, 2000);
  };
  connect();
  return {
    async call<M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResult<M>> {
      const res = await fetch(`/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(params),
      });
      // Sample-carrying results arrive as bytes (typed-array views onto the response); errors are always JSON.
      if (res.ok && hasBinaryResult(method)) return decodeBinaryResult<ApiResult<M>>(await res.arrayBuffer());
      const body = (await res.json().catch(() => ({}))) as { result?: ApiResult<M>; error?: string };
      if (!res.ok || body.error !== undefined) throw new Error(body.error ?? `HTTP ${res.status}`);
      return body.result as ApiResult<M>;
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Whichever transport is present: the Electron bridge, else the serve-mode HTTP API. */
export function connectApi(): ApiClient {
  const bridge = window.leadlens;
  if (bridge) {
    return {
      call: async <M extends ApiMethod>(method: M, params: ApiParams<M>) => {
        const result = await bridge.call(method, params);
        return (hasBinaryResult(method) ? decodeBinaryResult(result as ArrayBuffer) : result) as ApiResult<M>;
      },
      onEvent: (listener) => bridge.onEvent(listener),
    };
  }
  const fromUrl = new URLSearchParams(location.search).get('token');
  if (fromUrl) sessionStorage.setItem('leadlens-token', fromUrl);
  const token = fromUrl ?? sessionStorage.getItem('leadlens-token') ?? '';
  return httpClient(token);
}

export const api: ApiClient = connectApi();
