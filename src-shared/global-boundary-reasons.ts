// Which leads decided a record's automatic global boundaries, in words a cardiologist checks against the median beats:
// the global QRS onset is the earliest onset that enough counted leads reach (or the summed slope of all leads, where
// that starts earlier), the offset likewise the latest, and the T end set against the leads' own T ends.
import type { LeadBoundariesMs } from './api.ts';
import type { Boundaries } from './median-beats.ts';

const ordinal = (n: number): string => {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th');
  return `${n}${suffix}`;
};
/** A time from R in whole ms with its sign: '+12 ms', '−48 ms'. */
export const signedMs = (ms: number): string => `${ms >= 0 ? '+' : '−'}${Math.abs(ms).toFixed(0)} ms`;

/**
 * One line per automatic global boundary (QRS onset, QRS offset, T end) saying how it stands against the leads' own:
 * "QRS onset −48 ms = V2's, the 3rd earliest of 11 counted leads (earlier: V1 −52 ms, V3 −50 ms)". `automatic` in
 * samples from R; lead boundaries in ms from R. A boundary not found, or with no lead boundaries, gets no line.
 */
export function globalBoundaryReasons(leads: readonly LeadBoundariesMs[], automatic: Boundaries, samplingRate: number): string[] {
  const msOf = (samples: number) => (samples / samplingRate) * 1000;
  // Lead boundaries are whole samples of the same beat, stored to 0.1 ms: equal within half a sample.
  const same = (a: number, b: number) => Math.abs(a - b) < 500 / samplingRate;
  const counted = leads.filter((l) => l.qrsCounted);
  const leftOut = leads.filter((l) => l.leftOut);
  const out: string[] = [];
  if (leftOut.length) {
    const names = leftOut.map((l) => `${l.lead} (${l.qrsConsistency.toFixed(2)})`).join(', ');
    out.push(
      `Left out of every global boundary: ${names}. ${leftOut.length === 1 ? 'Its' : 'Their'} QRS does not repeat from beat ` +
        'to beat (the correlation in brackets): noise, or an electrode off.',
    );
  }
  const qrs = (name: 'QRS onset' | 'QRS offset', at: number | undefined, pick: (l: LeadBoundariesMs) => number, dir: 1 | -1) => {
    if (at === undefined || counted.length === 0) return;
    const g = msOf(at);
    const word = dir === 1 ? 'earliest' : 'latest';
    // In the order the rule reads them: earliest onset first, latest offset first.
    const ranked = [...counted].sort((a, b) => dir * (pick(a) - pick(b)));
    const beyond = ranked.filter((l) => dir * (pick(l) - g) < 0 && !same(pick(l), g));
    const list = (ls: LeadBoundariesMs[]) => ls.map((l) => `${l.lead} ${signedMs(pick(l))}`).join(', ');
    const of = `${counted.length} counted lead${counted.length === 1 ? '' : 's'}`;
    const at0 = ranked.filter((l) => same(pick(l), g));
    const left = leads.length - counted.length - leftOut.length;
    const uncounted = left ? `; ${left} lead${left === 1 ? '' : 's'} too flat to count` : '';
    if (at0.length) {
      // Leads on the same sample share the ranks from the first to the last of them ("the 2nd–3rd earliest").
      const first = beyond.length + 1,
        last = beyond.length + at0.length;
      const whose = at0.map((l) => `${l.lead}'s`);
      const names = whose.length > 1 ? `${whose.slice(0, -1).join(', ')} and ${whose.at(-1)}` : whose[0];
      const rank = first === last ? ordinal(first) : `${ordinal(first)}–${ordinal(last)}`;
      const before = beyond.length ? ` (${dir === 1 ? 'earlier' : 'later'}: ${list(beyond)})` : '';
      out.push(`Global ${name} ${signedMs(g)} = ${names}, the ${rank} ${word} of ${of}${before}${uncounted}.`);
    } else {
      out.push(
        `Global ${name} ${signedMs(g)}: from the slope summed over all leads, ${dir === 1 ? 'before' : 'after'} the own ` +
          `${name === 'QRS onset' ? 'onsets' : 'offsets'} of ${counted.length - beyond.length} of ${of}${uncounted}.`,
      );
    }
  };
  qrs('QRS onset', automatic.qrsOnset, (l) => l.qrsOnsetMs, 1);
  qrs('QRS offset', automatic.qrsOffset, (l) => l.qrsOffsetMs, -1);
  const withT = leads.filter((l) => l.tOffsetMs !== undefined && !l.leftOut);
  if (automatic.tOffset !== undefined && withT.length) {
    const g = msOf(automatic.tOffset);
    const later = withT.filter((l) => l.tOffsetMs! > g && !same(l.tOffsetMs!, g));
    const latest = withT.reduce((a, b) => (b.tOffsetMs! > a.tOffsetMs! ? b : a));
    out.push(
      `Global T end ${signedMs(g)}: at or after ${withT.length - later.length} of the ${withT.length} leads with a T end of their own` +
        ` (latest ${latest.lead} ${signedMs(latest.tOffsetMs!)}).`,
    );
  }
  return out;
}
