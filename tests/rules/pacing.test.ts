// Pacing detector on synthetic records: narrow, steep pacemaker spikes before every QRS are found; a noise spike
// in lead II that the limb leads computed from it repeat (III, aVR, aVF) is not a pacemaker.
import { describe, expect, it } from 'vitest';
import type { EcgRecord } from '../../src-shared/record.ts';
import { ruleInput, runRules } from '../../src-main/rules/run-rules.ts';
import { measureRecord } from '../../src-main/dsp/measurements.ts';
import { pacing } from '../../src-main/rules/pacing.ts';
import { readWfdbRecord } from '../../src-main/formats/wfdb-record.ts';
import { dataPath } from '../helpers/shared-data.ts';
import { allLeads, LEADS_12, regularBeats, syntheticBeats } from '../helpers/synthetic-beats.ts';

function recordOf(leads: Record<string, Float32Array>, fs = 500): EcgRecord {
  return {
    format: 'synthetic',
    recordName: 'synthetic-pacing',
    samplingRate: fs,
    length: leads.I.length,
    leads: LEADS_12.map((name) => ({
      name,
      units: 'mV',
      gain: 1000,
      baseline: 0,
      digital: Int16Array.from(leads[name], (v) => Math.round(v * 1000)),
    })),
    labels: [],
    attributes: {},
  };
}

/** Limb leads recomputed from I and II, as many carts store them. */
function limbFromIAndII(leads: Record<string, Float32Array>): void {
  const { I, II } = leads;
  leads.III = II.map((v, k) => v - I[k]);
  leads.aVR = I.map((v, k) => -(v + II[k]) / 2);
  leads.aVL = I.map((v, k) => v - II[k] / 2);
  leads.aVF = II.map((v, k) => v - I[k] / 2);
}

// A wide paced-looking complex (140 ms) and a T wave.
const waves = [
  { startMs: -60, endMs: 40, mv: allLeads(1.0, { aVR: -1.0, V1: -0.8, V2: -0.6 }) },
  { startMs: 40, endMs: 80, mv: allLeads(-0.3, { aVR: 0.3, V1: 0.3 }) },
  { startMs: 200, endMs: 420, mv: allLeads(-0.3, { aVR: 0.3, V1: 0.3 }) },
];
const fs = 500;

describe('pacing detector', () => {
  it('finds ventricular pacemaker spikes (1 sample, 1.5 mV, every lead) 50 ms before each QRS', () => {
    const beats = regularBeats(857);
    const leads = syntheticBeats({ rSeconds: beats, waves, noiseMv: 0.02, seed: 3 });
    for (const t of beats) {
      const k = Math.round(t * fs) - Math.round(0.05 * fs) - Math.round(0.06 * fs);
      for (const name of LEADS_12) leads[name][k] += name === 'aVR' ? -1.5 : 1.5;
    }
    const r = runRules(recordOf(leads), 12, [pacing])[0];
    expect(r.decision).toBe(true);
    expect(r.evidence.measurements.pacedBeatFraction).toBeGreaterThan(0.9);
    expect(r.evidence.spikes!.length).toBeGreaterThan(beats.length);
  });
  it('does not call pacing from spikes in lead II that only the limb leads derived from it repeat', () => {
    const beats = regularBeats(857);
    const leads = syntheticBeats({ rSeconds: beats, waves, noiseMv: 0.02, seed: 4 });
    for (const t of beats) leads.II[Math.round(t * fs) - Math.round(0.15 * fs)] += 0.6;
    limbFromIAndII(leads);
    const r = runRules(recordOf(leads), 12, [pacing])[0];
    expect(r.decision).toBe(false);
    expect(r.evidence.measurements.spikeCount).toBe(0);
  });
  it('decides from the spikes the measurements found, not from the leads: spikes are searched once per record', async () => {
    const input = ruleInput(await readWfdbRecord(dataPath('ludb/data/34.hea')), 12);
    const found = pacing.run(input);
    expect(found.decision).toBe(true);
    // Leads that no longer hold the spikes: the same decision and evidence, from the measurements.
    const flat = Object.fromEntries(Object.keys(input.leadsMv).map((n) => [n, new Float32Array(input.leadsMv[n].length)]));
    expect(pacing.run({ ...input, leadsMv: flat })).toEqual(found);
    // Measurements that found none: not paced, though the leads hold the spikes.
    const none = { spikes: [], pacedBeats: 0, pacedBeatFraction: 0, spikeFromR: null };
    const r = pacing.run({ ...input, measurements: { ...input.measurements, pacing: none } });
    expect(r.decision).toBe(false);
    expect(r.evidence.measurements.spikeCount).toBe(0);
  });
  it('on the 2-lead set the measurements search I and II only: a spike in I that the derived limb leads repeat is not a pulse', () => {
    const beats = regularBeats(857);
    const leads = syntheticBeats({ rSeconds: beats, waves, noiseMv: 0.02, seed: 4 });
    for (const t of beats) leads.I[Math.round(t * fs) - Math.round(0.15 * fs)] += 0.6;
    const input = ruleInput(recordOf(leads), 2);
    expect(input.derivedLeads).toEqual(['III', 'aVR', 'aVL', 'aVF']);
    expect(input.measurements.pacing.spikes).toEqual([]);
    expect(pacing.run(input).decision).toBe(false);
    // Counted with the derived leads, the spike in I shows on five "leads" and passes for a pulse.
    expect(measureRecord(input.leadsMv, fs, { beats: input.measurements.beats }).pacing.pacedBeatFraction).toBeGreaterThan(0.9);
  });
  it("JS00294 (a 4-year-old's sharp narrow QRS, not paced) is not called paced: an R peak is not a one-sample spike", async () => {
    const rec = await readWfdbRecord(dataPath('cinc/chapman-ningbo/WFDBRecords/01/012/JS00294.hea'));
    const r = runRules(rec, 12, [pacing])[0];
    expect(r.decision).toBe(false);
    expect(r.evidence.measurements.spikeCount).toBe(0);
  });
  it('LUDB 90 (bipolar ventricular pacing, spikes of 0.03-0.1 mV) is called paced from spikes locked before each QRS', async () => {
    const rec = await readWfdbRecord(dataPath('ludb/data/90.hea'));
    const r = runRules(rec, 12, [pacing])[0];
    expect(r.decision).toBe(true);
    expect(r.evidence.measurements.pacedBeatFraction).toBeGreaterThanOrEqual(0.6);
    expect(Math.min(...r.evidence.spikes!.map((s) => Math.abs(s.amplitudeMv)))).toBeLessThan(0.15);
  });
  it('LUDB 39 and 79 (not paced; one-sample steps locked to R in the limb leads only) and JS00685 (sharp R tips) are not paced', async () => {
    for (const path of ['ludb/data/39.hea', 'ludb/data/79.hea', 'cinc/chapman-ningbo/WFDBRecords/01/016/JS00685.hea']) {
      const r = runRules(await readWfdbRecord(dataPath(path)), 12, [pacing])[0];
      expect(r.decision).toBe(false);
    }
  });
});
