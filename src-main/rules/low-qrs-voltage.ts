// Low QRS voltage: every limb lead's QRS peak-to-peak < 0.5 mV, or every precordial lead's < 1.0 mV.
// When no QRS complexes are detected, each lead's largest peak-to-peak in any 0.12 s window is used.
// Limb leads not recorded are derived from I and II, so the limb criterion runs on every lead set.
import type { EvidenceWindow, LeadEvidence } from '../../src-shared/rules.ts';
import { baseEvidence, LEFT_OUT_REASON, notApplicable, round, type RuleDetector } from './rule-detector.ts';

const LIMB = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF'];
const PRECORDIAL = ['V1', 'V2', 'V3', 'V4', 'V5', 'V6'];
const LIMB_MV = 0.5;
const PRECORDIAL_MV = 1.0;

/** Largest max - min over any window of `w` samples, and where it starts. */
export function maxWindowPeakToPeak(x: Float32Array, w: number): { mv: number; start: number } {
  let best = 0,
    at = 0;
  for (let s = 0; s + w <= x.length; s += Math.max(1, w >> 2)) {
    let mn = Infinity,
      mx = -Infinity;
    for (let i = s; i < s + w; i++) {
      if (x[i] < mn) mn = x[i];
      if (x[i] > mx) mx = x[i];
    }
    if (mx - mn > best) {
      best = mx - mn;
      at = s;
    }
  }
  return { mv: best, start: at };
}

export const lowQrsVoltage: RuleDetector = {
  id: 'low-qrs-voltage',
  version: '1.0.1',
  title: 'Low QRS voltage (limb < 0.5 mV or precordial < 1.0 mV peak-to-peak)',
  codes: [{ code: '251146004', abbreviation: 'LQRSV' }],
  requiredLeads: LIMB,
  run(input) {
    const m = input.measurements;
    const fallback = m.beats.length < 2;
    const w = Math.round(0.12 * input.samplingRate);
    const windows: EvidenceWindow[] = [];
    const amplitude = (lead: string): number => {
      if (!fallback) return m.leads[lead].peakToPeakMv;
      const r = maxWindowPeakToPeak(input.leadsMv[lead], w);
      windows.push({ start: r.start, end: r.start + w, lead, label: 'largest 0.12 s peak-to-peak' });
      return r.mv;
    };
    const leads: LeadEvidence[] = [];
    const leftOut = [...LIMB, ...PRECORDIAL].filter((n) => m.leftOutLeads.includes(n));
    // A group with a lead left out cannot say that every one of its leads is low.
    const group = (names: string[], limit: number): number | null => {
      if (!names.every((n) => input.leadsMv[n]) || names.some((n) => leftOut.includes(n))) return null;
      let margin = Infinity;
      for (const n of names) {
        const pp = amplitude(n);
        const ev: LeadEvidence = { lead: n, peakToPeakMv: round(pp) ?? 0, thresholdMv: limit, passes: pp < limit };
        if (input.derivedLeads.includes(n)) ev.derived = true;
        leads.push(ev);
        margin = Math.min(margin, limit - pp);
      }
      return margin;
    };
    const limb = group(LIMB, LIMB_MV);
    const precordial = group(PRECORDIAL, PRECORDIAL_MV);
    if (limb === null && precordial === null)
      return notApplicable(input, `${leftOut.join(', ')} left out: ${LEFT_OUT_REASON}`, { limbMv: LIMB_MV, precordialMv: PRECORDIAL_MV });
    const score = Math.max(limb ?? -Infinity, precordial ?? -Infinity);
    const what = limb === null ? 'precordial leads only' : precordial === null ? 'limb leads only' : 'limb and precordial leads';
    const evidence = baseEvidence(
      input,
      `${what}${leftOut.length ? ` (${leftOut.join(', ')} left out: ${LEFT_OUT_REASON})` : ''}; ${fallback ? 'no QRS detected: sliding 0.12 s window peak-to-peak' : `median QRS peak-to-peak over ${m.beats.length} beats`}`,
      { limbMv: LIMB_MV, precordialMv: PRECORDIAL_MV },
    );
    evidence.leads = leads;
    evidence.measurements = { limbMarginMv: round(limb), precordialMarginMv: round(precordial) };
    if (windows.length) evidence.windows = windows;
    return { decision: score > 0, score, evidence };
  },
};
