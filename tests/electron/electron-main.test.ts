// The Electron binary cannot be downloaded here, so the shell is checked against a stand-in `electron` module:
// the window's security settings, the CSP, and the IPC handler's validation of every payload.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { SignalWindow } from '../../src-shared/api.ts';
import { decodeBinaryResult } from '../../src-shared/binary-result.ts';

const captured = vi.hoisted(() => ({
  windowOptions: undefined as Record<string, any> | undefined,
  loaded: '' as string,
  handlers: new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>(),
  headerHook: undefined as undefined | ((d: { responseHeaders: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void),
  ready: undefined as undefined | Promise<void>,
}));

vi.mock('electron', () => {
  class BrowserWindow {
    webContents = { setWindowOpenHandler: vi.fn(), on: vi.fn(), send: vi.fn() };
    constructor(opts: Record<string, unknown>) {
      captured.windowOptions = opts;
    }
    on() {}
    isDestroyed() {
      return false;
    }
    async loadFile(f: string) {
      captured.loaded = f;
    }
  }
  let resolveReady!: () => void;
  captured.ready = new Promise<void>((r) => (resolveReady = r));
  return {
    app: { whenReady: () => Promise.resolve().then(() => setTimeout(resolveReady, 0)), on: vi.fn(), quit: vi.fn(), exit: vi.fn() },
    BrowserWindow,
    ipcMain: { handle: (ch: string, fn: (event: unknown, ...args: unknown[]) => Promise<unknown>) => captured.handlers.set(ch, fn) },
    session: { defaultSession: { webRequest: { onHeadersReceived: (fn: typeof captured.headerHook) => (captured.headerHook = fn) }, setPermissionRequestHandler: vi.fn() } },
    shell: { openExternal: vi.fn() },
  };
});

describe('Electron shell', () => {
  it('opens a sandboxed, context-isolated window with a strict CSP and validates every IPC payload', async () => {
    process.env.LEADLENS_HOME = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-electron-'));
    await import('../../src-main/electron/main.ts');
    await captured.ready;
    await vi.waitFor(() => expect(captured.loaded).toMatch(/index\.html$/), { timeout: 20_000 });

    const prefs = captured.windowOptions!.webPreferences;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(prefs.preload).toMatch(/preload\.cjs$/);

    const headers = await new Promise<Record<string, string[]>>((resolve) => captured.headerHook!({ responseHeaders: {} }, (r) => resolve(r.responseHeaders)));
    expect(headers['Content-Security-Policy'][0]).toMatch(/default-src 'self'/);
    expect(headers['Content-Security-Policy'][0]).not.toMatch(/ 'unsafe-eval'/);

    const invoke = captured.handlers.get('leadlens:invoke')!;
    const page = { senderFrame: { url: 'file:///app/index.html' } };
    const list = (await invoke(page, 'records.list', { limit: 10 })) as { result: { total: number; records: { id: number }[] } };
    expect(list.result.total).toBe(5); // the seeded demo records
    // Samples cross IPC as one ArrayBuffer (structured clone), read as typed-array views on the other side.
    const signal = (await invoke(page, 'records.signal', { id: list.result.records[0].id, start: 0, end: 500 })) as { result: ArrayBuffer };
    expect(signal.result).toBeInstanceOf(ArrayBuffer);
    const w = decodeBinaryResult<SignalWindow>(signal.result);
    expect(w.leads).toHaveLength(12);
    expect(w.leads[0].values).toBeInstanceOf(Int16Array);
    expect(w.leads[0].values.length).toBe(500);
    expect(await invoke(page, 'records.get', { id: 'x' })).toEqual({ error: 'records.get: id must be an integer', status: 400 });
    await expect(invoke(page, 'fs.readFile', {})).rejects.toThrow(/unknown API method/);
    await expect(invoke({ senderFrame: { url: 'https://evil.example/' } }, 'records.list', {})).rejects.toThrow(/unexpected sender/);
  });
});
