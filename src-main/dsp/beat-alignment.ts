// Beats aligned on their QRS before they are averaged into the median beat. The detector puts each R fiducial on
// the largest deflection of the lead that is cleanest in that 2 s block, so when the lead changes from block to block
// the fiducials of one record can sit 20-40 ms apart (Chapman JS00026: four of its ten beats 30 ms later than the
// others). A median of misaligned beats is a smeared beat. Each beat is moved to where its
// QRS, over all leads, matches the median QRS best when that is at least MIN_SHIFT_MS away, twice (the second time
// against the aligned median). On Chapman's 800 dev records 47 have a beat moved.
import { medianBeat } from './delineation.ts';
import { msToSamples } from './wave-math.ts';

/** Farthest a fiducial moves (ms). */
const MAX_SHIFT_MS = 40;
/**
 * Nearer than this (ms) a fiducial stays where the detector put it. Moving every beat onto the covariance peak changed
 * LUDB's regular records too: QRS SD against the robust reference 12.0 -> 11.6 ms, but PR 9.6 -> 10.6 and QT
 * 17.8 -> 19.1 ms (the delineation's constants were fitted on the detector's fiducials).
 */
const MIN_SHIFT_MS = 10;
/** The QRS window compared: this much each side of R (ms). */
const HALF_WINDOW_MS = 60;
const PASSES = 2;

/** The fiducials `beats` (sample indices into `leads`), each moved onto the median QRS; beats too near an edge stay. */
export function alignBeats(leads: Float32Array[], beats: ArrayLike<number>, fs: number): number[] {
  const n = leads[0]?.length ?? 0;
  const half = msToSamples(HALF_WINDOW_MS, fs);
  const reach = msToSamples(MAX_SHIFT_MS, fs);
  const least = msToSamples(MIN_SHIFT_MS, fs);
  const fits = (b: number): boolean => b - half - reach >= 0 && b + half + reach < n;
  const detected = Array.from(beats);
  let aligned = detected;
  for (let pass = 0; pass < PASSES; pass++) {
    const inside = aligned.filter(fits);
    if (inside.length < 3) return aligned;
    const templates = medianBeat(leads, inside, half, half)!.templates.map(centred);
    // Each pass searches around the detector's fiducial, so no beat moves further than MAX_SHIFT_MS in all.
    aligned = detected.map((b) => {
      const s = fits(b) ? bestShift(leads, templates, b - half, reach) : 0;
      return Math.abs(s) >= least ? b + s : b;
    });
  }
  return aligned;
}

function centred(t: Float32Array): Float32Array {
  let mean = 0;
  for (const v of t) mean += v;
  mean /= t.length;
  return t.map((v) => v - mean);
}

/** The shift in [-reach, reach] at which the window starting at `start` + shift covaries most with the templates. */
function bestShift(leads: Float32Array[], templates: Float32Array[], start: number, reach: number): number {
  const len = templates[0].length;
  let best = 0,
    bestScore = -Infinity;
  for (let s = -reach; s <= reach; s++) {
    let score = 0;
    for (let l = 0; l < leads.length; l++) {
      // Against a zero-mean template, the window's own mean drops out of the covariance.
      const x = leads[l],
        t = templates[l];
      for (let k = 0, i = start + s; k < len; k++, i++) score += x[i] * t[k];
    }
    if (score > bestScore) {
      bestScore = score;
      best = s;
    }
  }
  return best;
}
