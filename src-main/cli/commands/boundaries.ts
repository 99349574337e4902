import { globalBoundaryReasons } from '../../../src-shared/global-boundary-reasons.ts';
import { BOUNDARY_NAMES, isBoundaryName, type BoundaryName } from '../../../src-shared/median-beats.ts';
import { correctBoundaryAndRules } from '../../workspace/boundary-rules.ts';
import { recordMedianBeats } from '../../workspace/median-beats.ts';
import { patientRecords } from '../../workspace/patient-records.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../command.ts';
import { resolveRecordRef } from '../record-ref.ts';

/** `tOffset=340` (ms from R) -> the boundary and its offset in ms. */
function parseSet(v: string): { boundary: BoundaryName; ms: number } {
  const m = /^([A-Za-z]+)=([+-]?\d+(?:\.\d+)?)$/.exec(v.trim());
  if (!m || !isBoundaryName(m[1]))
    throw new UsageError(`--set needs NAME=MS with NAME one of ${BOUNDARY_NAMES.join(', ')}, got '${v.slice(0, 40)}'`);
  return { boundary: m[1], ms: Number(m[2]) };
}

const fmt = (v: number | null, unit: string) => (v === null ? '—' : `${v.toFixed(0)}${unit}`);

export const command: CliCommand = {
  name: ['boundaries'],
  summary: "show a record's median-beat boundaries and measurements, or correct a boundary (stored with author and time)",
  usage:
    'leadlens boundaries --record ID|NAME [--set NAME=MS | --auto NAME] [--author WHO] [--workspace DIR] [--json]\n' +
    `  NAME: ${BOUNDARY_NAMES.join(', ')}; MS: milliseconds from R. --auto puts the automatic boundary back.`,
  options: { record: 'string', set: 'string', auto: 'string', author: 'string' },
  async run(args, ctx) {
    const ref = args.options.record;
    if (typeof ref !== 'string') throw new UsageError('boundaries needs --record ID|NAME');
    const set = typeof args.options.set === 'string' ? parseSet(args.options.set) : undefined;
    const auto = args.options.auto;
    if (auto !== undefined && (typeof auto !== 'string' || !isBoundaryName(auto)))
      throw new UsageError(`--auto needs a boundary name (${BOUNDARY_NAMES.join(', ')})`);
    if (set && auto) throw new UsageError('boundaries takes --set or --auto, not both');
    const author = args.options.author;
    if ((set || auto) && (typeof author !== 'string' || author.trim() === ''))
      throw new UsageError('a correction needs --author WHO (stored with it)');
    const db = ctx.workspace().db;
    const ids = resolveRecordRef(db, ref);
    if (ids.length > 1)
      throw new UsageError(`--record ${ref} names ${ids.length} records (${ids.map((i) => `#${i}`).join(', ')}); say --record id:N`);
    const id = ids[0];
    let before = recordMedianBeats(db, id);
    let rules: unknown[] | undefined;
    const fs = before.samplingRate;
    if (set || auto) {
      const boundary = set?.boundary ?? (auto as BoundaryName);
      const offset = set ? Math.round((set.ms / 1000) * fs) : null;
      const { correction: c, rules: outcomes } = correctBoundaryAndRules(db, { recordId: id, boundary, offset, author: author as string });
      ctx.log(
        `${boundary} of #${id}: ${offset === null ? 'automatic' : `${offset} samples (${((offset / fs) * 1000).toFixed(0)} ms) from R`}, by ${c.author}`,
      );
      for (const o of outcomes) {
        const leadSet = o.results[0]?.leadSet;
        if (o.error) ctx.log(`rules not taken again: ${o.error}`);
        else
          ctx.log(
            `rules taken again (${leadSet}-lead): ${
              o.results
                .filter((r) => r.decision === true)
                .map((r) => r.detectorId)
                .join(', ') || 'no findings'
            }`,
          );
      }
      rules = outcomes.map((o) => ({
        ...(o.error ? { error: o.error } : {}),
        results: o.results.map((r) => ({ detector: r.detectorId, leadSet: r.leadSet, decision: r.decision })),
      }));
      before = recordMedianBeats(db, id);
    }
    const b = before;
    const ms = (s: number | undefined) => (s === undefined ? null : (s / fs) * 1000);
    for (const name of BOUNDARY_NAMES) {
      const corrected = b.corrected[name];
      ctx.log(
        `${name.padEnd(9)} ${fmt(ms(b.boundaries[name]), ' ms')}${corrected !== undefined ? ` (corrected; automatic ${fmt(ms(b.automatic[name]), ' ms')})` : ''}`,
      );
    }
    // Each lead's own boundaries (ms from R, confidence in brackets), then which of them decided the global ones.
    for (const l of b.leadBoundaries)
      ctx.log(
        `  ${l.lead.padEnd(4)} QRS ${fmt(l.qrsOnsetMs, '')} (${l.qrsOnsetConfidence.toFixed(2)}) to ${fmt(l.qrsOffsetMs, '')} ` +
          `(${l.qrsOffsetConfidence.toFixed(2)}) ms · T end ${fmt(l.tOffsetMs ?? null, ' ms')}${l.leftOut ? ' · left out: QRS does not repeat' : l.qrsCounted ? '' : ' · QRS not counted'}`,
      );
    for (const line of globalBoundaryReasons(b.leadBoundaries, b.automatic, fs)) ctx.log(line);
    const m = b.measurements;
    ctx.log(
      `HR ${fmt(m.heartRateBpm, ' bpm')} · PR ${fmt(m.prMs, ' ms')} · QRS ${fmt(m.qrsMs, ' ms')} · QT ${fmt(m.qtMs, ' ms')} · QTc ${fmt(m.qtcBazettMs, ' ms')} · axis ${fmt(m.axisDegrees, '°')}`,
    );
    const patient = patientRecords(db, id);
    const others = patient.records.filter((r) => r.id !== id);
    if (others.length)
      ctx.log(`prior/other ECGs of patient ${patient.patientId}: ${others.map((r) => `#${r.id} ${r.recordName}`).join(', ')}`);
    return {
      recordId: id,
      samplingRate: fs,
      beatsUsed: b.beatsUsed,
      automatic: b.automatic,
      corrected: b.corrected,
      boundaries: b.boundaries,
      automaticMeasurements: b.automaticMeasurements,
      measurements: b.measurements,
      history: b.history,
      leadBoundaries: b.leadBoundaries,
      ...(rules ? { rules } : {}),
      patientId: patient.patientId,
      patientRecords: patient.records.map((r) => ({ id: r.id, recordName: r.recordName, startTime: r.startTime ?? null })),
    };
  },
};
