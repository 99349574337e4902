import { describe, expect, it } from 'vitest';
import {
  beatPath,
  boundaryX,
  leadTicks,
  leadTickTitle,
  medianPanels,
  msX,
  offsetAtX,
  placedBoundary,
  pxPerSample,
} from '../../src-renderer/lib/median-paper.ts';

const TWELVE = ['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6', 'III', 'aVR', 'aVL', 'aVF'];
const scale = { pxPerMm: 4, mmPerSecond: 50, mmPerMillivolt: 10 };

describe('median-beat paper', () => {
  it('lays twelve leads out as the vendor 3x4 at true paper speed, whatever order they come in', () => {
    const { panels, width, height } = medianPanels(TWELVE, 500, 500, scale);
    expect(panels.map((p) => p.lead)).toEqual(['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
    // 500 samples at 500 Hz = 1 s = 50 mm at 50 mm/s = 200 px; 2 mm gaps between columns.
    expect(panels[0].width).toBe(200);
    expect(panels[3].x).toBe(208);
    expect(width).toBe(4 * 200 + 3 * 8);
    expect(height).toBe(3 * 32 * 4 + 2 * 8);
  });

  it('falls back to columns of three in the leads’ own order for other lead sets', () => {
    const { panels } = medianPanels(['I', 'II', 'V5', 'V1'], 100, 250, scale);
    expect(panels.map((p) => [p.lead, p.x > 0 ? 1 : 0])).toEqual([
      ['I', 0],
      ['II', 0],
      ['V5', 0],
      ['V1', 1],
    ]);
  });

  it('maps a boundary offset from R to its pixel column and back, kept inside the beat', () => {
    const { panels } = medianPanels(TWELVE, 400, 500, scale);
    const p = panels[4];
    const per = pxPerSample(scale, 500);
    expect(per).toBeCloseTo(0.4, 12);
    for (const offset of [-150, -20, 0, 33, 199]) expect(offsetAtX(p, boundaryX(p, offset, 150, per), 150, 400, per)).toBe(offset);
    expect(offsetAtX(p, p.x - 50, 150, 400, per)).toBe(-150);
    expect(offsetAtX(p, p.x + 10_000, 150, 400, per)).toBe(249);
  });

  it('draws 1 mV as 10 mm above the zero line, and keeps a shifted beat inside its panel', () => {
    const { panels } = medianPanels(TWELVE, 3, 500, scale);
    const p = panels[0];
    expect(beatPath([0, 1, -0.5], p, scale, 500)).toBe(
      `M0.0,${p.zeroY.toFixed(1)}L0.4,${(p.zeroY - 40).toFixed(1)}L0.8,${(p.zeroY + 20).toFixed(1)}`,
    );
    expect(beatPath([0, 1, -0.5], p, scale, 500, -1)).toBe(`M0.0,${(p.zeroY - 40).toFixed(1)}L0.4,${(p.zeroY + 20).toFixed(1)}`);
  });

  it('places a boundary the delineation missed at a typical distance from the QRS, inside the beat', () => {
    const beat = { pre: 150, length: 400, samplingRate: 500 };
    expect(placedBoundary('tOffset', { qrsOnset: -20, qrsOffset: 25 }, beat)).toBe(175);
    expect(placedBoundary('pOnset', { qrsOnset: -20, qrsOffset: 25 }, beat)).toBe(-100);
    expect(placedBoundary('pOffset', { qrsOnset: -20, qrsOffset: 25 }, beat)).toBe(-50);
    expect(placedBoundary('tOffset', { qrsOnset: -20, qrsOffset: 120 }, beat)).toBe(249);
    expect(placedBoundary('pOnset', { qrsOnset: -100 }, beat)).toBe(-150);
  });

  it("places a lead's own boundary ticks at their ms from R on the paper, with lead, boundary, ms and confidence in the title", () => {
    const { panels } = medianPanels(TWELVE, 400, 500, scale);
    const p = panels[1];
    const ticks = leadTicks({
      lead: 'II',
      qrsOnsetMs: -48,
      qrsOffsetMs: 52,
      qrsOnsetConfidence: 0.82,
      qrsOffsetConfidence: 0.31,
      qrsCounted: false,
      qrsConsistency: 1,
      tOffsetMs: 380,
    });
    expect(ticks.map((t) => t.boundary)).toEqual(['qrsOnset', 'qrsOffset', 'tOffset']);
    // 50 mm/s at 4 px/mm: 0.2 px per ms; R at sample 150 of the beat.
    expect(msX(p, 380, 150, 500, pxPerSample(scale, 500)) - msX(p, 0, 150, 500, pxPerSample(scale, 500))).toBeCloseTo(76, 6);
    expect(msX(p, -48, 150, 500, pxPerSample(scale, 500))).toBeCloseTo(boundaryX(p, -24, 150, pxPerSample(scale, 500)), 6);
    expect(ticks.map(leadTickTitle)).toEqual([
      'II QRS onset −48 ms from R, confidence 0.82; not counted toward the global QRS',
      'II QRS offset +52 ms from R, confidence 0.31; not counted toward the global QRS',
      'II T end +380 ms from R, no per-lead confidence',
    ]);
  });
});
