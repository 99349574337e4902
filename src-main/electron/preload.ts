// Sandboxed preload: exposes only `window.leadlens.call` and `onEvent`, never ipcRenderer itself.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ApiEventMessage } from '../../src-shared/api.ts';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from './ipc-channels.ts';

contextBridge.exposeInMainWorld('leadlens', {
  async call(method: string, params: unknown) {
    const reply = (await ipcRenderer.invoke(IPC_INVOKE_CHANNEL, method, params)) as { result?: unknown; error?: string };
    if (reply.error !== undefined) throw new Error(reply.error);
    return reply.result;
  },
  onEvent(listener: (m: ApiEventMessage) => void) {
    const wrapped = (_e: IpcRendererEvent, m: ApiEventMessage) => listener(m);
    ipcRenderer.on(IPC_EVENT_CHANNEL, wrapped);
    return () => ipcRenderer.removeListener(IPC_EVENT_CHANNEL, wrapped);
  },
});
