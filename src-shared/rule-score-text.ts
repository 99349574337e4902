// A rule's score in words: the measurement, its threshold and the margin in the measurement's own units
// ("HR 52 bpm, 8 bpm below the 60 bpm threshold"), never a bare graded number such as "-0.00".
import type { RuleResult } from './rules.ts';

const INTERVAL_NAMES: Record<string, string> = {
  prMs: 'PR',
  qrsMs: 'QRS',
  qtMs: 'QT',
  qtcMs: 'QTc',
  qtcBazettMs: 'QTc (Bazett)',
  qtcFridericiaMs: 'QTc (Fridericia)',
};

/** Fixed-point without a negative zero. */
function fixed(v: number, digits: number): string {
  const s = Math.abs(v).toFixed(digits);
  return Number(s) === 0 ? s : `${v < 0 ? '−' : ''}${s}`;
}

/** "v unit, |v - limit| unit below/above the limit unit threshold" (or "at the threshold"). */
function margin(what: string, v: number, limit: number, unit: string, digits = 0): string {
  const d = v - limit;
  const side = Number(Math.abs(d).toFixed(digits)) === 0 ? 'at' : `${fixed(Math.abs(d), digits)}${unit} ${d < 0 ? 'below' : 'above'}`;
  return `${what} ${fixed(v, digits)}${unit}, ${side} the ${fixed(limit, digits)}${unit} threshold`;
}

const pct = (fraction: number) => fraction * 100;

function rateText(rule: RuleResult): string | undefined {
  const { measurements: m, thresholds: t } = rule.evidence;
  if (m.heartRateBpm == null || t.heartRateBpm === undefined) return undefined;
  let text = margin('HR', m.heartRateBpm, t.heartRateBpm, ' bpm');
  if (m.irregularity != null && t.irregularity !== undefined && m.irregularity > t.irregularity)
    text += `; rhythm irregular (median |ΔRR| ${fixed(pct(m.irregularity), 1)} % of RR, over ${fixed(pct(t.irregularity), 1)} %)`;
  return text;
}

function axisText(rule: RuleResult): string | undefined {
  const leads = rule.evidence.leads;
  if (!leads?.length) return undefined;
  // The score is the smallest signed margin: how far the weakest lead's net deflection is on the required side of 0 mV.
  const signed = leads.map((l) => ({ l, m: (l.passes ? 1 : -1) * Math.abs(l.netDeflectionMv ?? 0) }));
  const weakest = signed.reduce((a, b) => (b.m < a.m ? b : a));
  const net = weakest.l.netDeflectionMv ?? 0;
  const deg = rule.evidence.axis?.degrees;
  return (
    `${deg == null ? '' : `axis ${fixed(deg, 0)}°; `}weakest criterion ${weakest.l.lead} net ${net >= 0 ? '+' : ''}${fixed(net, 2)} mV, ` +
    `${fixed(Math.abs(net), 2)} mV ${weakest.m > 0 ? 'on the required side of' : 'on the wrong side of'} 0 mV`
  );
}

function lowVoltageText(rule: RuleResult): string | undefined {
  const { measurements: m, thresholds: t } = rule.evidence;
  const groups = [
    { name: 'limb', margin: m.limbMarginMv, limit: t.limbMv },
    { name: 'precordial', margin: m.precordialMarginMv, limit: t.precordialMv },
  ].filter((g): g is { name: string; margin: number; limit: number } => g.margin != null && g.limit !== undefined);
  if (!groups.length) return undefined;
  // The decision follows the group with the larger margin (the limit minus that group's largest QRS).
  const g = groups.reduce((a, b) => (b.margin > a.margin ? b : a));
  return `${margin(`largest ${g.name}-lead QRS`, g.limit - g.margin, g.limit, ' mV', 2)} (low voltage: every ${g.name} lead below it)`;
}

function intervalText(rule: RuleResult): string | undefined {
  const { measurements: m, thresholds: t } = rule.evidence;
  const name = Object.keys(t).find((k) => k in INTERVAL_NAMES);
  if (!name || m[name] == null) return undefined;
  return margin(INTERVAL_NAMES[name], m[name], t[name], ' ms');
}

/** One line saying what a rule's score means for this record. */
export function explainRuleScore(rule: RuleResult): string {
  if (rule.decision === 'not-applicable') return `not applicable: ${rule.evidence.note}`;
  const { measurements: m, thresholds: t } = rule.evidence;
  let text: string | undefined;
  if (rule.detectorId.startsWith('sinus-')) text = rateText(rule);
  else if (rule.detectorId.includes('axis-deviation')) text = axisText(rule);
  else if (rule.detectorId === 'low-qrs-voltage') text = lowVoltageText(rule);
  else if (rule.detectorId === 'atrial-fibrillation' && m.irregularity != null && t.irregularity !== undefined)
    text = margin('median |ΔRR| as % of RR', pct(m.irregularity), pct(t.irregularity), ' %', 1);
  else if (rule.detectorId === 'pacing' && m.pacedBeatFraction != null && t.minBeatFraction !== undefined)
    text = margin('paced beats', pct(m.pacedBeatFraction), pct(t.minBeatFraction), ' %');
  else text = intervalText(rule);
  // A detector this file does not know: the graded score itself, said to be one.
  return text ?? `score ${fixed(rule.score, 2)} (distance past the threshold; > 0 means positive)`;
}
