// Builds dist/main (esbuild bundles of src-main entries; node_modules stay external) and dist/renderer (vite).
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const outdir = path.join(root, 'dist', 'main');

/** Every src-main entry point: [source, output file, format]. Worker threads get their own entry here. */
export const entries = [
  ['src-main/cli/entry.ts', 'cli.mjs', 'esm'],
  ['src-main/electron/main.ts', 'electron-main.mjs', 'esm'],
  // A sandboxed preload must be CommonJS.
  ['src-main/electron/preload.ts', 'preload.cjs', 'cjs'],
  // ML training worker thread (src-main/ml/run-training.ts starts it from beside the bundle).
  ['src-main/ml/train-worker.ts', 'train-worker.mjs', 'esm'],
  // Data-parallel gradient worker (src-main/ml/parallel-train.ts).
  ['src-main/ml/grad-worker.ts', 'grad-worker.mjs', 'esm'],
  // Analysis pool worker (src-main/workspace/analysis-pool.ts): measurements, rules and predictions off the API's event loop.
  ['src-main/workspace/analysis-worker.ts', 'analysis-worker.mjs', 'esm'],
  // A training run started from the UI (src-main/workspace/train-model-in-worker.ts): records read and datasets built off the event loop.
  ['src-main/workspace/train-model-worker.ts', 'train-model-worker.mjs', 'esm'],
  // Signal chunk encoding on worker threads (src-main/store/chunk-encode-pool.ts): large records are compressed in parallel.
  ['src-main/store/chunk-encode-worker.ts', 'chunk-encode-worker.mjs', 'esm'],
];

const only = process.argv.includes('--main-only') ? 'main' : process.argv.includes('--renderer-only') ? 'renderer' : 'all';
const t0 = Date.now();
if (only !== 'renderer') {
  fs.rmSync(outdir, { recursive: true, force: true });
  await Promise.all(
    entries
      .filter(([src]) => fs.existsSync(path.join(root, src)))
      .map(([src, out, format]) =>
        build({
          entryPoints: [path.join(root, src)],
          outfile: path.join(outdir, out),
          bundle: true,
          platform: 'node',
          target: 'node20',
          format,
          packages: 'external',
          sourcemap: 'linked',
          logLevel: 'warning',
          define: { __LEADLENS_VERSION__: JSON.stringify(pkg.version) },
          // ESM bundles of CommonJS-style code need require/__dirname.
          banner:
            format === 'esm' ? { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } : {},
        }),
      ),
  );
}
if (only !== 'main') {
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
}
process.stderr.write(`built ${only} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
