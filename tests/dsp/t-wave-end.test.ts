// T-wave end on synthetic one-lead templates shaped like LUDB's outliers (records 13, 46, 57, 61) and on real Chapman
// records: the end is where the T wave stops moving, whatever level the signal settles at, and the global end is the
// latest agreeing lead's.
import { describe, expect, it } from 'vitest';
import { globalTEnd, leadTWave } from '../../src-main/dsp/t-wave-end.ts';
import { measureRecord } from '../../src-main/dsp/measurements.ts';
import { readWfdbRecord } from '../../src-main/formats/wfdb-record.ts';
import { canonicalLeadName, leadMillivolts } from '../../src-shared/record.ts';
import { dataPath } from '../helpers/shared-data.ts';

const FS = 500;
/** R sits at 350 ms; the T search runs from 200 ms after R to 600 ms (RR 900 ms at 0.66). */
const R = 175;
const FROM = R + 100;
const TO = R + 300;
const ms = (v: number): number => Math.round((v / 1000) * FS);

function template(): Float32Array {
  return new Float32Array(ms(1000));
}

/** Adds a raised-cosine bump of `mv` from `startMs` to `endMs` after R, peaking at `peakFrac` of the way. */
function bump(t: Float32Array, startMs: number, endMs: number, mv: number, peakFrac = 0.6): void {
  const s = R + ms(startMs);
  const e = R + ms(endMs);
  const p = s + (e - s) * peakFrac;
  for (let k = s; k <= e; k++) t[k] += (mv * (1 - Math.cos(Math.PI * (k <= p ? (k - s) / (p - s) : (e - k) / (e - p))))) / 2;
}

/** A smooth step of `mv` from `startMs` to `endMs` after R, held to the template's end. */
function step(t: Float32Array, startMs: number, endMs: number, mv: number): void {
  const s = R + ms(startMs);
  const e = R + ms(endMs);
  for (let k = s; k < t.length; k++) t[k] += k >= e ? mv : (mv * (1 - Math.cos((Math.PI * (k - s)) / (e - s)))) / 2;
}

const endMs = (end: number | undefined): number => ((end! - R) / FS) * 1000;

describe('lead T end where the wave stops moving', () => {
  it('an inverted T recovering to a TP segment above the PR level ends at the top of its recovery, not mid-limb', () => {
    // T -0.3 mV from 150 to 400 ms while the level creeps up 0.08 mV (records 46, 61): a tangent to the PR level
    // crossed it about 30 ms early.
    const t = template();
    bump(t, 150, 400, -0.3);
    step(t, 300, 400, 0.08);
    const w = leadTWave(t, 0, FROM, TO, FS);
    expect(Math.abs(endMs(w.end) - 400)).toBeLessThanOrEqual(15);
    expect(w.sizeMv).toBeGreaterThan(0.3);
    // The peak is the trough, 60 % of the way through the wave.
    expect(Math.abs(endMs(w.peak) - 300)).toBeLessThanOrEqual(6);
    expect(w.amplitudeMv).toBeLessThan(-0.25);
  });

  it('an upright T after a depressed PR segment ends where it reaches the TP level, not the lower PR level', () => {
    // PR segment 0.1 mV below the TP level (an atrial repolarisation wave, record 13): the tangent to the PR level
    // crossed it 25 ms late.
    const t = template();
    bump(t, 150, 400, 0.15);
    const w = leadTWave(t, -0.1, FROM, TO, FS);
    expect(Math.abs(endMs(w.end) - 400)).toBeLessThanOrEqual(15);
  });

  it('an upright T whose descent stops on a raised TP segment ends at the foot of its descent, not at its peak', () => {
    // A slow 0.25 mV ascent and a 0.12 mV descent (record 57): the descent is the final limb even though smaller.
    const t = template();
    step(t, 150, 330, 0.25);
    step(t, 330, 420, -0.13);
    const w = leadTWave(t, 0, FROM, TO, FS);
    expect(Math.abs(endMs(w.end) - 420)).toBeLessThanOrEqual(15);
    expect(Math.abs(endMs(w.peak) - 330)).toBeLessThanOrEqual(20);
  });

  it('a T wave peaking right at the latest peak allowed keeps its descent', () => {
    // The search limit (0.66 RR, here 300 ms) bounds where the T wave may peak, not where it may end.
    const t = template();
    bump(t, 100, 400, 0.3, 2 / 3);
    const w = leadTWave(t, 0, R + ms(60), R + ms(300), FS);
    expect(Math.abs(endMs(w.end) - 400)).toBeLessThanOrEqual(15);
  });

  it('a biphasic T whose second lobe is the smaller one ends after that lobe, not at its trough', () => {
    // +0.3 mV from 120 to 260 ms, then -0.12 mV from 240 to 380 ms: the descent through the baseline is the largest
    // limb and ends at the trough (about 300 ms), 0.12 mV beyond the baseline; the wave ends when it comes back.
    const t = template();
    bump(t, 120, 260, 0.3, 0.5);
    bump(t, 240, 380, -0.12, 0.45);
    const w = leadTWave(t, 0, FROM, TO, FS);
    expect(Math.abs(endMs(w.end) - 380)).toBeLessThanOrEqual(15);
  });

  it('a small dip below the baseline after an upright T, then a U wave, is an overshoot: the T ends at its foot', () => {
    // +0.4 mV from 100 to 300 ms, a 0.1 mV dip (a fifth of the descent) and a U wave rising out of it (record JS00317):
    // the dip is no second lobe, so the U wave's rise is not taken for the T's return.
    const t = template();
    bump(t, 100, 300, 0.4);
    bump(t, 280, 360, -0.1, 0.4);
    bump(t, 340, 440, 0.08, 0.5);
    const w = leadTWave(t, 0, FROM, TO, FS);
    expect(endMs(w.end)).toBeLessThanOrEqual(330);
  });

  it('at a fast rate, a dip after the T that only comes back at the next P wave does not make the T biphasic', () => {
    // The T (+0.3 mV, 80-240 ms) settles 0.15 mV below the PR level and the next P wave lifts the trace back up at the
    // template's end (records JS00470, JS00744 at 106 and 115 bpm): the return is not the T's, so the end stays at
    // the foot of the descent.
    const t = new Float32Array(R + ms(400));
    bump(t, 80, 240, 0.3);
    step(t, 190, 250, -0.15);
    step(t, 260, 345, 0.17);
    const w = leadTWave(t, 0, R + ms(60), R + ms(200), FS);
    expect(endMs(w.end)).toBeLessThanOrEqual(290);
  });

  it('a limb cut off by the end of the template has no end (the next P wave at a fast rate, LUDB 88, JS00041)', () => {
    // The T (+0.1 mV) ends at 250 ms; the next P wave (+0.15 mV) rises from 300 ms and the template stops at 360 ms, on
    // its way down: the trapezium would settle on the template's last samples.
    const t = new Float32Array(R + ms(360));
    bump(t, 80, 250, 0.1);
    bump(t, 300, 380, 0.15, 0.5);
    const w = leadTWave(t, 0, R + ms(60), R + ms(330), FS);
    expect(w.end).toBeUndefined();
  });

  it('a flat lead has no T end', () => {
    const t = template();
    bump(t, 150, 400, 0.02);
    expect(leadTWave(t, 0, FROM, TO, FS).end).toBeUndefined();
  });
});

describe('global T end', () => {
  const lead = (endAt: number, mv = 0.3): Float32Array => {
    const t = template();
    bump(t, endAt - 250, endAt, mv);
    return t;
  };
  const levels = Array(12).fill(0);

  it('is the latest end among the leads that agree (IEC 60601-2-25), not their median', () => {
    // Eight leads end at 380 ms, four (a longer T in the chest leads) at 420 ms.
    const leads = [...Array(8).fill(380), ...Array(4).fill(420)].map((e) => lead(e));
    const g = globalTEnd(leads, levels, FROM, TO, FS);
    expect(Math.abs(endMs(g.end) - 420)).toBeLessThanOrEqual(10);
  });

  it('two leads caught on a later wave (a flutter wave, the next P) do not decide it', () => {
    const leads = [...Array(10).fill(400), 560, 580].map((e) => lead(e));
    const g = globalTEnd(leads, levels, FROM, TO, FS);
    expect(Math.abs(endMs(g.end) - 400)).toBeLessThanOrEqual(10);
    expect(g.confidence).toBeGreaterThan(0.5);
  });

  it('flat T waves everywhere: no end, with the reason', () => {
    const leads = Array.from({ length: 12 }, () => lead(400, 0.02));
    const g = globalTEnd(leads, levels, FROM, TO, FS);
    expect(g.end).toBeUndefined();
    expect(g.reason).toBe('flat T wave in all leads');
  });

  it('T waves still descending where every template stops: no end, and the reason says the next beat came too soon', () => {
    // A T wave peaking at 300 ms and ending at 400 ms, in templates that stop at 360 ms (a long QT at a fast rate).
    const leads = Array.from({ length: 12 }, () => lead(400).slice(0, R + ms(360)));
    const g = globalTEnd(leads, levels, FROM, R + ms(300), FS);
    expect(g.end).toBeUndefined();
    expect(g.reason).toBe('the T wave runs into the next beat');
  });
});

describe('T end on real records whose median-beat window ends on the next P wave (Chapman, about 100 bpm)', () => {
  // Before the window's last samples stopped counting as an end, JS00041 measured QTc 650 ms and JS00795 672 ms
  // (Bazett), their T end on the next P wave at the window's end; on plots the T waves end near 300-330 ms after R.
  it.each([
    ['010', 'JS00041'],
    ['017', 'JS00795'],
  ])('%s/%s: the T end lies well inside the window and QTc is under 500 ms', async (folder, name) => {
    const rec = await readWfdbRecord(dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01', folder, `${name}.hea`));
    const leads: Record<string, Float32Array> = {};
    for (const l of rec.leads) leads[canonicalLeadName(l.name)] = leadMillivolts(l);
    const m = measureRecord(leads, rec.samplingRate);
    const windowEnd = m.medianBeat!.length - 1 - m.medianBeat!.pre;
    expect(m.delineation!.tOffset).toBeLessThan(windowEnd - Math.round(0.05 * rec.samplingRate));
    expect(m.qtc.bazett).toBeLessThan(500);
  });
});
