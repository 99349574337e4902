import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/shared-data.ts';
import { chapmanWorkspace } from '../helpers/chapman-workspace.ts';
import type { Workspace } from '../../src-main/store/workspace.ts';
import type { CliContext } from '../../src-main/cli/command.ts';
import { command as importModel } from '../../src-main/cli/commands/import-model.ts';
import { command as models } from '../../src-main/cli/commands/models.ts';
import { command as predict } from '../../src-main/cli/commands/predict.ts';
import { command as evaluate } from '../../src-main/cli/commands/eval.ts';
import { command as train } from '../../src-main/cli/commands/train.ts';

let ws: Workspace;
let dir: string;
const lines: string[] = [];
const ctx = (): CliContext => ({
  workspace: () => ws,
  workspaceDir: dir,
  json: false,
  signal: new AbortController().signal,
  progress: () => ({ update: () => {}, finish: () => {} }),
  log: (l) => void lines.push(l),
  fail: (m) => void lines.push(`failed: ${m}`),
});

beforeAll(async () => {
  ({ ws, dir } = await chapmanWorkspace(['JS00001', 'JS00002', 'JS00004']));
});

afterAll(() => {
  ws.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('ML CLI commands (thin wrappers over the workspace use cases)', () => {
  it('import-model, models, predict --all, eval', async () => {
    const onnxDir = path.join(REPO_ROOT, 'tests/fixtures/ml/onnx');
    const imported = (await importModel.run(
      { positionals: [path.join(onnxDir, 'tiny-cnn.onnx')], options: { card: path.join(onnxDir, 'tiny-cnn.card.json') } },
      ctx(),
    )) as { modelId: number };
    const listed = (await models.run({ positionals: [], options: {} }, ctx())) as { backend: { name: string }; models: unknown[] };
    expect(listed.backend.name).toBe('wasm');
    expect(listed.models).toHaveLength(1);
    expect(lines.some((l) => l.startsWith('TensorFlow.js backend: wasm'))).toBe(true);
    const p = (await predict.run({ positionals: [], options: { model: String(imported.modelId), all: true } }, ctx())) as {
      records: number;
    };
    expect(p.records).toBe(3);
    const e = (await evaluate.run({ positionals: [], options: { model: String(imported.modelId) } }, ctx())) as { records: number };
    expect(e.records).toBe(3);
  });

  it('usage errors are one line', async () => {
    await expect(train.run({ positionals: [], options: {} }, ctx())).rejects.toThrow(/train needs --arch/);
    await expect(train.run({ positionals: [], options: { arch: 'small-cnn', leads: 'x' } }, ctx())).rejects.toThrow(
      /--leads needs a positive integer/,
    );
    await expect(train.run({ positionals: [], options: { 'fine-tune': 'x' } }, ctx())).rejects.toThrow(
      /--fine-tune needs a positive integer/,
    );
    await expect(train.run({ positionals: [], options: { 'fine-tune': '1' } }, ctx())).rejects.toThrow(/model 1 is an imported ONNX model/);
    await expect(predict.run({ positionals: [], options: { model: '1' } }, ctx())).rejects.toThrow(
      /predict needs exactly one of --all, --record ID\|NAME and --selection NAME/,
    );
    await expect(importModel.run({ positionals: ['m.onnx'], options: {} }, ctx())).rejects.toThrow(/needs --card/);
  });
});
