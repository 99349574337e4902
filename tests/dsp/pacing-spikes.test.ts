// Pacemaker pulses in the measurements: a paced rhythm's pulses are found on the raw leads, blanked before the
// band-pass filter (which would smear each pulse's slope over the PR segment and the start of the QRS), and a
// paced QRS starts after its pulse. Synthetic 12-lead beats with known boundaries and one-sample pulses.
import { describe, expect, it } from 'vitest';
import { measureRecord } from '../../src-main/dsp/measurements.ts';
import { measureWithCorrections } from '../../src-main/dsp/corrected-measurements.ts';
import { blankSpikes, isPaced, pacedRhythm, pulseSamples } from '../../src-main/dsp/pacing-spikes.ts';
import { detectQrs } from '../../src-main/dsp/qrs-detector.ts';
import { readWfdbRecord } from '../../src-main/formats/wfdb-record.ts';
import { canonicalLeadName, leadMillivolts } from '../../src-shared/record.ts';
import { dataPath } from '../helpers/shared-data.ts';
import { allLeads, LEADS_12, regularBeats, syntheticBeats, type SyntheticWave } from '../helpers/synthetic-beats.ts';

const fs = 500;
// A wide paced-like QRS (-60..+60 ms) and a discordant T; no P wave (complete AV block, ventricular pacing).
const waves: SyntheticWave[] = [
  { startMs: -60, endMs: 20, mv: allLeads(1.0, { aVR: -1.0, V1: -0.8 }) },
  { startMs: 20, endMs: 60, mv: allLeads(-0.4, { aVR: 0.4, V1: 0.3 }) },
  { startMs: 180, endMs: 420, mv: allLeads(-0.3, { aVR: 0.3, V1: 0.3 }) },
];

/** The synthetic beats with a one-sample 1.5 mV pulse `lagMs` before each QRS onset (-60 ms), in every lead. */
function pacedLeads(lagMs: number): Record<string, Float32Array> {
  const beats = regularBeats(1000);
  const leads = syntheticBeats({ rSeconds: beats, waves, noiseMv: 0.01, seed: 5 });
  for (const t of beats) {
    const k = Math.round(t * fs) - Math.round(0.06 * fs) - Math.round((lagMs / 1000) * fs);
    for (const name of LEADS_12) leads[name][k] += name === 'aVR' ? -1.5 : 1.5;
  }
  return leads;
}

describe('pacemaker pulses in the measurements', () => {
  it('a pulse 20 ms before the paced QRS leaves its QRS duration and onset as without the pulse', () => {
    const plain = measureRecord(syntheticBeats({ rSeconds: regularBeats(1000), waves, noiseMv: 0.01, seed: 5 }), fs);
    const paced = measureRecord(pacedLeads(20), fs);
    // Without blanking, the filtered pulse moved the onset 20-40 ms earlier (into the pulse).
    expect(Math.abs(paced.qrsMs! - plain.qrsMs!)).toBeLessThanOrEqual(6);
    const onsetMs = (m: typeof paced): number => (m.delineation!.qrsOnset / fs) * 1000;
    expect(Math.abs(onsetMs(paced) - onsetMs(plain))).toBeLessThanOrEqual(6);
  });
  it('pacedRhythm finds the pulses and their lag before R; an unpaced record has none', () => {
    const leads = pacedLeads(20);
    const beats = Array.from(detectQrs(Object.values(leads), fs));
    const paced = pacedRhythm(Object.entries(leads), fs, beats);
    expect(isPaced(paced)).toBe(true);
    expect(paced.pacedBeatFraction).toBeGreaterThan(0.9);
    expect(pulseSamples(paced.spikes).length).toBeGreaterThanOrEqual(beats.length - 1);
    // The pulse lies 80 ms before the QRS's centre; the R fiducial is within ~30 ms of that centre.
    expect(paced.spikeFromR).toBeLessThan(0);
    const plain = syntheticBeats({ rSeconds: regularBeats(1000), waves, noiseMv: 0.01, seed: 5 });
    const unpaced = pacedRhythm(Object.entries(plain), fs, Array.from(detectQrs(Object.values(plain), fs)));
    expect(isPaced(unpaced)).toBe(false);
    expect(unpaced.spikes).toEqual([]);
  });
  it('blankSpikes replaces the pulse and its tail by the line between its neighbours and leaves the rest alone', () => {
    const x = Float32Array.from({ length: 40 }, (_, k) => k * 0.01);
    x[20] = 2;
    x[21] = -0.5;
    const y = blankSpikes(x, [20], fs);
    for (let k = 0; k < 40; k++) expect(y[k]).toBeCloseTo(k < 18 || k > 24 ? x[k] : k * 0.01, 5);
    expect(x[20]).toBe(2); // the input is not modified
  });
  it('LUDB 34 (unipolar ventricular pacing): the QRS onset is after the pacemaker pulse, as the cardiologists mark it', async () => {
    const rec = await readWfdbRecord(dataPath('ludb', 'data', '34.hea'));
    const leads: Record<string, Float32Array> = {};
    for (const l of rec.leads) leads[canonicalLeadName(l.name)] = leadMillivolts(l);
    const m = measureRecord(leads, rec.samplingRate);
    expect(m.pacing.pacedBeatFraction).toBe(1);
    expect(m.delineation!.qrsOnset).toBeGreaterThan(m.pacing.spikeFromR!);
    // Cardiologists' QRS (all-lead reference) is ~165 ms; with the filtered pulse counted it was 208 ms.
    expect(m.qrsMs!).toBeGreaterThanOrEqual(120);
    expect(m.qrsMs!).toBeLessThan(190);
  });
  it("the pass on a reviewer's corrected boundaries reuses the automatic pass's spikes instead of searching again", async () => {
    const rec = await readWfdbRecord(dataPath('ludb', 'data', '34.hea'));
    const leads: Record<string, Float32Array> = {};
    for (const l of rec.leads) leads[canonicalLeadName(l.name)] = leadMillivolts(l);
    const { automatic, corrected } = measureWithCorrections(leads, rec.samplingRate, { qrsOffset: 60 });
    expect(corrected).not.toBe(automatic);
    expect(corrected.pacing).toBe(automatic.pacing);
    expect(isPaced(corrected.pacing)).toBe(true);
  });
});
