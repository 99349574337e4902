import { describe, expect, it } from 'vitest';
import { layoutChart } from '../../src-shared/chart/chart-layout.ts';
import { STANDARD_LEADS } from '../../src-shared/record.ts';
import { caliperPanels } from '../../src-renderer/overlays/calipers.ts';
import { chartWidthMm, fitChart } from '../../src-renderer/viewport/chart-fit.ts';

const SCREEN = 96 / 25.4;

describe('fitting the chart to the window', () => {
  it('scales a 3x4 + rhythm chart into 776 px and states what a screen mm shows', () => {
    const mm = chartWidthMm(10, 25);
    expect(mm).toBe(262);
    const f = fitChart(SCREEN, mm, 776, 25, 10);
    expect(f.scale).toBe(0.78);
    expect(f.pxPerMm).toBeCloseTo(SCREEN * 0.78, 9);
    expect(mm * f.pxPerMm).toBeLessThanOrEqual(776);
    expect(f.statement).toBe('scaled ×0.78 to fit: 25 mm/s, 10 mm/mV paper shown at 19.5 mm/s, 7.8 mm/mV on screen');
    // The chart laid out at the fitted resolution keeps its paper calibration: 1 s is still 25 grid mm.
    const chart = layoutChart(
      { samplingRate: 500, length: 5000, leads: STANDARD_LEADS.map((name) => ({ name })) },
      { layout: '3x4+II', pxPerMm: f.pxPerMm },
    );
    expect(chart.width).toBeLessThanOrEqual(776);
    expect(chart.mmPerSecond).toBe(25);
    const v4 = chart.panels.find((p) => p.lead === 'V4')!;
    expect(v4.box.x + v4.box.width).toBeLessThanOrEqual(776);
  });

  it('never enlarges past the calibration, and draws calibrated when fitting is off or the room is unknown', () => {
    expect(fitChart(SCREEN, 262, 3000, 25, 10)).toEqual({
      pxPerMm: SCREEN,
      scale: 1,
      statement: 'calibrated: 25 mm/s, 10 mm/mV on screen',
    });
    expect(fitChart(SCREEN, 262, 0, 50, 20).statement).toBe('calibrated: 50 mm/s, 20 mm/mV on screen');
  });
});

describe('caliper marks', () => {
  const chart = layoutChart(
    { samplingRate: 500, length: 5000, leads: STANDARD_LEADS.map((name) => ({ name })) },
    { layout: '3x4+II', pxPerMm: 4 },
  );
  it('go on the rhythm strip when it was clicked, not on the short lead II panel above it', () => {
    const [strip] = caliperPanels(chart.panels, { sample: 300, millivolts: 0, lead: 'II', rhythm: true });
    expect(strip.rhythm).toBe(true);
    expect(strip.box.y).toBe(75 * 4);
    const [short] = caliperPanels(chart.panels, { sample: 300, millivolts: 0, lead: 'II' });
    expect(short.rhythm).toBe(false);
    expect(short.box.y).toBe(25 * 4);
  });
});
