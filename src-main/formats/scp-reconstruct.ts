// SCP-ECG signal reconstruction after Huffman decoding: difference decoding, bimodal (decimated) residuals and
// reference-beat addition. Pure functions over Int32Array, in the order EN 1064 applies them when decoding.
import type { ScpQrs } from './scp-sections.ts';

/** Undo first (x[n] = d[n] + x[n-1]) or second (x[n] = d[n] + 2x[n-1] - x[n-2]) differences, in place. */
export function undoDifferences(values: Int32Array, order: number): Int32Array {
  if (order === 1) {
    for (let i = 1; i < values.length; i++) values[i] += values[i - 1];
  } else if (order === 2) {
    for (let i = 2; i < values.length; i++) values[i] += 2 * values[i - 1] - values[i - 2];
  }
  return values;
}

/** A zone of samples, 0-based inclusive, within one lead. */
export interface SampleZone {
  start: number;
  end: number;
}

/** Zones clamped to the lead, in order, without overlaps (section 4 of a damaged file may hold anything). */
export function normaliseZones(zones: SampleZone[], length: number): SampleZone[] {
  const out: SampleZone[] = [];
  const sorted = zones
    .map((z) => ({ start: Math.max(0, z.start), end: Math.min(length - 1, z.end) }))
    .filter((z) => z.start <= z.end)
    .sort((a, b) => a.start - b.start);
  for (const z of sorted) {
    const last = out.at(-1);
    if (last && z.start <= last.end + 1) last.end = Math.max(last.end, z.end);
    else out.push({ ...z });
  }
  return out;
}

/**
 * How many decimated values a bimodal lead of `length` samples holds: full-rate samples inside the protected
 * zones, and outside them one value per `factor` samples plus the remainder of each gap at full rate.
 * `zones` must be normalised (normaliseZones).
 */
export function bimodalValueCount(length: number, factor: number, zones: SampleZone[]): number {
  let n = 0;
  let at = 0;
  for (const z of [...zones, { start: length, end: length - 1 }]) {
    const gap = Math.max(0, Math.min(z.start, length) - at);
    n += Math.floor(gap / factor) + (gap % factor);
    if (z.start < length) n += Math.min(z.end, length - 1) - Math.max(z.start, at) + 1;
    at = Math.max(at, z.end + 1);
  }
  return n;
}

/**
 * Expand a bimodal residual to `length` samples: protected zones are copied; in each gap between them every
 * decimated value stands for a group of `factor` samples and sits at the group's centre, samples between two
 * centres are linearly interpolated and those before the first / after the last centre take its value; the
 * gap's last `gap % factor` samples are stored at full rate. `zones` must be normalised (normaliseZones).
 */
export function expandBimodal(values: Int32Array, length: number, factor: number, zones: SampleZone[]): Int32Array {
  const out = new Int32Array(length);
  const half = factor >> 1;
  let inAt = 0;
  let at = 0;
  const value = (k: number) => (k < values.length ? values[k] : 0);
  const gap = (end: number) => {
    const n = Math.max(0, end - at);
    const decimated = Math.floor(n / factor);
    const first = inAt;
    for (let i = 0; i < decimated * factor; i++) {
      // Position relative to the first centre, in groups: k = group before, t = fraction towards the next centre.
      const x = (i - half) / factor;
      const k = Math.min(decimated - 1, Math.max(0, Math.floor(x)));
      const t = x <= 0 || k === decimated - 1 ? 0 : x - k;
      const v0 = value(first + k);
      out[at + i] = t === 0 ? v0 : Math.round(v0 + (value(first + k + 1) - v0) * t);
    }
    inAt = first + decimated;
    at += decimated * factor;
    while (at < end) out[at++] = value(inAt++);
  };
  for (const z of zones) {
    if (z.start >= length || z.end < at) continue;
    gap(Math.max(at, z.start));
    for (; at <= Math.min(z.end, length - 1); at++) out[at] = value(inAt++);
  }
  gap(length);
  return out;
}

/**
 * Add the reference beat back into the residual over each type-0 beat's subtraction zone, aligning the
 * beat's fiducial point (`referenceFiducial`, 1-based in the reference beat) with the QRS fiducial.
 * `leadStart` is the lead's first sample (1-based), as section 3 gives it; `scale` converts reference-beat
 * counts to rhythm counts when their amplitude multipliers differ.
 */
export function addReferenceBeat(
  residual: Int32Array,
  reference: Int32Array,
  qrs: ScpQrs[],
  referenceFiducial: number,
  leadStart: number,
  scale = 1,
): void {
  for (const q of qrs) {
    if (q.type !== 0) continue;
    for (let s = Math.max(q.start, leadStart); s <= q.end; s++) {
      const i = s - leadStart;
      if (i >= residual.length) break;
      const r = s - q.fiducial + referenceFiducial - 1;
      if (r < 0 || r >= reference.length) continue;
      residual[i] += scale === 1 ? reference[r] : Math.round(reference[r] * scale);
    }
  }
}
