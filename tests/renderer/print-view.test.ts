import { describe, expect, it } from 'vitest';
import { layoutChart } from '../../src-shared/chart/chart-layout.ts';
import { STANDARD_LEADS } from '../../src-shared/record.ts';
import { firstOf, gridPath, tracePath } from '../../src-renderer/print/print-paper.ts';
import { printRequest, printSearch } from '../../src-shared/print-request.ts';

const chart = layoutChart(
  { samplingRate: 500, length: 5000, leads: STANDARD_LEADS.map((name) => ({ name })) },
  { layout: '3x4+II', pxPerMm: 1 },
);

describe('print view request', () => {
  it('reads ?print=ID&paper=letter&saliency=ID, defaults to A4, and refuses malformed values with one line', () => {
    expect(printRequest('?token=t&print=7')).toEqual({ recordId: 7, paper: 'a4' });
    expect(printRequest('?print=7&paper=Letter&saliency=3')).toEqual({ recordId: 7, paper: 'letter', saliencyId: 3 });
    expect(printRequest('?token=t')).toBeUndefined();
    expect(() => printRequest('?print=x')).toThrow("print: record id must be a positive integer, got 'x'");
    expect(() => printRequest('?print=2&paper=a3')).toThrow("print: paper must be a4 or letter, got 'a3'");
    expect(printSearch({ recordId: 7, paper: 'letter', saliencyId: 3 }, 'tok')).toBe('?token=tok&print=7&paper=letter&saliency=3');
  });
});

describe('print paper in mm', () => {
  it('draws the 5 mm grid over the 262 x 100 mm chart and the 1 mm grid between its lines', () => {
    expect(chart.width).toBe(262);
    expect(chart.height).toBe(100);
    const major = gridPath(chart, 5);
    expect(major.match(/V100/g)).toHaveLength(53);
    expect(major.match(/H262/g)).toHaveLength(21);
    const minor = gridPath(chart, 1, 5);
    expect(minor.match(/V100/g)).toHaveLength(263 - 53);
    expect(minor).not.toMatch(/M5 0V/);
  });

  it('puts 1 s of trace over 25 mm and 1 mV over 10 mm', () => {
    const mv = new Float32Array(5000);
    mv[500] = 1;
    const strip = chart.panels.findIndex((p) => p.rhythm);
    const d = tracePath(chart, strip, mv);
    const x0 = chart.panels[strip].box.x;
    expect(d.startsWith(`M${x0} ${chart.panels[strip].baselineY}`)).toBe(true);
    expect(d).toContain(`L${x0 + 25} ${chart.panels[strip].baselineY - 10}`);
  });

  it('says how many entries it left out', () => {
    expect(firstOf([1, 2, 3], 2)).toEqual({ shown: [1, 2], more: 1 });
    expect(firstOf([1], 2)).toEqual({ shown: [1], more: 0 });
  });
});
