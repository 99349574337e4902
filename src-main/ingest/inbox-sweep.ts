import fs from 'node:fs';
import { listFiles } from './ingest-files.ts';

/** A file's size and whole-millisecond mtime, as the ingest compares them: equal stamps, nothing new to read. */
export function fileStamp(st: fs.Stats): string {
  return `${st.size}:${Math.floor(st.mtimeMs)}`;
}

/** The stamp of `file` now, or undefined when it is gone or cannot be looked at. */
export function currentStamp(file: string): string | undefined {
  try {
    const st = fs.statSync(file, { throwIfNoEntry: false });
    return st ? fileStamp(st) : undefined;
  } catch {
    return undefined;
  }
}

/** An editor's backup or temporary file (name ending in '~'): never an ECG to take in. */
export function isEditorTemporary(file: string): boolean {
  return file.endsWith('~');
}

/**
 * The files under the inbox folders that the watcher has not taken in as they are now: new ones whose event never
 * came (chokidar loses directory changes that arrive while a slow directory read is under way), changed ones, and
 * ones left for a retry (database busy). `known` holds the stamp each file had when its last ingest settled it.
 * A file written to in the last `stableMs` (mtime or ctime, which a copy keeping the mtime still moves) may still be
 * being written: it is left to its own event or the next sweep. Hidden entries are passed over, as by the ingest.
 */
export function unsettledFiles(
  folders: string[],
  known: (file: string) => string | undefined,
  opts: { stableMs: number; confineTo?: string[]; now?: number },
): string[] {
  const now = opts.now ?? Date.now();
  const unsettled: string[] = [];
  for (const file of listFiles(folders, opts.confineTo).files) {
    if (isEditorTemporary(file)) continue;
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(file, { throwIfNoEntry: false });
    } catch {
      continue; // unreadable now: its event (or the next sweep) brings it to the ingest, which says why
    }
    if (!st || now - Math.max(st.mtimeMs, st.ctimeMs) < opts.stableMs) continue;
    if (known(file) !== fileStamp(st)) unsettled.push(file);
  }
  return unsettled;
}
