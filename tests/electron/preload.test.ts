// The sandboxed preload hands the page four functions and nothing of Electron: no ipcRenderer, no channel choice.
import { describe, expect, it, vi } from 'vitest';

const exposed = vi.hoisted(() => ({ key: '', api: undefined as Record<string, unknown> | undefined, invoked: [] as unknown[][] }));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => Object.assign(exposed, { key, api }) },
  ipcRenderer: {
    invoke: async (...args: unknown[]) => {
      exposed.invoked.push(args);
      return args[1] === 'bad.method' ? { error: 'unknown API method' } : { result: 42 };
    },
    on: vi.fn(),
    removeListener: vi.fn(),
  },
}));

describe('Electron preload', () => {
  it('exposes only call, onEvent, report and onMenuReport, each bound to its app channel', async () => {
    await import('../../src-main/electron/preload.ts');
    expect(exposed.key).toBe('leadlens');
    expect(Object.keys(exposed.api!).sort()).toEqual(['call', 'onEvent', 'onMenuReport', 'report']);
    expect(Object.values(exposed.api!).every((v) => typeof v === 'function')).toBe(true);
    const call = exposed.api!.call as (m: string, p: unknown) => Promise<unknown>;
    expect(await call('records.list', {})).toBe(42);
    await expect(call('bad.method', {})).rejects.toThrow(/unknown API method/);
    const report = exposed.api!.report as (r: unknown) => Promise<unknown>;
    expect(await report({ recordId: 3, paper: 'a4', action: 'pdf' })).toBe(42);
    expect(exposed.invoked.map((a) => a[0])).toEqual(['leadlens:invoke', 'leadlens:invoke', 'leadlens:report']);
    expect(exposed.invoked[2][1]).toEqual({ recordId: 3, paper: 'a4', action: 'pdf' });
  });
});
