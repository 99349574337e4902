// `leadlens export-model`: a stored model as an ONNX file with its model card beside it, for every architecture
// LeadLens trains (and imported ONNX models as they came). The card says what the graph reads and where it came from.
import fs from 'node:fs';
import path from 'node:path';
import { exportedCard, exportedImageCard, exportModelOnnx } from '../ml/onnx-export.ts';
import { exportedSession, loadOnnxModel } from '../ml/onnx-model.ts';
import { openModel, storedInput } from '../ml/open-model.ts';
import type { Workspace } from '../store/workspace.ts';

export interface ExportedModel {
  modelId: number;
  architecture: string;
  onnxPath: string;
  cardPath: string;
  classes: string[];
  /** 'signal' graphs take [batch, leads, samples]; 'image' graphs [batch, height, width, channels]. */
  input: 'signal' | 'image';
  bytes: number;
}

export async function exportModel(ws: Workspace, modelId: number, outDir: string, overwrite = false): Promise<ExportedModel> {
  const m = await openModel(ws.db, modelId);
  const { info } = m;
  const stem = path.join(outDir, `model-${info.id}-${info.architecture}`);
  const onnxPath = `${stem}.onnx`;
  const cardPath = `${stem}.card.json`;
  for (const p of [onnxPath, cardPath])
    if (!overwrite && fs.existsSync(p)) throw new Error(`${p} exists already (pass --force to replace it)`);
  const provenance = {
    modelId: info.id,
    modelName: info.name,
    architecture: info.architecture,
    createdAt: info.createdAt,
    trainedWith: info.runtime,
    leadSet: info.leadSet,
    metrics: info.metrics,
  };
  let bytes: Uint8Array;
  let card: object;
  let input: ExportedModel['input'] = 'signal';
  if (m.kind === 'onnx') {
    bytes = m.weights;
    card = { ...m.onnx.card, leadlens: provenance };
  } else if (m.input.kind === 'signal') {
    bytes = exportModelOnnx(m.model);
    const spec = m.input.spec;
    const signalCard = exportedCard(m.model, m.classes, spec.samplingRate, spec.leads, {
      zscore: spec.zscore !== false,
      bandpass: spec.bandpass ?? null,
    });
    await loadOnnxModel(bytes, signalCard); // card and graph agree, as import-model will check
    card = { ...signalCard, name: info.name, leadlens: provenance };
  } else {
    bytes = exportModelOnnx(m.model);
    await exportedSession(bytes);
    card = {
      ...exportedImageCard(m.model, m.classes, { kind: m.input.kind, ...storedInput(m.input) }),
      name: info.name,
      leadlens: provenance,
    };
    input = 'image';
  }
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(onnxPath, bytes);
  fs.writeFileSync(cardPath, `${JSON.stringify(card, null, 2)}\n`);
  return { modelId: info.id, architecture: info.architecture, onnxPath, cardPath, classes: m.classes, input, bytes: bytes.length };
}
