import { watch, type FSWatcher } from 'chokidar';
import path from 'node:path';
import { isBusyError } from '../store/write-transaction.ts';
import type { Workspace } from '../store/workspace.ts';
import { currentStamp, isEditorTemporary, unsettledFiles, type SweepMemory } from './inbox-sweep.ts';
import { ingestPaths, type IngestOptions, type IngestResult } from './ingest-files.ts';

export interface InboxWatcher {
  close(): Promise<void>;
  /** Resolves when the queue is empty (for tests and the CLI's --watch exit). */
  idle(): Promise<void>;
}

/** How often the folders are swept for files whose event never came or that wait for a retry. */
const SWEEP_MS = 10_000;
/** A sweep (on the main thread: a stat per folder, and per file in folders changed since) takes at most 1/SWEEP_COST_SHARE of the time. */
const SWEEP_COST_SHARE = 50;

/**
 * Watches folders and ingests files once their writes have finished (size stable) and their companion
 * files exist. Starting it rescans what is already there; files imported before are skipped, so the queue
 * survives a restart. Reading errors quarantine the file and never stop the watcher; every batch's result lists
 * each file with its outcome. File events can be lost (chokidar drops directory changes that arrive during a slow
 * directory read), so the folders are also swept now and then: a file not taken in as it is now is queued, which is
 * also how a file not stored because the database was busy gets its retry.
 */
export function watchInbox(
  ws: Workspace,
  watched: string[],
  opts: Omit<IngestOptions, 'missingCompanions'> & {
    stabilityMs?: number;
    /** Time between sweeps (tests shorten it). */
    sweepMs?: number;
    onBatch?(r: IngestResult): void;
    onError?(message: string): void;
  },
): InboxWatcher {
  const folders = watched.map((f) => path.resolve(f));
  const stabilityMs = opts.stabilityMs ?? 1000;
  const pending = new Set<string>();
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let scheduled = false;
  let closed = false;
  const waiters: (() => void)[] = [];
  // The stamp each file had when an ingest settled it (any outcome but 'busy'), and the entries waiting for their
  // companions (retried when anything else arrives). Files being ingested right now are left alone by the sweep.
  const settled = new Map<string, string>();
  const waiting = new Map<string, string>();
  const inFlight = new Set<string>();

  const drain = (): void => {
    scheduled = false;
    const batch = [...pending];
    pending.clear();
    running = running.then(async () => {
      // Stamped before reading, so a write during the ingest shows up as a change to the next sweep.
      const stamps = new Map<string, string>();
      for (const f of batch) {
        const stamp = isEditorTemporary(f) ? undefined : currentStamp(f);
        // A file gone since its event (an editor's temporary file) is no longer there to look at; one unchanged since
        // an ingest settled it (a second event, or the sweep meeting its event) has nothing new.
        if (stamp !== undefined && settled.get(f) !== stamp) stamps.set(f, stamp);
      }
      const present = [...stamps.keys()];
      const settle = (file: string, map: Map<string, string>) => {
        const stamp = stamps.get(file) ?? currentStamp(file);
        if (stamp !== undefined) map.set(file, stamp);
      };
      if (present.length) {
        for (const f of present) inFlight.add(f);
        try {
          const r = await ingestPaths(ws, present, { ...opts, missingCompanions: 'defer' });
          opts.onBatch?.(r);
          for (const o of r.outcomes) {
            if (o.outcome === 'waiting') settle(o.path, waiting);
            else if (o.outcome !== 'busy') settle(o.path, settled);
          }
        } catch (e) {
          // Reported once; a busy database is tried again by the next sweep.
          if (!isBusyError(e)) for (const f of present) settle(f, settled);
          opts.onError?.(`inbox ingest of ${present.length} files failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
        } finally {
          for (const f of present) inFlight.delete(f);
        }
      }
      if (!scheduled && pending.size === 0) while (waiters.length) waiters.shift()!();
    });
  };
  const schedule = (file: string): void => {
    pending.add(path.resolve(file));
    for (const d of waiting.keys()) pending.add(d);
    waiting.clear();
    scheduled = true;
    clearTimeout(timer);
    timer = setTimeout(drain, 200);
  };

  let sweepTimer: NodeJS.Timeout | undefined;
  let lastSweepError = '';
  const memory: SweepMemory = new Map();
  const sweep = (): void => {
    if (closed) return;
    const started = performance.now();
    try {
      const known = (f: string) => settled.get(f) ?? waiting.get(f);
      for (const f of unsettledFiles(folders, known, { stableMs: stabilityMs, confineTo: opts.confineTo, memory })) {
        if (!pending.has(f) && !inFlight.has(f)) schedule(f);
      }
      lastSweepError = '';
    } catch (e) {
      const message = `sweeping ${folders.join(', ')}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
      if (message !== lastSweepError) opts.onError?.(message);
      lastSweepError = message;
    }
    sweepTimer = setTimeout(sweep, Math.max(opts.sweepMs ?? SWEEP_MS, SWEEP_COST_SHARE * (performance.now() - started)));
  };

  const watcher: FSWatcher = watch(folders, {
    ignoreInitial: false,
    ignored: (p: string) => /(^|[/\\])\../.test(p),
    awaitWriteFinish: { stabilityThreshold: stabilityMs, pollInterval: 100 },
  });
  watcher.on('add', schedule);
  watcher.on('change', schedule);
  watcher.on('error', (e) => opts.onError?.(`watching ${folders.join(', ')}: ${e instanceof Error ? e.message : String(e)}`));
  let ready = false;
  const readyPromise = new Promise<void>((resolve) =>
    watcher.on('ready', () => {
      ready = true;
      sweepTimer = setTimeout(sweep, opts.sweepMs ?? SWEEP_MS);
      resolve();
    }),
  );

  return {
    close: async () => {
      closed = true;
      clearTimeout(timer);
      clearTimeout(sweepTimer);
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
