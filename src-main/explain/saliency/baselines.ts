// Reference inputs for integrated gradients (and the fill for occlusion/fidelity): what "absent" means.
export type BaselineKind = 'zeros' | 'mean' | 'blurred';
export const BASELINES: readonly BaselineKind[] = ['zeros', 'mean', 'blurred'];

/** Gaussian blur of a row-major array along one axis (edges clamped). */
export function blurAxis(data: Float32Array, shape: readonly number[], axis: number, sigma: number): Float32Array {
  const out = new Float32Array(data.length);
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const kernel = new Float32Array(2 * radius + 1);
  let total = 0;
  for (let k = -radius; k <= radius; k++) total += kernel[k + radius] = Math.exp((-k * k) / (2 * sigma * sigma));
  for (let k = 0; k < kernel.length; k++) kernel[k] /= total;
  const n = shape[axis];
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outer = data.length / (n * inner);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * n * inner + j;
      for (let i = 0; i < n; i++) {
        let acc = 0;
        for (let k = -radius; k <= radius; k++) {
          const s = i + k < 0 ? 0 : i + k >= n ? n - 1 : i + k;
          acc += kernel[k + radius] * data[base + s * inner];
        }
        out[base + i * inner] = acc;
      }
    }
  }
  return out;
}

/**
 * The baseline for an input of `shape` whose last axis is channels (leads, or the image channel) and
 * whose `spatialAxes` are time / pixels. 'mean' = each channel's mean; 'blurred' = Gaussian blur along
 * the spatial axes with sigma = `blurFraction` of each axis length (default 2%: 200 ms on a 10 s signal).
 */
export function makeBaseline(
  kind: BaselineKind,
  input: Float32Array,
  shape: readonly number[],
  spatialAxes: readonly number[],
  blurFraction = 0.02,
): Float32Array {
  if (kind === 'zeros') return new Float32Array(input.length);
  if (kind === 'mean') {
    const c = shape[shape.length - 1];
    const sums = new Float64Array(c);
    for (let i = 0; i < input.length; i++) sums[i % c] += input[i];
    const per = input.length / c;
    const out = new Float32Array(input.length);
    for (let i = 0; i < input.length; i++) out[i] = sums[i % c] / per;
    return out;
  }
  let out = input;
  for (const axis of spatialAxes) out = blurAxis(out, shape, axis, Math.max(0.5, blurFraction * shape[axis]));
  return out === input ? input.slice() : out;
}
