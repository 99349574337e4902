// Out-of-fold class probabilities for label-error ranking: k patient-grouped folds; each fold is scored by a model
// that never saw it (trained on the other folds, early-stopped on the next fold round). Signal models only.
import { initBackend } from './backend.ts';
import { buildDataset, type LabelledRecord } from './dataset.ts';
import type { InputSpec } from './input-pipeline.ts';
import type { ChallengeWeights } from './metrics/challenge-metric.ts';
import { deserializeWeights } from './model-weights.ts';
import type { Architecture } from './models/model.ts';
import { modelScorer } from './open-model.ts';
import { runTrainingInWorker } from './run-training.ts';
import { patientKFold } from './splits.ts';
import type { Dataset, TrainProgress } from './train.ts';

export interface OutOfFoldRequest {
  records: LabelledRecord[];
  /** Class codes in output order; `equivalent` maps a code to the class code it counts as. */
  classes: string[];
  equivalent: Record<string, string>;
  arch: Architecture;
  spec: InputSpec;
  folds: number;
  seed: number;
  epochs: number;
  challengeWeights: ChallengeWeights;
  workers?: number;
  signal?: AbortSignal;
  onProgress?: (label: string, e: TrainProgress) => void;
}

export interface OutOfFoldResult {
  /** records x classes, each row from the model that did not train on that record. */
  probabilities: Float32Array;
  /** The fold (0-based) each record was held out in. */
  foldOf: Int32Array;
  backend: string;
  foldScores: number[];
  metricName: string;
}

function subset(d: Dataset, rows: number[], k: number): Dataset {
  const size = d.x.length / d.n;
  const x = new Float32Array(rows.length * size);
  const y = new Uint8Array(rows.length * k);
  rows.forEach((r, i) => {
    x.set(d.x.subarray(r * size, (r + 1) * size), i * size);
    y.set(d.y.subarray(r * k, (r + 1) * k), i * k);
  });
  return { x, y, n: rows.length };
}

export async function outOfFoldProbabilities(req: OutOfFoldRequest): Promise<OutOfFoldResult> {
  const { records, classes, folds: k } = req;
  // One fold is held out and the next early-stops training, so at least one more is left to train on.
  if (!Number.isInteger(k) || k < 3) throw new Error(`out-of-fold probabilities need --folds 3 or more, got ${k}`);
  const folds = patientKFold(
    records.map((r) => ({ id: r.id, patientId: r.patientId })),
    k,
    req.seed,
  );
  const row = new Map(records.map((r, i) => [r.id, i]));
  const foldOf = new Int32Array(records.length);
  folds.forEach((ids, f) => ids.forEach((id) => (foldOf[row.get(id)!] = f)));
  // Inputs are computed once; each fold's training set is a copy of its rows.
  const all = buildDataset(records, req.spec, classes, req.equivalent);
  const probabilities = new Float32Array(records.length * classes.length);
  const foldScores: number[] = [];
  let backend = '';
  let metricName = '';
  const options = {
    spec: { arch: req.arch, channels: req.spec.leads.length, inputShape: [req.spec.samples], classes: classes.length, seed: req.seed },
    classes,
    epochs: req.epochs,
    // The settings `leadlens train` uses for signal models (workspace/train-model.ts).
    batchSize: 32,
    maxLr: 3e-3,
    weightDecay: 1e-2,
    patience: 8,
    maskFraction: 0.1,
    challengeWeights: req.challengeWeights,
  };
  for (let f = 0; f < k; f++) {
    const rowsIn = (g: (fold: number) => boolean): number[] => records.map((_, i) => i).filter((i) => g(foldOf[i]));
    const validationFold = (f + 1) % k;
    const r = await runTrainingInWorker(
      {
        train: subset(
          all,
          rowsIn((g) => g !== f && g !== validationFold),
          classes.length,
        ),
        validation: subset(
          all,
          rowsIn((g) => g === validationFold),
          classes.length,
        ),
        options,
        workers: req.workers ?? 1,
      },
      { signal: req.signal, onProgress: (e) => req.onProgress?.(`fold ${f + 1}/${k}`, e) },
    );
    foldScores.push(r.validationScore);
    backend = r.backend;
    metricName = r.metricName;
    const held = rowsIn((g) => g === f);
    await initBackend();
    const scorer = await modelScorer({
      kind: 'tfjs',
      classes,
      input: { kind: 'signal', spec: req.spec },
      model: deserializeWeights(r.weights),
    });
    const p = await scorer.predict(held.map((i) => records[i].record));
    held.forEach((i, j) => probabilities.set(p.subarray(j * classes.length, (j + 1) * classes.length), i * classes.length));
  }
  return { probabilities, foldOf, backend, foldScores, metricName };
}
