// The interval rules on synthetic records with a known QT: the QTc formula comes from the settings and is named
// in the evidence; an unmeasurable QT says why.
import { describe, expect, it } from 'vitest';
import type { EcgRecord } from '../../src-shared/record.ts';
import { runRules } from '../../src-main/rules/run-rules.ts';
import { prolongedQtc, redecideProlongedQtc } from '../../src-main/rules/prolonged-intervals.ts';
import { allLeads, regularBeats, syntheticBeats } from '../helpers/synthetic-beats.ts';

/** A 12-lead record (int16, 1 uV per count) from synthetic leads. */
function recordOf(leads: Record<string, Float32Array>, fs = 500): EcgRecord {
  const names = Object.keys(leads);
  return {
    format: 'synthetic',
    recordName: 'synthetic-qt',
    samplingRate: fs,
    length: leads[names[0]].length,
    leads: names.map((name) => ({
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

// RR 600 ms (100 bpm), T wave ending 400 ms after R: QT ~ 450-480 ms as we measure it, so Bazett
// (QT / sqrt(0.6) ~ 600 ms) calls it prolonged and Framingham (QT + 154 x 0.4 ~ 520 ms) too, while the two differ.
const waves = [
  { startMs: -170, endMs: -90, mv: allLeads(0.15) },
  { startMs: -45, endMs: 10, mv: allLeads(1.0, { aVR: -1.0 }) },
  { startMs: 10, endMs: 45, mv: allLeads(-0.3, { aVR: 0.3 }) },
  { startMs: 140, endMs: 400, mv: allLeads(0.35, { aVR: -0.35 }), peakFrac: 0.6 },
];

describe('prolonged QTc rule', () => {
  it('uses the formula it is given and names it in the evidence', () => {
    const rec = recordOf(syntheticBeats({ rSeconds: regularBeats(600), waves }));
    const bazett = runRules(rec, 12, [prolongedQtc])[0];
    const hodges = runRules(rec, 12, [prolongedQtc], {}, { qtcFormula: 'hodges' })[0];
    expect(bazett.evidence.note).toMatch(/^QTc \(Bazett\) \d+ ms/);
    expect(hodges.evidence.note).toMatch(/^QTc \(Hodges\) \d+ ms/);
    const value = (note: string): number => Number(/(\d+) ms/.exec(note)![1]);
    // Bazett over-corrects at 100 bpm: its QTc is the larger of the two.
    expect(value(bazett.evidence.note!)).toBeGreaterThan(value(hodges.evidence.note!));
    expect(bazett.decision).toBe(true);
  });
  it('a record with no T wave: not applicable, with the delineation reason', () => {
    const noT = waves.slice(0, 3).map((w) => ({ ...w, mv: Object.fromEntries(Object.entries(w.mv).map(([l, v]) => [l, v / 2])) }));
    const r = runRules(recordOf(syntheticBeats({ rSeconds: regularBeats(1000), waves: noT })), 12, [prolongedQtc])[0];
    expect(r.decision).toBe('not-applicable');
    expect(r.evidence.note).toMatch(/QTc \(Bazett\) not measurable: flat T wave in all leads/);
  });

  it('re-decided from stored evidence with another formula, says what measuring again says, not-applicable ones too', () => {
    const noT = waves.slice(0, 3).map((w) => ({ ...w, mv: Object.fromEntries(Object.entries(w.mv).map(([l, v]) => [l, v / 2])) }));
    const long = recordOf(syntheticBeats({ rSeconds: regularBeats(600), waves }));
    const flat = recordOf(syntheticBeats({ rSeconds: regularBeats(1000), waves: noT }));
    const twoLeads = { ...long, leads: long.leads.slice(0, 2) };
    for (const [rec, decision] of [
      [long, true],
      [flat, 'not-applicable'],
      [twoLeads, 'not-applicable'],
    ] as const) {
      const stored = runRules(rec, 12, [prolongedQtc])[0];
      expect(stored.decision).toBe(decision);
      for (const formula of ['fridericia', 'framingham', 'hodges'] as const) {
        const again = redecideProlongedQtc(stored, formula)!;
        const measured = runRules(rec, 12, [prolongedQtc], {}, { qtcFormula: formula })[0];
        expect(again.decision).toBe(measured.decision);
        expect(again.evidence).toEqual(measured.evidence);
        expect(Math.abs(again.score - measured.score)).toBeLessThan(1.2e-4);
      }
    }
  });
});
