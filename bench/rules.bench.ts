// Validation report of the clinical rule detectors: confusion matrices against the CinC #Dx labels of
// the 800 Chapman-Shaoxing/Ningbo records and against the LUDB cardiologist diagnoses (12-lead set;
// LUDB also on the 2-lead set). Prints one JSON object as the last stdout line.
import os from 'node:os';
import { readWfdbRecord } from '../src-main/formats/wfdb-record.ts';
import type { EcgRecord } from '../src-shared/record.ts';
import type { LeadSetSize } from '../src-shared/lead-sets.ts';
import { hasAnyCode, headerPaths, ludbTruth, readLudbDiagnoses, validate } from './rule-validation.ts';
import { SHARED_DATA } from './shared-data-path.ts';

async function loadAll(paths: string[], what: string): Promise<EcgRecord[]> {
  const out: EcgRecord[] = [];
  for (const [i, p] of paths.entries()) {
    try {
      out.push(await readWfdbRecord(p));
    } catch (e) {
      process.stderr.write(`skip ${p}: ${(e as Error).message}\n`);
    }
    if (i % 100 === 99) process.stderr.write(`${what}: read ${i + 1}/${paths.length}\n`);
  }
  return out;
}

const loadAtStart = os.loadavg();
process.stderr.write(`load ${loadAtStart.map((x) => x.toFixed(2)).join(' ')}\n`);
const cinc = await loadAll(await headerPaths(`${SHARED_DATA}/cinc/chapman-ningbo/WFDBRecords`), 'cinc');
const t0 = performance.now();
let n = 0;
const cincRows = validate(
  cinc,
  12,
  (_id, codes, r) => hasAnyCode(r, codes),
  () => {
    if (++n % 100 === 0) process.stderr.write(`cinc rules ${n}/${cinc.length}\n`);
  },
);
const msPerRecord = (performance.now() - t0) / cinc.length;
const ludbRows = await readLudbDiagnoses(`${SHARED_DATA}/ludb/ludb.csv`);
const ludb = await loadAll(await headerPaths(`${SHARED_DATA}/ludb/data`), 'ludb');
const ludbTruthOf = (id: string, _c: string[], r: EcgRecord): boolean | undefined => {
  const row = ludbRows[r.recordName];
  return row ? ludbTruth(id, row) : undefined;
};
const ludbBySet: Record<string, ReturnType<typeof validate>> = {};
for (const set of [12, 2] as LeadSetSize[]) ludbBySet[`${set}-lead`] = validate(ludb, set, ludbTruthOf);
const positives = (rows: typeof cincRows): Record<string, number> =>
  Object.fromEntries(rows.map((r) => [r.detector, r.confusion.tp + r.confusion.fn]));
console.log(
  JSON.stringify({
    cinc: {
      dataset: 'cinc/chapman-ningbo (800 records, 500 Hz, 10 s)',
      leadSet: 12,
      records: cinc.length,
      labelledPositives: positives(cincRows),
      msPerRecord: Math.round(msPerRecord * 10) / 10,
      timingNote: `provisional: measured under load (load average at start ${loadAtStart.map((x) => x.toFixed(2)).join(' ')})`,
      detectors: cincRows,
    },
    ludb: { dataset: 'ludb (100 records, 500 Hz, 10 s), diagnoses from ludb.csv', records: ludb.length, ...ludbBySet },
    notes: [
      'Truth: CinC #Dx SNOMED codes (CinC 2021 equivalence classes); prolonged-qrs is scored against the complete bundle branch blocks and NSIVCB; sinus-bradycardia counts SB or Brady.',
      'None of these 800 CinC records is labelled pacing (10370003), so pacing has only a specificity there; LUDB has 8 paced records.',
      'LUDB labels "left axis deviation" on 38 of 100 records, including axes between 0 and -30 degrees: the 3-lead method (axis beyond -30) is not meant to call those; the 2-lead quadrant method matches that usage better.',
      'LUDB has no low-voltage or long-QT column; its "sinus bradycardia" / "sinus tachycardia" labels do not always match the rate of its own QRS marks (e.g. record 70: 90 bpm, labelled sinus tachycardia).',
      'The 2-lead rows use only leads I and II; the other limb leads are derived from them.',
    ],
  }),
);
