// In an irregular rhythm a P wave counts only if it is there before each beat. The median beat of atrial
// fibrillation can still show a bump of 0.1 mV before QRS (coarse f-waves, or the previous T wave landing at
// varying places), which the P search takes for a P wave: on Chapman's 800 dev records PR was measured in 42 of the
// 143 labelled AF. Each beat's P window is compared with the median beat's: in sinus rhythm with ectopic beats the
// median correlation stays high (0.70-0.97 in the 16 irregular records not labelled AF or flutter), in AF it falls
// (median 0.65, down to 0.29).
import type { Delineation, MedianBeat } from './delineation.ts';
import { pearson } from '../../src-shared/rank-stats.ts';
import { median, msToSamples } from './wave-math.ts';

/** Below this median correlation an irregular rhythm's P wave is not the same from beat to beat. */
export const MIN_P_CONSISTENCY = 0.6;
/** Leads whose median-beat P window moves less than this (mV) say nothing about the P wave's shape. */
const FLAT_P_MV = 0.02;
/** The P window is widened by this much on each side (ms): the flanks carry the shape too. */
const WINDOW_MARGIN_MS = 20;

/**
 * Median over beats of the mean correlation, across the leads where the P wave shows, between each beat's P window
 * and the median beat's. `leads` are the filtered signals the median beat was built from; `pOnset` and `pOffset`
 * are relative to R (samples). Null when no lead shows a P wave or no beat has the whole window.
 */
export function pWaveConsistency(
  leads: Float32Array[],
  beats: ArrayLike<number>,
  beat: MedianBeat,
  pOnset: number,
  pOffset: number,
  fs: number,
): number | null {
  const margin = msToSamples(WINDOW_MARGIN_MS, fs);
  const from = Math.max(pOnset - margin, -beat.pre);
  const to = pOffset + margin;
  const shown = beat.templates.flatMap((t, l) => {
    const window = t.subarray(beat.pre + from, beat.pre + to + 1);
    let deviation = 0;
    for (const v of window) deviation = Math.max(deviation, Math.abs(v - window[0]));
    return deviation >= FLAT_P_MV ? [{ lead: l, window }] : [];
  });
  if (shown.length === 0) return null;
  const perBeat: number[] = [];
  for (let i = 0; i < beats.length; i++) {
    const b = beats[i];
    if (b + from < 0 || b + to >= leads[0].length) continue;
    let sum = 0;
    // A beat whose window is flat (NaN) shares nothing with the P wave: 0.
    for (const { lead, window } of shown) sum += pearson(leads[lead].subarray(b + from, b + to + 1), window) || 0;
    perBeat.push(sum / shown.length);
  }
  return perBeat.length ? median(perBeat) : null;
}

/** `del` without its P wave when the P wave is not consistent from beat to beat (with the reason), else `del`. */
export function withoutInconsistentP(
  del: Delineation,
  leads: Float32Array[],
  beats: ArrayLike<number>,
  beat: MedianBeat,
  fs: number,
): Delineation {
  if (del.pOnset === undefined || del.pOffset === undefined) return del;
  const consistency = pWaveConsistency(leads, beats, beat, del.pOnset, del.pOffset, fs);
  if (consistency === null || consistency >= MIN_P_CONSISTENCY) return del;
  const { pOnset: _on, pOffset: _off, ...rest } = del;
  const { p: _p, ...confidence } = del.confidence ?? { qrsOnset: 0, qrsOffset: 0 };
  return {
    ...rest,
    ...(del.confidence ? { confidence } : {}),
    notMeasurable: {
      ...del.notMeasurable,
      p: `no P wave repeated before each beat (beat-to-beat correlation ${consistency.toFixed(2)}): atrial fibrillation or flutter?`,
    },
  };
}
