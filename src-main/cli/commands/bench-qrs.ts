import { benchmarkQrs } from '../../dsp/qrs-benchmark.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../command.ts';

const pct = (x: number): string => (x * 100).toFixed(2) + ' %';

export const command: CliCommand = {
  name: ['bench', 'qrs'],
  summary: 'score the QRS detector beat by beat (EC57/bxb: 150 ms window, first 5 min unscored) on an annotated WFDB database',
  usage: 'leadlens bench qrs --mitdb DIR [--annotator atr] [--json]',
  options: { mitdb: 'string', annotator: 'string' },
  async run(args, ctx) {
    const dir = args.options.mitdb;
    if (typeof dir !== 'string') throw new UsageError('bench qrs needs --mitdb DIR (a folder of .hea/.dat/.atr records)');
    const annotator = typeof args.options.annotator === 'string' ? args.options.annotator : 'atr';
    const bar = ctx.progress('bench qrs');
    const r = await benchmarkQrs(dir, { annotator, repeats: 3, onRecord: (x, i, n) => bar.update(i + 1, n, x.record) });
    bar.finish();
    for (const x of r.records) {
      ctx.log(
        `${x.record}  Se ${pct(x.se)}  +P ${pct(x.ppv)}  FN ${x.fn}  FP ${x.fp}  median |err| ${x.medianAbsErrorMs.toFixed(1)} ms  ${x.detectMs.toFixed(1)} ms`,
      );
    }
    ctx.log(
      `gross  Se ${pct(r.gross.se)}  +P ${pct(r.gross.ppv)}  median |err| ${r.gross.medianAbsErrorMs.toFixed(1)} ms  ${r.msPer30MinLead.toFixed(1)} ms per 30-min lead (${r.cpuMsPer30MinLead.toFixed(1)} ms CPU)`,
    );
    return r;
  },
};
