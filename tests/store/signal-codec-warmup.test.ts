import { describe, expect, it } from 'vitest';
import { chunkInfo, decodeChunk } from '../../src-main/store/signal-codec.ts';
import { signalCodecWarmupSteps, warmupChunk, WARMUP_KINDS, WARMUP_ROUNDS } from '../../src-main/store/signal-codec-warmup.ts';

/** The predictor a chunk was coded with and its Rice partition size (log2), from the chunk header. */
function coding(chunk: Uint8Array): { predictor: string; partitionShift: number } {
  const lpc = (chunk[1] & 32) !== 0;
  const order = lpc ? (chunk[1] & 15) + 1 : chunk[1] & 15;
  const at = 6 + order * 2 + (lpc ? 1 + 2 * order : 0);
  return { predictor: lpc ? 'lpc' : `fixed${order}`, partitionShift: chunk[at] };
}

describe('signal codec warm-up', () => {
  const chunks = Array.from({ length: WARMUP_KINDS }, (_, kind) => warmupChunk(kind));

  it('trains the decoder on every predictor the stored chunks use, with the small partitions of ECG chunks', () => {
    const codings = chunks.map(coding);
    expect(new Set(codings.map((c) => c.predictor))).toEqual(new Set(['fixed0', 'fixed1', 'fixed2', 'fixed3', 'fixed4', 'lpc']));
    // ECG chunks mostly have 32- to 64-sample partitions (a Rice parameter for the QRS, another for the baseline).
    expect(codings.filter((c) => c.partitionShift <= 6).length).toBeGreaterThanOrEqual(3);
    expect(codings.some((c) => c.partitionShift > 6)).toBe(true);
  });

  it('warms on 16-bit chunks that decode, in one short step each', () => {
    for (const chunk of chunks) {
      expect(chunkInfo(chunk).sampleType).toBe('int16');
      expect(decodeChunk(chunk).length).toBe(chunkInfo(chunk).count);
    }
    const steps = signalCodecWarmupSteps();
    expect(steps).toHaveLength(WARMUP_KINDS * (WARMUP_ROUNDS + 1));
    for (const step of steps) step();
  });
});
