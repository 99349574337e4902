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
/** The CinC 2021 scoring tables shipped with LeadLens (weights.csv, dx_mapping_scored/unscored.csv, LICENSE). */
export const challengeScoringDir = (): string => path.join(packageRoot(), 'resources', 'cinc-scoring-2021');
/** The challenge metric's weights table: LEADLENS_CINC_WEIGHTS when set, else the shipped one. */
export const challengeWeightsCsv = (env: NodeJS.ProcessEnv = process.env): string =>
  env.LEADLENS_CINC_WEIGHTS || path.join(challengeScoringDir(), 'weights.csv');
