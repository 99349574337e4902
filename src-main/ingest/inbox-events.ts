import fs from 'node:fs';
import type { ApiEventMessage } from '../../src-shared/api.ts';
import { READERS } from '../formats/readers.ts';
import type { Workspace } from '../store/workspace.ts';
import { inboxFolders } from '../store/inbox-store.ts';
import { ingestSummary } from './ingest-files.ts';
import { watchInbox, type InboxWatcher } from './inbox-watcher.ts';

function realFolder(folder: string): string {
  try {
    return fs.realpathSync(folder);
  } catch {
    return folder;
  }
}

/** Watches the workspace's inbox folders for the app (Electron or serve), pushing progress and results as API events. */
export function watchWorkspaceInbox(ws: Workspace, emit: (m: ApiEventMessage) => void): InboxWatcher | undefined {
  const folders = inboxFolders(ws.db);
  if (folders.length === 0) return undefined;
  return watchInbox(ws, folders, {
    readers: READERS,
    onProgress: (done, total, label) => emit({ event: 'progress', payload: { task: 'inbox', done, total, label } }),
    onQuarantine: (path, reason) => emit({ event: 'ingest.quarantined', payload: { path, reason } }),
    onRecords: (recordIds) => emit({ event: 'records.changed', payload: { recordIds, changes: ['records'] } }),
    onBatch: (r) => emit({ event: 'ingest.result', payload: { task: 'inbox', ...ingestSummary(r) } }),
    onError: (reason) => emit({ event: 'ingest.quarantined', payload: { path: folders.join(', '), reason } }),
    redactFileText: true,
    confineTo: folders.map((f) => realFolder(f)),
  });
}
