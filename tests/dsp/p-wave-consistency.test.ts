// An irregular rhythm's P wave must be there before each beat: beat-to-beat consistency of the P window, on
// synthetic beats and on real Chapman records (AF with a bump in its median beat; sinus rhythm with ectopic beats).
import { describe, expect, it } from 'vitest';
import { measureRecord } from '../../src-main/dsp/measurements.ts';
import { MIN_P_CONSISTENCY, pWaveConsistency, withoutInconsistentP } from '../../src-main/dsp/p-wave-consistency.ts';
import { medianBeat, type Delineation } from '../../src-main/dsp/delineation.ts';
import { readWfdbRecord } from '../../src-main/formats/wfdb-record.ts';
import { canonicalLeadName, leadMillivolts } from '../../src-shared/record.ts';
import { dataPath } from '../helpers/shared-data.ts';
import { allLeads, syntheticBeats, type SyntheticWave } from '../helpers/synthetic-beats.ts';

const FS = 500;
const P: SyntheticWave = { startMs: -180, endMs: -80, mv: allLeads(0.15) };
const QRS: SyntheticWave = { startMs: -50, endMs: 50, mv: allLeads(1.2, { aVR: -1.2 }) };
const T: SyntheticWave = { startMs: 150, endMs: 400, mv: allLeads(0.35, { aVR: -0.35 }) };
// Irregular RR (about 0.2 median |dRR| / RR): sinus arrhythmia or ectopy if each beat has its P, AF if not.
const GAPS = [620, 910, 540, 1080, 700, 830, 560, 990, 650, 760, 880];
const irregularBeats = (): number[] => {
  const r: number[] = [];
  for (let t = 0.5, i = 0; t < 9.3; t += GAPS[i++ % GAPS.length] / 1000) r.push(t);
  return r;
};

describe('P-wave consistency', () => {
  it('a P wave before every beat of an irregular rhythm is consistent, and PR is measured', () => {
    const leads = syntheticBeats({ rSeconds: irregularBeats(), waves: [P, QRS, T], noiseMv: 0.02, seed: 3 });
    const m = measureRecord(leads, FS);
    expect(m.rr!.irregularity).toBeGreaterThan(0.1);
    expect(m.prMs).not.toBeNull();
    const names = Object.keys(leads);
    const c = pWaveConsistency(
      names.map((n) => leads[n]),
      m.beats,
      m.medianBeat!,
      m.delineation!.pOnset!,
      m.delineation!.pOffset!,
      FS,
    );
    expect(c).toBeGreaterThan(0.9);
  });

  it('a bump in the median beat that the beats do not share is dropped, with the reason; QRS and T stay', () => {
    // The median beat shows a P wave at -190..-110 ms (built from beats that all have it). The beats of the record
    // carry a 0.15 mV wave somewhere in the 300 ms before QRS instead, at one of five places in turn (as f-waves or a
    // wandering T wave land): three of five overlap the median beat's P window, each elsewhere in it.
    const r = irregularBeats();
    const beats = r.map((t) => Math.round(t * FS));
    const steady = syntheticBeats({ rSeconds: r, waves: [{ startMs: -190, endMs: -110, mv: allLeads(0.15) }, QRS, T] });
    const names = Object.keys(steady);
    const steadySignals = names.map((n) => steady[n]);
    const beat = medianBeat(steadySignals, beats, 150, 250)!;
    const places = [-190, -150, -110, -230, -270];
    const leads = syntheticBeats({ rSeconds: [], waves: [] });
    r.forEach((t, i) => {
      const wave = { startMs: places[i % 5], endMs: places[i % 5] + 60, mv: allLeads(0.15) };
      const one = syntheticBeats({ rSeconds: [t], waves: [wave, QRS, T] });
      for (const name of names) for (let k = 0; k < leads[name].length; k++) leads[name][k] += one[name][k];
    });
    const signals = names.map((n) => leads[n]);
    const del: Delineation = {
      qrsOnset: -25,
      qrsOffset: 25,
      pOnset: -95,
      pOffset: -55,
      tOffset: 200,
      confidence: { qrsOnset: 1, qrsOffset: 1, p: 1, tOffset: 1 },
    };
    expect(pWaveConsistency(signals, beats, beat, -95, -55, FS)).toBeLessThan(MIN_P_CONSISTENCY);
    const out = withoutInconsistentP(del, signals, beats, beat, FS);
    expect(out.pOnset).toBeUndefined();
    expect(out.pOffset).toBeUndefined();
    expect(out.confidence).toEqual({ qrsOnset: 1, qrsOffset: 1, tOffset: 1 });
    expect(out.notMeasurable?.p).toMatch(
      /^no P wave repeated before each beat \(beat-to-beat correlation -?0\.\d\d\): atrial fibrillation or flutter\?$/,
    );
    expect([out.qrsOnset, out.qrsOffset, out.tOffset]).toEqual([-25, 25, 200]);
    // The same P window in every beat keeps the delineation as it was.
    expect(withoutInconsistentP(del, steadySignals, beats, beat, FS)).toBe(del);
  });
});

describe('P-wave consistency on real irregular records (Chapman)', () => {
  async function measure(folder: string, name: string) {
    const rec = await readWfdbRecord(dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01', folder, `${name}.hea`));
    const leads: Record<string, Float32Array> = {};
    for (const l of rec.leads) leads[canonicalLeadName(l.name)] = leadMillivolts(l);
    return measureRecord(leads, rec.samplingRate);
  }

  // Both labelled AF; before the check their median beats gave a "P wave" and PR 250 and 276 ms.
  it.each([
    ['010', 'JS00071'],
    ['011', 'JS00137'],
  ])('%s/%s (AF): no PR, and the reason says the P wave is not before each beat', async (folder, name) => {
    const m = await measure(folder, name);
    expect(m.rr!.irregularity).toBeGreaterThan(0.1);
    expect(m.prMs).toBeNull();
    expect(m.notMeasurable.pr).toMatch(/^no P wave repeated before each beat/);
  });

  // Irregular but not AF (labelled sinus bradycardia; sinus bradycardia with premature atrial beats): PR stays.
  it.each([
    ['013', 'JS00346'],
    ['011', 'JS00121'],
  ])('%s/%s (sinus, irregular): PR measured', async (folder, name) => {
    const m = await measure(folder, name);
    expect(m.rr!.irregularity).toBeGreaterThan(0.1);
    expect(m.prMs).toBeGreaterThan(100);
    expect(m.prMs).toBeLessThan(250);
  });
});
