// The first signal window read after start decoded its chunks in V8's interpreter: 30-60 ms for a 10 s 12-lead record
// against 1.5 ms once the decoder is optimised, so the first record opened painted late. Decoding synthetic chunks
// ahead of that, through every predictor and Rice path the stored chunks use, gets the decoder optimised before
// anyone asks; nothing stored is read or written.
import { seededRandom } from '../../src-shared/seeded-random.ts';
import { decodeChunkInto, encodeChunk } from './signal-codec.ts';

/** Samples per warm-up chunk: few, so that each step is short (what V8 learns from a decode does not need more). */
const WARMUP_SAMPLES = 1600;
/**
 * Decodes of the whole set: enough for V8 to optimise decodeChunkInto on the feedback of every path before the first
 * record is read. (Warmed on fewer kinds of chunk, the first stored chunks met a branch the warm-up had not taken and
 * the optimised decoder was thrown away.)
 */
export const WARMUP_ROUNDS = 24;

/** Noise of standard deviation about `sd`, eight times louder over 40 of every 400 samples (a QRS among quiet). */
function burstyNoise(random: () => number, n: number, sd: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => sd * (i % 400 < 40 ? 8 : 1) * 2 * (random() + random() + random() - 1.5));
}

/** `order`-fold leaky running sums of bursty noise: the fixed predictor of that order fits it best. */
function integratedNoise(order: number, sd: number): Float64Array {
  const x = burstyNoise(seededRandom(order + 1), WARMUP_SAMPLES, sd);
  for (let k = 0; k < order; k++) for (let i = 1; i < x.length; i++) x[i] += x[i - 1] * (1 - 2 ** -10);
  return x;
}

/** A full-scale sine sweeping from `w0` to `w1` radians a sample: smooth enough for the third and fourth orders. */
function chirp(w0: number, w1: number): Float64Array {
  let phase = 0;
  return Float64Array.from({ length: WARMUP_SAMPLES }, (_, i) => 30000 * Math.sin((phase += w0 + ((w1 - w0) * i) / WARMUP_SAMPLES)));
}

/** ECG-like beats every 400 samples (a narrow QRS, a broad T wave; 1 mV = 1000 x `mv`) with baseline wander and noise. */
function ecgLike(mv: number, noiseSd: number): Float64Array {
  const random = seededRandom(7);
  return Float64Array.from({ length: WARMUP_SAMPLES }, (_, i) => {
    const t = i % 400;
    const qrs = 1000 * Math.exp(-(((t - 100) / 6) ** 2)) - 150 * Math.exp(-(((t - 112) / 5) ** 2));
    const wave = qrs + 250 * Math.exp(-(((t - 260) / 35) ** 2)) + 80 * Math.sin((2 * Math.PI * i) / 1700);
    return mv * wave + noiseSd * 2 * (random() + random() + random() - 1.5);
  });
}

/**
 * The warm-up signals, one per way a chunk is coded: the fixed predictors of orders 0 to 4 and LPC, with the small
 * Rice partitions ECG chunks get around each QRS; the last one, a flat line with rare spikes, has long unary quotients.
 */
const SIGNALS: (() => Float64Array)[] = [
  () => integratedNoise(0, 2),
  () => integratedNoise(1, 2),
  () => integratedNoise(2, 1),
  () => chirp(0.01, 0.03),
  () => chirp(0.04, 0.08),
  () => ecgLike(0.4, 3),
  () => ecgLike(3, 1),
  () => Float64Array.from({ length: WARMUP_SAMPLES }, (_, i) => (i % 997 === 0 ? 12000 : 0) + (i % 7) - 3),
];

/** One warm-up chunk, encoded. */
export function warmupChunk(kind: number): Uint8Array {
  const x = SIGNALS[kind]();
  return encodeChunk(Int16Array.from(x, (v) => Math.max(-32768, Math.min(32767, Math.round(v)))));
}

export const WARMUP_KINDS = SIGNALS.length;

/**
 * The warm-up as small steps (one chunk encoded or decoded each), for the caller to run between requests. Decoded
 * both ways a signal window decodes: a whole chunk, and the front of a chunk into its place in a longer window.
 */
export function signalCodecWarmupSteps(): (() => void)[] {
  const chunks: Uint8Array[] = [];
  const steps: (() => void)[] = SIGNALS.map((_f, kind) => () => void chunks.push(warmupChunk(kind)));
  for (let round = 0; round < WARMUP_ROUNDS; round++) {
    for (let kind = 0; kind < SIGNALS.length; kind++) {
      steps.push(
        round % 2
          ? () => void decodeChunkInto(chunks[kind], new Int16Array(WARMUP_SAMPLES + 100), 100, WARMUP_SAMPLES - 100)
          : () => void decodeChunkInto(chunks[kind], new Int16Array(WARMUP_SAMPLES)),
      );
    }
  }
  return steps;
}
