import { describe, expect, it } from 'vitest';
import type { LeadBoundariesMs } from '../../src-shared/api.ts';
import { globalBoundaryReasons } from '../../src-shared/global-boundary-reasons.ts';

const lead = (name: string, on: number, off: number, counted = true, tEnd?: number): LeadBoundariesMs => ({
  lead: name,
  qrsOnsetMs: on,
  qrsOffsetMs: off,
  qrsOnsetConfidence: 0.9,
  qrsOffsetConfidence: 0.9,
  qrsCounted: counted,
  qrsConsistency: 1,
  ...(tEnd !== undefined ? { tOffsetMs: tEnd } : {}),
});

// 500 Hz: 2 ms a sample; global boundaries in samples from R.
describe('which leads decided the global boundaries', () => {
  it('names the lead at the global QRS onset and its rank among the counted leads, and the leads beyond it', () => {
    const leads = [
      lead('I', -50, 44, true, 340),
      lead('II', -48, 46, true, 352),
      lead('V1', -56, 40, true, 336),
      lead('V2', -54, 50, true, 360),
      lead('V3', -70, 60, false),
    ];
    const [onset, offset, tEnd] = globalBoundaryReasons(leads, { qrsOnset: -25, qrsOffset: 23, tOffset: 180 }, 500);
    expect(onset).toBe(
      "Global QRS onset −50 ms = I's, the 3rd earliest of 4 counted leads (earlier: V1 −56 ms, V2 −54 ms); 1 lead too flat to count.",
    );
    expect(offset).toBe("Global QRS offset +46 ms = II's, the 2nd latest of 4 counted leads (later: V2 +50 ms); 1 lead too flat to count.");
    expect(tEnd).toBe('Global T end +360 ms: at or after 4 of the 4 leads with a T end of their own (latest V2 +360 ms).');
  });

  it('gives tied leads the ranks they share, and says when the summed slope set the boundary', () => {
    const leads = [lead('I', -48, 40), lead('II', -48, 42), lead('V2', -50, 44)];
    const [onset, offset] = globalBoundaryReasons(leads, { qrsOnset: -24, qrsOffset: 28 }, 500);
    expect(onset).toBe("Global QRS onset −48 ms = I's and II's, the 2nd–3rd earliest of 3 counted leads (earlier: V2 −50 ms).");
    expect(offset).toBe('Global QRS offset +56 ms: from the slope summed over all leads, after the own offsets of 3 of 3 counted leads.');
  });

  it('names the leads left out as noise first, and counts them neither as counted nor as flat, nor for the T end', () => {
    const leads = [
      lead('I', -50, 44, true, 340),
      lead('II', -48, 46, true, 352),
      lead('V2', -54, 50, true, 360),
      { ...lead('V3', -90, 80, false, 420), leftOut: true, qrsConsistency: 0.12 },
      { ...lead('V4', -88, 70, false), leftOut: true, qrsConsistency: 0.31 },
      lead('V5', -70, 60, false),
    ];
    const [why, onset, , tEnd] = globalBoundaryReasons(leads, { qrsOnset: -25, qrsOffset: 23, tOffset: 180 }, 500);
    expect(why).toBe(
      'Left out of every global boundary: V3 (0.12), V4 (0.31). Their QRS does not repeat from beat to beat (the correlation ' +
        'in brackets): noise, or an electrode off.',
    );
    expect(onset).toBe(
      "Global QRS onset −50 ms = I's, the 2nd earliest of 3 counted leads (earlier: V2 −54 ms); 1 lead too flat to count.",
    );
    expect(tEnd).toBe('Global T end +360 ms: at or after 3 of the 3 leads with a T end of their own (latest V2 +360 ms).');
  });

  it('says nothing of a boundary not found or without lead boundaries', () => {
    expect(globalBoundaryReasons([], { qrsOnset: -20, qrsOffset: 20 }, 500)).toEqual([]);
    expect(globalBoundaryReasons([lead('I', -40, 40)], {}, 500)).toEqual([]);
  });
});
