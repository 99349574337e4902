// Left / right axis deviation from the signs of the net QRS deflections (hexaxial quadrant methods):
// 2-lead (I, aVF): LAD when I > 0 and aVF < 0 (axis 0 to -90), RAD when I < 0 and aVF > 0 (+90 to +180);
// 3-lead (I, II, aVF): LAD when additionally II < 0 (axis beyond -30), RAD when additionally II > 0
// (+90 to +150, excluding the extreme axis). aVF is derived from I and II when not recorded.
import type { LeadEvidence } from '../../src-shared/rules.ts';
import {
  baseEvidence,
  LEFT_OUT_REASON,
  notApplicable,
  round,
  type RuleDetector,
  type RuleInput,
  type RuleOutput,
} from './rule-detector.ts';

type Side = 'left' | 'right';
type Method = '2-lead' | '3-lead';

/** Required sign of each lead's net deflection: +1 positive, -1 negative. */
const SIGNS: Record<Side, Record<Method, Record<string, 1 | -1>>> = {
  left: { '2-lead': { I: 1, aVF: -1 }, '3-lead': { I: 1, II: -1, aVF: -1 } },
  right: { '2-lead': { I: -1, aVF: 1 }, '3-lead': { I: -1, II: 1, aVF: 1 } },
};

function runAxis(side: Side, method: Method, input: RuleInput): RuleOutput {
  const m = input.measurements;
  const thresholds = { netDeflectionMv: 0 };
  if (m.beats.length === 0) return notApplicable(input, 'no QRS complexes detected', thresholds);
  const iNet = m.leads.I?.netDeflectionMv;
  const iiNet = m.leads.II?.netDeflectionMv;
  const avfNet = m.leads.aVF?.netDeflectionMv;
  const leftOut = ['I', 'II', 'aVF'].filter((l) => m.leftOutLeads.includes(l));
  if (leftOut.length) return notApplicable(input, `${leftOut.join(', ')} left out: ${LEFT_OUT_REASON}`, thresholds);
  if (iNet === undefined || iiNet === undefined || avfNet === undefined)
    return notApplicable(input, 'needs leads I, II and aVF', thresholds);
  const nets: Record<string, number> = { I: iNet, II: iiNet, aVF: avfNet };
  const signs = SIGNS[side][method];
  const leads: LeadEvidence[] = [];
  let score = Infinity;
  for (const [lead, sign] of Object.entries(signs)) {
    const margin = sign * nets[lead];
    score = Math.min(score, margin);
    const ev: LeadEvidence = { lead, netDeflectionMv: round(nets[lead]) ?? 0, thresholdMv: 0, passes: margin > 0 };
    if (input.derivedLeads.includes(lead)) ev.derived = true;
    leads.push(ev);
  }
  const degrees = method === '2-lead' ? m.axis.fromIAvf : m.axis.fromIIIAvf;
  const evidence = baseEvidence(
    input,
    `${method} method: ${leads.map((l) => `${l.lead} ${l.netDeflectionMv! >= 0 ? '+' : ''}${l.netDeflectionMv!.toFixed(2)} mV`).join(', ')}`,
    thresholds,
  );
  evidence.leads = leads;
  evidence.axis = { method, leads: Object.keys(signs), degrees: round(degrees, 1) };
  evidence.measurements = { axisDegrees: round(degrees, 1) };
  const d = m.delineation;
  if (d) evidence.windows = m.beats.map((b) => ({ start: b + d.qrsOnset, end: b + d.qrsOffset, label: 'QRS' }));
  return { decision: score > 0, score, evidence };
}

function axisDetector(side: Side, method: Method): RuleDetector {
  const lad = side === 'left';
  return {
    id: `${lad ? 'left' : 'right'}-axis-deviation-${method}`,
    version: '1.0.1',
    title: `${lad ? 'Left' : 'Right'} axis deviation (${method} method)`,
    codes: [lad ? { code: '39732003', abbreviation: 'LAD' } : { code: '47665007', abbreviation: 'RAD' }],
    requiredLeads: ['I', 'II', 'aVF'],
    run: (input) => runAxis(side, method, input),
  };
}

export const leftAxisDeviation2Lead = axisDetector('left', '2-lead');
export const leftAxisDeviation3Lead = axisDetector('left', '3-lead');
export const rightAxisDeviation2Lead = axisDetector('right', '2-lead');
export const rightAxisDeviation3Lead = axisDetector('right', '3-lead');
