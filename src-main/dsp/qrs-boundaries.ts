// Global QRS onset and offset of a median beat from the spatial velocity (the multi-lead slope magnitude), as
// IEC 60601-2-25 defines them: the earliest onset and the latest offset in any lead. The velocity rises in
// whichever lead moves first and stays up until the last lead settles. Walking out from the velocity peak, a
// boundary is passed once the velocity falls below VALLEY_FRACTION of the peak and then keeps going down until
// it levels off (a valley: the PR or ST segment) or drops under FLOOR_FRACTION; a fixed margin, fitted on LUDB's
// 12-lead annotations (cardiologists mark the first visible movement in any lead), widens both ends.
// Wide complexes (bundle branch block, late R') dip between their humps: the offset walks on while the
// velocity climbs back within NOTCH_MS.
import { argmax, msToSamples } from './wave-math.ts';

const VALLEY_FRACTION = 0.2;
const FLOOR_FRACTION = 0.08;
/** The velocity still counts as falling when it goes lower within this many ms. */
const LOOKAHEAD_MS = 4;
export const QRS_MARGIN_MS = 5;
/** A dip shorter than this between two humps belongs to one complex. */
const NOTCH_MS = 30;

export interface QrsBoundaries {
  onset: number;
  offset: number;
  /** 0-1: how sharply the velocity rises/falls at the boundary against the noise floor. */
  onsetConfidence: number;
  offsetConfidence: number;
}

/** Velocity noise floor: the 10th percentile of the velocity outside the QRS search window. */
export function noiseFloor(v: Float64Array, exclude: [number, number]): number {
  const rest: number[] = [];
  for (let k = 0; k < v.length; k++) if (k < exclude[0] || k > exclude[1]) rest.push(v[k]);
  if (rest.length === 0) return 0;
  rest.sort((a, b) => a - b);
  return rest[Math.floor(rest.length * 0.1)];
}

/** QRS boundaries (template sample indices) around R at `r` from the spatial velocity `v`. */
export function qrsBoundaries(v: Float64Array, r: number, fs: number): QrsBoundaries {
  const ms = (x: number): number => msToSamples(x, fs);
  const last = v.length - 1;
  const peak = argmax(v, Math.max(0, r - ms(60)), Math.min(last, r + ms(60)));
  const floor = noiseFloor(v, [Math.max(0, r - ms(150)), Math.min(last, r + ms(200))]);
  const height = v[peak] - floor;
  const high = floor + VALLEY_FRACTION * height;
  const low = floor + FLOOR_FRACTION * height;
  const earliest = Math.max(1, r - ms(160));
  const latest = Math.min(last - 1, r + ms(200));
  const look = Math.max(1, ms(LOOKAHEAD_MS));
  const walk = (start: number, step: number, end: number): number => {
    const falls = (k: number): boolean => {
      for (let j = 1; j <= look; j++) {
        const i = k + j * step;
        if (step < 0 ? i <= end : i >= end) return false;
        if (v[i] < v[k]) return true;
      }
      return false;
    };
    let k = start;
    while (k !== end && v[k] > high) k += step;
    while (k !== end && v[k] > low && falls(k)) k += step;
    return k;
  };
  const onset = walk(peak, -1, earliest);
  // The last hump: skip dips that the velocity climbs back out of within NOTCH_MS.
  let lastHump = peak;
  for (let k = peak; k < latest; k++) {
    if (v[k] >= high) {
      lastHump = k;
      continue;
    }
    const back = argmax(v, k, Math.min(latest, k + ms(NOTCH_MS)));
    if (v[back] >= high) k = back - 1;
    else break;
  }
  const offset = walk(lastHump, 1, latest);
  const sharp = (k: number): number => {
    const rise = Math.abs(v[Math.min(last, k + ms(10))] - v[Math.max(0, k - ms(10))]);
    return Math.max(0, Math.min(1, rise / (rise + 2 * floor + 1e-9)));
  };
  return {
    onset: Math.max(0, onset - ms(QRS_MARGIN_MS)),
    offset: Math.min(last, offset + ms(QRS_MARGIN_MS)),
    onsetConfidence: sharp(onset),
    offsetConfidence: sharp(offset),
  };
}
