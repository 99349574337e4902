// Agreement between two lead x time attributions of the same record (two layouts, methods, models,
// lead sets, or a model and its retrain). Compared on the leads both maps have. A rhythm strip row that only one map
// has (3x4+II against 6x2) is added back into its lead first: the other layout draws that lead once, so the per-lead
// Spearman compares where on each lead of the record the model looked. Two maps of the same layout keep it as a row.
import { finiteMean, pearson, spearman } from '../../src-shared/rank-stats.ts';
import { foldRhythmStrips } from '../../src-shared/saliency-result.ts';

export interface LeadTimeAttribution {
  map: Float32Array;
  leads: string[];
  samples: number;
}

export interface ConsistencyMetrics {
  /** Leads compared (present in both maps). */
  leads: string[];
  /** Spearman correlation of per-lead total attribution. */
  leadSpearman: number;
  /** |top-k leads of a ∩ top-k of b| / k. */
  topKOverlap: number;
  k: number;
  /** Pearson correlation of each lead's time profile (binned), NaN where a profile is flat. */
  timeProfileCorrelation: Record<string, number>;
  meanTimeProfileCorrelation: number;
  /** SSIM of the binned maps, each scaled to [0, 1] by its maximum. */
  ssim: number;
}

export interface ConsistencyOptions {
  /** Default 3. */
  k?: number;
  /** Samples per time bin before profile correlation and SSIM (smooths pixel-scale jitter), default 25 (50 ms at 500 Hz). */
  bin?: number;
}

/** Per-lead sums of absolute attribution. */
export function leadImportance(a: LeadTimeAttribution): Float64Array {
  const out = new Float64Array(a.leads.length);
  for (let l = 0; l < a.leads.length; l++) {
    let s = 0;
    for (let t = 0; t < a.samples; t++) s += Math.abs(a.map[l * a.samples + t]);
    out[l] = s;
  }
  return out;
}

/** Leads x bins matrix of mean |attribution| for the given leads. */
function binned(a: LeadTimeAttribution, leads: string[], bin: number): { data: Float64Array; bins: number } {
  const bins = Math.ceil(a.samples / bin);
  const data = new Float64Array(leads.length * bins);
  leads.forEach((name, r) => {
    const l = a.leads.indexOf(name);
    for (let t = 0; t < a.samples; t++) data[r * bins + Math.floor(t / bin)] += Math.abs(a.map[l * a.samples + t]) / bin;
  });
  return { data, bins };
}

/** Top-k indices by value (stable: ties by index). */
function topK(values: ArrayLike<number>, k: number): Set<number> {
  return new Set(
    Array.from({ length: values.length }, (_, i) => i)
      .sort((x, y) => values[y] - values[x] || x - y)
      .slice(0, k),
  );
}

/**
 * SSIM (Wang et al. 2004) of two equally shaped rows x cols maps, each divided by its own maximum,
 * with a (2r+1) x (2w+1) box window clipped at the edges, C1 = 0.01², C2 = 0.03² (range 1), averaged over positions.
 */
export function ssim(a: Float64Array, b: Float64Array, rows: number, cols: number, r = 1, w = 3): number {
  const scale = (x: Float64Array): Float64Array => {
    let m = 0;
    for (const v of x) m = Math.max(m, v);
    return m > 0 ? x.map((v) => v / m) : x.slice();
  };
  const x = scale(a);
  const y = scale(b);
  const C1 = 1e-4;
  const C2 = 9e-4;
  let total = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      let n = 0;
      let sx = 0;
      let sy = 0;
      let sxx = 0;
      let syy = 0;
      let sxy = 0;
      for (let di = Math.max(0, i - r); di <= Math.min(rows - 1, i + r); di++) {
        for (let dj = Math.max(0, j - w); dj <= Math.min(cols - 1, j + w); dj++) {
          const u = x[di * cols + dj];
          const v = y[di * cols + dj];
          n++;
          sx += u;
          sy += v;
          sxx += u * u;
          syy += v * v;
          sxy += u * v;
        }
      }
      const mx = sx / n;
      const my = sy / n;
      const vx = sxx / n - mx * mx;
      const vy = syy / n - my * my;
      const cxy = sxy / n - mx * my;
      total += ((2 * mx * my + C1) * (2 * cxy + C2)) / ((mx * mx + my * my + C1) * (vx + vy + C2));
    }
  }
  return total / (rows * cols);
}

export function compareAttributions(
  unfoldedA: LeadTimeAttribution,
  unfoldedB: LeadTimeAttribution,
  o: ConsistencyOptions = {},
): ConsistencyMetrics {
  const a = foldRhythmStrips(unfoldedA, unfoldedB.leads);
  const b = foldRhythmStrips(unfoldedB, unfoldedA.leads);
  if (a.samples !== b.samples) throw new Error(`attributions cover ${a.samples} and ${b.samples} samples; compare equal spans`);
  const leads = a.leads.filter((l) => b.leads.includes(l));
  if (leads.length === 0) throw new Error('attributions share no lead');
  const k = Math.min(o.k ?? 3, leads.length);
  const bin = o.bin ?? 25;
  const ia = leadImportance(a);
  const ib = leadImportance(b);
  const va = leads.map((l) => ia[a.leads.indexOf(l)]);
  const vb = leads.map((l) => ib[b.leads.indexOf(l)]);
  const ta = topK(va, k);
  let overlap = 0;
  for (const i of topK(vb, k)) if (ta.has(i)) overlap++;
  const ba = binned(a, leads, bin);
  const bb = binned(b, leads, bin);
  const timeProfileCorrelation: Record<string, number> = {};
  leads.forEach((name, r) => {
    timeProfileCorrelation[name] = pearson(
      ba.data.subarray(r * ba.bins, (r + 1) * ba.bins),
      bb.data.subarray(r * bb.bins, (r + 1) * bb.bins),
    );
  });
  return {
    leads,
    leadSpearman: spearman(va, vb),
    topKOverlap: overlap / k,
    k,
    timeProfileCorrelation,
    meanTimeProfileCorrelation: finiteMean(Object.values(timeProfileCorrelation)),
    ssim: ssim(ba.data, bb.data, leads.length, ba.bins),
  };
}
