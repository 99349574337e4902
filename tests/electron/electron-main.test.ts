// The Electron binary cannot be downloaded here, so the shell is checked against a stand-in `electron` module:
// the window's security settings, the app:// protocol and its confinement, the CSP, the permission handlers, the
// IPC sender check and payload validation, navigation and window blocking, the packaged build without DevTools,
// and the fuses in electron-builder.yml.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import type { SignalWindow } from '../../src-shared/api.ts';
import { decodeBinaryResult } from '../../src-shared/binary-result.ts';
import { appMenuTemplate } from '../../src-main/electron/app-menu.ts';
import { appFilePath, isAppUrl } from '../../src-main/electron/app-protocol.ts';
import { rendererDir } from '../../src-main/resources.ts';
import { REPO_ROOT, dataPath } from '../helpers/shared-data.ts';

type Handler = (event: unknown, ...args: unknown[]) => Promise<unknown>;
interface FakeContents {
  handlers: Map<string, (...a: unknown[]) => void>;
  openHandler?: (d: { url: string }) => { action: string };
  closeDevTools: ReturnType<typeof vi.fn>;
}

const captured = vi.hoisted(() => ({
  isPackaged: false,
  windowOptions: undefined as { webPreferences: Record<string, unknown> } | undefined,
  window: undefined as { webContents: { mainFrame: { url: string } } } | undefined,
  loaded: '' as string,
  schemes: [] as unknown[],
  protocolHandler: undefined as undefined | ((req: { url: string }) => Promise<Response>),
  handlers: new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>(),
  headerHook: undefined as
    | undefined
    | ((d: { responseHeaders: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void),
  permissionRequest: undefined as undefined | ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void),
  permissionCheck: undefined as undefined | ((...a: unknown[]) => boolean),
  devicePermission: undefined as undefined | ((...a: unknown[]) => boolean),
  contentsCreated: undefined as undefined | ((event: unknown, contents: unknown) => void),
  menu: undefined as unknown,
  dialogAnswer: { canceled: true, filePaths: [] as string[] },
  dialogOptions: [] as unknown[],
  exitCode: undefined as number | undefined,
}));

vi.mock('electron', () => {
  class BrowserWindow {
    webContents: Record<string, unknown>;
    constructor(opts: Record<string, unknown>) {
      captured.windowOptions = opts as { webPreferences: Record<string, unknown> };
      captured.window = this as unknown as { webContents: { mainFrame: { url: string } } };
      this.webContents = { send: vi.fn(), mainFrame: { url: 'app://leadlens/index.html' } };
    }
    on() {}
    isDestroyed() {
      return false;
    }
    async loadURL(url: string) {
      captured.loaded = url;
    }
  }
  return {
    app: {
      get isPackaged() {
        return captured.isPackaged;
      },
      whenReady: () => new Promise<void>((r) => setTimeout(r, 0)),
      on: (name: string, fn: (...a: unknown[]) => void) => {
        if (name === 'web-contents-created') captured.contentsCreated = fn;
      },
      quit: vi.fn(),
      exit: (code: number) => (captured.exitCode = code),
    },
    BrowserWindow,
    dialog: {
      showOpenDialog: async (_win: unknown, options: unknown) => {
        captured.dialogOptions.push(options);
        return captured.dialogAnswer;
      },
      showErrorBox: vi.fn(),
    },
    ipcMain: { handle: (ch: string, fn: Handler) => captured.handlers.set(ch, fn) },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: (m: unknown) => (captured.menu = m) },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => captured.schemes.push(...s),
      handle: (_scheme: string, fn: typeof captured.protocolHandler) => (captured.protocolHandler = fn),
    },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (fn: typeof captured.headerHook) => (captured.headerHook = fn) },
        setPermissionRequestHandler: (fn: typeof captured.permissionRequest) => (captured.permissionRequest = fn),
        setPermissionCheckHandler: (fn: typeof captured.permissionCheck) => (captured.permissionCheck = fn),
        setDevicePermissionHandler: (fn: typeof captured.devicePermission) => (captured.devicePermission = fn),
      },
    },
  };
});

async function launch(opts: { packaged: boolean; argv?: string[] }): Promise<void> {
  vi.resetModules();
  Object.assign(captured, { isPackaged: opts.packaged, loaded: '', windowOptions: undefined, exitCode: undefined, schemes: [] });
  captured.handlers.clear();
  const argv = process.argv;
  process.argv = [...argv, ...(opts.argv ?? [])];
  try {
    await import('../../src-main/electron/main.ts');
    await vi.waitFor(() => expect(captured.loaded || captured.exitCode !== undefined).toBeTruthy(), { timeout: 20_000 });
  } finally {
    process.argv = argv;
  }
}

function fakeContents(): FakeContents & Record<string, unknown> {
  const c: FakeContents & Record<string, unknown> = {
    handlers: new Map(),
    closeDevTools: vi.fn(),
  };
  c.setWindowOpenHandler = (fn: FakeContents['openHandler']) => (c.openHandler = fn);
  c.on = (name: string, fn: (...a: unknown[]) => void) => c.handlers.set(name, fn);
  return c;
}

describe('Electron shell', () => {
  process.env.LEADLENS_HOME = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-electron-'));

  it('loads app://leadlens in a sandboxed, isolated window with a strict CSP and validates every IPC payload and sender', async () => {
    await launch({ packaged: false });
    expect(captured.loaded).toBe('app://leadlens/index.html');
    expect(captured.schemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

    const prefs = captured.windowOptions!.webPreferences;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      devTools: true,
    });
    expect(prefs.enableBlinkFeatures).toBeUndefined();
    expect(prefs.preload).toMatch(/preload\.cjs$/);

    // The protocol answers the renderer's files with the CSP, and nothing outside dist/renderer or on another host.
    const page = await captured.protocolHandler!({ url: 'app://leadlens/index.html' });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<div id="app">/);
    const csp = page.headers.get('Content-Security-Policy')!;
    expect(csp).toMatch(/connect-src 'self';/);
    expect(csp).not.toMatch(/ws:|'unsafe-eval'/);
    for (const url of [
      'app://leadlens/../../../etc/passwd',
      'app://leadlens/%2e%2e/%2e%2e/package.json',
      'app://leadlens/..%2f..%2fpackage.json',
      'app://evil/index.html',
      'app://leadlens/%E0%A4%A',
      'file:///etc/passwd',
    ]) {
      expect((await captured.protocolHandler!({ url })).status, url).toBe(404);
    }
    const headers = await new Promise<Record<string, string[]>>((resolve) =>
      captured.headerHook!({ responseHeaders: {} }, (r) => resolve(r.responseHeaders)),
    );
    expect(headers['Content-Security-Policy'][0]).toBe(csp);

    // Permissions: every request, check and device query is refused.
    const granted = await new Promise<boolean>((resolve) => captured.permissionRequest!({}, 'media', resolve));
    expect(granted).toBe(false);
    expect(captured.permissionCheck!({}, 'notifications', 'app://leadlens', {})).toBe(false);
    expect(captured.devicePermission!({ deviceType: 'usb', origin: 'app://leadlens' })).toBe(false);

    // IPC: our window's top frame on our page, and nothing else.
    const invoke = captured.handlers.get('leadlens:invoke')!;
    const wc = captured.window!.webContents;
    const page0 = { sender: wc, senderFrame: wc.mainFrame };
    const list = (await invoke(page0, 'records.list', { limit: 10 })) as { result: { total: number; records: { id: number }[] } };
    expect(list.result.total).toBe(5); // the seeded demo records
    // Samples cross IPC as one ArrayBuffer (structured clone), read as typed-array views on the other side.
    const signal = (await invoke(page0, 'records.signal', { id: list.result.records[0].id, start: 0, end: 500 })) as {
      result: ArrayBuffer;
    };
    expect(signal.result).toBeInstanceOf(ArrayBuffer);
    const w = decodeBinaryResult<SignalWindow>(signal.result);
    expect(w.leads).toHaveLength(12);
    expect(w.leads[0].values).toBeInstanceOf(Int16Array);
    expect(w.leads[0].values.length).toBe(500);
    expect(await invoke(page0, 'records.get', { id: 'x' })).toEqual({ error: 'records.get: id must be an integer', status: 400 });
    expect(await invoke(page0, 'labels.set', { recordId: 1, vocabulary: 'SNOMED', code: '', present: true, author: 'a' })).toEqual({
      error: 'labels.set: code must not be empty',
      status: 400,
    });
    await expect(invoke(page0, 'fs.readFile', {})).rejects.toThrow(/unknown API method/);
    const refused = [
      { sender: wc, senderFrame: { url: 'app://leadlens/index.html' } }, // a subframe showing our URL
      { sender: wc, senderFrame: null },
      { sender: {}, senderFrame: wc.mainFrame }, // another web contents
    ];
    for (const event of refused) await expect(invoke(event, 'records.list', {})).rejects.toThrow(/unexpected sender/);
    // The report channel: the same sender check, then the payload check, before any window or dialog opens.
    const report = captured.handlers.get('leadlens:report')!;
    for (const event of refused)
      await expect(report(event, { recordId: 1, paper: 'a4', action: 'pdf' })).rejects.toThrow(/unexpected sender/);
    expect(await report(page0, { recordId: 1, paper: 'a3', action: 'pdf' })).toEqual({ error: 'report: paper must be a4 or letter' });
    expect(await report(page0, { recordId: 99999, paper: 'a4', action: 'pdf' })).toMatchObject({ error: expect.stringMatching(/99999/) });
    for (const url of ['file:///app/index.html', 'https://evil.example/', 'app://evil/index.html', 'app://x@leadlens/index.html']) {
      wc.mainFrame.url = url;
      await expect(invoke({ sender: wc, senderFrame: wc.mainFrame }, 'records.list', {})).rejects.toThrow(/unexpected sender/);
    }
    wc.mainFrame.url = 'app://leadlens/index.html';

    // Every web contents: no navigation, no new windows, no <webview>.
    const contents = fakeContents();
    captured.contentsCreated!({}, contents);
    expect(contents.openHandler!({ url: 'https://example.org/' })).toEqual({ action: 'deny' });
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const e = { preventDefault: vi.fn() };
      contents.handlers.get(name)!(e);
      expect(e.preventDefault, name).toHaveBeenCalled();
    }
    expect(contents.handlers.has('devtools-opened')).toBe(false);
    expect(JSON.stringify(captured.menu)).toMatch(/toggleDevTools/);
  });

  it('File > Ingest folder… ingests what the native dialog picked, outside the inbox, and a cancelled dialog nothing', async () => {
    await launch({ packaged: true });
    const invoke = captured.handlers.get('leadlens:invoke')!;
    const wc = captured.window!.webContents as unknown as { send: ReturnType<typeof vi.fn>; mainFrame: { url: string } };
    const page0 = { sender: wc, senderFrame: wc.mainFrame };
    const total = async () => ((await invoke(page0, 'records.list', { limit: 1 })) as { result: { total: number } }).result.total;
    const before = await total();
    const file = (captured.menu as MenuItemConstructorOptions[]).find((m) => m.label === 'File')!;
    const item = (label: string) => (file.submenu as MenuItemConstructorOptions[]).find((i) => i.label === label)!;
    // Over the API alone, a folder nobody picked is refused.
    const picked = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-picked-'));
    for (const ext of ['hea', 'dat']) fs.copyFileSync(dataPath('mitdb', `100.${ext}`), path.join(picked, `100.${ext}`));
    expect(await invoke(page0, 'ingest.paths', { paths: [picked] })).toMatchObject({ status: 403 });
    captured.dialogAnswer = { canceled: true, filePaths: [picked] };
    (item('Ingest folder…').click as () => void)();
    await vi.waitFor(() => expect(captured.dialogOptions).toHaveLength(1));
    expect(await total()).toBe(before);
    captured.dialogAnswer = { canceled: false, filePaths: [picked] };
    (item('Ingest folder…').click as () => void)();
    await vi.waitFor(async () => expect(await total()).toBe(before + 1), { timeout: 20_000 });
    expect(captured.dialogOptions[1]).toMatchObject({ properties: ['openDirectory', 'multiSelections'] });
    const events = wc.send.mock.calls.map((c) => (c[1] as { event: string }).event);
    expect(events).toContain('ingest.result');
  });

  it('has no DevTools in a packaged build: off in the window, absent from the menu, closed if opened', async () => {
    await launch({ packaged: true });
    expect(captured.windowOptions!.webPreferences.devTools).toBe(false);
    expect(JSON.stringify(captured.menu)).not.toMatch(/toggleDevTools|reload/i);
    const contents = fakeContents();
    captured.contentsCreated!({}, contents);
    contents.handlers.get('devtools-opened')!();
    expect(contents.closeDevTools).toHaveBeenCalled();
  });

  it('refuses an empty --workspace= in one line with exit code 2', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await launch({ packaged: false, argv: ['--workspace='] });
      expect(captured.exitCode).toBe(2);
      expect(captured.loaded).toBe('');
      expect(err).toHaveBeenCalledWith('LeadLens could not start: --workspace needs a folder path, got an empty one\n');
    } finally {
      err.mockRestore();
    }
  });

  it('confines app:// to the renderer folder, symlinks included', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-app-proto-'));
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<html>');
    fs.writeFileSync(path.join(dir, 'assets', 'a.js'), '');
    fs.symlinkSync('/etc/passwd', path.join(dir, 'assets', 'out.js'));
    expect(appFilePath(dir, 'app://leadlens/')).toBe(fs.realpathSync(path.join(dir, 'index.html')));
    expect(appFilePath(dir, 'app://leadlens/assets/a.js')).toBe(fs.realpathSync(path.join(dir, 'assets', 'a.js')));
    expect(appFilePath(dir, 'app://leadlens/assets/out.js')).toBeUndefined();
    expect(appFilePath(dir, 'app://leadlens/assets')).toBeUndefined();
    expect(appFilePath(dir, 'app://leadlens/x%00.js')).toBeUndefined();
    expect(appFilePath(rendererDir(), 'app://leadlens:8080/index.html')).toBeUndefined();
    expect(isAppUrl('app://leadlens/index.html#x')).toBe(true);
    expect(isAppUrl('app://leadlens.evil/index.html')).toBe(false);
  });

  it('keeps DevTools and reload out of the packaged menu only', () => {
    for (const platform of ['darwin', 'linux', 'win32'] as const) {
      expect(JSON.stringify(appMenuTemplate(true, platform))).not.toMatch(/toggleDevTools|reload/i);
      expect(JSON.stringify(appMenuTemplate(false, platform))).toMatch(/toggleDevTools/);
    }
  });

  it('sets the Electron fuses in electron-builder.yml, each a key electron-builder knows', () => {
    const yml = fs.readFileSync(path.join(REPO_ROOT, 'electron-builder.yml'), 'utf8');
    const block = /^electronFuses:\n((?:[ ]{2}.*\n)+)/m.exec(yml)?.[1] ?? '';
    const fuses = Object.fromEntries([...block.matchAll(/^\s+(\w+):\s*(true|false)\s*$/gm)].map((m) => [m[1], m[2] === 'true']));
    expect(fuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    const scheme = JSON.parse(fs.readFileSync(createRequire(import.meta.url).resolve('app-builder-lib/scheme.json'), 'utf8'));
    const known = Object.keys(scheme.definitions.FuseOptionsV1.properties);
    for (const key of Object.keys(fuses)) expect(known, key).toContain(key);
    expect(scheme.properties.electronFuses).toBeDefined();
  });
});
