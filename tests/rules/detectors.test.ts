// Rule detectors on named real records whose dataset labels say what they should find.
import { describe, expect, it } from 'vitest';
import { dataPath } from '../helpers/shared-data.ts';
import { readWfdbRecord } from '../../src-main/formats/wfdb-record.ts';
import type { EcgRecord } from '../../src-shared/record.ts';
import type { LeadSetSize } from '../../src-shared/lead-sets.ts';
import type { RuleResult } from '../../src-shared/rules.ts';
import { runRules } from '../../src-main/rules/run-rules.ts';
import { RULE_DETECTORS } from '../../src-main/rules/detectors.ts';
import { applicableLeadSets } from '../../src-main/rules/rule-detector.ts';
import { hasAnyCode } from '../../bench/rule-validation.ts';

/** Records used here sit in folder 010, except JS00217 in 012 (the dataset's own layout). */
const cinc = (name: string): Promise<EcgRecord> =>
  readWfdbRecord(dataPath('cinc/chapman-ningbo/WFDBRecords/01', name === 'JS00217' ? '012' : '010', `${name}.hea`));
const ludb = (id: number): Promise<EcgRecord> => readWfdbRecord(dataPath('ludb', 'data', `${id}.hea`));

function result(rec: EcgRecord, id: string, set: LeadSetSize = 12): RuleResult {
  const r = runRules(rec, set).find((x) => x.detectorId === id);
  if (!r) throw new Error(`no detector ${id}`);
  return r;
}

describe('detector declarations', () => {
  it('every detector has SNOMED codes, a version and the lead sets its leads allow', () => {
    for (const d of RULE_DETECTORS) {
      expect(d.codes.length).toBeGreaterThan(0);
      expect(d.version).toMatch(/^\d+\.\d+\.\d+$/);
    }
    const sets = Object.fromEntries(RULE_DETECTORS.map((d) => [d.id, applicableLeadSets(d)]));
    expect(sets['low-qrs-voltage']).toEqual([12, 6, 4, 3, 2]); // limb leads derivable from I and II
    expect(sets['left-axis-deviation-3-lead']).toEqual([12, 6, 4, 3, 2]);
    expect(sets['sinus-bradycardia']).toEqual([12, 6, 4, 3, 2]);
  });
});

describe('rule detectors on CinC records (labels from #Dx)', () => {
  it('JS00002 labelled sinus bradycardia (426177001) -> bradycardia, not tachycardia', async () => {
    const rec = await cinc('JS00002');
    expect(hasAnyCode(rec, ['426177001'])).toBe(true);
    const b = result(rec, 'sinus-bradycardia');
    expect(b.decision).toBe(true);
    expect(b.score).toBeGreaterThan(0.05);
    expect(b.evidence.measurements.heartRateBpm!).toBeLessThan(60);
    expect(b.evidence.beats.length).toBeGreaterThan(5);
    expect(result(rec, 'sinus-tachycardia').decision).toBe(false);
  });
  it('JS00057 labelled sinus tachycardia (427084000) -> tachycardia', async () => {
    const rec = await cinc('JS00057');
    expect(hasAnyCode(rec, ['427084000'])).toBe(true);
    const t = result(rec, 'sinus-tachycardia');
    expect(t.decision).toBe(true);
    expect(t.evidence.measurements.heartRateBpm!).toBeGreaterThan(100);
  });
  it('JS00072 labelled left axis deviation (39732003) -> LAD by both methods, with I/II/aVF evidence', async () => {
    const rec = await cinc('JS00072');
    expect(hasAnyCode(rec, ['39732003'])).toBe(true);
    for (const id of ['left-axis-deviation-2-lead', 'left-axis-deviation-3-lead']) expect(result(rec, id).decision).toBe(true);
    const ev = result(rec, 'left-axis-deviation-3-lead').evidence;
    expect(ev.axis!.leads).toEqual(['I', 'II', 'aVF']);
    expect(ev.axis!.degrees!).toBeLessThan(-30);
    expect(ev.leads!.find((l) => l.lead === 'II')!.netDeflectionMv!).toBeLessThan(0);
    expect(result(rec, 'right-axis-deviation-2-lead').decision).toBe(false);
  });
  it('JS00217 labelled right axis deviation (47665007) -> RAD, not LAD', async () => {
    const rec = await cinc('JS00217');
    expect(hasAnyCode(rec, ['47665007'])).toBe(true);
    expect(result(rec, 'right-axis-deviation-2-lead').decision).toBe(true);
    expect(result(rec, 'left-axis-deviation-2-lead').decision).toBe(false);
  });
  it('JS00092 labelled low QRS voltage (251146004) -> low voltage with every limb lead under 0.5 mV', async () => {
    const rec = await cinc('JS00092');
    expect(hasAnyCode(rec, ['251146004'])).toBe(true);
    const r = result(rec, 'low-qrs-voltage');
    expect(r.decision).toBe(true);
    const limb = r.evidence.leads!.filter((l) => ['I', 'II', 'III', 'aVR', 'aVL', 'aVF'].includes(l.lead));
    expect(limb).toHaveLength(6);
    expect(limb.every((l) => l.peakToPeakMv! < 0.5)).toBe(true);
  });
  it('JS00038 labelled atrial fibrillation (164889003) -> AF; JS00002 (sinus bradycardia) is not AF', async () => {
    const af = await cinc('JS00038');
    expect(hasAnyCode(af, ['164889003'])).toBe(true);
    expect(result(af, 'atrial-fibrillation').decision).toBe(true);
    expect(result(await cinc('JS00002'), 'atrial-fibrillation').decision).toBe(false);
  });
  it('JS00025 (bundle branch block label) -> QRS >= 120 ms', async () => {
    const rec = await cinc('JS00025');
    expect(hasAnyCode(rec, ['713427006', '59118001', '733534002', '164909002', '6374002'])).toBe(true);
    const r = result(rec, 'prolonged-qrs');
    expect(r.decision).toBe(true);
    expect(r.evidence.measurements.qrsMs!).toBeGreaterThanOrEqual(120);
  });
});

describe('rule detectors on LUDB records (ludb.csv diagnoses)', () => {
  it('LUDB 1 (sinus bradycardia) -> bradycardia on every lead set', async () => {
    const rec = await ludb(1);
    for (const set of [12, 6, 4, 3, 2] as const) expect(result(rec, 'sinus-bradycardia', set).decision).toBe(true);
  });
  it('LUDB 34 (unipolar ventricular pacing) -> pacing, with spikes before each beat; LUDB 2 (no pacemaker) -> none', async () => {
    const p = result(await ludb(34), 'pacing');
    expect(p.decision).toBe(true);
    expect(p.evidence.spikes!.length).toBeGreaterThanOrEqual(10);
    expect(p.evidence.measurements.pacedBeatFraction!).toBeGreaterThan(0.8);
    expect(result(await ludb(2), 'pacing').decision).toBe(false);
  });
  it('LUDB 10 (left axis deviation) -> LAD by the 2-lead method, also on the 2-lead set with aVF derived from I and II', async () => {
    const rec = await ludb(10);
    expect(result(rec, 'left-axis-deviation-2-lead').decision).toBe(true);
    const two = result(rec, 'left-axis-deviation-2-lead', 2);
    expect(two.decision).toBe(true);
    expect(two.evidence.leads!.find((l) => l.lead === 'aVF')!.derived).toBe(true);
  });
  it('on the 3-lead set low QRS voltage uses limb leads derived from I and II and skips the precordial criterion', async () => {
    const r = result(await cinc('JS00092'), 'low-qrs-voltage', 3);
    expect(r.decision).toBe(true);
    const leads = r.evidence.leads!;
    expect(leads.map((l) => l.lead)).toEqual(['I', 'II', 'III', 'aVR', 'aVL', 'aVF']);
    expect(leads.filter((l) => l.derived).map((l) => l.lead)).toEqual(['III', 'aVR', 'aVL', 'aVF']);
  });
  it('a flat record (electrodes off) is not-applicable for rate and axis rules, and gives no pacing', () => {
    const flat = (name: string) => ({ name, units: 'mV', gain: 1000, baseline: 0, digital: new Int16Array(5000) });
    const rec: EcgRecord = {
      format: 'test',
      recordName: 'flat',
      samplingRate: 500,
      length: 5000,
      leads: ['I', 'II'].map(flat),
      labels: [],
      attributes: {},
    };
    const results = runRules(rec, 2);
    const by = (id: string) => results.find((r) => r.detectorId === id)!;
    expect(by('sinus-bradycardia').decision).toBe('not-applicable');
    expect(by('sinus-bradycardia').evidence.note).toMatch(/fewer than 3 beats/);
    expect(by('left-axis-deviation-2-lead').decision).toBe('not-applicable');
    expect(by('pacing').decision).toBe('not-applicable');
    expect(by('low-qrs-voltage').decision).toBe(true); // sliding-window fallback: 0 mV everywhere
    expect(by('low-qrs-voltage').evidence.note).toMatch(/sliding 0.12 s window/);
  });
  // Noise in digital units of 1 uV: 0.3 mV SD (uniform), seeded.
  const noisy = (n: number, seed: number): Int16Array => {
    let s = seed;
    return Int16Array.from({ length: n }, () => Math.round(300 * Math.sqrt(12) * ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32 - 0.5)));
  };
  it('a record of noise alone: every rule not-applicable, saying no QRS repeats (the detector still finds beats)', () => {
    const rec: EcgRecord = {
      format: 'test',
      recordName: 'noise',
      samplingRate: 500,
      length: 5000,
      leads: ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'].map((name, k) => ({
        name,
        units: 'uV',
        gain: 1,
        baseline: 0,
        digital: noisy(5000, k + 1),
      })),
      labels: [],
      attributes: {},
    };
    const results = runRules(rec, 12);
    expect(results).toHaveLength(RULE_DETECTORS.length);
    for (const r of results) {
      expect(r.decision, r.detectorId).toBe('not-applicable');
      expect(r.evidence.note, r.detectorId).toMatch(/^not decided: no lead's QRS repeats from beat to beat/);
    }
  });
  it('LUDB 1 with lead I as noise: axis rules not-applicable, low voltage on the precordial leads alone', async () => {
    const rec = await ludb(1);
    const before = result(rec, 'low-qrs-voltage');
    expect(before.evidence.leads!.map((l) => l.lead)).toContain('I');
    const withNoise: EcgRecord = {
      ...rec,
      leads: rec.leads.map((l) =>
        l.name.toLowerCase() === 'i' ? { ...l, units: 'uV', gain: 1, baseline: 0, digital: noisy(rec.length, 9) } : l,
      ),
    };
    for (const id of ['left-axis-deviation-2-lead', 'right-axis-deviation-3-lead']) {
      const r = result(withNoise, id);
      expect(r.decision, id).toBe('not-applicable');
      expect(r.evidence.note).toMatch(/^I(, \w+)* left out: its QRS does not repeat from beat to beat/);
    }
    const lv = result(withNoise, 'low-qrs-voltage');
    expect(lv.evidence.note).toMatch(/^precordial leads only \(I(, \w+)* left out/);
    expect(lv.evidence.leads!.map((l) => l.lead)).toEqual(['V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
    // The rate rules still decide: the beats are LUDB 1's.
    expect(result(withNoise, 'sinus-bradycardia').decision).toBe(true);
  });
});
