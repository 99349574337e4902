// Delineation and measurements on synthetic 12-lead ECGs whose wave boundaries are known exactly.
import { describe, expect, it } from 'vitest';
import { leadBoundariesMs, measureRecord } from '../../src-main/dsp/measurements.ts';
import { AGREEING_LEADS, globalFromLeads, type LeadQrsBoundaries } from '../../src-main/dsp/lead-qrs-boundaries.ts';
import { correctQt } from '../../src-shared/qtc.ts';
import { leadAmplitudes } from '../../src-main/dsp/lead-amplitudes.ts';
import { QRS_MARGIN_MS } from '../../src-main/dsp/qrs-boundaries.ts';
import { allLeads, regularBeats, syntheticBeats, type SyntheticWave } from '../helpers/synthetic-beats.ts';

// P 180-80 ms before R (100 ms), QRS -50..+50 ms (100 ms, biphasic so the slope is steep), T +150..+400 ms:
// known PR 130 ms (P onset to QRS onset), QRS 100 ms, QT 450 ms. Our global QRS boundaries carry margins fitted on
// LUDB's all-lead reference (QRS_MARGIN_MS each side) and the T end lies where the T wave levels off, so on these
// ideal waves the expected values are the true ones plus those margins; the tolerances are the IEC ones.
const P: SyntheticWave = { startMs: -180, endMs: -80, mv: allLeads(0.15) };
const Q_R: SyntheticWave = { startMs: -50, endMs: 10, mv: allLeads(1.2, { aVR: -1.2, V1: -0.6 }) };
const S: SyntheticWave = { startMs: 10, endMs: 50, mv: allLeads(-0.4, { aVR: 0.4, V1: 0.2 }) };
const T: SyntheticWave & { peakFrac: number } = { startMs: 150, endMs: 400, mv: allLeads(0.35, { aVR: -0.35 }), peakFrac: 0.6 };

describe('delineation on synthetic beats with known boundaries', () => {
  it('measures PR, P duration, QRS and QT within the IEC tolerances of the known values', () => {
    const leads = syntheticBeats({ rSeconds: regularBeats(1000), waves: [P, Q_R, S, T], noiseMv: 0.01 });
    const m = measureRecord(leads, 500);
    expect(m.heartRateBpm!).toBeCloseTo(60, 0);
    expect(Math.abs(m.qrsMs! - (100 + 2 * QRS_MARGIN_MS))).toBeLessThanOrEqual(15);
    expect(Math.abs(m.prMs! - (130 - QRS_MARGIN_MS))).toBeLessThanOrEqual(15);
    expect(Math.abs(m.pDurationMs! - 100)).toBeLessThanOrEqual(20);
    expect(Math.abs(m.qtMs! - (450 + QRS_MARGIN_MS))).toBeLessThanOrEqual(25);
    expect(m.delineation!.confidence!.qrsOnset).toBeGreaterThan(0.5);
    expect(m.notMeasurable).toEqual({});
    // Every formula at RR = 1 s leaves QT unchanged.
    for (const v of Object.values(m.qtc)) expect(v!).toBeCloseTo(m.qtMs!, 6);
  });
  it('a QRS 40 ms wider is measured 40 ms wider', () => {
    const wideS = { ...S, endMs: 90 };
    const narrow = measureRecord(syntheticBeats({ rSeconds: regularBeats(1000), waves: [P, Q_R, S, T] }), 500);
    const wide = measureRecord(syntheticBeats({ rSeconds: regularBeats(1000), waves: [P, Q_R, wideS, T] }), 500);
    expect(Math.abs(wide.qrsMs! - narrow.qrsMs! - 40)).toBeLessThanOrEqual(10);
  });
  it('a longer QT moves the T end by the same amount', () => {
    const longT = { ...T, startMs: 200, endMs: 500 };
    const a = measureRecord(syntheticBeats({ rSeconds: regularBeats(1100), waves: [P, Q_R, S, T] }), 500);
    const b = measureRecord(syntheticBeats({ rSeconds: regularBeats(1100), waves: [P, Q_R, S, longT] }), 500);
    expect(Math.abs(b.qtMs! - a.qtMs! - 100)).toBeLessThanOrEqual(20);
  });
  it('flat T waves in every lead: QT not measurable, with that reason', () => {
    // A small QRS (0.5 mV): the measurement filter's 0.5 Hz high-pass leaves a slow tail after a large one.
    const flat = { ...T, mv: allLeads(0.01) };
    const smallR = { ...Q_R, mv: allLeads(0.5, { aVR: -0.5 }) };
    const m = measureRecord(syntheticBeats({ rSeconds: regularBeats(1000), waves: [P, smallR, S, flat] }), 500);
    expect(m.qtMs).toBeNull();
    expect(m.qtc.bazett).toBeNull();
    expect(m.notMeasurable.qt).toBe('flat T wave in all leads');
  });
  it('irregular RR with no P wave (atrial fibrillation): no PR, and the reason says so', () => {
    const r: number[] = [];
    const gaps = [620, 910, 540, 1080, 700, 830, 560, 990, 650, 760, 880];
    for (let t = 0.5, i = 0; t < 9.3; t += gaps[i++ % gaps.length] / 1000) r.push(t);
    const m = measureRecord(syntheticBeats({ rSeconds: r, waves: [Q_R, S, T], noiseMv: 0.02, seed: 7 }), 500);
    expect(m.rr!.irregularity).toBeGreaterThan(0.1);
    expect(m.prMs).toBeNull();
    expect(m.notMeasurable.pr).toMatch(/atrial fibrillation|no P/);
    expect(m.qrsMs).not.toBeNull();
  });
  it('frontal axes: a QRS and T positive in I and negative in aVF point to about -30 to 0 degrees', () => {
    const left = allLeads(1.2, { II: 0.3, III: -0.9, aVF: -0.3, aVR: -0.75, aVL: 1.05 });
    const m = measureRecord(syntheticBeats({ rSeconds: regularBeats(900), waves: [P, { ...Q_R, mv: left }, S, { ...T, mv: left }] }), 500);
    expect(m.frontalAxes.qrs!).toBeLessThan(0);
    expect(m.frontalAxes.qrs!).toBeGreaterThan(-45);
    expect(m.frontalAxes.t!).toBeLessThan(0);
  });
});

describe('per-lead QRS boundaries and the global ones derived from them', () => {
  it('every lead of an ideal beat has its own boundaries at the true QRS edges, and the global ones match them', () => {
    const m = measureRecord(syntheticBeats({ rSeconds: regularBeats(1000), waves: [P, Q_R, S, T], noiseMv: 0.01 }), 500);
    const leads = leadBoundariesMs(m);
    expect(leads.map((l) => l.lead)).toEqual(Object.keys(m.leads));
    // All leads share the same edges here (R is detected at the R peak, so compare with the global boundaries).
    const ms = (s: number): number => s * 2;
    for (const l of leads) {
      expect(Math.abs(l.qrsOnsetMs - ms(m.delineation!.qrsOnset))).toBeLessThanOrEqual(4);
      expect(Math.abs(l.qrsOffsetMs - ms(m.delineation!.qrsOffset))).toBeLessThanOrEqual(4);
      expect(Math.abs(l.qrsOffsetMs - l.qrsOnsetMs - (100 + 2 * QRS_MARGIN_MS))).toBeLessThanOrEqual(15);
      expect(l.qrsCounted).toBe(true);
      expect(l.qrsOnsetConfidence).toBeGreaterThan(0.5);
    }
  });
  it('an early wave in three chest leads moves their own onsets and the global onset earlier; the other leads keep theirs', () => {
    // A q wave starting 30 ms before the rest of the complex, in V2, V3 and V4 only (two would not be enough).
    const q: SyntheticWave = { startMs: -80, endMs: -50, mv: { V2: -0.5, V3: -0.5, V4: -0.5 } };
    const plain = measureRecord(syntheticBeats({ rSeconds: regularBeats(1000), waves: [P, Q_R, S, T] }), 500);
    const early = measureRecord(syntheticBeats({ rSeconds: regularBeats(1000), waves: [P, q, Q_R, S, T] }), 500);
    const lead = (m: typeof plain, name: string): number => leadBoundariesMs(m).find((l) => l.lead === name)!.qrsOnsetMs;
    for (const name of ['V2', 'V3', 'V4']) expect(Math.abs(lead(early, name) - (lead(plain, name) - 30))).toBeLessThanOrEqual(8);
    for (const name of ['I', 'II', 'V1', 'V6']) expect(Math.abs(lead(early, name) - lead(plain, name))).toBeLessThanOrEqual(2);
    expect(Math.abs(early.qrsMs! - plain.qrsMs! - 30)).toBeLessThanOrEqual(8);
  });
  it('one or two leads cannot move a global boundary: the third earliest onset and third latest offset decide', () => {
    const lead = (onset: number, offset: number, counted = true): LeadQrsBoundaries => ({
      onset,
      offset,
      onsetConfidence: 0.9,
      offsetConfidence: 0.9,
      counted,
    });
    const leads = [lead(100, 160), lead(70, 162), lead(101, 210), lead(99, 158), lead(80, 163), lead(40, 300, false)];
    const g = globalFromLeads(leads)!;
    expect(AGREEING_LEADS).toBe(3);
    expect(g.onset).toBe(99);
    expect(g.offset).toBe(162);
    expect(globalFromLeads([lead(80, 150), lead(90, 140)])).toMatchObject({ onset: 90, offset: 140 });
    expect(globalFromLeads([lead(80, 150, false)])).toBeUndefined();
  });
});

describe('QTc formulas', () => {
  it('Bazett, Fridericia, Framingham and Hodges at QT 400 ms, RR 0.64 s', () => {
    expect(correctQt(400, 0.64, 'bazett')).toBeCloseTo(500, 6);
    expect(correctQt(400, 0.64, 'fridericia')).toBeCloseTo(400 / Math.cbrt(0.64), 6);
    expect(correctQt(400, 0.64, 'framingham')).toBeCloseTo(400 + 154 * 0.36, 6);
    expect(correctQt(400, 0.64, 'hodges')).toBeCloseTo(400 + 1.75 * (93.75 - 60), 6);
  });
});

describe('per-lead amplitudes', () => {
  it('finds Q, R, S and R of an rSR-like complex, ST at J and J+60, T', () => {
    const fs = 500;
    const t = new Float32Array(400);
    const bump = (s: number, e: number, mv: number): void => {
      for (let k = s; k <= e; k++) t[k] += (mv * (1 - Math.cos((2 * Math.PI * (k - s)) / (e - s)))) / 2;
    };
    bump(100, 110, -0.1); // Q
    bump(110, 125, 0.8); // R
    bump(125, 140, -0.5); // S
    bump(140, 150, 0.3); // R'
    for (let k = 150; k < 200; k++) t[k] += 0.1; // elevated ST
    bump(200, 280, 0.4); // T
    const a = leadAmplitudes(t, 100, 150, 240, fs);
    expect(Math.abs(a.qMv - -0.1)).toBeLessThan(0.02);
    expect(Math.abs(a.rMv - 0.8)).toBeLessThan(0.02);
    expect(Math.abs(a.sMv - -0.5)).toBeLessThan(0.02);
    expect(Math.abs(a.rPrimeMv - 0.3)).toBeLessThan(0.02);
    expect(Math.abs(a.stJ60Mv - 0.1)).toBeLessThan(0.02);
    expect(Math.abs(a.tMv! - 0.4)).toBeLessThan(0.02);
  });
});

describe('the T-wave search stops short of the next beat', () => {
  it('a sharp deflection before the next QRS (atrial spike, early P) is not taken for the T wave', () => {
    // RR 750 ms; a small T (0.2 mV, 150-330 ms) and a 0.4 mV spike 520 ms after R, 230 ms before the next R.
    const smallT = { ...T, endMs: 330, mv: allLeads(0.2, { aVR: -0.2 }) };
    const spike: SyntheticWave = { startMs: 515, endMs: 530, mv: allLeads(0.4) };
    const plain = measureRecord(syntheticBeats({ rSeconds: regularBeats(750), waves: [Q_R, S, smallT] }), 500);
    const spiked = measureRecord(syntheticBeats({ rSeconds: regularBeats(750), waves: [Q_R, S, smallT, spike] }), 500);
    expect(plain.qtMs).not.toBeNull();
    expect(Math.abs(spiked.qtMs! - plain.qtMs!)).toBeLessThanOrEqual(10);
    expect(spiked.delineation!.tPeak!).toBeLessThan(400 / 2);
  });
});
