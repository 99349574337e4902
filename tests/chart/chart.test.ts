// Chart layout geometry, rasteriser, PNG encoder and the pixel → lead x time map, on a real 12-lead record.
import zlib from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { readWfdbRecord } from '../../src-main/formats/wfdb-record.ts';
import { leadMillivolts, type EcgRecord } from '../../src-shared/record.ts';
import { layoutChart, samplePixels, sampleX, valueY } from '../../src-shared/chart/chart-layout.ts';
import { rasteriseChart } from '../../src-main/chart/chart-raster.ts';
import { encodePng } from '../helpers/png.ts';
import { pixelsToLeadTime } from '../../src-main/chart/pixel-to-lead-time.ts';
import { dataPath } from '../helpers/shared-data.ts';

let record: EcgRecord;
let mv: Float32Array[];
beforeAll(async () => {
  record = await readWfdbRecord(dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01', '010', 'JS00001.hea'));
  mv = record.leads.map(leadMillivolts);
});

describe('layoutChart', () => {
  it('lays out 3x4+II on standard paper (25 mm/s, 10 mm/mV) at 4 px/mm', () => {
    const c = layoutChart(record, { layout: '3x4+II' });
    expect([c.width, c.height]).toEqual([1048, 400]); // 10 mm margin + 250 mm + 2 mm; 4 rows of 25 mm
    expect(c.panels.map((p) => p.lead)).toEqual(['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6', 'II']);
    const v2 = c.panels[7];
    expect(v2.box).toEqual({ x: 40 + 2 * 250, y: 100, width: 250, height: 100 });
    expect([v2.startSample, v2.endSample, v2.baselineY]).toEqual([2500, 3750, 150]);
    const rhythm = c.panels[12];
    expect(rhythm).toMatchObject({
      rhythm: true,
      leadIndex: 1,
      startSample: 0,
      endSample: 5000,
      box: { x: 40, y: 300, width: 1000, height: 100 },
    });
    // Calibration pulse: 1 mV (40 px) high, 200 ms (20 px) wide.
    const cal = c.calibration[0];
    expect(cal[1].y - cal[2].y).toBe(40);
    expect(cal[3].x - cal[2].x).toBe(20);
  });
  it('lays out 6x2, 12x1 and reduced lead sets', () => {
    const six = layoutChart(record, { layout: '6x2', pxPerMm: 1 });
    expect(six.panels.find((p) => p.lead === 'V1')).toMatchObject({ startSample: 2500, box: { x: 10 + 125, y: 0 } });
    expect(six.height).toBe(6 * 20);
    const twelve = layoutChart(record, { layout: '12x1', pxPerMm: 1 });
    expect(twelve.panels.every((p) => p.startSample === 0 && p.endSample === 5000)).toBe(true);
    expect(twelve.panels[11]).toMatchObject({ lead: 'V6', box: { y: 220 } });
    const four = layoutChart(record, { layout: '2x2', leads: 4 });
    expect(four.panels.map((p) => p.lead)).toEqual(['I', 'II', 'III', 'V2']);
    const two = layoutChart(record, { layout: '2x1', leads: 2, rhythmLeads: ['V2'] });
    expect(two.panels.map((p) => `${p.lead}${p.rhythm ? '*' : ''}`)).toEqual(['I', 'II', 'V2*']);
  });
  it('refuses bad layouts with one clear line', () => {
    expect(() => layoutChart(record, { layout: 'three by four' })).toThrow(/not of the form RxC/);
    expect(() => layoutChart(record, { layout: '2x2' })).toThrow(/4 cells for 12 leads/);
    expect(() => layoutChart({ ...record, leads: record.leads.slice(0, 2) }, { layout: '3x4+II' })).toThrow(/record has no lead III/);
  });
  it('maps every plotted sample to its pixel', () => {
    const c = layoutChart(record, { layout: '3x4+II' });
    const px = samplePixels(c, mv);
    const v2 = px[7];
    expect(v2.xs.length).toBe(1250);
    // JS00001 V2 at sample 3000 (6.0 s): 10 mm + 6 s x 25 mm/s = 160 mm.
    expect(v2.xs[500]).toBe(Math.round(sampleX(c, v2.panel, 3000)));
    expect(v2.xs[500]).toBe(640);
    expect(v2.ys[500]).toBe(Math.round(150 - mv[7][3000] * 40));
    expect(valueY(c, v2.panel, 1)).toBe(110);
  });
});

describe('rasteriseChart and PNG', () => {
  it('draws ink exactly at the mapped sample pixels, grid elsewhere', () => {
    const c = layoutChart(record, { layout: '3x4+II', pxPerMm: 2 });
    const { image, pixels } = rasteriseChart(c, mv);
    for (const { xs, ys } of pixels) for (let i = 0; i < xs.length; i += 37) expect(image.data[ys[i] * image.width + xs[i]]).toBe(0);
    expect(image.data[0]).toBe(190); // major grid line at the corner
    expect(image.data[1 * image.width + 3]).toBe(255); // paper between grid lines (1.5 mm, 0.5 mm)
    const again = rasteriseChart(c, mv).image;
    expect(Buffer.from(again.data).equals(Buffer.from(image.data))).toBe(true);
  });
  it('encodes a PNG whose IDAT inflates back to the pixels', () => {
    const c = layoutChart(record, { layout: '6x2', pxPerMm: 1 });
    const { image } = rasteriseChart(c, mv, { rgb: true });
    const png = encodePng(image.width, image.height, 3, image.data);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(image.width);
    expect(png.readUInt32BE(20)).toBe(image.height);
    const idatLen = png.readUInt32BE(33);
    expect(png.subarray(37, 41).toString()).toBe('IDAT');
    const raw = zlib.inflateSync(png.subarray(41, 41 + idatLen));
    const stride = image.width * 3;
    expect(raw.length).toBe((stride + 1) * image.height);
    expect(
      Buffer.from(raw.subarray(1 + 5 * (stride + 1), (stride + 1) * 6)).equals(Buffer.from(image.data.subarray(5 * stride, 6 * stride))),
    ).toBe(true);
    expect(() => encodePng(10, 10, 1, new Uint8Array(5))).toThrow(/do not fill/);
  });
});

describe('pixelsToLeadTime', () => {
  it('puts a hot spot at a sample pixel back on that lead and sample', () => {
    const c = layoutChart(record, { layout: '3x4+II', pxPerMm: 2 });
    const { pixels } = rasteriseChart(c, mv);
    const sal = new Float32Array(c.width * c.height);
    const v4 = pixels[9]; // V4: column 4, samples 3750-5000
    const i = 4321 - v4.panel.startSample;
    sal[v4.ys[i] * c.width + v4.xs[i]] = 1;
    const { map, leads, samples } = pixelsToLeadTime(c, pixels, sal, 0);
    let best = 0;
    for (let k = 1; k < map.length; k++) if (map[k] > map[best]) best = k;
    expect(leads[Math.floor(best / samples)]).toBe('V4');
    expect(Math.abs((best % samples) - 4321)).toBeLessThanOrEqual(20); // 20 samples share a 0.5 mm pixel column
  });
  it('keeps the rhythm strip of lead II in a row of its own in 3x4+II', () => {
    const c = layoutChart(record, { layout: '3x4+II', pxPerMm: 1 });
    const { pixels } = rasteriseChart(c, mv);
    const sal = new Float32Array(c.width * c.height).fill(1);
    const { map, samples, leads } = pixelsToLeadTime(c, pixels, sal);
    expect(leads[12]).toBe('II (rhythm strip)');
    expect(map[1 * samples + 100]).toBeCloseTo(1, 5); // II in the grid
    expect(map[12 * samples + 100]).toBeCloseTo(1, 5); // II in the rhythm strip
    expect(map[0 * samples + 100]).toBeCloseTo(1, 5); // I: once
    expect(map[0 * samples + 2000]).toBe(0); // I is charted only for 0-2.5 s
  });
});
