import { convertSignalChunks } from '../../store/signal-chunk-conversion.ts';
import { vacuumWorkspace } from '../../store/workspace.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../command.ts';

export const command: CliCommand = {
  name: ['convert-signals'],
  summary: 'compress the raw signal chunks of a workspace from before LeadLens stored them compressed (resumable; Ctrl-C stops it safely)',
  usage: 'leadlens convert-signals [--batch CHUNKS] [--vacuum] [--workspace DIR] [--json]',
  options: { batch: 'string', vacuum: 'boolean' },
  async run(args, ctx) {
    const batch = args.options.batch === undefined ? 64 : Number(args.options.batch);
    if (!Number.isInteger(batch) || batch < 1)
      throw new UsageError(`--batch must be a positive whole number of chunks, got ${String(args.options.batch)}`);
    const db = ctx.workspace().db;
    const bar = ctx.progress('convert-signals');
    const r = await convertSignalChunks(db, {
      chunksPerTransaction: batch,
      signal: ctx.signal,
      onProgress: (done, total) => bar.update(done, total),
    });
    bar.finish();
    for (const s of r.skipped) ctx.log(`record #${s.recordId} lead ${s.lead} chunk ${s.chunk}: left raw, ${s.reason}`);
    if (args.options.vacuum && !r.cancelled) vacuumWorkspace(db);
    const ratio = r.storedBytes ? r.rawBytes / r.storedBytes : 1;
    ctx.log(
      `${r.chunksConverted} chunks compressed (${ratio.toFixed(2)}x), ${r.recordsDone} records done, ${r.recordsRemaining} to go${r.cancelled ? ' (stopped; run again to continue)' : ''}`,
    );
    return { ...r, ratio };
  },
};
