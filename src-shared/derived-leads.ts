// Limb leads computed from I and II (Einthoven/Goldberger): III = II - I, aVR = -(I + II)/2,
// aVL = I - II/2, aVF = II - I/2.
import { INVALID_DIGITAL_16, INVALID_DIGITAL_32, millivoltsPerUnit } from './record.ts';
import type { LeadSignal } from './record.ts';

/** Gap samples in I or II stay gaps in the derived leads. */
const isGap = (v: number): boolean => v === INVALID_DIGITAL_16 || v === INVALID_DIGITAL_32;

const DERIVED = [
  { name: 'III', a: -1, b: 1 },
  { name: 'aVR', a: -0.5, b: -0.5 },
  { name: 'aVL', a: 1, b: -0.5 },
  { name: 'aVF', a: -0.5, b: 1 },
] as const;

/**
 * The leads plus III, aVR, aVL, aVF computed from I and II where missing (marked `derived`), in
 * lead I's units and `steps` times its gain (and baseline), digital values rounded: steps = 2 keeps
 * the half steps of aVR/aVL/aVF exact when I and II share a gain. Unchanged when I or II is absent,
 * their lengths differ or their units cannot be converted into each other.
 */
export function deriveLimbLeads(leads: LeadSignal[], steps = 1): LeadSignal[] {
  const lead1 = leads.find((l) => l.name === 'I');
  const lead2 = leads.find((l) => l.name === 'II');
  const missing = DERIVED.filter((d) => !leads.some((l) => l.name === d.name));
  if (!lead1 || !lead2 || missing.length === 0 || lead1.digital.length !== lead2.digital.length) return leads;
  // Express II in lead I's digital units.
  const u1 = millivoltsPerUnit(lead1.units);
  const u2 = millivoltsPerUnit(lead2.units);
  const sameUnits = lead1.units.trim().toLowerCase() === lead2.units.trim().toLowerCase();
  if (!sameUnits && (u1 === undefined || u2 === undefined)) return leads;
  const k2 = (lead1.gain / lead2.gain) * (sameUnits ? 1 : u2! / u1!);
  const n = lead1.digital.length;
  const d1 = lead1.digital;
  const d2 = lead2.digital;
  const b1 = lead1.baseline;
  const b2 = lead2.baseline;
  const base = b1 * steps;
  const added = missing.map(({ name, a, b }) => {
    const values = new Float64Array(n);
    let wide = lead1.digital instanceof Int32Array;
    let gaps = false;
    for (let i = 0; i < n; i++) {
      if (isGap(d1[i]) || isGap(d2[i])) {
        values[i] = NaN;
        gaps = true;
        continue;
      }
      const v = Math.round(steps * (a * (d1[i] - b1) + b * (d2[i] - b2) * k2)) + base;
      values[i] = v;
      if (v < -32767 || v > 32767) wide = true;
    }
    const digital = wide ? new Int32Array(n) : new Int16Array(n);
    const gap = wide ? INVALID_DIGITAL_32 : INVALID_DIGITAL_16;
    for (let i = 0; i < n; i++) digital[i] = gaps && Number.isNaN(values[i]) ? gap : values[i];
    return { name, units: lead1.units, gain: lead1.gain * steps, baseline: base, digital, derived: true } satisfies LeadSignal;
  });
  return [...leads, ...added];
}
