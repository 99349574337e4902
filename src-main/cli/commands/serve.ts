import { watchWorkspaceInbox } from '../../ingest/inbox-events.ts';
import { seedSamplesOnce } from '../../ingest/seed-samples.ts';
import { rendererDir } from '../../resources.ts';
import { startServer } from '../../server/serve.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../command.ts';
import { intOption } from '../parse-args.ts';

export const command: CliCommand = {
  name: ['serve'],
  summary: 'serve the app to a browser on this machine (HTTP + WebSocket, token-protected)',
  usage: 'leadlens serve [--port N] [--host ADDR] [--workspace DIR] [--no-samples] [--json]',
  options: { port: 'string', host: 'string', 'no-samples': 'boolean' },
  async run(args, ctx) {
    const ws = ctx.workspace();
    if (!args.options['no-samples']) await seedSamplesOnce(ws);
    const host = typeof args.options.host === 'string' ? args.options.host : '127.0.0.1';
    if (!/^[0-9a-fA-F:.]+$|^localhost$/.test(host)) throw new UsageError(`--host must be an IP address, got '${host}'`);
    const server = await startServer({ workspace: ws, rendererDir: rendererDir(), host, port: intOption(args, 'port', 0, 0, 65535) });
    const inbox = watchWorkspaceInbox(ws, server.emit);
    if (ctx.json) process.stdout.write(JSON.stringify({ url: server.url, port: server.port, workspace: ws.dir }) + '\n');
    else ctx.log(`LeadLens is serving ${ws.dir}\nOpen ${server.url}\n(Ctrl-C to stop)`);
    await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
    await inbox?.close();
    await server.close();
    return undefined;
  },
};
