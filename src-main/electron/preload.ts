// Sandboxed preload: exposes only `window.leadlens.call`, `onEvent` and the report (print / save as PDF) with its menu
// notice, never ipcRenderer itself.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ApiEventMessage } from '../../src-shared/api.ts';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, IPC_MENU_REPORT_CHANNEL, IPC_REPORT_CHANNEL } from './ipc-channels.ts';

async function invoke(channel: string, ...args: unknown[]): Promise<unknown> {
  const reply = (await ipcRenderer.invoke(channel, ...args)) as { result?: unknown; error?: string };
  if (reply.error !== undefined) throw new Error(reply.error);
  return reply.result;
}

contextBridge.exposeInMainWorld('leadlens', {
  call: (method: string, params: unknown) => invoke(IPC_INVOKE_CHANNEL, method, params),
  onEvent(listener: (m: ApiEventMessage) => void) {
    const wrapped = (_e: IpcRendererEvent, m: ApiEventMessage) => listener(m);
    ipcRenderer.on(IPC_EVENT_CHANNEL, wrapped);
    return () => ipcRenderer.removeListener(IPC_EVENT_CHANNEL, wrapped);
  },
  /** Resolves with the saved PDF's path, '' when cancelled, or 'printed'. */
  report: (request: { recordId: number; paper: string; action: 'pdf' | 'print' }) => invoke(IPC_REPORT_CHANNEL, request),
  onMenuReport(listener: (action: 'pdf' | 'print') => void) {
    const wrapped = (_e: IpcRendererEvent, action: 'pdf' | 'print') => listener(action);
    ipcRenderer.on(IPC_MENU_REPORT_CHANNEL, wrapped);
    return () => ipcRenderer.removeListener(IPC_MENU_REPORT_CHANNEL, wrapped);
  },
});
