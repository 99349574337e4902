// Signal images (GAF, MTF, recurrence plot) of a real lead, the channel stacking of a signal-image model's input,
// and the way back from an image-space attribution to time.
import { beforeAll, describe, expect, it } from 'vitest';
import { readWfdbRecord } from '../../src-main/formats/wfdb-record.ts';
import { leadMillivolts } from '../../src-shared/record.ts';
import {
  gramianAngularField,
  markovTransitionField,
  recurrencePlot,
  segmentBounds,
  signalImageToTime,
  type SignalImage,
} from '../../src-main/chart/signal-images.ts';
import { signalImageAttributionToTime, signalImageCard, signalImageInput, leadImage } from '../../src-main/chart/signal-image-input.ts';
import { dataPath } from '../helpers/shared-data.ts';

let mv: Float32Array[];
beforeAll(async () => {
  const record = await readWfdbRecord(dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01', '010', 'JS00001.hea'));
  mv = record.leads.map(leadMillivolts);
});

const TRANSFORMS: Record<string, (x: Float32Array, size: number) => SignalImage> = {
  gasf: (x, size) => gramianAngularField(x, 'summation', size),
  gadf: (x, size) => gramianAngularField(x, 'difference', size),
  mtf: (x, size) => markovTransitionField(x, 8, size),
  rp: (x, size) => recurrencePlot(x, { size }),
};

describe('signal images', () => {
  it('builds GASF/GADF/MTF/RP of lead II and maps a hot row back to its time segment', () => {
    const ii = mv[1];
    const gasf = gramianAngularField(ii, 'summation', 100);
    const gadf = gramianAngularField(ii, 'difference', 100);
    expect(gasf.size).toBe(100);
    for (let i = 0; i < 100; i += 7) {
      expect(gadf.image[i * 100 + i]).toBeCloseTo(0, 6);
      expect(gasf.image[i * 100 + 3]).toBeCloseTo(gasf.image[3 * 100 + i], 6);
      expect(gadf.image[i * 100 + 3]).toBeCloseTo(-gadf.image[3 * 100 + i], 6);
    }
    const mtf = markovTransitionField(ii, 8, 100);
    expect(mtf.image.every((v) => v >= 0 && v <= 1)).toBe(true);
    const rp = recurrencePlot(ii, { size: 100 });
    expect(rp.image[5 * 100 + 5]).toBe(0);
    const sal = new Float32Array(100 * 100);
    for (let j = 0; j < 100; j++) sal[42 * 100 + j] = 1;
    const time = signalImageToTime(sal, gasf);
    expect(time.length).toBe(5000);
    expect(time.indexOf(Math.max(...time))).toBe(42 * 50);
    expect(time[42 * 50 + 49]).toBeGreaterThan(10 * time[0]);
  });

  it.each(Object.keys(TRANSFORMS))(
    '%s: a diagonal pixel maps to exactly its segment; an off-diagonal one half to each of its two',
    (name) => {
      // 1003 samples into 16 points: segments of 62 or 63 samples, so the bounds are uneven.
      const x = mv[1].subarray(0, 1003);
      const img = TRANSFORMS[name](x, 16);
      expect(img.size).toBe(16);
      expect([...img.bounds]).toEqual([...segmentBounds(1003, 16)]);
      const diag = new Float32Array(256);
      diag[5 * 16 + 5] = 1;
      const t = signalImageToTime(diag, img);
      for (let s = 0; s < 1003; s++) expect(t[s] > 0).toBe(s >= img.bounds[5] && s < img.bounds[6]);
      const off = new Float32Array(256);
      off[2 * 16 + 11] = -3; // the sign of an attribution does not matter, only its size
      const u = signalImageToTime(off, img);
      expect(u[img.bounds[2]]).toBeCloseTo(u[img.bounds[11]], 9);
      expect(u[img.bounds[2]]).toBeGreaterThan(0);
      expect(u.filter((v) => v > 0).length).toBe(img.bounds[3] - img.bounds[2] + img.bounds[12] - img.bounds[11]);
    },
  );

  it.each(['gasf', 'rp'])("%s: changing samples of one segment changes only that segment's row and column", (name) => {
    // The ground truth of the map back to time: pixel (i, j) depends on segments i and j only (the GAF rescaling uses
    // the global min/max, so the change stays inside them).
    const x = Float32Array.from(mv[1].subarray(0, 1000));
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of x) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    const before = TRANSFORMS[name](x, 20).image;
    const y = Float32Array.from(x);
    for (let s = 350; s < 400; s++) y[s] = (lo + hi) / 2; // segment 7 of 20 (samples 350..399)
    const after = TRANSFORMS[name](y, 20).image;
    for (let i = 0; i < 20; i++) {
      for (let j = 0; j < 20; j++) {
        const changed = Math.abs(after[i * 20 + j] - before[i * 20 + j]) > 1e-6;
        if (i !== 7 && j !== 7) expect(changed).toBe(false);
      }
    }
    expect(after.some((v, p) => Math.abs(v - before[p]) > 1e-6)).toBe(true);
  });
});

describe('signal-image model input', () => {
  const card = signalImageCard('gaf', ['I', 'II', 'V1'], { samplingRate: 100, samples: 500, bandpass: null, zscore: true }, 25);

  it('stacks one lead per channel, channels last', () => {
    const leads = [mv[0], mv[1], mv[6]].map((l) => l.subarray(0, 500));
    const x = signalImageInput(leads, card);
    expect(x.length).toBe(25 * 25 * 3);
    leads.forEach((lead, l) => {
      const img = leadImage(lead, card).image;
      for (let p = 0; p < 625; p++) expect(x[p * 3 + l]).toBe(img[p]);
    });
    expect(() => signalImageInput(leads.slice(0, 2), card)).toThrow(/2 leads for a 3-channel model/);
  });

  it('maps an attribution on one channel back to that lead only, at the segments of its pixel', () => {
    const a = new Float32Array(25 * 25 * 3);
    a[(10 * 25 + 10) * 3 + 2] = 1; // lead V1, pixel (10, 10): samples 200..219
    const map = signalImageAttributionToTime(a, card);
    expect(map.length).toBe(3 * 500);
    expect(map.subarray(0, 1000).every((v) => v === 0)).toBe(true);
    const v1 = map.subarray(1000);
    for (let s = 0; s < 500; s++) expect(v1[s] > 0).toBe(s >= 200 && s < 220);
  });

  it('refuses an image larger than the lead or out of range', () => {
    expect(() => signalImageCard('rp', ['II'], { samplingRate: 100, samples: 100, bandpass: null, zscore: true }, 128)).toThrow(
      /exceeds the 100 samples/,
    );
    expect(() => signalImageCard('mtf', ['II'], { samplingRate: 100, samples: 1000, bandpass: null, zscore: true }, 4)).toThrow(/8\.\.512/);
  });
});
