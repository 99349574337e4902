import { builtinModules } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

// What each runtime layer may import (VS Code style: a file's folder says where it runs).

export interface LayerViolation {
  file: string;
  line: number;
  specifier: string;
  reason: string;
}

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
/** Packages that need Node or native code; the renderer runs in a browser sandbox. */
const NODE_ONLY_PACKAGES = [
  'better-sqlite3',
  'chokidar',
  'ws',
  'onnxruntime-node',
  '@tensorflow/tfjs-node',
  '@tensorflow/tfjs-node-gpu',
  'electron',
  'tsx',
  'esbuild',
];
const IMPORT_RE =
  /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;
/** Globals that tie code to one runtime, forbidden in src-shared. */
const RUNTIME_GLOBALS_RE = /\b(?:window|document|navigator|localStorage|process|Buffer|__dirname|require)\s*[.([]/;

/**
 * Layer rank of each top-level folder (or file) of src-main: a module may import its own folder, any lower rank and
 * the few same-rank edges in SIBLING_IMPORTS; everything else runs back up the layers. Rank -1 holds the
 * top-level leaf files (the version, the resources folder lookup, the worker starter), which every layer may use.
 */
export const MAIN_LAYERS: Record<string, number> = {
  'version.ts': -1,
  'resources.ts': -1,
  'start-worker.ts': -1,
  formats: 0,
  dsp: 0,
  store: 1,
  ingest: 2,
  rules: 2,
  ml: 2,
  chart: 2,
  explain: 3,
  workspace: 4,
  api: 5,
  cli: 6,
  server: 6,
  electron: 6,
};
/** Same-rank imports that are allowed, one way only: the QRS benchmark reads WFDB records, ML trains on rendered
 * charts, `leadlens serve` starts the server. */
export const SIBLING_IMPORTS = new Set(['dsp->formats', 'ml->chart', 'cli->server']);

/** The src-main folder (or top-level file) a path inside src-main belongs to. */
const mainUnit = (relInMain: string): string => relInMain.split(path.sep)[0];

/** Why an import from one src-main unit to another breaks the layer order, or undefined when it does not. */
export function mainLayerViolation(from: string, to: string): string | undefined {
  if (from === to) return undefined;
  const a = MAIN_LAYERS[from];
  const b = MAIN_LAYERS[to];
  if (a === undefined) return `src-main/${from} has no place in the layer map (tests/helpers/layering.ts)`;
  if (b === undefined) return `src-main/${to} has no place in the layer map (tests/helpers/layering.ts)`;
  if (b < a || (a === b && SIBLING_IMPORTS.has(`${from}->${to}`))) return undefined;
  return `src-main/${from} (layer ${a}) must not import src-main/${to} (layer ${b})`;
}

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|svelte|js|mjs|cjs)$/.test(f) && !f.includes('node_modules'))
    .map((f) => path.join(dir, f));
}

function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Every import in src-shared, src-main and src-renderer under `root` that breaks the layering. */
export function findLayerViolations(root: string): LayerViolation[] {
  const out: LayerViolation[] = [];
  for (const layer of ['src-shared', 'src-main', 'src-renderer'] as const) {
    const layerDir = path.join(root, layer);
    for (const file of sourceFiles(layerDir)) {
      const text = fs.readFileSync(file, 'utf8');
      const rel = path.relative(root, file);
      const lines = text.split('\n');
      lines.forEach((lineText, i) => {
        if (/^\s*(\/\/|\*)/.test(lineText)) return;
        if (layer === 'src-shared' && RUNTIME_GLOBALS_RE.test(lineText)) {
          out.push({
            file: rel,
            line: i + 1,
            specifier: lineText.trim().slice(0, 60),
            reason: 'src-shared must not use runtime globals (window, document, process, Buffer, require)',
          });
        }
        for (const m of lineText.matchAll(IMPORT_RE)) {
          const spec = m[1] ?? m[2] ?? m[3];
          const v = (reason: string) => out.push({ file: rel, line: i + 1, specifier: spec, reason });
          if (spec.startsWith('.')) {
            const target = path.relative(root, path.resolve(path.dirname(file), spec));
            const targetLayer = target.split(path.sep)[0];
            if (layer === 'src-shared' && targetLayer !== 'src-shared') v('src-shared may import only src-shared');
            if (layer === 'src-main' && targetLayer !== 'src-main' && targetLayer !== 'src-shared')
              v('src-main may import only src-main and src-shared');
            if (layer === 'src-main' && targetLayer === 'src-main') {
              const reason = mainLayerViolation(
                mainUnit(path.relative(layerDir, file)),
                mainUnit(path.relative(path.join(root, 'src-main'), path.join(root, target))),
              );
              if (reason) v(reason);
            }
            if (layer === 'src-renderer' && targetLayer !== 'src-renderer' && targetLayer !== 'src-shared')
              v('src-renderer may import only src-renderer and src-shared');
            continue;
          }
          const pkg = packageName(spec);
          if (layer === 'src-shared') v('src-shared must not import packages or Node/Electron modules');
          else if (layer === 'src-renderer' && (NODE_BUILTINS.has(spec) || NODE_BUILTINS.has(pkg) || NODE_ONLY_PACKAGES.includes(pkg)))
            v('src-renderer runs in a browser: no Node, native or Electron modules');
          else if (layer === 'src-main' && pkg === 'electron' && !rel.startsWith(path.join('src-main', 'electron') + path.sep))
            v('only src-main/electron/ may import electron; services stay plain Node');
        }
      });
    }
  }
  return out;
}

/** `file:line` of every database call (prepare, exec, pragma) in src-main outside src-main/store: SQL lives in the store. */
export function findSqlOutsideStore(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (path.relative(root, p) !== path.join('src-main', 'store')) walk(p);
      } else if (entry.name.endsWith('.ts')) {
        fs.readFileSync(p, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            if (/\.(prepare|pragma)\(|\.exec\(\s*['"`]/.test(line)) found.push(`${path.relative(root, p)}:${i + 1}`);
          });
      }
    }
  };
  walk(path.join(root, 'src-main'));
  return found;
}
