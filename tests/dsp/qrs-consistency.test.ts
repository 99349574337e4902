// Leads whose QRS does not repeat from beat to beat (noise, an electrode off) take no part in the global boundaries,
// and a record of noise alone is not measured: on synthetic beats with known boundaries, and on LUDB 1.
import { describe, expect, it } from 'vitest';
import { leadBoundariesMs, measureRecord } from '../../src-main/dsp/measurements.ts';
import { MIN_QRS_CONSISTENCY } from '../../src-main/dsp/qrs-consistency.ts';
import { readWfdbRecord } from '../../src-main/formats/wfdb-record.ts';
import { canonicalLeadName, leadMillivolts } from '../../src-shared/record.ts';
import { dataPath } from '../helpers/shared-data.ts';
import { allLeads, LEADS_12, regularBeats, syntheticBeats, type SyntheticWave } from '../helpers/synthetic-beats.ts';

const FS = 500;
const P: SyntheticWave = { startMs: -180, endMs: -80, mv: allLeads(0.15) };
// The QRS runs -50..50 ms in the limb leads and -50..70 ms in the chest leads (their late part sets the global offset).
const QRS_LIMB: SyntheticWave = { startMs: -50, endMs: 50, mv: Object.fromEntries(LEADS_12.slice(0, 6).map((l) => [l, 1])) };
const QRS_CHEST: SyntheticWave = { startMs: -50, endMs: 70, mv: Object.fromEntries(LEADS_12.slice(6).map((l) => [l, 1.2])) };
const T: SyntheticWave = { startMs: 160, endMs: 380, mv: allLeads(0.3) };

let seed = 11;
const gauss = (): number => {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  const u = seed / 2 ** 32;
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return Math.sqrt(-2 * Math.log(u + 1e-12)) * Math.cos(2 * Math.PI * (seed / 2 ** 32));
};
const noise = (n: number, sd: number): Float32Array => Float32Array.from({ length: n }, () => sd * gauss());

describe('QRS consistency across beats', () => {
  const clean = syntheticBeats({ rSeconds: regularBeats(800), waves: [P, QRS_LIMB, QRS_CHEST, T], noiseMv: 0.01 });
  const cleanM = measureRecord(clean, FS);

  it('on a clean record every lead repeats and takes part', () => {
    expect(cleanM.qrsMs).not.toBeNull();
    expect(cleanM.delineation!.leads!.every((l) => !l.leftOut && l.qrsConsistency! > 0.9)).toBe(true);
  });

  it('leaves out leads that carry only noise, and the global QRS keeps its width', () => {
    // V1-V3 off (noise of 0.2 mV) and lead I flat: the chest leads left (V4-V6) still carry the late QRS part.
    const off = ['I', 'V1', 'V2', 'V3'];
    const leads = Object.fromEntries(
      Object.entries(clean).map(([name, x]) => [
        name,
        name === 'I' ? new Float32Array(x.length) : off.includes(name) ? noise(x.length, 0.2) : x,
      ]),
    );
    const m = measureRecord(leads, FS);
    const leftOut = leadBoundariesMs(m)
      .filter((l) => l.leftOut)
      .map((l) => l.lead);
    expect(leftOut.sort()).toEqual([...off].sort());
    for (const l of leadBoundariesMs(m)) expect(l.leftOut ? !l.qrsCounted && l.qrsConsistency < MIN_QRS_CONSISTENCY : true).toBe(true);
    expect(Math.abs(m.qrsMs! - cleanM.qrsMs!)).toBeLessThanOrEqual(4);
    expect(Math.abs(m.qtMs! - cleanM.qtMs!)).toBeLessThanOrEqual(6);
  });

  it('a record of noise alone is not measured, and says why', () => {
    const n = clean.I.length;
    const leads = Object.fromEntries(LEADS_12.map((name) => [name, noise(n, 0.3)]));
    const m = measureRecord(leads, FS);
    expect(m.beats.length).toBeGreaterThan(3); // the detector still finds "beats" in it, but no heart rate is given
    expect([m.heartRateBpm, m.rr]).toEqual([null, null]);
    expect(m.delineation).toBeNull();
    expect([m.qrsMs, m.qtMs, m.prMs]).toEqual([null, null, null]);
    for (const k of ['qrs', 'qt', 'pr'] as const) expect(m.notMeasurable[k]).toMatch(/no lead's QRS repeats from beat to beat/);
  });

  it('two QRS shapes of opposite sign in turn (ventricular bigeminy) still repeat', () => {
    // Every other beat is an inverted, wider complex: beat-to-beat neighbours anti-correlate, yet each shape repeats.
    const r = regularBeats(700);
    const normal = syntheticBeats({ rSeconds: r.filter((_, i) => i % 2 === 0), waves: [P, QRS_LIMB, QRS_CHEST, T] });
    const ectopic = syntheticBeats({
      rSeconds: r.filter((_, i) => i % 2 === 1),
      waves: [
        { startMs: -60, endMs: 80, mv: allLeads(-1.1) },
        { startMs: 180, endMs: 420, mv: allLeads(0.35) },
      ],
    });
    const leads = Object.fromEntries(LEADS_12.map((name) => [name, normal[name].map((v, k) => v + ectopic[name][k])]));
    // The beats given: this is about the consistency check, not the detector.
    const m = measureRecord(leads, FS, { beats: r.map((t) => Math.round(t * FS)) });
    expect(m.delineation!.leads!.filter((l) => l.leftOut)).toEqual([]);
    expect(Math.min(...m.delineation!.leads!.map((l) => l.qrsConsistency!))).toBeGreaterThan(0.9);
  });

  it('LUDB 1 with V3 replaced by noise: V3 is left out and the intervals hold', async () => {
    const rec = await readWfdbRecord(dataPath('ludb/data/1.hea'));
    const leads: Record<string, Float32Array> = {};
    for (const l of rec.leads) leads[canonicalLeadName(l.name)] = leadMillivolts(l);
    const before = measureRecord(leads, rec.samplingRate);
    const after = measureRecord({ ...leads, V3: noise(leads.V3.length, 0.3) }, rec.samplingRate);
    expect(before.delineation!.leads!.some((l) => l.leftOut)).toBe(false);
    expect(leadBoundariesMs(after).find((l) => l.lead === 'V3')!.leftOut).toBe(true);
    expect(Math.abs(after.qrsMs! - before.qrsMs!)).toBeLessThanOrEqual(4);
    expect(Math.abs(after.qtMs! - before.qtMs!)).toBeLessThanOrEqual(4);
    expect(Math.abs(after.prMs! - before.prMs!)).toBeLessThanOrEqual(4);
  });
});
