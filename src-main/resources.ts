import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The installed package's root (the folder with LeadLens's package.json), found from this module's location. */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj) && JSON.parse(fs.readFileSync(pj, 'utf8')).name === 'leadlens') return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the LeadLens package folder');
    dir = up;
  }
}

export const rendererDir = (): string => path.join(packageRoot(), 'dist', 'renderer');
export const samplesDir = (): string => path.join(packageRoot(), 'resources', 'samples');
