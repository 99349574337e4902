#!/usr/bin/env node
// The `leadlens` command: runs the built CLI (npm ci / npm run build produce dist/).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'main', 'cli.mjs');
if (!existsSync(cli)) {
  process.stderr.write('leadlens: not built yet; run `npm run build` in the LeadLens folder\n');
  process.exit(1);
}
await import(pathToFileURL(cli).href);
