import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findLayerViolations, findSqlOutsideStore } from './helpers/layering.ts';
import { REPO_ROOT } from './helpers/shared-data.ts';

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-layers-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

describe('runtime layering', () => {
  it('the project itself has no layer violation', () => {
    expect(findLayerViolations(REPO_ROOT)).toEqual([]);
  });

  it('catches the renderer importing node:fs and shared importing electron', () => {
    const root = tree({
      'src-renderer/lib/bad.ts': "import fs from 'node:fs';\nexport const x = fs;\n",
      'src-renderer/Ok.svelte': '<script lang="ts">import * as d3 from \'d3\';</script>',
      'src-shared/bad.ts': "import { app } from 'electron';\n",
      'src-shared/ok.ts': "import type { EcgRecord } from './record.ts';\n",
    });
    const v = findLayerViolations(root);
    expect(v.map((x) => `${x.file}:${x.specifier}`).sort()).toEqual(['src-renderer/lib/bad.ts:node:fs', 'src-shared/bad.ts:electron']);
  });

  it('catches services importing electron, the renderer reaching into main, and shared using process', () => {
    const root = tree({
      'src-main/store/bad.ts': "import { app } from 'electron';\n",
      'src-main/electron/main.ts': "import { app } from 'electron';\n",
      'src-renderer/x.ts': "import { openWorkspace } from '../src-main/store/workspace.ts';\nconst db = await import('better-sqlite3');\n",
      'src-shared/y.ts': 'export const home = process.env.HOME;\n',
    });
    const v = findLayerViolations(root)
      .map((x) => `${x.file}:${x.line}`)
      .sort();
    expect(v).toEqual(['src-main/store/bad.ts:1', 'src-renderer/x.ts:1', 'src-renderer/x.ts:2', 'src-shared/y.ts:1']);
  });

  it('catches imports that run back up the src-main layers', () => {
    const root = tree({
      'src-main/store/bad.ts': "import { ingestPaths } from '../ingest/ingest-files.ts';\n",
      'src-main/ml/bad.ts': "import type { X } from '../explain/audit.ts';\nimport { y } from '../chart/chart-input.ts';\n",
      'src-main/chart/bad.ts': "import { z } from '../ml/train.ts';\n",
      'src-main/rules/bad.ts': "const w = await import('../workspace/run-rules.ts');\n",
      'src-main/workspace/ok.ts':
        "import { a } from '../store/record-store.ts';\nimport { b } from '../explain/audit.ts';\nimport { c } from './run-rules.ts';\n",
      'src-main/cli/ok.ts': "import { s } from '../server/serve.ts';\nimport { v } from '../version.ts';\n",
      'src-main/server/bad.ts': "import { c } from '../cli/main.ts';\n",
      'src-main/dsp/bad.ts':
        "import { r } from '../resources.ts';\nimport { f } from '../formats/csv.ts';\nimport { q } from '../store/workspace.ts';\n",
      'src-main/extras/x.ts': "import { f } from '../formats/csv.ts';\n",
    });
    const v = findLayerViolations(root)
      .map((x) => `${x.file}:${x.line}:${x.specifier}`)
      .sort();
    expect(v).toEqual([
      'src-main/chart/bad.ts:1:../ml/train.ts',
      'src-main/dsp/bad.ts:3:../store/workspace.ts',
      'src-main/extras/x.ts:1:../formats/csv.ts',
      'src-main/ml/bad.ts:1:../explain/audit.ts',
      'src-main/rules/bad.ts:1:../workspace/run-rules.ts',
      'src-main/server/bad.ts:1:../cli/main.ts',
      'src-main/store/bad.ts:1:../ingest/ingest-files.ts',
    ]);
    expect(findLayerViolations(root).find((x) => x.file.endsWith('store/bad.ts'))!.reason).toBe(
      'src-main/store (layer 1) must not import src-main/ingest (layer 2)',
    );
  });
});

describe('SQL lives in the store', () => {
  it('no file in src-main outside src-main/store calls prepare, exec or pragma', () => {
    expect(findSqlOutsideStore(REPO_ROOT)).toEqual([]);
  });

  it('catches a use case preparing a statement and an entry point running raw SQL, not the store doing it', () => {
    const root = tree({
      'src-main/workspace/bad.ts': "export const n = (db) => db.prepare('SELECT 1').get();\n",
      'src-main/cli/bad.ts': "export const v = (db) => db.exec('VACUUM');\n",
      'src-main/store/ok.ts': "export const n = (db) => db.prepare('SELECT 1').get();\n",
      'src-main/server/ok.ts': 'export const m = /x/.exec(s);\n',
    });
    expect(findSqlOutsideStore(root).sort()).toEqual(['src-main/cli/bad.ts:1', 'src-main/workspace/bad.ts:1']);
  });
});
