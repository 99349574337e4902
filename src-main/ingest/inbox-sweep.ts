import fs from 'node:fs';
import path from 'node:path';
import { isInsideAny } from './ingest-files.ts';

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

/** Coarsest folder mtime resolution catered for, with room to spare. */
const COARSE_MTIME_MS = 5000;

/**
 * Folders whose files were all taken in at the last sweep, with the folder's mtime then and its subfolders. Adding,
 * removing or renaming an entry moves a folder's mtime, so while it stays the same the folder is not listed again:
 * a sweep of a large inbox (files stay after they are taken in) costs a stat per folder.
 */
export type SweepMemory = Map<string, { mtimeMs: number; subfolders: string[] }>;

/**
 * The files under the inbox folders that the watcher has not taken in as they are now: new ones whose event never
 * came (chokidar loses directory changes that arrive while a slow directory read is under way), changed ones, and
 * ones left for a retry (database busy). `known` gives the stamp each file had when its last ingest settled it.
 * A file written to in the last `stableMs` (mtime or ctime, which a copy keeping the mtime still moves) may still be
 * being written: it is left to its own event or the next sweep. Hidden entries are passed over, as by the ingest and
 * the watcher; symlinks are followed, never out of `confineTo` nor round a loop.
 */
export function unsettledFiles(
  folders: string[],
  known: (file: string) => string | undefined,
  opts: { stableMs: number; confineTo?: string[]; now?: number; memory?: SweepMemory },
): string[] {
  const now = opts.now ?? Date.now();
  const memory: SweepMemory = opts.memory ?? new Map();
  const unsettled: string[] = [];
  const statOrNot = (p: string): fs.Stats | undefined => {
    try {
      return fs.statSync(p, { throwIfNoEntry: false });
    } catch {
      return undefined; // unreadable now: its event (or the next sweep) brings it to the ingest, which says why
    }
  };
  const walk = (folder: string, ancestors: string[]): void => {
    const st = statOrNot(folder);
    if (!st?.isDirectory()) return;
    let real: string;
    let names: string[];
    const remembered = memory.get(folder);
    try {
      real = fs.realpathSync(folder);
      if (ancestors.includes(real) || (opts.confineTo && !isInsideAny(opts.confineTo, real))) return;
      if (remembered?.mtimeMs === st.mtimeMs) {
        for (const sub of remembered.subfolders) walk(sub, [...ancestors, real]);
        return;
      }
      names = fs.readdirSync(folder).sort();
    } catch {
      memory.delete(folder);
      return;
    }
    let allSettled = true;
    const subfolders: string[] = [];
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const entry = path.join(folder, name);
      const est = statOrNot(entry);
      if (est?.isDirectory()) {
        subfolders.push(entry);
        walk(entry, [...ancestors, real]);
      } else if (!est?.isFile()) allSettled = false;
      else if (isEditorTemporary(entry)) continue;
      else if (now - Math.max(est.mtimeMs, est.ctimeMs) < opts.stableMs) allSettled = false;
      else if (known(entry) !== fileStamp(est)) {
        unsettled.push(entry);
        allSettled = false;
      }
    }
    // Listed again next time until every file in it is taken in, and while its mtime is so recent that an entry
    // added after this listing could leave it as it is (FAT and some network shares keep 1-2 s timestamps).
    if (allSettled && now - st.mtimeMs >= COARSE_MTIME_MS) memory.set(folder, { mtimeMs: st.mtimeMs, subfolders });
    else memory.delete(folder);
  };
  for (const folder of folders) walk(path.resolve(folder), []);
  return unsettled.sort();
}
