// The thin Electron entry: a window over the same services `leadlens serve` uses, reached through IPC.
// Hardening follows the Electron security checklist: the page comes from app://leadlens (never file://), runs
// sandboxed and context-isolated, may not navigate, open windows, ask for permissions or (packaged) open DevTools,
// and only its own top frame may call the API.
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, type IpcMainInvokeEvent } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiEventMessage } from '../../src-shared/api.ts';
import { hasBinaryResult, isApiMethod } from '../../src-shared/api.ts';
import { encodeBinaryResult } from '../../src-shared/binary-result.ts';
import { ApiError } from '../api/services.ts';
import { startAppSession } from '../api/app-session.ts';
import { contentSecurityPolicy } from '../api/content-security-policy.ts';
import { rendererDir } from '../resources.ts';
import { defaultWorkspaceDir } from '../store/workspace.ts';
import { rememberChosenPaths } from '../api/chosen-paths.ts';
import { appMenuTemplate } from './app-menu.ts';
import { ingestDialogOptions, pickedPaths, type IngestPick } from './ingest-dialog.ts';
import { APP_INDEX_URL, APP_SCHEME, appFilePath, isAppUrl } from './app-protocol.ts';
import { rendererMimeType } from '../api/renderer-mime-types.ts';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, IPC_MENU_REPORT_CHANNEL, IPC_REPORT_CHANNEL } from './ipc-channels.ts';
import { reportRequest } from './report-options.ts';
import { printReport } from './report-window.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
// The API goes over IPC: the page connects to nothing beyond its own origin.
const CSP = contentSecurityPolicy();

// A standard, secure scheme: its own origin for the page, fetch for its assets (tfjs wasm), no privileges file://
// would have. Not corsEnabled: that privilege lets other origins read the scheme's responses; the page only loads its
// own (same-origin) modules.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

/** The workspace from --workspace=DIR (an empty one is refused), else LEADLENS_HOME or the user-data folder. */
function workspaceArg(argv: string[]): string {
  const arg = argv.find((a) => a.startsWith('--workspace='));
  if (arg === undefined) return process.env.LEADLENS_HOME ?? defaultWorkspaceDir();
  const dir = arg.slice('--workspace='.length);
  if (dir.trim() === '') throw new Error('--workspace needs a folder path, got an empty one');
  return dir;
}

async function start(): Promise<void> {
  // `npm start` builds better-sqlite3 for Electron's ABI beside the Node build the CLI and tests use;
  // a packaged app has its own rebuilt copy and no such variable.
  const sqliteBinding = process.env.LEADLENS_SQLITE_BINDING;
  const appSession = await startAppSession({
    workspaceDir: workspaceArg(process.argv),
    transport: 'electron',
    ...(sqliteBinding ? { sqliteBinding } : {}),
  });
  const windows = new Set<BrowserWindow>();
  appSession.onEvent((m: ApiEventMessage) => {
    for (const w of windows) if (!w.isDestroyed()) w.webContents.send(IPC_EVENT_CHANNEL, m);
  });

  const root = rendererDir();
  protocol.handle(APP_SCHEME, async (request) => {
    const file = appFilePath(root, request.url);
    if (!file) return new Response('not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
    return new Response(await fs.promises.readFile(file), {
      headers: { 'Content-Type': rendererMimeType(file), 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff' },
    });
  });
  const ses = session.defaultSession;
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  // The app needs no camera, microphone, notification, geolocation, HID, USB or serial port: ask, check or list, all no.
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);

  /** Only the top frame of one of our windows, showing our own page, may call the API. */
  const fromOurPage = (event: IpcMainInvokeEvent): boolean => {
    const frame = event.senderFrame;
    if (!frame || !isAppUrl(frame.url)) return false;
    return [...windows].some((w) => !w.isDestroyed() && w.webContents === event.sender && w.webContents.mainFrame === frame);
  };
  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, method: unknown, params: unknown) => {
    if (!fromOurPage(event)) throw new Error('refused: unexpected sender');
    if (!isApiMethod(method)) throw new Error(`unknown API method '${String(method).slice(0, 60)}'`);
    try {
      // Sample-carrying results cross as one ArrayBuffer (structured clone copies bytes; no base64).
      const result = await appSession.services.call(method, params);
      return { result: hasBinaryResult(method) ? encodeBinaryResult(result) : result };
    } catch (e) {
      return { error: ((e as Error).message ?? String(e)).split('\n')[0], status: e instanceof ApiError ? e.status : 500 };
    }
  });

  const webPreferences = {
    preload: path.join(here, 'preload.cjs'),
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    devTools: !app.isPackaged,
    spellcheck: false,
  };
  const win = new BrowserWindow({ width: 1400, height: 900, title: 'LeadLens', backgroundColor: '#ffffff', webPreferences });
  // The menu asks the page, which knows the open record; the page asks back over IPC_REPORT_CHANNEL.
  const onReport = (action: 'print' | 'pdf') => {
    if (!win.isDestroyed()) win.webContents.send(IPC_MENU_REPORT_CHANNEL, action);
  };
  // Ingest runs in the main process; the page follows it through the progress and ingest.result events.
  const onIngest = async (pick: IngestPick): Promise<void> => {
    const paths = pickedPaths(await dialog.showOpenDialog(win, ingestDialogOptions(pick)));
    if (paths.length === 0) return;
    rememberChosenPaths(paths);
    try {
      await appSession.services.call('ingest.paths', { paths });
    } catch (e) {
      dialog.showErrorBox('Ingest failed', ((e as Error).message ?? String(e)).split('\n')[0]);
    }
  };
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(appMenuTemplate(app.isPackaged, process.platform, { onReport, onIngest: (pick) => void onIngest(pick) })),
  );
  ipcMain.handle(IPC_REPORT_CHANNEL, async (event, payload: unknown) => {
    if (!fromOurPage(event)) throw new Error('refused: unexpected sender');
    try {
      const req = reportRequest(payload);
      const { recordName } = (await appSession.services.call('records.get', { id: req.recordId })) as { recordName: string };
      return { result: await printReport(win, windows, webPreferences, { ...req, recordName }) };
    } catch (e) {
      return { error: ((e as Error).message ?? String(e)).split('\n')[0] };
    }
  });
  windows.add(win);
  win.on('closed', () => windows.delete(win));
  await win.loadURL(APP_INDEX_URL);
  app.on('window-all-closed', () => {
    void appSession.close().then(() => app.quit());
  });
}

// Every web contents, ours or any a bug might create: no navigation, no new windows, no <webview>.
app.on('web-contents-created', (_event, contents) => {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (e) => e.preventDefault());
  contents.on('will-redirect', (e) => e.preventDefault());
  contents.on('will-attach-webview', (e) => e.preventDefault());
  if (app.isPackaged) contents.on('devtools-opened', () => contents.closeDevTools());
});

app
  .whenReady()
  .then(start)
  .catch((e: unknown) => {
    process.stderr.write(`LeadLens could not start: ${((e as Error).message ?? String(e)).split('\n')[0]}\n`);
    app.exit(/^--workspace/.test((e as Error).message ?? '') ? 2 : 1);
  });
