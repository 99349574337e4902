// The one start-up sequence of the app, shared by `leadlens serve` and the Electron window: open the workspace, seed
// the demo records once, start the services (with the analysis pool, one worker started ahead of use) and the inbox
// watcher, warm the signal decoder between requests; close them in reverse.
import type { ApiEventMessage } from '../../src-shared/api.ts';
import { createServices, type EventSink, type Services } from './services.ts';
import { watchWorkspaceInbox } from '../ingest/inbox-events.ts';
import { seedSamplesOnce } from '../ingest/seed-samples.ts';
import { signalCodecWarmupSteps } from '../store/signal-codec-warmup.ts';
import { openWorkspace, type Workspace } from '../store/workspace.ts';
import { createAnalysisPool } from '../workspace/analysis-pool.ts';

export interface AppSessionOptions {
  workspaceDir: string;
  transport: 'electron' | 'http';
  /** Seed a new workspace with the demo records (default true). */
  seed?: boolean;
  /** better-sqlite3 built for Electron's ABI, when run from source. */
  sqliteBinding?: string;
  /** Analysis worker threads; 0 runs analyses on the event loop (default: one per core but one, 1..4). */
  analysisWorkers?: number;
}

export interface AppSession {
  workspace: Workspace;
  services: Services;
  /** Analysis worker threads running (one from the start, so the first record opened does not wait for it). */
  readonly analysisWorkers: number;
  /** Settles once the signal decoder is warmed up (or the warm-up stopped: an error in it, or the session closed). */
  warmedUp: Promise<void>;
  /** Listens to every event the services and the inbox push; returns the unsubscribe. */
  onEvent(listener: EventSink): () => void;
  close(): Promise<void>;
}

/**
 * Runs `steps` one per turn of the event loop (setImmediate: after the I/O that arrived meanwhile), so a request
 * waits for one short step at most. Settles when they are done, one throws, or `stop` is called.
 */
function runBetweenRequests(steps: (() => void)[]): { done: Promise<void>; stop(): void } {
  let timer: NodeJS.Immediate | undefined;
  let finish = () => {};
  const done = new Promise<void>((resolve) => (finish = resolve));
  const next = (i: number) => {
    if (i === steps.length) return finish();
    timer = setImmediate(() => {
      try {
        steps[i]();
      } catch {
        return finish(); // a warm-up that fails leaves the first request as slow as before, nothing worse
      }
      next(i + 1);
    });
  };
  next(0);
  return {
    done,
    stop() {
      clearImmediate(timer);
      finish();
    },
  };
}

export async function startAppSession(opts: AppSessionOptions): Promise<AppSession> {
  const workspace = openWorkspace(opts.workspaceDir, opts.sqliteBinding);
  try {
    if (opts.seed !== false) await seedSamplesOnce(workspace);
  } catch (e) {
    workspace.close();
    throw e;
  }
  const listeners = new Set<EventSink>();
  const emit = (m: ApiEventMessage) => {
    for (const l of listeners) l(m);
  };
  const pool = createAnalysisPool(workspace, { size: opts.analysisWorkers, sqliteBinding: opts.sqliteBinding });
  // Opening a record asks for its analysis and rules at once: a worker started now is ready by then.
  pool.warm();
  const services = createServices(workspace, emit, opts.transport, pool);
  const inbox = watchWorkspaceInbox(workspace, emit);
  // The first record opened would otherwise pay for decoding its signal in V8's interpreter (see the warm-up module).
  const warmup = runBetweenRequests(signalCodecWarmupSteps());
  let closing: Promise<void> | undefined;
  return {
    workspace,
    services,
    warmedUp: warmup.done,
    get analysisWorkers() {
      return pool.workers;
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () =>
      (closing ??= (async () => {
        warmup.stop();
        await inbox?.close();
        await pool.close();
        listeners.clear();
        workspace.close();
      })()),
  };
}
