import fs from 'node:fs';
import { READERS } from '../formats/readers.ts';
import { samplesDir } from '../resources.ts';
import { readSetting, writeSetting } from '../store/setting-store.ts';
import type { Workspace } from '../store/workspace.ts';
import { ingestPaths, type IngestResult } from './ingest-files.ts';

const SEEDED = 'samples_seeded';

/** Seeds a new workspace once with the demo records shipped in resources/samples, so a newcomer sees ECGs at once. */
export async function seedSamplesOnce(ws: Workspace, dir = samplesDir()): Promise<IngestResult | undefined> {
  if (readSetting(ws.db, SEEDED) !== undefined || !fs.existsSync(dir)) return undefined;
  const r = await ingestPaths(ws, [dir], { readers: READERS });
  writeSetting(ws.db, SEEDED, new Date().toISOString());
  return r;
}
