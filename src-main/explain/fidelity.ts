// Fidelity of an attribution (Petsiuk et al. 2018, RISE): lead x time patches are ranked by their
// attribution; the deletion curve replaces the most salient patches with the baseline step by step,
// the insertion curve starts from the baseline and restores them. Area under the target class score:
// low deletion AUC and high insertion AUC mean the map points at what the model uses.
import { makeBaseline, type BaselineKind } from './saliency/baselines.ts';
import type { PredictBatch } from './saliency/occlusion.ts';
import type { LeadTimeAttribution } from './consistency.ts';

export interface FidelityOptions {
  targetClass: number;
  /** Patch length in samples, default 50 (100 ms at 500 Hz). */
  patch?: number;
  /** Points on each curve after the start, default 20. */
  steps?: number;
  baseline?: BaselineKind;
}

export interface FidelityResult {
  /** Fraction of patches removed (deletion) / restored (insertion) at each point, 0..1. */
  fractions: number[];
  deletion: number[];
  insertion: number[];
  deletionAuc: number;
  insertionAuc: number;
}

const trapezoid = (ys: number[]): number => {
  let s = 0;
  for (let i = 1; i < ys.length; i++) s += (ys[i - 1] + ys[i]) / 2;
  return s / (ys.length - 1);
};

export async function fidelityCurves(
  predict: PredictBatch,
  signals: readonly Float32Array[],
  attribution: LeadTimeAttribution,
  o: FidelityOptions,
): Promise<FidelityResult> {
  const L = signals.length;
  const T = signals[0].length;
  if (attribution.leads.length !== L || attribution.samples !== T) throw new Error('fidelity: attribution does not match the signal shape');
  const patch = o.patch ?? 50;
  const steps = o.steps ?? 20;
  const fills = signals.map((s) => makeBaseline(o.baseline ?? 'zeros', s, [T, 1], [0]));
  const perLead = Math.ceil(T / patch);
  const scores: { lead: number; start: number; score: number }[] = [];
  for (let l = 0; l < L; l++) {
    for (let p = 0; p < perLead; p++) {
      let s = 0;
      for (let t = p * patch; t < Math.min(T, (p + 1) * patch); t++) s += Math.abs(attribution.map[l * T + t]);
      scores.push({ lead: l, start: p * patch, score: s });
    }
  }
  scores.sort((a, b) => b.score - a.score || a.lead - b.lead || a.start - b.start);
  const counts = Array.from({ length: steps + 1 }, (_, i) => Math.round((i / steps) * scores.length));
  const build = (n: number, from: readonly Float32Array[], to: readonly Float32Array[]): Float32Array[] => {
    const out = from.map((s) => s.slice());
    for (let i = 0; i < n; i++) {
      const { lead, start } = scores[i];
      out[lead].set(to[lead].subarray(start, Math.min(T, start + patch)), start);
    }
    return out;
  };
  const batch = [...counts.map((n) => build(n, signals, fills)), ...counts.map((n) => build(n, fills, signals))];
  const preds = await predict(batch);
  const deletion = preds.slice(0, counts.length).map((p) => p[o.targetClass]);
  const insertion = preds.slice(counts.length).map((p) => p[o.targetClass]);
  return {
    fractions: counts.map((n) => n / scores.length),
    deletion,
    insertion,
    deletionAuc: trapezoid(deletion),
    insertionAuc: trapezoid(insertion),
  };
}
