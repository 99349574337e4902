import fs from 'node:fs';
import path from 'node:path';

// Files and folders the user picked in this app's native open dialog (Electron main remembers them here), for the
// life of the process. Over the API, ingest reads only these and the workspace's inbox folders.
const chosen = new Set<string>();

function real(p: string): string {
  const abs = path.resolve(p);
  try {
    return fs.realpathSync(abs);
  } catch {
    return abs;
  }
}

/** Remembers what the native open dialog returned (call it with the dialog's filePaths). */
export function rememberChosenPaths(paths: string[]): void {
  for (const p of paths) chosen.add(real(p));
}

export function forgetChosenPaths(): void {
  chosen.clear();
}

function inside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Real paths of every folder ingest may read over the API: the inbox folders and what the dialog returned. */
export function chosenRoots(inboxFolders: string[]): string[] {
  return [...inboxFolders.map(real), ...chosen];
}

/** The first of `requested` that is neither an inbox folder (or inside one) nor a chosen path (or inside one), if any. */
export function firstUnchosenPath(requested: string[], inboxFolders: string[]): string | undefined {
  const roots = chosenRoots(inboxFolders);
  return requested.find((p) => !roots.some((root) => inside(root, real(p))));
}
