import { describe, expect, it } from 'vitest';
import type { BeatAnnotation } from '../../src-shared/api.ts';
import { beatCounts, heartRateTrend, nextEctopic } from '../../src-renderer/record/beat-list.ts';

const at = (sample: number, symbol: string, aux?: string): BeatAnnotation => ({
  sample,
  symbol,
  annotator: 'atr',
  ...(aux ? { aux } : {}),
});
// 360 Hz: a rhythm mark, normal beats 1 s apart, a ventricular and an atrial premature beat, then a 10 s gap.
const annotations = [
  at(10, '+', '(N'),
  at(360, 'N'),
  at(720, 'N'),
  at(900, 'V'),
  at(1440, 'N'),
  at(1800, 'A'),
  at(2160, 'N'),
  at(5760, 'N'),
  at(6120, '~'),
];

describe('beat list of the stored annotations', () => {
  it('counts beats per symbol, most frequent first, leaving rhythm and noise marks out', () => {
    expect(beatCounts(annotations)).toEqual([
      { symbol: 'N', count: 5 },
      { symbol: 'A', count: 1 },
      { symbol: 'V', count: 1 },
    ]);
  });

  it('finds the next and previous ectopic beat from a sample, not the one at it', () => {
    expect(nextEctopic(annotations, 0, 1)?.sample).toBe(900);
    expect(nextEctopic(annotations, 900, 1)?.sample).toBe(1800);
    expect(nextEctopic(annotations, 1800, 1)).toBeUndefined();
    expect(nextEctopic(annotations, 1800, -1)?.sample).toBe(900);
    expect(nextEctopic(annotations, 900, -1)).toBeUndefined();
  });

  it('trends the heart rate per stretch from the RR intervals, leaving a gap over 3 s empty', () => {
    // 2 bins of 3240 samples: the first holds RRs 1, 0.5, 1.5, 1, 1 s (mean 1 s: 60 bpm); the second only the 10 s gap.
    const trend = heartRateTrend(annotations, 6480, 360, 2);
    expect(trend[0]).toBeCloseTo(60, 9);
    expect(trend[1]).toBeNaN();
  });
});
