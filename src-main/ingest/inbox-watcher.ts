import { watch, type FSWatcher } from 'chokidar';
import fs from 'node:fs';
import type { Workspace } from '../store/workspace.ts';
import { ingestPaths, type IngestOptions, type IngestResult } from './ingest-files.ts';

export interface InboxWatcher {
  close(): Promise<void>;
  /** Resolves when the queue is empty (for tests and the CLI's --watch exit). */
  idle(): Promise<void>;
}

/**
 * Watches folders and ingests files once their writes have finished (size stable) and their companion
 * files exist. Starting it rescans what is already there; files imported before are skipped, so the queue
 * survives a restart. Reading errors quarantine the file and never stop the watcher; every batch's result lists
 * each file with its outcome.
 */
export function watchInbox(
  ws: Workspace,
  folders: string[],
  opts: Omit<IngestOptions, 'missingCompanions'> & {
    stabilityMs?: number;
    onBatch?(r: IngestResult): void;
    onError?(message: string): void;
  },
): InboxWatcher {
  const pending = new Set<string>();
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let scheduled = false;
  const waiters: (() => void)[] = [];

  const drain = (): void => {
    scheduled = false;
    const batch = [...pending];
    pending.clear();
    running = running.then(async () => {
      if (batch.length) {
        try {
          // A file gone since its event (an editor's temporary file) is no longer there to look at.
          const present = batch.filter((f) => !f.endsWith('~') && fs.lstatSync(f, { throwIfNoEntry: false }));
          const r = await ingestPaths(ws, present, { ...opts, missingCompanions: 'defer' });
          opts.onBatch?.(r);
          // An entry waiting for its companions is retried when anything else arrives in the inbox.
          for (const d of r.deferred) deferred.add(d);
        } catch (e) {
          opts.onError?.(`inbox ingest of ${batch.length} files failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
        }
      }
      if (!scheduled && pending.size === 0) while (waiters.length) waiters.shift()!();
    });
  };
  const deferred = new Set<string>();
  const schedule = (file: string): void => {
    pending.add(file);
    for (const d of deferred) pending.add(d);
    deferred.clear();
    scheduled = true;
    clearTimeout(timer);
    timer = setTimeout(drain, 200);
  };

  const watcher: FSWatcher = watch(folders, {
    ignoreInitial: false,
    ignored: (p: string) => /(^|[/\\])\../.test(p),
    awaitWriteFinish: { stabilityThreshold: opts.stabilityMs ?? 1000, pollInterval: 100 },
  });
  watcher.on('add', schedule);
  watcher.on('change', schedule);
  watcher.on('error', (e) => opts.onError?.(`watching ${folders.join(', ')}: ${e instanceof Error ? e.message : String(e)}`));
  let ready = false;
  const readyPromise = new Promise<void>((resolve) =>
    watcher.on('ready', () => {
      ready = true;
      resolve();
    }),
  );

  return {
    close: async () => {
      clearTimeout(timer);
      await watcher.close();
      await running;
    },
    idle: async () => {
      if (!ready) await readyPromise;
      if (!scheduled && pending.size === 0) {
        await running;
        if (!scheduled && pending.size === 0) return;
      }
      await new Promise<void>((resolve) => waiters.push(resolve));
    },
  };
}
