import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findLayerViolations } from './helpers/layering.ts';
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
      'src-renderer/Ok.svelte': "<script lang=\"ts\">import * as d3 from 'd3';</script>",
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
    const v = findLayerViolations(root).map((x) => `${x.file}:${x.line}`).sort();
    expect(v).toEqual(['src-main/store/bad.ts:1', 'src-renderer/x.ts:1', 'src-renderer/x.ts:2', 'src-shared/y.ts:1']);
  });
});
