// QRS detector on the 23 MIT-BIH records (EC57/bxb rules: 150 ms window, first 5 minutes unscored,
// beat annotations only): per-record and gross Se, +P, timing error, and ms per 30-minute lead.
// Prints one JSON object as the last stdout line.
import os from 'node:os';
import { benchmarkQrs } from '../src-main/dsp/qrs-benchmark.ts';
import { SHARED_DATA } from './shared-data-path.ts';

process.stderr.write(
  `load ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}\n`,
);
const r = await benchmarkQrs(`${SHARED_DATA}/mitdb`, {
  repeats: 5,
  onRecord: (x, i, n) =>
    process.stderr.write(
      `${i + 1}/${n} ${x.record} Se ${(x.se * 100).toFixed(2)} +P ${(x.ppv * 100).toFixed(2)} ${x.detectMs.toFixed(1)} ms\n`,
    ),
});
const round = (x: number, d = 4): number => Math.round(x * 10 ** d) / 10 ** d;
console.log(
  JSON.stringify({
    dataset: 'mitdb records 100-124 (23), 2 leads, 360 Hz, 30 min',
    rules: 'EC57/bxb: +-150 ms match window, first 300 s not scored, beat annotations only; both leads given to the detector',
    gross: {
      ...r.gross,
      se: round(r.gross.se, 5),
      ppv: round(r.gross.ppv, 5),
      medianAbsErrorMs: round(r.gross.medianAbsErrorMs, 2),
      meanAbsErrorMs: round(r.gross.meanAbsErrorMs, 2),
    },
    msPer30MinLead: round(r.msPer30MinLead, 1),
    cpuMsPer30MinLead: round(r.cpuMsPer30MinLead, 1),
    loadavgAtStart: os.loadavg(),
    timing:
      'best of 5 runs per record, detector only (file reading excluded), single thread; wall and CPU time (CPU time is less inflated when other processes share the 2 cores)',
    reference:
      'WFDB python xqrs takes about 1.8 s per 30-min lead on this machine (issue text; wfdb python is not installed here, so not re-measured)',
    records: r.records.map((x) => ({
      ...x,
      se: round(x.se),
      ppv: round(x.ppv),
      medianAbsErrorMs: round(x.medianAbsErrorMs, 2),
      meanErrorMs: round(x.meanErrorMs, 2),
      detectMs: round(x.detectMs, 2),
      detectCpuMs: round(x.detectCpuMs, 2),
    })),
  }),
);
