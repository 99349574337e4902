import type { IngestSummary } from '../../../src-shared/api.ts';
import { ingestFailed, ingestSummaryLine, notTakenGroups } from '../../../src-shared/ingest-outcomes.ts';
import { READERS } from '../../formats/readers.ts';
import { ingestPaths, ingestSummary } from '../../ingest/ingest-files.ts';
import { watchInbox } from '../../ingest/inbox-watcher.ts';
import { addInboxFolder } from '../../store/inbox-store.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../command.ts';

/** Files listed one by one per group; the rest of a big group is one line (--json lists every file). */
const LISTED = 10;

/** The summary line, then every file not taken in with its reason, grouped by outcome. */
export function describeIngest(r: IngestSummary): string[] {
  const lines = [ingestSummaryLine(r)];
  for (const group of notTakenGroups(r)) {
    lines.push(`${group.title} (${group.files.length}):`);
    for (const o of group.files.slice(0, LISTED)) lines.push(`  ${o.path}: ${o.reason}`);
    if (group.files.length > LISTED) lines.push(`  … and ${group.files.length - LISTED} more (--json lists every file)`);
  }
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return lines;
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
      const r = ingestSummary(await ingestPaths(ws, args.positionals, opts));
      bar.finish();
      for (const line of describeIngest(r)) ctx.log(line);
      if (ingestFailed(r)) ctx.exitCode = 1;
      return r;
    }
    for (const p of args.positionals) addInboxFolder(ws.db, p, process.env.USER ?? 'cli');
    const watcher = watchInbox(ws, args.positionals, {
      ...opts,
      onError: (message) => process.stderr.write(`leadlens ingest: ${message}\n`),
      onBatch: (r) => {
        bar.finish();
        if (ctx.json) process.stdout.write(JSON.stringify(ingestSummary(r)) + '\n');
        else for (const line of describeIngest(r)) ctx.log(line);
      },
    });
    ctx.log(`watching ${args.positionals.join(', ')} (Ctrl-C to stop)`);
    await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
    await watcher.close();
    return undefined;
  },
};
