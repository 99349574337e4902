// The thin Electron entry: a window over the same services `leadlens serve` uses, reached through IPC.
import { app, BrowserWindow, ipcMain, session, shell } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiEventMessage } from '../../src-shared/api.ts';
import { hasBinaryResult, isApiMethod } from '../../src-shared/api.ts';
import { encodeBinaryResult } from '../../src-shared/binary-result.ts';
import { ApiError, createServices } from '../api/services.ts';
import { watchWorkspaceInbox } from '../ingest/inbox-events.ts';
import { seedSamplesOnce } from '../ingest/seed-samples.ts';
import { rendererDir } from '../resources.ts';
import { defaultWorkspaceDir, openWorkspace } from '../store/workspace.ts';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from './ipc-channels.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

async function start(): Promise<void> {
  const argWorkspace = process.argv.find((a) => a.startsWith('--workspace='))?.slice('--workspace='.length);
  // `npm start` builds better-sqlite3 for Electron's ABI beside the Node build the CLI and tests use;
  // a packaged app has its own rebuilt copy and no such variable.
  const ws = openWorkspace(argWorkspace ?? process.env.LEADLENS_HOME ?? defaultWorkspaceDir(), process.env.LEADLENS_SQLITE_BINDING);
  await seedSamplesOnce(ws);
  const windows = new Set<BrowserWindow>();
  const emit = (m: ApiEventMessage) => {
    for (const w of windows) if (!w.isDestroyed()) w.webContents.send(IPC_EVENT_CHANNEL, m);
  };
  const services = createServices(ws, emit, 'electron');
  const inbox = watchWorkspaceInbox(ws, emit);

  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));

  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, method: unknown, params: unknown) => {
    // Only our own page may call in, and only with a known method; params are validated by the services.
    if (!event.senderFrame || !event.senderFrame.url.startsWith('file://')) throw new Error('refused: unexpected sender');
    if (!isApiMethod(method)) throw new Error(`unknown API method '${String(method).slice(0, 60)}'`);
    try {
      // Sample-carrying results cross as one ArrayBuffer (structured clone copies bytes; no base64).
      const result = await services.call(method, params);
      return { result: hasBinaryResult(method) ? encodeBinaryResult(result) : result };
    } catch (e) {
      return { error: (e as Error).message.split('\n')[0], status: e instanceof ApiError ? e.status : 500 };
    }
  });

  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'LeadLens',
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: path.join(here, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  windows.add(win);
  win.on('closed', () => windows.delete(win));
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (e) => e.preventDefault());
  await win.loadFile(path.join(rendererDir(), 'index.html'));
  app.on('window-all-closed', () => {
    void (inbox?.close() ?? Promise.resolve()).then(() => {
      ws.close();
      app.quit();
    });
  });
}

app.whenReady().then(start).catch((e: unknown) => {
  process.stderr.write(`LeadLens could not start: ${(e as Error).message.split('\n')[0]}\n`);
  app.exit(1);
});
