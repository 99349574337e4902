// `leadlens import-model`: an ONNX model trained elsewhere, stored after checking that its card and graph agree.
import fs from 'node:fs';
import { loadOnnxModel } from '../ml/onnx-model.ts';
import { saveModel } from '../store/model-store.ts';
import type { Workspace } from '../store/workspace.ts';

export async function importOnnxModel(ws: Workspace, modelPath: string, cardPath: string): Promise<{ modelId: number; classes: string[] }> {
  const om = await loadOnnxModel(modelPath, cardPath);
  const bytes = new Uint8Array(fs.readFileSync(modelPath));
  const modelId = saveModel(ws.db, {
    name: om.card.name ?? modelPath,
    kind: 'onnx',
    architecture: 'onnx',
    hyperparameters: {},
    classes: om.card.classes,
    leadSet: om.card.leads,
    inputSpec: om.card,
    metrics: {},
    runtime: 'onnxruntime-node',
    weights: bytes,
    records: [],
    labelIds: [],
  });
  return { modelId, classes: om.card.classes };
}
