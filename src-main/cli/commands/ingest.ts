import { READERS } from '../../formats/readers.ts';
import { ingestPaths, type IngestResult } from '../../ingest/ingest-files.ts';
import { watchInbox } from '../../ingest/inbox-watcher.ts';
import { addInboxFolder } from '../../store/inbox-store.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../command.ts';

function summarise(r: IngestResult) {
  return { files: r.files, newRecords: r.newRecords, duplicates: r.duplicates, quarantined: r.quarantined, skipped: r.skipped };
}

export const command: CliCommand = {
  name: ['ingest'],
  summary: 'take in ECG files and folders (recursively); --watch keeps watching them as inbox folders',
  usage: 'leadlens ingest PATH... [--watch] [--workspace DIR] [--json]',
  options: { watch: 'boolean' },
  async run(args, ctx) {
    if (args.positionals.length === 0) throw new UsageError('ingest needs at least one file or folder');
    const ws = ctx.workspace();
    const bar = ctx.progress('ingest');
    const opts = { readers: READERS, signal: ctx.signal, onProgress: (d: number, t: number, l: string) => bar.update(d, t, l) };
    if (!args.options.watch) {
      const r = await ingestPaths(ws, args.positionals, opts);
      bar.finish();
      ctx.log(`${r.newRecords} new, ${r.duplicates} duplicate, ${r.quarantined.length} quarantined (${r.files} files)`);
      for (const q of r.quarantined) ctx.log(`  quarantined ${q.path}: ${q.reason}`);
      return summarise(r);
    }
    for (const p of args.positionals) addInboxFolder(ws.db, p, process.env.USER ?? 'cli');
    const watcher = watchInbox(ws, args.positionals, {
      ...opts,
      onQuarantine: (p, reason) => ctx.log(`quarantined ${p}: ${reason}`),
      onBatch: (r) => {
        bar.finish();
        if (ctx.json) process.stdout.write(JSON.stringify(summarise(r)) + '\n');
        else if (r.newRecords || r.duplicates) ctx.log(`${r.newRecords} new, ${r.duplicates} duplicate`);
      },
    });
    ctx.log(`watching ${args.positionals.join(', ')} (Ctrl-C to stop)`);
    await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
    await watcher.close();
    return undefined;
  },
};
